using System.Threading.Tasks;
using Xunit;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.CodeFixVerifier<SourceDiff.Analyzers.State.UnorderedStatefulCallAnalyzer, SourceDiff.Analyzers.CodeFixes.SelectToForLoopCodeFix>;

namespace SourceDiff.Analyzers.Tests.CodeFixes;

public class SelectToForLoopCodeFixTests
{
    private const string TinyRnn = """
        public partial class TinyRnn
        {
            public double Wx = 0.5, Wh = 0.001, B = 0.85;
            [State] public double H;

            [Differentiable] public double Step(double x) { H = Wx * x + Wh * H + B; return H; }
        }

        """;

    [Fact]
    public Task Story1_broadcast_inside_an_expression_becomes_a_loop_before_the_statement() => Verify.VerifyAsync(
        """
        using System.Linq;
        using SourceDiff;

        public static class GlobalRnn
        {
            public static double H;

            [Differentiable]
            public static double Step(double x) { H = 0.5 * x + 0.001 * H + 0.85; return H; }

            public static double Loss(double[] xs, double[] ys)
            {
                H = 0;
                // Sum of errors over the sequence.
                return xs.Select(x => [|Step(x)|]).Zip(ys, (y, t) => y - t).Sum();
            }
        }
        """,
        """
        using System.Linq;
        using SourceDiff;

        public static class GlobalRnn
        {
            public static double H;

            [Differentiable]
            public static double Step(double x) { H = 0.5 * x + 0.001 * H + 0.85; return H; }

            public static double Loss(double[] xs, double[] ys)
            {
                H = 0;
                // Sum of errors over the sequence.
                var stepResults = new double[xs.Length];
                for (int i = 0; i < xs.Length; i++)
                {
                    stepResults[i] = Step(xs[i]);
                }
                return stepResults.Zip(ys, (y, t) => y - t).Sum();
            }
        }
        """);

    [Fact]
    public Task ToArray_declaration_becomes_the_loop_that_fills_it() => Verify.VerifyAsync(
        "using System.Linq;\nusing SourceDiff;\n\n" + TinyRnn + """
        public static class Use
        {
            public static double[] Run(TinyRnn model, double[] xs)
            {
                var hs = xs.Select(x => [|model.Step(2 * x)|] + x).ToArray();
                return hs;
            }
        }
        """,
        "using System.Linq;\nusing SourceDiff;\n\n" + TinyRnn + """
        public static class Use
        {
            public static double[] Run(TinyRnn model, double[] xs)
            {
                var hs = new double[xs.Length];
                for (int i = 0; i < xs.Length; i++)
                {
                    hs[i] = model.Step(2 * xs[i]) + xs[i];
                }
                return hs;
            }
        }
        """);

    [Fact]
    public Task Method_group_over_a_list_with_a_taken_index_name() => Verify.VerifyAsync(
        "using System.Collections.Generic;\nusing System.Linq;\nusing SourceDiff;\n\n" + TinyRnn + """
        public static class Use
        {
            public static double[] Run(TinyRnn model, List<double> xs, int i)
            {
                double[] hs = xs.Select([|model.Step|]).ToArray();
                return hs;
            }
        }
        """,
        "using System.Collections.Generic;\nusing System.Linq;\nusing SourceDiff;\n\n" + TinyRnn + """
        public static class Use
        {
            public static double[] Run(TinyRnn model, List<double> xs, int i)
            {
                double[] hs = new double[xs.Count];
                for (int i2 = 0; i2 < xs.Count; i2++)
                {
                    hs[i2] = model.Step(xs[i2]);
                }
                return hs;
            }
        }
        """);

    [Fact]
    public Task Jagged_results_are_allocated_with_the_length_first() => Verify.VerifyAsync(
        "using System.Linq;\nusing SourceDiff;\n\n" + """
        public partial class Layer
        {
            [State] public double[] H = new double[2];

            [Differentiable] public double[] Step(double x) { H[0] = x; return H; }
        }

        public static class Use
        {
            public static int Run(Layer layer, double[] xs)
            {
                return xs.Select(v => { return [|layer.Step(v)|]; }).Count();
            }
        }
        """,
        "using System.Linq;\nusing SourceDiff;\n\n" + """
        public partial class Layer
        {
            [State] public double[] H = new double[2];

            [Differentiable] public double[] Step(double x) { H[0] = x; return H; }
        }

        public static class Use
        {
            public static int Run(Layer layer, double[] xs)
            {
                var stepResults = new double[xs.Length][];
                for (int i = 0; i < xs.Length; i++)
                {
                    stepResults[i] = layer.Step(xs[i]);
                }
                return stepResults.Count();
            }
        }
        """);

    [Fact]
    public Task No_fix_for_a_source_that_would_be_evaluated_again() => Verify.VerifyNoFixAsync(
        "using System.Linq;\nusing SourceDiff;\n\n" + TinyRnn + """
        public static class Use
        {
            private static double[] Load() => new double[3];

            public static double Run(TinyRnn model) => 0 + Sum(model);

            private static double Sum(TinyRnn model)
            {
                return Load().Select(x => [|model.Step(x)|]).Sum();
            }
        }
        """);

    [Fact]
    public Task No_fix_for_the_index_overload_or_outside_a_block() => Verify.VerifyNoFixAsync(
        "using System.Linq;\nusing SourceDiff;\n\n" + TinyRnn + """
        public static class Use
        {
            public static double Run(TinyRnn model, double[] xs) => xs.Select((x, n) => [|model.Step(x)|] * n).Sum();
        }
        """);

    [Fact]
    public Task No_fix_for_Parallel_For() => Verify.VerifyNoFixAsync(
        "using System.Threading.Tasks;\nusing SourceDiff;\n\n" + TinyRnn + """
        public static class Use
        {
            public static void Run(TinyRnn model, double[] xs)
            {
                Parallel.For(0, xs.Length, i => [|model.Step(xs[i])|]);
            }
        }
        """);

    [Fact]
    public Task Fix_all_turns_two_broadcasts_in_one_block_into_loops_with_names_of_their_own() => Verify.VerifyFixAllAsync(
        "using System.Linq;\nusing SourceDiff;\n\n" + TinyRnn + """
        public static class Use
        {
            public static double Run(TinyRnn model, double[] xs, double[] ys)
            {
                double a = xs.Select(x => [|model.Step(x)|]).Sum();
                double b = ys.Select(y => [|model.Step(y)|]).Sum();
                return a + b;
            }
        }
        """,
        "using System.Linq;\nusing SourceDiff;\n\n" + TinyRnn + """
        public static class Use
        {
            public static double Run(TinyRnn model, double[] xs, double[] ys)
            {
                var stepResults = new double[xs.Length];
                for (int i = 0; i < xs.Length; i++)
                {
                    stepResults[i] = model.Step(xs[i]);
                }
                double a = stepResults.Sum();
                var stepResults2 = new double[ys.Length];
                for (int i = 0; i < ys.Length; i++)
                {
                    stepResults2[i] = model.Step(ys[i]);
                }
                double b = stepResults2.Sum();
                return a + b;
            }
        }
        """);
}
