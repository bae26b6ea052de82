using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using SourceDiff.Analyzers.Tests.Infrastructure;
using Xunit;

namespace SourceDiff.Analyzers.Tests.State;

/// <summary>Story 1 through every analyzer at once: the global-state version warns, the model version does not.</summary>
public class Story1Tests
{
    [Fact]
    public async Task Global_state_version_warns_about_the_global_and_the_broadcast()
    {
        var diagnostics = await RunAllAsync("""
            public static class GlobalRnn
            {
                public static double Wx = 0.5, Wh = 0.001, B = 0.85;
                public static double H;

                [Differentiable]
                public static double Step(double x)
                {
                    H = Wx * x + Wh * H + B;
                    return H;
                }

                public static double Loss(double[] xs, double[] ys)
                {
                    H = 0; // reset by hand before every evaluation
                    return xs.Select(x => Step(x)).Zip(ys, (y, t) => y - t).Sum();
                }
            }
            """);

        Assert.Equal(
            new[] { "SD1001", "SD1001", "SD1001", "SD1001", "SD1001", "SD1001", "SD1003" },
            diagnostics.Select(d => d.Id).ToArray());
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Contains(diagnostics, d => d.GetMessage().StartsWith("'Step' writes static mutable state 'H'"));
        Assert.Contains(diagnostics, d => d.GetMessage().StartsWith("'Step' writes state 'H' and is called through a lambda passed to 'Select'"));
    }

    [Fact]
    public async Task Model_version_from_the_design_has_no_warnings_only_the_NoDerivative_notes()
    {
        var diagnostics = await RunAllAsync("""
            public partial class TinyRnn
            {
                public double Wx = 0.5, Wh = 0.001, B = 0.85;   // trainable parameters
                [State] public double H;                          // hidden state, overwritten by Step

                [Differentiable] public double Step(double x) { H = Wx * x + Wh * H + B; return H; }

                [Differentiable] public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
                {
                    H = 0;
                    double loss = 0;
                    for (int t = 0; t < xs.Length; t++) { double e = Step(xs[t]) - ys[t]; loss += e * e; }
                    return loss;
                }
            }
            """);

        Assert.Equal(new[] { "SD2002", "SD2002" }, diagnostics.Select(d => d.Id).ToArray());
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Info, d.Severity));
    }

    [Fact]
    public async Task Ref_hidden_state_version_has_no_diagnostics()
    {
        var diagnostics = await RunAllAsync("""
            public static class Rnn
            {
                [Differentiable]
                public static double Step(double x, ref double h, double wx, double wh, double b)
                {
                    h = wx * x + wh * h + b;
                    return h;
                }

                [Differentiable]
                public static double Loss(double[] xs, double[] ys, double wx, double wh, double b)
                {
                    double h = 0;
                    double loss = 0;
                    for (int t = 0; t < xs.Length; t++) loss += Step(xs[t], ref h, wx, wh, b) - ys[t];
                    return loss;
                }
            }
            """);

        Assert.Empty(diagnostics);
    }

    private static async Task<Diagnostic[]> RunAllAsync(string source)
    {
        var compilation = TestCompilation.Create(new[] { TestCompilation.Prelude + source });
        AnalyzerRunner.AssertCompiles(compilation);
        return (await AnalyzerRunner.RunAsync(compilation, AllAnalyzers.Create().ToArray()))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToArray();
    }
}
