using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>[Checkpoint] where it cannot work is SD0014 at the loop or statement concerned, never a silent fallback.</summary>
public class CheckpointDiagnosticTests
{
    private const string Usings = "using System;\nusing SourceDiff;\n\nnamespace Samples;\n\n";

    private static Diagnostic AssertDiagnostic(string markup)
    {
        string source = Usings + markup;
        int start = source.IndexOf("[|", System.StringComparison.Ordinal);
        int end = source.IndexOf("|]", System.StringComparison.Ordinal) - 2;
        source = source.Replace("[|", string.Empty).Replace("|]", string.Empty);
        GeneratorResult result = GeneratorHarness.Run(source);
        var matching = result.GeneratorDiagnostics.Where(d => d.Id == "SD0014").ToList();
        Assert.True(matching.Count == 1, $"Expected one SD0014; got: {string.Join("; ", result.GeneratorDiagnostics)}");
        Assert.Equal(new TextSpan(start, end - start), matching[0].Location.SourceSpan);
        Assert.Equal(DiagnosticSeverity.Error, matching[0].Severity);
        Assert.DoesNotContain(result.CompilerErrors, d => !d.Id.StartsWith("SD", System.StringComparison.Ordinal));
        return matching[0];
    }

    [Fact]
    public void A_while_loop_has_no_trip_count_to_schedule()
    {
        Diagnostic diagnostic = AssertDiagnostic("""
            public static partial class C
            {
                [Differentiable, Checkpoint]
                public static double F(double x)
                {
                    double h = x;
                    [|while (h < 10) { h = h * 1.5 + 0.1; }|]
                    return h;
                }
            }
            """);
        Assert.Contains("'F'", diagnostic.GetMessage());
        Assert.Contains("counted for loop", diagnostic.GetMessage());
    }

    [Fact]
    public void A_loop_with_break_is_not_counted()
    {
        AssertDiagnostic("""
            public static partial class C
            {
                [Differentiable, Checkpoint(Snapshots = 4)]
                public static double F(double[] w)
                {
                    double s = 0;
                    [|for (int i = 0; i < w.Length; i++) { if (s > 3) break; s += w[i] * w[i]; }|]
                    return s;
                }
            }
            """);
    }

    [Fact]
    public void A_method_without_loops_is_told_so_at_the_attribute()
    {
        Diagnostic diagnostic = AssertDiagnostic("""
            public static partial class C
            {
                [Differentiable, [|Checkpoint|]]
                public static double F(double x) => x * x;
            }
            """);
        Assert.Contains("no loop", diagnostic.GetMessage());
    }

    [Fact]
    public void A_negative_snapshot_count_is_an_error_at_the_attribute()
    {
        AssertDiagnostic("""
            public static partial class C
            {
                [Differentiable, [|Checkpoint(Snapshots = -2)|]]
                public static double F(double[] w)
                {
                    double s = 0;
                    for (int i = 0; i < w.Length; i++) { s += w[i]; }
                    return s;
                }
            }
            """);
    }

    [Fact]
    public void Pointing_a_carried_array_at_another_is_an_error_at_the_statement()
    {
        Diagnostic diagnostic = AssertDiagnostic("""
            public static partial class C
            {
                [Differentiable, Checkpoint]
                public static double F(double[] w, int steps)
                {
                    double[] h = new double[w.Length];
                    double[] next = new double[w.Length];
                    double loss = 0;
                    for (int t = 0; t < steps; t++)
                    {
                        for (int i = 0; i < h.Length; i++) { next[i] = Math.Tanh(w[i] * h[i] + 1); }
                        double[] swap = h;
                        [|h = next;|]
                        next = swap;
                        loss += h[0];
                    }

                    return loss;
                }
            }
            """);
        Assert.Contains("'h' at another array", diagnostic.GetMessage());
    }

    [Fact]
    public void Loops_inside_branches_and_after_an_early_return_are_checkpointed_without_errors()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            public static partial class C
            {
                [Differentiable, Checkpoint]
                public static double F(double[] w, int steps)
                {
                    if (steps == 0) return 0;
                    double h = 0;
                    if (w.Length > 1)
                    {
                        for (int t = 0; t < steps; t++) { h = Math.Sin(w[0] * h + w[1]); }
                    }

                    return h;
                }
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(result.CompilerErrors);
    }
    private const string RecurrentModel = """
        public partial class Rnn
        {
            public double W = 0.5, V = 0.3;
            [State] public double H;

            [Differentiable]
            public double Step(double x) { H = Math.Tanh(W * H + x); return V * H; }

            [Differentiable]{0}
            public double Loss(double[] xs)
            {
                double loss = 0;
                for (int t = 0; t < {1}; t++) { double e = Step(xs[t]); loss += e * e; }
                return loss;
            }
        }
        """;

    private static Diagnostic[] Suggestions(string attribute, string bound) =>
        GeneratorHarness.Run(Usings + RecurrentModel.Replace("{0}", attribute).Replace("{1}", bound)).GeneratorDiagnostics.Where(d => d.Id == "SD2004").ToArray();

    [Fact]
    public void A_loop_over_the_inputs_calling_a_recording_step_gets_the_suggestion_at_the_loop()
    {
        Diagnostic suggestion = Assert.Single(Suggestions(string.Empty, "xs.Length"));
        Assert.Equal(DiagnosticSeverity.Info, suggestion.Severity);
        Assert.StartsWith("for (int t = 0; t < xs.Length; t++)", suggestion.Location.SourceTree!.GetText().ToString(suggestion.Location.SourceSpan));
        Assert.Contains("[Checkpoint] on 'Loss'", suggestion.GetMessage());
        Assert.Contains("what Step records per call", suggestion.GetMessage());
    }

    [Fact]
    public void No_suggestion_once_checkpointed_or_for_a_loop_of_literal_length()
    {
        Assert.Empty(Suggestions(", Checkpoint", "xs.Length"));
        Assert.Empty(Suggestions(string.Empty, "3"));
    }
    [Fact]
    public void A_method_called_in_the_loop_that_swaps_state_arrays_is_an_error_at_the_call()
    {
        Diagnostic diagnostic = AssertDiagnostic("""
            public partial class Rnn
            {
                public double[] W = { 0.7, -0.3 };
                [State] public double[] H = { 0.1, 0.2 };
                [State] public double[] Hn = new double[2];

                [Differentiable]
                public void Step(double x)
                {
                    Hn[0] = Math.Tanh(W[0] * H[1] + x);
                    Hn[1] = Math.Tanh(W[1] * H[0] - x);
                    (H, Hn) = (Hn, H);
                }

                [Differentiable, Checkpoint]
                public double Loss(double[] xs)
                {
                    double loss = 0;
                    for (int t = 0; t < xs.Length; t++) { [|Step(xs[t]);|] loss += H[0] * H[1]; }
                    return loss;
                }
            }
            """);
        Assert.Contains("'Step' may point the field 'H' at another array", diagnostic.GetMessage());
    }

    [Fact]
    public void A_layer_that_swaps_its_arrays_is_an_error_at_the_call()
    {
        Diagnostic diagnostic = AssertDiagnostic("""
            public partial class Cell
            {
                public double W = 0.5;
                [State] public double[] H = new double[2];
                [State] public double[] Next = new double[2];

                [Differentiable]
                public double Step(double x)
                {
                    Next[0] = Math.Tanh(W * H[1] + x);
                    Next[1] = Math.Tanh(W * H[0]);
                    var swap = H;
                    H = Next;
                    Next = swap;
                    return H[0];
                }
            }

            public partial class Model
            {
                public Cell Cell = new();
                public double V = 1.5;

                [Differentiable, Checkpoint]
                public double Loss(double[] xs)
                {
                    double loss = 0;
                    for (int t = 0; t < xs.Length; t++)
                    {
                        [|double y = V * Cell.Step(xs[t]);|]
                        loss += y * y;
                    }

                    return loss;
                }
            }
            """);
        Assert.Contains("an array of the layer 'Cell'", diagnostic.GetMessage());
    }

    [Fact]
    public void Passing_a_jagged_array_to_a_method_that_may_replace_its_rows_is_an_error_at_the_call()
    {
        Diagnostic diagnostic = AssertDiagnostic("""
            public static partial class C
            {
                [Differentiable] public static void SetRow(double[][] a, int i, double[] r) { a[i] = r; }

                [Differentiable, Checkpoint]
                public static double F(double[] w, double[] xs)
                {
                    var hs = new double[xs.Length + 1][];
                    hs[0] = new double[1];
                    for (int t = 0; t < xs.Length; t++)
                    {
                        var r = new double[1];
                        r[0] = Math.Tanh(w[0] * hs[t][0] + xs[t]);
                        [|SetRow(hs, t + 1, r);|]
                    }

                    return hs[xs.Length][0];
                }
            }
            """);
        Assert.Contains("may replace its rows", diagnostic.GetMessage());
    }
}
