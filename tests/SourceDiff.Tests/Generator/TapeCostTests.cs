using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>SD2003: what each loop iteration records for the reverse sweep, read off the forward sweep that is emitted.</summary>
public class TapeCostTests
{
    private const string Usings = "using System;\nusing SourceDiff;\n\nnamespace Samples;\n\n";

    private static string[] Notes(string source)
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + source);
        result.AssertCompiles();
        return result.GeneratorDiagnostics.Where(d => d.Id == "SD2003")
            .Select(d => d.Location.SourceTree!.ToString().Substring(d.Location.SourceSpan.Start, 3) + ": " + d.GetMessage(CultureInfo.InvariantCulture))
            .ToArray();
    }

    [Fact]
    public void A_recurrence_records_the_value_it_overwrites_and_a_call_what_the_callee_records()
    {
        string[] notes = Notes("""
            public partial class Rnn
            {
                public double W = 0.5;
                [State] public double H;
                [Differentiable] public double Step(double x) { H = Math.Tanh(W * H + x); return H; }
                [Differentiable] public double Loss(double[] xs)
                {
                    double loss = 0;
                    for (int t = 0; t < xs.Length; t++) { double e = Step(xs[t]); loss += e * e; }
                    return loss;
                }
            }

            public static partial class Flat
            {
                [Differentiable]
                public static double Run(double[] xs, double w)
                {
                    double h = 0;
                    for (int t = 0; t < xs.Length; t++)
                    {
                        if (xs[t] > 0) h = Math.Tanh(w * h + xs[t]);
                    }

                    return h;
                }
            }
            """);

        Assert.Contains("for: Each iteration of this loop records 8 bytes (1 double), plus what Step records per call for the gradient of 'Loss'; a gradient call keeps what every iteration recorded until its reverse sweep", notes);
        Assert.Contains(notes, n => n.Contains("records up to 12 bytes (1 branch or flag, 1 double) for the gradient of 'Run'", System.StringComparison.Ordinal));
        Assert.Equal(2, notes.Length);
    }

    [Fact]
    public void A_loop_that_records_nothing_gets_no_note()
    {
        Assert.Empty(Notes("""
            public static partial class Sums
            {
                [Differentiable]
                public static double Dot(double[] a, double[] b)
                {
                    double s = 0;
                    for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
                    return s;
                }
            }
            """));
    }

    [Fact]
    public void The_note_is_information_and_can_be_configured_like_any_diagnostic()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            public static partial class Decay
            {
                [Differentiable]
                public static double Run(double x, int n) { for (int i = 0; i < n; i++) x = Math.Sin(x); return x; }
            }
            """);
        Diagnostic note = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "SD2003");
        Assert.Equal(DiagnosticSeverity.Info, note.Severity);
        Assert.Contains("8 bytes (1 double)", note.GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }
}
