using System;
using SourceDiff;

namespace SourceDiff.Tests.EndToEnd.RnnStyles;

public static partial class RnnStepPrograms
{
    /// <summary>Writes an element of its array and reads it back.</summary>
    [Differentiable]
    public static double Bump(double[] a, int k, double v)
    {
        a[k] = a[k] * 0.5 + v;
        return Math.Sin(a[k] * v);
    }

    /// <summary>Copies src into dst.</summary>
    [Differentiable]
    public static void CopyInto(double[] dst, double[] src, int n)
    {
        for (int i = 0; i < n; i++)
        {
            dst[i] = src[i];
        }
    }

    /// <summary>Computes a tanh step into next.</summary>
    [Differentiable]
    public static void StepInto(double[] next, double[] h, double[] w, double x, int n)
    {
        for (int i = 0; i < n; i++)
        {
            next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + x + 0.3 * next[i]);
        }
    }

    /// <summary>A differentiable helper called inside an expression writes the source h after the copy.</summary>
    [Differentiable]
    public static double HelperWritesSourceInExpression(double[] w, [NoDerivative] double[] xs, int n, int steps)
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
            }

            loss += 2 * Bump(h, t % n, w[n * n + n]);
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i];
            }
        }

        return loss;
    }

    /// <summary>The copy done by a differentiable helper.</summary>
    [Differentiable]
    public static double HelperCopies(double[] w, [NoDerivative] double[] xs, int n, int steps)
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

            CopyInto(h, next, n);
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] + next[i];
            }
        }

        return loss;
    }

    /// <summary>The step done by a differentiable helper writing into next, copy by hand.</summary>
    [Differentiable]
    public static double HelperSteps(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            StepInto(next, h, w, xs[t], n);
            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>The step element written by a helper call's result, helper also writing next.</summary>
    [Differentiable]
    public static double ElementFromBump(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Bump(next, i, w[i] * h[(i + 1) % n] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>A span view writes h after the copy.</summary>
    [Differentiable]
    public static double SpanViewWrite(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        Span<double> view = h.AsSpan(0, n);
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
            }

            view[0] = view[0] * 0.5 + w[n * n + n];
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i] + h[i];
            }
        }

        return loss;
    }

    /// <summary>A span view declared inside the loop writes h after the copy.</summary>
    [Differentiable]
    public static double SpanViewInLoop(double[] w, [NoDerivative] double[] xs, int n, int steps)
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
            }

            Span<double> tail = h.AsSpan(n - 1, 1);
            tail[0] *= 0.5 + w[n * n + n];
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i] + h[i];
            }
        }

        return loss;
    }

    /// <summary>A ref local writes h after the copy.</summary>
    [Differentiable]
    public static double RefLocalWrite(double[] w, [NoDerivative] double[] xs, int n, int steps)
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
            }

            ref double first = ref h[0];
            first = first * 0.5 + w[n * n + n];
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i] + h[i];
            }
        }

        return loss;
    }

    /// <summary>h stored in a jagged array; a write through the row after the copy.</summary>
    [Differentiable]
    public static double JaggedAliasWrite(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double[][] rows = new double[1][];
        rows[0] = h;
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
            }

            rows[0][0] = rows[0][0] * 0.5 + w[n * n + n];
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i] + h[i];
            }
        }

        return loss;
    }

    /// <summary>A local function writes h after the copy.</summary>
    [Differentiable]
    public static double LocalFunctionWrite(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        void Damp(double f)
        {
            h[0] = h[0] * f;
        }

        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + w[n * n + i] * next[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
            }

            Damp(0.5 + w[n * n + n]);
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * next[i] + h[i];
            }
        }

        return loss;
    }

    /// <summary>h rebound to a fresh array after the step, then refilled by a copy.</summary>
    [Differentiable]
    public static double RebindSource(double[] w, [NoDerivative] double[] xs, int n, int steps)
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

            h = new double[n];
            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
            }
        }

        return loss;
    }

    /// <summary>Mixed precision zeros: a float buffer and a double buffer of the same length.</summary>
    [Differentiable]
    public static double MixedPrecision(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        float[] f = new float[n];
        double[] d = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                f[i] = (float)Math.Tanh(w[i] * d[(i + 1) % n] + w[n * n + i] * f[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                d[i] = Math.Sin(d[i] + f[i] * w[n * n + n + i]);
                loss += d[i] * f[i];
            }
        }

        return loss;
    }

    /// <summary>Zeros: a fresh buffer reloads from another fresh buffer, the step read later.</summary>
    [Differentiable]
    public static double ZerosReload(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] a = new double[n];
        double[] b = new double[n];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            a[i] = Math.Exp(w[i] * b[i] + a[i] + 0.1 * i);
        }

        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                b[i] = a[i] * xs[t] + b[i] * w[n * n + i];
                loss += b[i] * b[i];
            }
        }

        return loss + a[0];
    }

    /// <summary>Reset h to zeros with a fresh allocation every other step; next also reset by reallocation.</summary>
    [Differentiable]
    public static double ResetByAllocation(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            if (t % 3 == 2)
            {
                h = new double[n];
                next = new double[n];
            }

            for (int i = 0; i < n; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + w[n * n + i] * next[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                loss += next[i] * next[i] * (i + 1);
                h[i] = next[i];
            }
        }

        return loss;
    }

    /// <summary>The copy source is the written array's partner in a three-way cycle of copies.</summary>
    [Differentiable]
    public static double ThreeWay(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] a = new double[n];
        double[] b = new double[n];
        double[] c = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                a[i] = Math.Tanh(w[i] * b[i] + w[n * n + i] * a[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                c[i] = b[i];
            }

            for (int i = 0; i < n; i++)
            {
                b[i] = a[i] * a[i] + c[i] * 0.5;
            }

            for (int i = 0; i < n; i++)
            {
                loss += a[i] * b[i] + c[i];
            }

            for (int i = 0; i < n; i++)
            {
                a[i] = c[i];
            }
        }

        return loss;
    }

    /// <summary>A step loop that writes next at i only on some iterations.</summary>
    [Differentiable]
    public static double ConditionalWriteInStep(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                if ((i + t) % 2 == 0)
                {
                    next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + w[n * n + i] * next[i] + xs[t]);
                }
                else
                {
                    next[i] = next[i] * 0.5 + h[i] * xs[t];
                }
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>The step loop with a nested loop that also writes next[i].</summary>
    [Differentiable]
    public static double NestedWriteInStep(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = xs[t];
                for (int j = 0; j < n; j++)
                {
                    next[i] += w[i * n + j] * h[j];
                }

                next[i] = Math.Tanh(next[i]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>A copy of the upper half only, then a full-range step over half the length.</summary>
    [Differentiable]
    public static double HalfRange(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[2 * n];
        double[] next = new double[2 * n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < 2 * n; i++)
            {
                next[i] = Math.Tanh(w[i % n] * h[(i + 1) % (2 * n)] + 0.4 * next[i] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
            }

            for (int i = 0; i < 2 * n; i++)
            {
                loss += h[i] * next[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>The step loop written with foreach-free while and a counted loop in a do-while time loop.</summary>
    [Differentiable]
    public static double DoWhileTime(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        int t = 0;
        if (steps == 0)
        {
            return 0;
        }

        do
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

            t++;
        }
        while (t < steps);
        return loss;
    }

    /// <summary>Copy h to next when the time loop starts (roles swapped by direction of the copy).</summary>
    [Differentiable]
    public static double CopyBeforeStep(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        for (int i = 0; i < n; i++)
        {
            h[i] = w[n * n + i];
        }

        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = h[i];
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = Math.Tanh(w[i] * next[(i + 1) % n] + xs[t] + 0.5 * next[i]);
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }
}
