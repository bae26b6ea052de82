using System.Linq;
using System.Threading.Tasks;
using SourceDiff.Analyzers.State;
using SourceDiff.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.AnalyzerVerifier<SourceDiff.Analyzers.State.StaticMutableStateAnalyzer>;

namespace SourceDiff.Analyzers.Tests.State;

public class StaticMutableStateTests
{
    [Fact]
    public Task Story1_global_hidden_state_is_reported_at_every_access() => Verify.VerifyAsync("""
        public static class GlobalRnn
        {
            public static double Wx = 0.5, Wh = 0.001, B = 0.85;
            public static double H;

            [Differentiable]
            public static double Step(double x)
            {
                [|H|] = [|Wx|] * x + [|Wh|] * [|H|] + [|B|];
                return [|H|];
            }

            public static double Loss(double[] xs, double[] ys)
            {
                H = 0; // reset by hand before every evaluation
                return xs.Select(x => Step(x)).Zip(ys, (y, t) => y - t).Sum();
            }
        }
        """);

    [Fact]
    public async Task Story1_message_names_the_method_the_global_and_the_consequence()
    {
        var diagnostics = await Verify.DiagnosticsAsync("""
            public static class GlobalRnn
            {
                public static double H;

                [Differentiable]
                public static double Step(double x) { H = 0.5 * x + 0.001 * H + 0.85; return x; }
            }
            """);

        Assert.Equal(2, diagnostics.Count);
        Assert.Equal(
            "'Step' writes static mutable state 'H'; gradients depend on whatever the global holds when they run and can disagree with finite differences",
            diagnostics[0].GetMessage());
        Assert.StartsWith("'Step' reads static mutable state 'H'", diagnostics[1].GetMessage());
        Assert.Equal("https://github.com/sourcediff/sourcediff/blob/main/docs/diagnostics.md#sd1001", diagnostics[0].Descriptor.HelpLinkUri);
    }

    [Fact]
    public Task Static_property_with_setter_is_reported() => Verify.VerifyAsync("""
        public static class Config
        {
            public static double Rate { get; set; } = 0.1;
        }

        public static class Model
        {
            [Differentiable]
            public static double Scaled(double x) => x * [|Config.Rate|];
        }
        """);

    [Fact]
    public Task Writing_elements_of_a_static_readonly_array_is_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            private static readonly double[] Cache = new double[4];

            [Differentiable]
            public static double Remember(double x)
            {
                [|Cache|][0] = x;
                return x * x;
            }
        }
        """);

    [Fact]
    public Task Static_mutable_array_read_is_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            public static double[] Weights = { 1.0, 2.0 };

            [Differentiable]
            public static double Dot(double[] x)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += [|Weights|][i] * x[i];
                return sum;
            }
        }
        """);

    [Fact]
    public async Task Helper_called_by_a_differentiable_method_that_reads_a_global_is_reported_at_the_call()
    {
        await Verify.VerifyAsync("""
            public static class Model
            {
                private static double _scale = 2.0;

                private static double Scale(double x) => x * _scale;

                [Differentiable]
                public static double Loss(double x) => [|Scale(x)|] * x;
            }
            """);

        var diagnostic = Assert.Single(await Verify.DiagnosticsAsync("""
            public static class Model
            {
                private static double _scale = 2.0;
                private static double Scale(double x) => x * _scale;
                [Differentiable] public static double Loss(double x) => Scale(x) * x;
            }
            """));
        Assert.StartsWith("'Loss' calls 'Scale', which reads static mutable state '_scale'", diagnostic.GetMessage());
    }

    [Fact]
    public Task Global_in_another_type_and_inside_a_lambda_of_an_instance_method_is_reported() => Verify.VerifyAsync("""
        public static class Globals { public static int Steps; }

        public partial class Model
        {
            public double W = 1;

            [Differentiable]
            public double Step(double x)
            {
                [|Globals.Steps|]++;
                Func<double, double> f = v => v * [|Globals.Steps|];
                return W * f(x);
            }
        }
        """);

    [Fact]
    public Task Local_function_touching_a_global_is_reported_once_inside_it() => Verify.VerifyAsync("""
        public static class Model
        {
            private static double _bias;

            [Differentiable]
            public static double F(double x)
            {
                double Shift(double v) => v + [|_bias|];
                return Shift(x) * x;
            }
        }
        """);

    [Fact]
    public Task Locals_parameters_and_instance_state_are_not_reported() => Verify.VerifyAsync("""
        public partial class TinyRnn
        {
            public double Wx = 0.5, Wh = 0.001, B = 0.85;
            [State] public double H;

            [Differentiable]
            public double Step(double x)
            {
                double pre = Wx * x + Wh * H + B;
                H = pre;
                return H;
            }
        }
        """);

    [Fact]
    public Task Const_static_readonly_tables_and_get_only_properties_are_not_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            private const double Scale = 2.0;
            private static readonly double[] Table = { 0.5, 0.25 };
            public static double Bias { get; } = 0.1;

            [Differentiable]
            public static double F(double x) => Scale * x * Table[0] + Table[1] + Bias + Math.PI;
        }
        """);

    [Fact]
    public Task Ref_hidden_state_is_not_reported() => Verify.VerifyAsync("""
        public static class Rnn
        {
            [Differentiable]
            public static double Step(double x, ref double h, double[] state)
            {
                h = 0.5 * x + 0.001 * h;
                state[0] = h;
                return h;
            }
        }
        """);

    [Fact]
    public Task Globals_used_outside_differentiable_code_are_not_reported() => Verify.VerifyAsync("""
        public static class Training
        {
            public static double H;
            public static int Epoch;

            public static void Reset() { H = 0; Epoch++; }

            [Differentiable]
            public static double Square(double x) => Math.Exp(x) * Grad.Stop(x);
        }
        """);

    [Fact]
    public Task Pure_helpers_called_by_differentiable_code_are_not_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            private static double Twice(double x) => 2 * x;

            [Differentiable]
            public static double F(double x) => Twice(x) * Math.Tanh(x);
        }
        """);

    [Fact]
    public Task Compilation_without_the_SourceDiff_runtime_is_skipped() => Verify.VerifyAsync("""
        namespace Elsewhere
        {
            public sealed class DifferentiableAttribute : Attribute { }

            public static class Model
            {
                public static double H;

                [Differentiable]
                public static double Step(double x) { H = x; return H; }
            }
        }
        """, referenceRuntime: false);
}
