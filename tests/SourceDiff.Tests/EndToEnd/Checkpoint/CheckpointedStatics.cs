using System;

namespace SourceDiff.Tests.EndToEnd.Checkpoint;

// Each method comes twice or more: as written, and under [Checkpoint] with several snapshot counts. The checkpointed
// gradients must equal the plain ones bit for bit, and both must match finite differences.
public static partial class CheckpointedStatics
{
    [Differentiable]
    public static double Recurrence(double[] w, [NoDerivative] double[] xs, double h0)
    {
        double h = h0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            h = Math.Tanh(w[0] * h + w[1] * xs[t] + w[2]);
            double e = h - 0.25;
            loss += e * e;
        }

        return loss + 0.1 * h;
    }

    [Differentiable, Checkpoint(Snapshots = 1)]
    public static double RecurrenceOneSnapshot(double[] w, [NoDerivative] double[] xs, double h0)
    {
        double h = h0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            h = Math.Tanh(w[0] * h + w[1] * xs[t] + w[2]);
            double e = h - 0.25;
            loss += e * e;
        }

        return loss + 0.1 * h;
    }

    [Differentiable, Checkpoint(Snapshots = 3)]
    public static double RecurrenceThreeSnapshots(double[] w, [NoDerivative] double[] xs, double h0)
    {
        double h = h0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            h = Math.Tanh(w[0] * h + w[1] * xs[t] + w[2]);
            double e = h - 0.25;
            loss += e * e;
        }

        return loss + 0.1 * h;
    }

    [Differentiable, Checkpoint]
    public static double RecurrenceDefault(double[] w, [NoDerivative] double[] xs, double h0)
    {
        double h = h0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            h = Math.Tanh(w[0] * h + w[1] * xs[t] + w[2]);
            double e = h - 0.25;
            loss += e * e;
        }

        return loss + 0.1 * h;
    }

    // A hidden vector overwritten in place, a scratch array per step, a nested loop and a branch; an early return
    // guards the loop, and a second top-level loop follows it.
    [Differentiable]
    public static double VectorRnn(double[] w, double[] h, [NoDerivative] double[] xs, int steps)
    {
        if (steps <= 0)
        {
            return 0;
        }

        int n = h.Length;
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            double[] z = new double[n];
            for (int i = 0; i < n; i++)
            {
                double s = w[n * n + i] * xs[t % xs.Length];
                for (int j = 0; j < n; j++)
                {
                    s += w[i * n + j] * h[j];
                }

                z[i] = s > 0 ? s : 0.1 * s;
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = Math.Tanh(z[i]);
                loss += h[i] * h[i] * (i + 1);
            }
        }

        for (int i = n - 1; i >= 0; i -= 2)
        {
            loss += Math.Exp(-h[i] * w[i]);
        }

        return loss;
    }

    [Differentiable, Checkpoint(Snapshots = 2)]
    public static double VectorRnnCheckpointed(double[] w, double[] h, [NoDerivative] double[] xs, int steps)
    {
        if (steps <= 0)
        {
            return 0;
        }

        int n = h.Length;
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            double[] z = new double[n];
            for (int i = 0; i < n; i++)
            {
                double s = w[n * n + i] * xs[t % xs.Length];
                for (int j = 0; j < n; j++)
                {
                    s += w[i * n + j] * h[j];
                }

                z[i] = s > 0 ? s : 0.1 * s;
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = Math.Tanh(z[i]);
                loss += h[i] * h[i] * (i + 1);
            }
        }

        for (int i = n - 1; i >= 0; i -= 2)
        {
            loss += Math.Exp(-h[i] * w[i]);
        }

        return loss;
    }

    private static double Cell(double h, double x, double a) => Math.Sin(a * h) + x;

    [Differentiable]
    public static double Step(ref double h, double x, double a)
    {
        h = Math.Sin(a * h) + x * h;
        return h * h;
    }

    // A ref helper in a loop counting down by 2, and a local written after the loop that the loop reads.
    [Differentiable]
    public static double Downward(double a, double h, [NoDerivative] double[] xs)
    {
        double scale = 0.5;
        double loss = 0;
        for (int t = xs.Length - 1; t >= 0; t -= 2)
        {
            loss += scale * Step(ref h, xs[t], a);
        }

        scale = 3;
        return loss * scale + h;
    }

    [Differentiable, Checkpoint(Snapshots = 2)]
    public static double DownwardCheckpointed(double a, double h, [NoDerivative] double[] xs)
    {
        double scale = 0.5;
        double loss = 0;
        for (int t = xs.Length - 1; t >= 0; t -= 2)
        {
            loss += scale * Step(ref h, xs[t], a);
        }

        scale = 3;
        return loss * scale + h;
    }
    // Found by the random programs: recomputing an iteration reads a local array (never written, so inactive) that the
    // reverse sweep of the plain loop never needed, so its reference was not handed over.
    [Differentiable]
    public static double ReadsAScratchTable(double y, double[] w)
    {
        double[] zeros = new double[w.Length];
        double[] table = new double[w.Length];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = 0.25 * i;
        }

        foreach (double v in w)
        {
            y = Math.Sin(y) * v - zeros[1 % w.Length] * zeros[0] + table[w.Length - 1];
        }

        return y;
    }

    [Differentiable, Checkpoint(Snapshots = 2)]
    public static double ReadsAScratchTableCheckpointed(double y, double[] w)
    {
        double[] zeros = new double[w.Length];
        double[] table = new double[w.Length];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = 0.25 * i;
        }

        foreach (double v in w)
        {
            y = Math.Sin(y) * v - zeros[1 % w.Length] * zeros[0] + table[w.Length - 1];
        }

        return y;
    }
    // Found by a new-user trial: ref and out parameters the loop writes are carried state too.
    [Differentiable]
    public static double RefState(ref double h, double w, [NoDerivative] double[] xs, out double last)
    {
        double loss = 0;
        last = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            h = Math.Tanh(w * h + xs[t]);
            last = last * 0.5 + h;
            loss += h * h + last;
        }

        return loss;
    }

    [Differentiable, Checkpoint(Snapshots = 3)]
    public static double RefStateCheckpointed(ref double h, double w, [NoDerivative] double[] xs, out double last)
    {
        double loss = 0;
        last = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            h = Math.Tanh(w * h + xs[t]);
            last = last * 0.5 + h;
            loss += h * h + last;
        }

        return loss;
    }
}
