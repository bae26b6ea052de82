using System;
using System.Collections.Generic;

namespace SourceDiff.Checking;

/// <summary>
/// The finite-difference engine behind <see cref="GradientCheck"/>: perturbs the coordinates of some buffers, evaluates
/// a function (which restores any model state itself), compares with the analytic gradient held beside each buffer, and
/// always writes the original values back, even when the function throws.
/// </summary>
internal sealed class GradientCheckRunner
{
    /// <summary>Unit roundoff of double, 2⁻⁵³.</summary>
    private const double DoubleRoundoff = 1.1102230246251565e-16;

    /// <summary>Unit roundoff of float, 2⁻²⁴.</summary>
    private const double SingleRoundoff = 5.9604644775390625e-8;

    private readonly CheckedBuffer[] buffers;
    private readonly Func<double> evaluate;
    private readonly GradientCheckOptions options;
    private int evaluations;

    public GradientCheckRunner(CheckedBuffer[] buffers, Func<double> evaluate, GradientCheckOptions options)
    {
        this.buffers = buffers;
        this.evaluate = evaluate;
        this.options = options;
    }

    /// <summary>A central difference at one step: the quotient, the step really taken, and its rounding floor.</summary>
    private readonly record struct Difference(double Quotient, double Step, double Noise);

    /// <summary>
    /// Runs the check. When <paramref name="returnedValue"/> is given (the value a gradient method returned), it is also
    /// compared with the function's value at the unperturbed point.
    /// </summary>
    public GradientCheckReport Run(string subject, double? returnedValue)
    {
        double[][] originals = Save();
        var collector = new EntryCollector(options.ReportedCount);
        try
        {
            if (returnedValue is { } value)
            {
                collector.Add(CheckValue(value));
            }

            if (options.Mode == GradientCheckMode.Full)
            {
                for (int b = 0; b < buffers.Length; b++)
                {
                    for (int i = 0; i < originals[b].Length; i++)
                    {
                        collector.Add(CheckCoordinate(buffers[b], i, originals[b][i]));
                    }
                }
            }
            else
            {
                CheckDirections(originals, collector);
            }
        }
        finally
        {
            Restore(originals);
        }

        return new GradientCheckReport(
            subject, options, collector.Failures, collector.Worst, collector.MaxError, collector.Count, evaluations);
    }

    private double[][] Save()
    {
        var originals = new double[buffers.Length][];
        for (int b = 0; b < buffers.Length; b++)
        {
            originals[b] = new double[buffers[b].Length];
            for (int i = 0; i < originals[b].Length; i++)
            {
                originals[b][i] = buffers[b].Read(i);
            }
        }

        return originals;
    }

    // A float widened to double and narrowed back is the same float, so this restores every bit.
    private void Restore(double[][] originals)
    {
        for (int b = 0; b < buffers.Length; b++)
        {
            for (int i = 0; i < originals[b].Length; i++)
            {
                buffers[b].Write(i, originals[b][i]);
            }
        }
    }

    private double Evaluate()
    {
        evaluations++;
        return evaluate();
    }

    private bool AnySingle()
    {
        foreach (CheckedBuffer buffer in buffers)
        {
            if (buffer.IsSingle)
            {
                return true;
            }
        }

        return false;
    }

    private GradientCheckEntry CheckValue(double returned)
    {
        double value = Evaluate();
        bool single = AnySingle();
        double floor = options.RoundingAllowance * Roundoff(single) * Math.Abs(value);
        return new GradientCheckEntry("value", -1, "(returned value)", returned, value,
            Tolerance(single, returned, value, floor), floor, Step: 0, NumericErrorEstimate: double.NaN);
    }

    private GradientCheckEntry CheckCoordinate(CheckedBuffer buffer, int index, double x)
    {
        double h = options.StepFor(buffer.IsSingle) * Math.Max(1, Math.Abs(x));
        double u = Roundoff(buffer.IsSingle);
        Difference coarse = CentralDifference(buffer, index, x, h, u);
        double numeric = coarse.Quotient;
        double noise = coarse.Noise;
        double estimate = double.NaN;
        if (options.Richardson)
        {
            Difference fine = CentralDifference(buffer, index, x, h / 2, u);

            // The h² error terms cancel in (r²·D(h/r) − D(h)) / (r² − 1); r is the ratio of the steps really taken,
            // which differs from 2 only by float rounding of x ± h.
            double r2 = coarse.Step / fine.Step * (coarse.Step / fine.Step);
            numeric = (r2 * fine.Quotient - coarse.Quotient) / (r2 - 1);
            noise = (r2 * fine.Noise + coarse.Noise) / (r2 - 1);
            estimate = Math.Abs(numeric - fine.Quotient);
        }

        buffer.Write(index, x);
        double analytic = buffer.Analytic(index);
        double floor = options.RoundingAllowance * noise;
        return new GradientCheckEntry(buffer.Name, index, buffer.Describe(index), analytic, numeric, Tolerance(buffer.IsSingle, analytic, numeric, floor), floor,
            coarse.Step, estimate);
    }

    private Difference CentralDifference(CheckedBuffer buffer, int index, double x, double h, double u)
    {
        double plus = buffer.Write(index, x + h);
        double fPlus = Evaluate();
        double minus = buffer.Write(index, x - h);
        double fMinus = Evaluate();

        // Divide by the distance really travelled: for float, x ± h rounds, and the nominal 2h would bias the quotient.
        double width = plus - minus;
        double quotient = width > 0 ? (fPlus - fMinus) / width : double.NaN;
        return new Difference(quotient, width / 2, u * (Math.Abs(fPlus) + Math.Abs(fMinus)) / width);
    }

    private void CheckDirections(double[][] originals, EntryCollector collector)
    {
        if (Array.TrueForAll(originals, row => row.Length == 0))
        {
            return;     // no coordinates: no direction exists, and nothing can be wrong
        }

        bool single = AnySingle();
        double u = Roundoff(single);
        double t = options.StepFor(single);
        var random = new Random(options.Seed);
        double[][] analytic = ReadAnalytic();
        var direction = new double[buffers.Length][];
        for (int b = 0; b < buffers.Length; b++)
        {
            direction[b] = new double[originals[b].Length];
        }

        for (int k = 0; k < options.Directions; k++)
        {
            RandomDirection(random, originals, direction);
            (double numeric, double projected, double noise) = DirectionalDifference(originals, direction, analytic, t, u);
            double estimate = double.NaN;
            if (options.Richardson)
            {
                (double fineNumeric, double fineProjected, double fineNoise) =
                    DirectionalDifference(originals, direction, analytic, t / 2, u);

                // Same extrapolation for both sides: the projection is linear in the displacement, so extrapolating it
                // too keeps the comparison exact when float rounding bends the displacement.
                numeric = (4 * fineNumeric - numeric) / 3;
                projected = (4 * fineProjected - projected) / 3;
                noise = (4 * fineNoise + noise) / 3;
                estimate = Math.Abs(numeric - fineNumeric);
            }

            double floor = options.RoundingAllowance * noise;
            collector.Add(new GradientCheckEntry("direction", k, $"direction {k}", projected, numeric,
                Tolerance(single, projected, numeric, floor), floor, t, estimate));
        }
    }

    private double[][] ReadAnalytic()
    {
        var analytic = new double[buffers.Length][];
        for (int b = 0; b < buffers.Length; b++)
        {
            analytic[b] = new double[buffers[b].Length];
            for (int i = 0; i < analytic[b].Length; i++)
            {
                analytic[b][i] = buffers[b].Analytic(i);
            }
        }

        return analytic;
    }

    /// <summary>
    /// A uniformly random unit direction (normalised Gaussian), then stretched per coordinate by max(1, |x|) so every
    /// coordinate moves in proportion to its own scale, as in full mode.
    /// </summary>
    private static void RandomDirection(Random random, double[][] originals, double[][] direction)
    {
        double squares = 0;
        foreach (double[] row in direction)
        {
            for (int i = 0; i < row.Length; i++)
            {
                // Box–Muller; 1 − NextDouble() lies in (0, 1], so the logarithm is finite.
                double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
                row[i] = radius * Math.Cos(2 * Math.PI * random.NextDouble());
                squares += row[i] * row[i];
            }
        }

        double norm = Math.Sqrt(squares);
        for (int b = 0; b < direction.Length; b++)
        {
            for (int i = 0; i < direction[b].Length; i++)
            {
                direction[b][i] = direction[b][i] / norm * Math.Max(1, Math.Abs(originals[b][i]));
            }
        }
    }

    /// <summary>
    /// (f(x + t·d) − f(x − t·d)) / 2t, the analytic gradient projected on the displacement really applied (over 2t),
    /// and the rounding floor; leaves every coordinate at its original value.
    /// </summary>
    private (double Numeric, double Projected, double Noise) DirectionalDifference(
        double[][] originals, double[][] direction, double[][] analytic, double t, double u)
    {
        var plus = new double[buffers.Length][];
        for (int b = 0; b < buffers.Length; b++)
        {
            plus[b] = new double[originals[b].Length];
            for (int i = 0; i < plus[b].Length; i++)
            {
                plus[b][i] = buffers[b].Write(i, originals[b][i] + t * direction[b][i]);
            }
        }

        double fPlus = Evaluate();
        double projected = 0;
        for (int b = 0; b < buffers.Length; b++)
        {
            for (int i = 0; i < plus[b].Length; i++)
            {
                double minus = buffers[b].Write(i, originals[b][i] - t * direction[b][i]);
                projected += analytic[b][i] * (plus[b][i] - minus);
            }
        }

        double fMinus = Evaluate();
        Restore(originals);
        return ((fPlus - fMinus) / (2 * t), projected / (2 * t), u * (Math.Abs(fPlus) + Math.Abs(fMinus)) / (2 * t));
    }

    private double Tolerance(bool single, double analytic, double numeric, double floor)
    {
        double scale = Math.Max(Math.Abs(analytic), Math.Abs(numeric));
        return single
            ? options.SingleAbsoluteTolerance + options.SingleRelativeTolerance * scale + floor
            : options.AbsoluteTolerance + options.RelativeTolerance * scale + floor;
    }

    private static double Roundoff(bool single) => single ? SingleRoundoff : DoubleRoundoff;

    /// <summary>Keeps every failure and the worst <c>n</c> comparisons, without storing every passing one.</summary>
    private sealed class EntryCollector(int reported)
    {
        private readonly List<GradientCheckEntry> worst = new();

        public List<GradientCheckEntry> Failures { get; } = new();

        public int Count { get; private set; }

        public double MaxError { get; private set; }

        public IReadOnlyList<GradientCheckEntry> Worst => worst;

        public void Add(GradientCheckEntry entry)
        {
            Count++;
            if (!entry.Passed)
            {
                Failures.Add(entry);
            }

            double error = SortKey(entry);
            MaxError = Math.Max(MaxError, error);
            int at = worst.Count;
            while (at > 0 && error > SortKey(worst[at - 1]))
            {
                at--;
            }

            if (at < reported)
            {
                worst.Insert(at, entry);
                if (worst.Count > reported)
                {
                    worst.RemoveAt(reported);
                }
            }
        }

        // NaN errors (from non-finite values) rank as the worst of all.
        private static double SortKey(GradientCheckEntry entry) =>
            double.IsNaN(entry.Error) ? double.PositiveInfinity : entry.Error;
    }
}
