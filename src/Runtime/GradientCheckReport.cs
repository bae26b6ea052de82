using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SourceDiff;

/// <summary>
/// The outcome of a <see cref="GradientCheck"/>: whether any comparison failed, the failures, the inconclusive
/// comparisons with their reasons, the worst comparisons with both values, and the settings used. <see cref="ToString"/>
/// is meant to be read in a test failure message: <c>Assert.True(report.Passed, report.ToString())</c> or
/// <c>report.ThrowIfFailed()</c>.
/// </summary>
/// <remarks>
/// A comparison is <see cref="GradientCheckStatus.Inconclusive"/> where the finite difference itself is unreliable at
/// every step tried, typically a ReLU or <c>Abs</c> kink within the step. Inconclusive comparisons do not fail the
/// check (<see cref="Passed"/>, <see cref="ThrowIfFailed"/>): a trained ReLU network has pre-activations arbitrarily
/// near 0, and reporting a correct gradient as wrong there would mislead. They are counted and named in
/// <see cref="Inconclusive"/> and <see cref="ToString"/>; to require every comparison to be conclusive, also assert that
/// <see cref="Inconclusive"/> is empty.
/// </remarks>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(
        string subject,
        GradientCheckOptions options,
        IReadOnlyList<GradientCheckEntry> failures,
        IReadOnlyList<GradientCheckEntry> inconclusive,
        IReadOnlyList<GradientCheckEntry> worst,
        double maxError,
        int checkedCount,
        int evaluations)
    {
        Subject = subject;
        Options = options;
        Failures = failures;
        Inconclusive = inconclusive;
        Worst = worst;
        MaxError = maxError;
        CheckedCount = checkedCount;
        Evaluations = evaluations;
    }

    /// <summary>What was checked: the model's type name, or <c>function</c>.</summary>
    public string Subject { get; }

    /// <summary>
    /// True when no comparison failed: every one is within tolerance or <see cref="GradientCheckStatus.Inconclusive"/>
    /// (see <see cref="Inconclusive"/>), which does not count as a failure.
    /// </summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Full (per coordinate) or directional.</summary>
    public GradientCheckMode Mode => Options.Mode;

    /// <summary>The options the check ran with.</summary>
    public GradientCheckOptions Options { get; }

    /// <summary>Base step for <c>double</c> coordinates: <c>h = RelativeStep·max(1, |x|)</c>.</summary>
    public double RelativeStep => Options.StepFor(single: false);

    /// <summary>Base step for <c>float</c> coordinates.</summary>
    public double SingleRelativeStep => Options.StepFor(single: true);

    /// <summary>
    /// Number of comparisons: coordinates (full) or directions, plus the returned value when it was checked; the
    /// inconclusive ones included.
    /// </summary>
    public int CheckedCount { get; }

    /// <summary>Every failed comparison, in the order checked (buffers in order, coordinates in order).</summary>
    public IReadOnlyList<GradientCheckEntry> Failures { get; }

    /// <summary>
    /// Every inconclusive comparison, in the order checked, each with its <see cref="GradientCheckEntry.Reason"/>: where
    /// the finite difference is unreliable (not smooth within the step, even after
    /// <see cref="GradientCheckOptions.StepRefinements"/> smaller steps), so the analytic value was not judged.
    /// </summary>
    public IReadOnlyList<GradientCheckEntry> Inconclusive { get; }

    /// <summary>
    /// Up to <see cref="GradientCheckOptions.ReportedCount"/> conclusive comparisons (passed or failed) with the largest
    /// normalized error, worst first.
    /// </summary>
    public IReadOnlyList<GradientCheckEntry> Worst { get; }

    /// <summary>
    /// The largest normalized error (<see cref="GradientCheckEntry.Error"/>) of the conclusive comparisons, infinite when
    /// a value was not finite; at most 1 when the check passed.
    /// </summary>
    public double MaxError { get; }

    /// <summary>How many times the function was evaluated.</summary>
    public int Evaluations { get; }

    /// <summary>
    /// Throws <see cref="GradientCheckException"/>, whose message is this report, unless the check passed. Inconclusive
    /// comparisons alone do not throw (see <see cref="Passed"/>).
    /// </summary>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new GradientCheckException(this);
        }
    }

    /// <summary>
    /// A multi-line summary: verdict (with the count of inconclusive comparisons), method, criterion, a table of the worst
    /// comparisons, and the inconclusive comparisons with their reasons.
    /// </summary>
    public override string ToString()
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        string unit = Mode == GradientCheckMode.Full ? "coordinates" : "directions";
        string inconclusive = Inconclusive.Count == 0
            ? ""
            : string.Create(invariant, $", {Inconclusive.Count} inconclusive (not counted, see below)");
        text.Append(invariant, $"Gradient check of {Subject} ");
        text.AppendLine(Passed
            ? string.Create(invariant, $"passed: {CheckedCount} comparisons{inconclusive}, worst normalized error {MaxError:G3}.")
            : string.Create(invariant, $"FAILED: {Failures.Count} of {CheckedCount} comparisons out of tolerance{inconclusive}, worst normalized error {MaxError:G3}."));
        text.Append(invariant, $"Mode: {(Mode == GradientCheckMode.Full ? "full (every coordinate)" : $"directional ({Options.Directions} {unit}, seed {Options.Seed})")}, ");
        text.AppendLine(invariant, $"{Evaluations} evaluations.");
        text.Append(Options.Richardson ? "Central differences with Richardson extrapolation (h and h/2)" : "Central differences");
        text.Append(invariant, $", h = {RelativeStep:G3}·max(1,|x|) for double, {SingleRelativeStep:G3}·max(1,|x|) for float");
        text.AppendLine(Options.StepRefinements == 0
            ? "."
            : string.Create(invariant, $"; where unreliable, redone with h/10 up to {Options.StepRefinements} times."));
        text.AppendLine(invariant,
            $"Passes when |a − n| ≤ abs + rel·max(|a|,|n|) + floor; double: abs {Options.AbsoluteTolerance:G3}, rel {Options.RelativeTolerance:G3}; " +
            $"float: abs {Options.SingleAbsoluteTolerance:G3}, rel {Options.SingleRelativeTolerance:G3}; " +
            $"floor = {Options.RoundingAllowance:G3}·u·(|f(x+h)|+|f(x−h)|)/2h.");
        text.AppendLine("Fails only where the difference is reliable (its h and h/2 estimates agree, its forward and backward " +
            "slopes match); elsewhere it is inconclusive.");
        if (Worst.Count > 0)
        {
            AppendWorst(text, invariant);
        }

        if (Inconclusive.Count > 0)
        {
            text.AppendLine(invariant, $"Inconclusive {unit} (the finite difference is unreliable there; not counted as failures):");
            int listed = Math.Min(Inconclusive.Count, Options.ReportedCount);
            for (int i = 0; i < listed; i++)
            {
                GradientCheckEntry entry = Inconclusive[i];
                text.AppendLine(invariant,
                    $"  {entry.Coordinate}: analytic {entry.Analytic:G6}, numeric {entry.Numeric:G6}. {entry.Reason}");
            }

            if (listed < Inconclusive.Count)
            {
                text.AppendLine(invariant, $"  … and {Inconclusive.Count - listed} more (see Inconclusive).");
            }
        }

        return text.ToString();
    }

    private void AppendWorst(StringBuilder text, CultureInfo invariant)
    {
        text.AppendLine("Worst comparisons (error = |a − n| / tolerance; fails above 1):");
        string[] header = ["coordinate", "analytic", "numeric", "|a − n|", "tolerance", "error", "numeric ±", ""];
        List<string[]> rows = [header];
        foreach (GradientCheckEntry entry in Worst)
        {
            rows.Add([
                entry.Coordinate,
                entry.Analytic.ToString("G12", invariant),
                entry.Numeric.ToString("G12", invariant),
                entry.AbsoluteError.ToString("G3", invariant),
                entry.Tolerance.ToString("G3", invariant),
                entry.Error.ToString("G3", invariant),
                double.IsNaN(entry.NumericErrorEstimate) ? "-" : entry.NumericErrorEstimate.ToString("G2", invariant),
                entry.Status == GradientCheckStatus.Failed ? "FAIL" : entry.Reason is null ? "ok" : "ok at a smaller h",
            ]);
        }

        int[] widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (string[] row in rows)
        {
            string line = string.Concat(row.Select((cell, c) => cell.PadRight(widths[c] + 2)));
            text.Append("  ").AppendLine(line.TrimEnd());
        }
    }
}
