using System;
using System.Collections.Generic;
using System.Globalization;

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

    /// <summary>Each step refinement divides the step by this.</summary>
    private const double RefinementFactor = 10;

    /// <summary>
    /// The least multiple of a rounding estimate that rounding alone is taken to explain when judging a disagreement,
    /// whatever <see cref="GradientCheckOptions.RoundingAllowance"/> says: an allowance of 0 removes the floor from the
    /// tolerance, it does not make the evaluations exact.
    /// </summary>
    private const double MinimumRoundingSlack = 10;

    /// <summary>No step below this many units of roundoff (times max(1, |x|)): x ± h would hardly move.</summary>
    private const double SmallestStepInRoundoffs = 1024;

    private readonly CheckedBuffer[] buffers;
    private readonly Func<double> evaluate;
    private readonly GradientCheckOptions options;
    private int evaluations;
    private double? baseValue;

    public GradientCheckRunner(CheckedBuffer[] buffers, Func<double> evaluate, GradientCheckOptions options)
    {
        this.buffers = buffers;
        this.evaluate = evaluate;
        this.options = options;
    }

    /// <summary>
    /// A central difference at one step: the quotient, the analytic value it is compared with (for a direction, the
    /// projection on the displacement really applied), the step really taken and the quotient's rounding error; and,
    /// for the smoothness test, both values and the distances really travelled on either side.
    /// </summary>
    private readonly record struct Difference(
        double Quotient, double Analytic, double Step, double Noise, double FPlus, double FMinus, double StepPlus, double StepMinus);

    /// <summary>One level of the comparison: the numeric value (extrapolated with Richardson) and what goes with it.</summary>
    private readonly record struct Level(double Numeric, double Analytic, double Noise, double Estimate);

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
            subject, options, collector.Failures, collector.Inconclusive, collector.Worst, collector.MaxError, collector.Count, evaluations);
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
        baseValue = value;      // the point is unperturbed here: this is f(x) for every later comparison
        bool single = AnySingle();
        double floor = options.RoundingAllowance * Roundoff(single) * Math.Abs(value);
        return new GradientCheckEntry("value", -1, "(returned value)", returned, value,
            Tolerance(single, returned, value, floor), floor, Step: 0, NumericErrorEstimate: double.NaN);
    }

    private GradientCheckEntry CheckCoordinate(CheckedBuffer buffer, int index, double x)
    {
        var line = new CoordinateLine(this, buffer, index, x);
        double h = options.StepFor(buffer.IsSingle) * line.Scale;
        return Compare(line, buffer.Name, index, buffer.Describe(index), h);
    }

    private void CheckDirections(double[][] originals, EntryCollector collector)
    {
        if (Array.TrueForAll(originals, row => row.Length == 0))
        {
            return;     // no coordinates: no direction exists, and nothing can be wrong
        }

        bool single = AnySingle();
        double t = options.StepFor(single);
        var random = new Random(options.Seed);
        double[][] analytic = ReadAnalytic();
        var direction = new double[buffers.Length][];
        for (int b = 0; b < buffers.Length; b++)
        {
            direction[b] = new double[originals[b].Length];
        }

        var line = new DirectionLine(this, single, originals, direction, analytic);
        for (int k = 0; k < options.Directions; k++)
        {
            RandomDirection(random, originals, direction);
            collector.Add(Compare(line, "direction", k, $"direction {k}", t));
        }
    }

    /// <summary>
    /// Differences <c>f</c> along <paramref name="line"/> at <paramref name="step"/> (and h/2 with Richardson) and judges
    /// the analytic value. Agreement passes at once, so a passing comparison costs 4 evaluations (2 without Richardson)
    /// and nothing more. A disagreement fails only where the difference is
    /// reliable: its Richardson levels agree and its forward and backward slopes match. Otherwise the step is divided by
    /// 10 and everything is redone, up to <see cref="GradientCheckOptions.StepRefinements"/> times, and a comparison that
    /// never becomes reliable is inconclusive. Leaves the line's point where it found it.
    /// </summary>
    private GradientCheckEntry Compare(Line line, string name, int index, string coordinate, double step)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        bool single = line.IsSingle;
        double u = Roundoff(single);
        double slack = Math.Max(options.RoundingAllowance, MinimumRoundingSlack);
        double loosest = double.NaN;
        string? firstProblem = null;
        for (int refinement = 0; ; refinement++)
        {
            Difference coarse = line.Probe(step);
            Difference? fine = options.Richardson ? line.Probe(step / 2) : null;
            Level level = Combine(coarse, fine);
            double floor = options.RoundingAllowance * level.Noise;
            var entry = new GradientCheckEntry(name, index, coordinate, level.Analytic, level.Numeric,
                Tolerance(single, level.Analytic, level.Numeric, floor), floor, coarse.Step, level.Estimate);
            if (entry.Error <= 1)
            {
                line.Reset();
                return firstProblem is null ? entry : entry with
                {
                    Reason = string.Create(invariant, $"passed at the smaller step h = {coarse.Step:G3}, because {firstProblem}."),
                };
            }

            // A disagreement: is it the gradient or the difference? Judging needs h/2 and f at the point itself.
            fine ??= line.Probe(step / 2);
            line.Reset();
            double f0 = BaseValue();
            string? notFinite = NotFinite(coarse, fine.Value, f0, level);
            if (notFinite is not null)
            {
                return entry with { Status = GradientCheckStatus.Failed, Reason = notFinite };
            }

            // Without Richardson, D(h) − f' ≈ c·h² and D(h) − D(h/2) ≈ ¾·c·h², so the error of D(h) is about 4/3 of that.
            (double estimate, double estimateNoise) = options.Richardson
                ? (level.Estimate, level.Noise)
                : (4.0 / 3 * Math.Abs(coarse.Quotient - fine.Value.Quotient), 4.0 / 3 * (coarse.Noise + fine.Value.Noise));
            (double gap, double gapNoise) = OneSidedGap(coarse, fine.Value, f0, u);
            entry = entry with { NumericErrorEstimate = estimate };
            bool converged = estimate <= Math.Max(entry.Tolerance, slack * estimateNoise);
            bool smooth = gap <= Math.Max(entry.Tolerance, slack * gapNoise);
            if (converged && smooth)
            {
                return entry with
                {
                    Status = GradientCheckStatus.Failed,
                    Reason = string.Create(invariant,
                        $"differs by {entry.AbsoluteError:G3} (tolerance {entry.Tolerance:G3}) where the difference is reliable: " +
                        $"the estimates at h = {coarse.Step:G3} and h/2 agree to {estimate:G2}, the forward and backward slopes to {gap:G2}.")
                        + (firstProblem is null ? "" : $" At larger steps {firstProblem}."),
                };
            }

            string problem = !smooth
                ? string.Create(invariant,
                    $"f is not smooth within ±{coarse.Step:G3}: its forward and backward slopes differ by {gap:G3} (a kink or a jump)")
                : string.Create(invariant,
                    $"the estimates at h = {coarse.Step:G3} and h/2 differ by {estimate:G3}, more than the tolerance " +
                    $"(curvature too strong for the step, or rounding beyond the allowance)");
            firstProblem ??= problem;

            // A smaller step loosens the rounding floor in proportion: stop before the tolerance could double.
            if (double.IsNaN(loosest))
            {
                loosest = Tolerance(single, entry.Analytic, entry.Analytic, floor);
            }

            double next = step / RefinementFactor;
            string smaller = string.Create(invariant, $"{refinement} smaller step{(refinement == 1 ? "" : "s")}");
            string? stop =
                refinement >= options.StepRefinements
                    ? (refinement == 0 ? "no smaller step was tried (StepRefinements is 0)" : $"still so after {smaller}") :
                next / 2 < SmallestStepInRoundoffs * u * line.Scale || floor * RefinementFactor > loosest
                    ? $"{(refinement == 0 ? "" : $"still so after {smaller}, and ")}a smaller step would drown in rounding" :
                null;
            if (stop is not null)
            {
                return entry with
                {
                    Status = GradientCheckStatus.Inconclusive,
                    Reason = $"{problem}; {stop}. The finite difference is unreliable here, so it can neither confirm nor refute the analytic value.",
                };
            }

            step = next;
        }
    }

    /// <summary>Combines the central differences at h and h/2 by Richardson extrapolation, or takes the one at h.</summary>
    private static Level Combine(Difference coarse, Difference? fine)
    {
        if (fine is not { } half)
        {
            return new Level(coarse.Quotient, coarse.Analytic, coarse.Noise, double.NaN);
        }

        // The h² error terms cancel in (r²·D(h/r) − D(h)) / (r² − 1); r is the ratio of the steps really taken,
        // which differs from 2 only by float rounding of x ± h.
        double r2 = coarse.Step / half.Step * (coarse.Step / half.Step);
        double numeric = (r2 * half.Quotient - coarse.Quotient) / (r2 - 1);
        double noise = (r2 * half.Noise + coarse.Noise) / (r2 - 1);

        // A directional projection is linear in the displacement, so extrapolating it too keeps the comparison exact
        // when float rounding bends the displacement; a coordinate's analytic value is one number and stays bit-exact.
        double analytic = coarse.Analytic == half.Analytic
            ? coarse.Analytic
            : (r2 * half.Analytic - coarse.Analytic) / (r2 - 1);
        return new Level(numeric, analytic, noise, Math.Abs(numeric - half.Quotient));
    }

    /// <summary>
    /// Where <c>f</c> is smooth, forward minus backward slope is <c>A(s) = s·f'' + O(s³)</c>; where a kink lies within
    /// ±s it tends to the jump in slope instead. Extrapolating <c>A</c> linearly from s and s/2 to 0 removes the smooth
    /// part and leaves the jump (0 where smooth), with the bound on its rounding error.
    /// </summary>
    private static (double Gap, double Noise) OneSidedGap(Difference coarse, Difference fine, double f0, double u)
    {
        static double Asymmetry(Difference d, double f0) => (d.FPlus - f0) / d.StepPlus - (f0 - d.FMinus) / d.StepMinus;

        static double Rounding(Difference d, double f0, double u) =>
            u * (Math.Abs(d.FPlus) / d.StepPlus + Math.Abs(f0) * (1 / d.StepPlus + 1 / d.StepMinus) + Math.Abs(d.FMinus) / d.StepMinus);

        double s1 = coarse.Step;
        double s2 = fine.Step;
        double gap = Math.Abs((s1 * Asymmetry(fine, f0) - s2 * Asymmetry(coarse, f0)) / (s1 - s2));
        double noise = (s1 * Rounding(fine, f0, u) + s2 * Rounding(coarse, f0, u)) / (s1 - s2);
        return (gap, noise);
    }

    private static string? NotFinite(Difference coarse, Difference fine, double f0, Level level) =>
        !double.IsFinite(f0) ? "f is not finite at the point itself." :
        !(double.IsFinite(coarse.FPlus) && double.IsFinite(coarse.FMinus) && double.IsFinite(fine.FPlus) && double.IsFinite(fine.FMinus))
            ? "f is not finite within the step." :
        !double.IsFinite(level.Analytic) ? "The analytic value is not finite." :
        !double.IsFinite(level.Numeric) ? "The finite difference overflows." :
        null;

    /// <summary>f at the unperturbed point: the same for every comparison, so evaluated at most once per check.</summary>
    private double BaseValue() => baseValue ??= Evaluate();

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

    private double Tolerance(bool single, double analytic, double numeric, double floor)
    {
        double scale = Math.Max(Math.Abs(analytic), Math.Abs(numeric));
        return single
            ? options.SingleAbsoluteTolerance + options.SingleRelativeTolerance * scale + floor
            : options.AbsoluteTolerance + options.RelativeTolerance * scale + floor;
    }

    private static double Roundoff(bool single) => single ? SingleRoundoff : DoubleRoundoff;

    /// <summary>Where a comparison differences <c>f</c>: along one coordinate, or along one random direction.</summary>
    private abstract class Line(GradientCheckRunner runner, bool isSingle)
    {
        protected GradientCheckRunner Runner { get; } = runner;

        public bool IsSingle { get; } = isSingle;

        /// <summary>What steps are relative to, for the smallest-step guard: max(1, |x|) for a coordinate.</summary>
        public abstract double Scale { get; }

        /// <summary>The central difference at <c>x ± step·d</c>; may leave the point displaced until <see cref="Reset"/>.</summary>
        public abstract Difference Probe(double step);

        /// <summary>Puts the point back exactly.</summary>
        public abstract void Reset();
    }

    private sealed class CoordinateLine(GradientCheckRunner runner, CheckedBuffer buffer, int index, double x)
        : Line(runner, buffer.IsSingle)
    {
        private readonly double analytic = buffer.Analytic(index);

        public override double Scale => Math.Max(1, Math.Abs(x));

        public override Difference Probe(double h)
        {
            double plus = buffer.Write(index, x + h);
            double fPlus = Runner.Evaluate();
            double minus = buffer.Write(index, x - h);
            double fMinus = Runner.Evaluate();

            // Divide by the distance really travelled: for float, x ± h rounds, and the nominal 2h would bias the quotient.
            double width = plus - minus;
            double quotient = width > 0 ? (fPlus - fMinus) / width : double.NaN;
            double noise = Roundoff(IsSingle) * (Math.Abs(fPlus) + Math.Abs(fMinus)) / width;
            return new Difference(quotient, analytic, width / 2, noise, fPlus, fMinus, plus - x, x - minus);
        }

        public override void Reset() => buffer.Write(index, x);
    }

    /// <summary>
    /// Along <c>direction</c> from <c>originals</c>: <c>(f(x + t·d) − f(x − t·d)) / 2t</c> against the analytic gradient
    /// projected on the displacement really applied (over 2t). Each probe restores the point itself.
    /// </summary>
    private sealed class DirectionLine(
        GradientCheckRunner runner, bool isSingle, double[][] originals, double[][] direction, double[][] analytic)
        : Line(runner, isSingle)
    {
        private readonly double[][] plus = Array.ConvertAll(originals, row => new double[row.Length]);

        public override double Scale => 1;

        public override Difference Probe(double t)
        {
            CheckedBuffer[] buffers = Runner.buffers;
            for (int b = 0; b < buffers.Length; b++)
            {
                for (int i = 0; i < plus[b].Length; i++)
                {
                    plus[b][i] = buffers[b].Write(i, originals[b][i] + t * direction[b][i]);
                }
            }

            double fPlus = Runner.Evaluate();
            double projected = 0;
            for (int b = 0; b < buffers.Length; b++)
            {
                for (int i = 0; i < plus[b].Length; i++)
                {
                    double minus = buffers[b].Write(i, originals[b][i] - t * direction[b][i]);
                    projected += analytic[b][i] * (plus[b][i] - minus);
                }
            }

            double fMinus = Runner.Evaluate();
            Runner.Restore(originals);
            double noise = Roundoff(IsSingle) * (Math.Abs(fPlus) + Math.Abs(fMinus)) / (2 * t);
            return new Difference((fPlus - fMinus) / (2 * t), projected / (2 * t), t, noise, fPlus, fMinus, t, t);
        }

        public override void Reset()
        {
        }
    }

    /// <summary>
    /// Keeps every failure, every inconclusive comparison and the worst <c>n</c> conclusive ones, without storing every
    /// passing one. Inconclusive comparisons stay out of the worst list and the maximum error: their error says nothing.
    /// </summary>
    private sealed class EntryCollector(int reported)
    {
        private readonly List<GradientCheckEntry> worst = new();

        public List<GradientCheckEntry> Failures { get; } = new();

        public List<GradientCheckEntry> Inconclusive { get; } = new();

        public int Count { get; private set; }

        public double MaxError { get; private set; }

        public IReadOnlyList<GradientCheckEntry> Worst => worst;

        public void Add(GradientCheckEntry entry)
        {
            Count++;
            if (entry.Status == GradientCheckStatus.Inconclusive)
            {
                Inconclusive.Add(entry);
                return;
            }

            if (entry.Status == GradientCheckStatus.Failed)
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
