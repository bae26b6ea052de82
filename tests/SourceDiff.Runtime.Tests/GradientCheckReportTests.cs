using System.Linq;
using Xunit;

namespace SourceDiff.Runtime.Tests;

public class GradientCheckReportTests
{
    private static GradientCheckReport CheckWithOneWrongEntry(GradientCheckOptions options)
    {
        double[] w = [0.5, -1.5, 2.0, 0.25];
        double[] dw = w.Select(v => 2 * v).ToArray();
        dw[2] = 5.0;                                         // should be 4
        return GradientCheck.Check(() => w.Sum(v => v * v), options, GradientCheck.Input(w, dw));
    }

    [Fact]
    public void ToString_HasVerdictMethodCriterionAndTheWrongCoordinateFirst()
    {
        string text = CheckWithOneWrongEntry(GradientCheckOptions.Default).ToString();
        string[] lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        Assert.StartsWith("Gradient check of function FAILED: 1 of 4 comparisons out of tolerance", lines[0]);
        Assert.Contains("Richardson", text);
        Assert.Contains("abs 1E-08, rel 1E-06", text);
        Assert.Contains("0.00074·max(1,|x|)", text);
        string firstRow = lines.SkipWhile(l => !l.TrimStart().StartsWith("coordinate")).Skip(1).First();
        Assert.StartsWith("  w[2]", firstRow);
        Assert.Contains("FAIL", firstRow);
        Assert.Contains(" 5 ", firstRow);                    // analytic
        Assert.Contains(" 4 ", firstRow);                    // numeric, exact for a quadratic
    }

    [Fact]
    public void ReportedCount_LimitsTheTable_NotTheVerdictOrMaxError()
    {
        GradientCheckReport full = CheckWithOneWrongEntry(GradientCheckOptions.Default);
        GradientCheckReport none = CheckWithOneWrongEntry(GradientCheckOptions.Default with { ReportedCount = 0 });

        Assert.Empty(none.Worst);
        Assert.False(none.Passed);
        Assert.Single(none.Failures);
        Assert.Equal(full.MaxError, none.MaxError);
        Assert.True(full.MaxError > 1e5);
    }

    [Fact]
    public void ThrowIfFailed_DoesNothingWhenPassed()
    {
        double[] w = [1.0];
        GradientCheckReport report = GradientCheck.Check(() => 3 * w[0], GradientCheck.Input(w, new[] { 3.0 }));

        report.ThrowIfFailed();
        Assert.True(report.Passed);
        Assert.StartsWith("Gradient check of function passed", report.ToString());
    }

    [Fact]
    public void NonFiniteComparisons_RankAsTheWorst()
    {
        double[] w = [0.0, 1.0];
        double[] dw = [0.0, 2.5];                            // w[1] wrong by 0.5; f jumps to +∞ when w[0] > 0
        GradientCheckReport report = GradientCheck.Check(
            () => (w[0] > 0 ? double.PositiveInfinity : 0) + w[1] * w[1], GradientCheck.Input(w, dw));

        Assert.Equal("w[0]", report.Worst[0].Coordinate);
        Assert.Equal(double.PositiveInfinity, report.MaxError);
        Assert.Equal(["w[0]", "w[1]"], report.Failures.Select(f => f.Coordinate));
    }
}
