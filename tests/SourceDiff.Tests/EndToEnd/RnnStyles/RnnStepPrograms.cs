using System;
using SourceDiff;

namespace SourceDiff.Tests.EndToEnd.RnnStyles;

// Layout of w for every program: W = w[0 .. n*n), U = w[n*n .. n*n+n), B = w[n*n+n .. n*n+2n), extra after.
public static partial class RnnStepPrograms
{
    public static int WLength(int n) => n * n + 3 * n + 4;

    /// <summary>Elman with Array.Copy(next, h, n).</summary>
    [Differentiable]
    public static double ArrayCopyElman(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = w[n * n + i] * xs[t] + w[n * n + n + i];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h[j];
                }

                next[i] = Math.Tanh(a);
            }

            Array.Copy(next, h, n);
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>Elman with next.CopyTo(h, 0).</summary>
    [Differentiable]
    public static double CopyToElman(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = w[n * n + i] * xs[t];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h[j];
                }

                next[i] = Math.Tanh(a + w[n * n + n + i]);
            }

            next.CopyTo(h, 0);
            for (int i = 0; i < n; i++)
            {
                loss += (h[i] - 0.1) * (h[i] - 0.1);
            }
        }

        return loss;
    }

    /// <summary>h = (double[])next.Clone() each step.</summary>
    [Differentiable]
    public static double CloneElman(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = w[n * n + i] * xs[t];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h[j];
                }

                next[i] = Math.Tanh(a);
            }

            h = (double[])next.Clone();
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i] * (i + 2);
            }
        }

        return loss;
    }

    /// <summary>Span CopyTo.</summary>
    [Differentiable]
    public static double SpanCopyElman(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = w[n * n + i] * xs[t];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h[j];
                }

                next[i] = Math.Tanh(a);
            }

            next.AsSpan(0, n).CopyTo(h);
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i];
            }
        }

        return loss;
    }

    /// <summary>Buffer swap by tuple.</summary>
    [Differentiable]
    public static double TupleSwap(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = w[n * n + i] * xs[t];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h[j];
                }

                next[i] = Math.Tanh(a);
            }

            (h, next) = (next, h);
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] + 0.3 * next[i];
            }
        }

        return loss;
    }

    /// <summary>Buffer swap through a temp.</summary>
    [Differentiable]
    public static double TempSwap(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = w[n * n + i] * xs[t] + 0.5 * next[i];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h[j];
                }

                next[i] = Math.Tanh(a);
            }

            double[] tmp = h;
            h = next;
            next = tmp;
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] * (1 + next[i]);
            }
        }

        return loss;
    }

    /// <summary>Offset copy into a longer h.</summary>
    [Differentiable]
    public static double OffsetCopy(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n + 1];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[i] + w[n * n + i] * h[i + 1] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i + 1] = next[i];
            }

            for (int i = 0; i <= n; i++)
            {
                loss += h[i] * h[i];
            }
        }

        return loss;
    }

    /// <summary>Copy in reverse order (a full copy the analysis does not see).</summary>
    [Differentiable]
    public static double ReverseCopy(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + w[n * n + i] * next[i] + xs[t]);
            }

            for (int i = n - 1; i >= 0; i--)
            {
                h[i] = next[i];
            }

            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i];
            }
        }

        return loss;
    }

    /// <summary>The copy guarded element by element.</summary>
    [Differentiable]
    public static double GuardedCopy(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + xs[t] + 0.2 * i);
            }

            for (int i = 0; i < n; i++)
            {
                if (next[i] > 0)
                {
                    h[i] = next[i];
                }
            }

            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] + next[i];
            }
        }

        return loss;
    }

    /// <summary>The copy in a while loop.</summary>
    [Differentiable]
    public static double WhileCopy(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        int t = 0;
        while (t < steps)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + xs[t]);
            }

            int k = 0;
            while (k < n)
            {
                h[k] = next[k];
                k++;
            }

            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] * (i + 1);
            }

            t++;
        }

        return loss;
    }

    /// <summary>break inside the step loop.</summary>
    [Differentiable]
    public static double BreakInStep(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + xs[t]);
                if (next[i] > 0.6)
                {
                    break;
                }
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }
        }

        return loss;
    }

    /// <summary>continue in the time loop skips the copy: h and next differ on the next step.</summary>
    [Differentiable]
    public static double ContinueSkipsCopy(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + w[n * n + i] * next[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                loss += next[i] * next[i] * (i + 1);
            }

            if (xs[t] > 0.1)
            {
                continue;
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
            }
        }

        return loss;
    }

    /// <summary>break in the time loop between the step and the copy, then another step after the loop.</summary>
    [Differentiable]
    public static double BreakThenStepAfter(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + xs[t]);
            }

            if (xs[t] > 0.4)
            {
                break;
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }
        }

        for (int i = 0; i < n; i++)
        {
            loss += next[i] * w[n * n + i];
            next[i] = Math.Sin(w[n * n + n + i] * h[i]);
            loss += next[i] * next[i];
        }

        return loss;
    }

    /// <summary>Early return inside the time loop.</summary>
    [Differentiable]
    public static double EarlyReturn(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }

            if (loss > 1.5)
            {
                return loss + next[0];
            }
        }

        return loss;
    }

    /// <summary>A write to next after the copy.</summary>
    [Differentiable]
    public static double WriteNextAfterCopy(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + next[i] * w[n * n + i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
            }

            next[n - 1] += 0.5 * w[n * n + n];
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i];
            }
        }

        return loss;
    }

    /// <summary>Two writes to next in one iteration.</summary>
    [Differentiable]
    public static double SecondWriteHalves(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + xs[t]);
                next[i] *= 0.5 + next[i];
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }
        }

        return loss;
    }

    /// <summary>next[i] += … accumulations (old value read).</summary>
    [Differentiable]
    public static double Accumulate(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] += Math.Tanh(w[i] * h[(i + 1) % n] + xs[t]) * next[i];
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }

            for (int i = 0; i < n; i++)
            {
                next[i] = h[i] + 0.5;
            }
        }

        return loss;
    }

    /// <summary>Reads next at other indices during the step loop.</summary>
    [Differentiable]
    public static double ReadsOtherIndices(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[i] + 0.7 * next[(i + n - 1) % n] + 0.4 * next[(i + 1) % n] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>Arrays allocated inside the time loop.</summary>
    [Differentiable]
    public static double AllocInLoop(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            double[] next = new double[n];
            double[] scratch = new double[n];
            for (int i = 0; i < n; i++)
            {
                scratch[i] = Math.Tanh(w[i] * next[(i + 1) % n] + w[n * n + i] * h[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                next[i] = scratch[i] * scratch[i];
            }

            for (int i = 0; i < n; i++)
            {
                scratch[i] = Math.Sin(next[i] + h[i]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = scratch[i];
                loss += h[i] * h[i] + next[i];
            }
        }

        return loss;
    }

    /// <summary>Both scratch arrays allocated per step: zeros equal each other.</summary>
    [Differentiable]
    public static double BothAllocInLoop(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] state = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            double[] a = new double[n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = Math.Tanh(w[i] * state[i] + b[(i + 1) % n] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                b[i] = a[i] * w[n * n + i] + a[(i + 1) % n];
            }

            for (int i = 0; i < n; i++)
            {
                a[i] = b[i] * b[i];
            }

            for (int i = 0; i < n; i++)
            {
                state[i] = a[i] + 0.5 * state[i];
                loss += state[i] * b[i];
            }
        }

        return loss;
    }

    /// <summary>Different lengths: h has n + 1 elements, next n.</summary>
    [Differentiable]
    public static double DifferentLengths(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n + 1];
        double[] next = new double[n];
        double loss = 0;
        h[n] = 1;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[i] + w[n * n + i] * h[n] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }
        }

        return loss;
    }

    /// <summary>Length from a local assigned twice.</summary>
    [Differentiable]
    public static double LengthAssignedTwice(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        int m = n;
        if (steps > 2)
        {
            m = n > 1 ? n - 1 : n;
        }

        double[] h = new double[m];
        double[] next = new double[m];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < m; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % m] + xs[t]);
            }

            for (int i = 0; i < m; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>Lengths from distinct locals holding the same number.</summary>
    [Differentiable]
    public static double LengthLocals(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        int hidden = n;
        int size = w.Length - n * n - 3 * n - 4 + n;
        double[] h = new double[hidden];
        double[] next = new double[size];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % hidden] + xs[t]);
            }

            for (int i = 0; i < size; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>Jagged hidden states plus a local scratch buffer.</summary>
    [Differentiable]
    public static double JaggedStates(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[][] hs = new double[steps + 1][];
        for (int t = 0; t <= steps; t++)
        {
            hs[t] = new double[n];
        }

        double[] scratch = new double[n];
        double[] prev = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                scratch[i] = Math.Tanh(w[i] * hs[t][(i + 1) % n] + w[n * n + i] * prev[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                prev[i] = scratch[i];
            }

            for (int i = 0; i < n; i++)
            {
                hs[t + 1][i] = prev[i] * 0.9 + 0.1 * scratch[(i + 1) % n];
                loss += hs[t + 1][i] * hs[t + 1][i];
            }
        }

        return loss;
    }

    /// <summary>Two stacked layers, each with its own pair of buffers.</summary>
    [Differentiable]
    public static double Stacked(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h1 = new double[n];
        double[] n1 = new double[n];
        double[] h2 = new double[n];
        double[] n2 = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = w[n * n + i] * xs[t];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h1[j];
                }

                n1[i] = Math.Tanh(a);
            }

            for (int i = 0; i < n; i++)
            {
                h1[i] = n1[i];
            }

            for (int i = 0; i < n; i++)
            {
                double a = w[n * n + n + i] * h2[i];
                for (int j = 0; j < n; j++)
                {
                    a += w[j * n + i] * h1[j];
                }

                n2[i] = Math.Tanh(a);
            }

            Array.Copy(n2, h2, n);
            for (int i = 0; i < n; i++)
            {
                loss += h2[i] * h2[i] + 0.5 * h1[i] * n2[i];
            }
        }

        return loss;
    }

    /// <summary>GRU-like step with update and reset gates, candidate buffer, copy back.</summary>
    [Differentiable]
    public static double GruLike(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] z = new double[n];
        double[] r = new double[n];
        double[] cand = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double az = w[n * n + i] * xs[t];
                double ar = w[n * n + n + i] * xs[t];
                for (int j = 0; j < n; j++)
                {
                    az += w[i * n + j] * h[j];
                    ar += w[j * n + i] * h[j];
                }

                z[i] = 1 / (1 + Math.Exp(-az));
                r[i] = 1 / (1 + Math.Exp(-ar));
            }

            for (int i = 0; i < n; i++)
            {
                double a = xs[t];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * r[j] * h[j];
                }

                cand[i] = Math.Tanh(a);
            }

            for (int i = 0; i < n; i++)
            {
                next[i] = (1 - z[i]) * h[i] + z[i] * cand[i];
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>LSTM-like step: cell and hidden buffers, both copied back by hand.</summary>
    [Differentiable]
    public static double LstmLike(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] c = new double[n];
        double[] nh = new double[n];
        double[] nc = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = w[n * n + i] * xs[t];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h[j];
                }

                double f = 1 / (1 + Math.Exp(-(a + 1)));
                double g = Math.Tanh(a);
                double o = 1 / (1 + Math.Exp(-w[n * n + n + i] * a));
                nc[i] = f * c[i] + (1 - f) * g;
                nh[i] = o * Math.Tanh(nc[i]);
            }

            for (int i = 0; i < n; i++)
            {
                c[i] = nc[i];
                h[i] = nh[i];
            }

            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] + 0.1 * c[i];
            }
        }

        return loss;
    }

    /// <summary>The Elman step checkpointed, copying with Array.Copy.</summary>
    [Differentiable]
    [Checkpoint(Snapshots = 2)]
    public static double CheckpointedCopy(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = w[n * n + i] * xs[t] + 0.3 * next[i];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h[j];
                }

                next[i] = Math.Tanh(a);
            }

            Array.Copy(next, h, n);
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>Checkpointed with a guarded copy (SD0014 for continue).</summary>
    [Differentiable]
    [Checkpoint(Snapshots = 2)]
    public static double CheckpointedContinue(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + w[n * n + i] * next[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                loss += next[i] * next[i] * (i + 1);
            }

            if (xs[t] <= 0.1)
            {
                for (int i = 0; i < n; i++)
                {
                    h[i] = next[i];
                }
            }
        }

        return loss;
    }

    /// <summary>A copy loop with a continue inside it.</summary>
    [Differentiable]
    public static double ContinueInCopy(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + w[n * n + i] * next[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                if (i == t % n)
                {
                    continue;
                }

                h[i] = next[i];
            }

            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i] + next[i];
            }
        }

        return loss;
    }

    /// <summary>A copy loop with a break after the copy statement.</summary>
    [Differentiable]
    public static double BreakInCopy(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + w[n * n + i] * next[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                if (i >= t)
                {
                    break;
                }
            }

            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i] + next[i];
            }
        }

        return loss;
    }

    /// <summary>Copy twice: the second copy loop may reload h from next.</summary>
    [Differentiable]
    public static double CopyTwice(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = 0.5 * next[i] + h[i] * h[i];
                loss += h[i];
            }
        }

        return loss;
    }

    /// <summary>Copy via Array.Copy with source/dest indices.</summary>
    [Differentiable]
    public static double ArrayCopyIndexed(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + w[n * n + i] * next[i] + xs[t]);
            }

            Array.Copy(next, 0, h, 0, n);
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] * (i + 1) + next[i];
            }
        }

        return loss;
    }

    /// <summary>Clear / Fill of h between the copy and the next step.</summary>
    [Differentiable]
    public static double FillBetween(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + w[n * n + i] * next[i] + xs[t]);
            }

            Array.Copy(next, h, n);
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] * (i + 1);
            }

            if (t % 2 == 1)
            {
                Array.Fill(h, 0.25);
            }
            else
            {
                Array.Clear(h, 0, 1);
            }
        }

        return loss;
    }
}
