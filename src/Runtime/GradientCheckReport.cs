using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SourceDiff;

/// <summary>
/// The outcome of a <see cref="GradientCheck"/>: whether every comparison passed, the failures, the worst comparisons
/// with both values, and the settings used. <see cref="ToString"/> is meant to be read in a test failure message:
/// <c>Assert.True(report.Passed, report.ToString())</c> or <c>report.ThrowIfFailed()</c>.
/// </summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(
        string subject,
        GradientCheckOptions options,
        IReadOnlyList<GradientCheckEntry> failures,
        IReadOnlyList<GradientCheckEntry> worst,
        double maxError,
        int checkedCount,
        int evaluations)
    {
        Subject = subject;
        Options = options;
        Failures = failures;
        Worst = worst;
        MaxError = maxError;
        CheckedCount = checkedCount;
        Evaluations = evaluations;
    }

    /// <summary>What was checked: the model's type name, or <c>function</c>.</summary>
    public string Subject { get; }

    /// <summary>True when every comparison is within tolerance.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Full (per coordinate) or directional.</summary>
    public GradientCheckMode Mode => Options.Mode;

    /// <summary>The options the check ran with.</summary>
    public GradientCheckOptions Options { get; }

    /// <summary>Base step for <c>double</c> coordinates: <c>h = RelativeStep·max(1, |x|)</c>.</summary>
    public double RelativeStep => Options.StepFor(single: false);

    /// <summary>Base step for <c>float</c> coordinates.</summary>
    public double SingleRelativeStep => Options.StepFor(single: true);

    /// <summary>Number of comparisons: coordinates (full) or directions, plus the returned value when it was checked.</summary>
    public int CheckedCount { get; }

    /// <summary>Every failed comparison, in the order checked (buffers in order, coordinates in order).</summary>
    public IReadOnlyList<GradientCheckEntry> Failures { get; }

    /// <summary>Up to <see cref="GradientCheckOptions.ReportedCount"/> comparisons with the largest normalized error, worst first.</summary>
    public IReadOnlyList<GradientCheckEntry> Worst { get; }

    /// <summary>
    /// The largest normalized error (<see cref="GradientCheckEntry.Error"/>), infinite when a value was not finite; at most
    /// 1 when the check passed.
    /// </summary>
    public double MaxError { get; }

    /// <summary>How many times the function was evaluated.</summary>
    public int Evaluations { get; }

    /// <summary>Throws <see cref="GradientCheckException"/>, whose message is this report, unless the check passed.</summary>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new GradientCheckException(this);
        }
    }

    /// <summary>A multi-line summary: verdict, method, criterion, and a table of the worst comparisons.</summary>
    public override string ToString()
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        string unit = Mode == GradientCheckMode.Full ? "coordinates" : "directions";
        text.Append(invariant, $"Gradient check of {Subject} ");
        text.AppendLine(Passed
            ? string.Create(invariant, $"passed: {CheckedCount} comparisons, worst normalized error {MaxError:G3}.")
            : string.Create(invariant, $"FAILED: {Failures.Count} of {CheckedCount} comparisons out of tolerance, worst normalized error {MaxError:G3}."));
        text.Append(invariant, $"Mode: {(Mode == GradientCheckMode.Full ? "full (every coordinate)" : $"directional ({Options.Directions} {unit}, seed {Options.Seed})")}, ");
        text.AppendLine(invariant, $"{Evaluations} evaluations.");
        text.Append(Options.Richardson ? "Central differences with Richardson extrapolation (h and h/2)" : "Central differences");
        text.AppendLine(invariant, $", h = {RelativeStep:G3}·max(1,|x|) for double, {SingleRelativeStep:G3}·max(1,|x|) for float.");
        text.AppendLine(invariant,
            $"Passes when |a − n| ≤ abs + rel·max(|a|,|n|) + floor; double: abs {Options.AbsoluteTolerance:G3}, rel {Options.RelativeTolerance:G3}; " +
            $"float: abs {Options.SingleAbsoluteTolerance:G3}, rel {Options.SingleRelativeTolerance:G3}; " +
            $"floor = {Options.RoundingAllowance:G3}·u·(|f(x+h)|+|f(x−h)|)/2h.");
        if (Worst.Count == 0)
        {
            return text.ToString();
        }

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
                !entry.Passed ? "FAIL" : "ok",
            ]);
        }

        int[] widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (string[] row in rows)
        {
            string line = string.Concat(row.Select((cell, c) => cell.PadRight(widths[c] + 2)));
            text.Append("  ").AppendLine(line.TrimEnd());
        }

        if (Worst.Any(e => !e.Passed && e.NumericErrorEstimate > e.Tolerance))
        {
            text.AppendLine("Where 'numeric ±' exceeds the tolerance the finite difference itself is unreliable there " +
                "(a kink or discontinuity near x, or a step too large for the curvature): try another point or step.");
        }

        return text.ToString();
    }
}
