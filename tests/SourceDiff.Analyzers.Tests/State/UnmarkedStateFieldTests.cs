using System.Threading.Tasks;
using Xunit;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.AnalyzerVerifier<SourceDiff.Analyzers.State.UnmarkedStateFieldAnalyzer>;

namespace SourceDiff.Analyzers.Tests.State;

public class UnmarkedStateFieldTests
{
    [Fact]
    public Task Hidden_state_without_State_attribute_is_reported_at_each_write() => Verify.VerifyAsync("""
        public partial class TinyRnn
        {
            public double Wx = 0.5, Wh = 0.001, B = 0.85;
            public double H;

            [Differentiable]
            public double Step(double x)
            {
                [|H|] = Wx * x + Wh * H + B;
                return H;
            }

            [Differentiable]
            public double Loss([NoDerivative] double[] xs)
            {
                [|H|] = 0;
                double loss = 0;
                for (int t = 0; t < xs.Length; t++) loss += Step(xs[t]);
                return loss;
            }
        }
        """);

    [Fact]
    public async Task Message_tells_a_parameter_from_other_state()
    {
        var diagnostics = await Verify.DiagnosticsAsync("""
            public partial class Model
            {
                public double W = 1;
                private int _calls;

                [Differentiable]
                public double F(double x) { W = W * 0.9; _calls++; return W * x; }
            }
            """);

        Assert.Equal(2, diagnostics.Count);
        Assert.Equal(
            "'F' writes field 'W', which is not marked [State]; it is a trainable parameter, so the gradient is taken with respect to a value the method itself overwrites; mark it [State] if it is hidden state",
            diagnostics[0].GetMessage());
        Assert.Equal(
            "'F' writes field '_calls', which is not marked [State]; it is hidden state that gradient checks and repeated calls do not know to restore; mark it [State]",
            diagnostics[1].GetMessage());
    }

    [Fact]
    public Task Element_writes_into_an_array_field_are_reported() => Verify.VerifyAsync("""
        public partial class Layer
        {
            public double[] Activations = new double[4];
            public double[][] History = { new double[2] };

            [Differentiable]
            public double Forward(double[] x)
            {
                for (int i = 0; i < x.Length; i++) [|Activations|][i] = Math.Tanh(x[i]);
                [|History|][0][1] += x[0];
                return Activations[0];
            }
        }
        """);

    [Fact]
    public Task Compound_assignment_increment_and_ref_argument_are_writes() => Verify.VerifyAsync("""
        public partial class Model
        {
            public double Sum;
            [NoDerivative] public int Count;
            public double Last;

            private static void Store(ref double target, double value) => target = value;

            [Differentiable]
            public double Step(double x)
            {
                [|Sum|] += x;
                [|Count|]++;
                Store(ref [|Last|], x);
                return x;
            }
        }
        """);

    [Fact]
    public Task Writes_to_another_objects_field_and_a_struct_field_are_reported() => Verify.VerifyAsync("""
        public partial class Cell { public double C; }

        public partial struct Accumulator
        {
            public double Total;

            [Differentiable]
            public double Add(double x) { [|Total|] = Total + x; return Total; }
        }

        public partial class Model
        {
            public Cell Memory = new Cell();

            [Differentiable]
            public double Step(double x) { [|Memory.C|] = x; return x * 2; }
        }
        """);

    [Fact]
    public Task State_fields_are_not_reported() => Verify.VerifyAsync("""
        public partial class TinyRnn
        {
            public double Wx = 0.5;
            [State] public double H;
            [State] public double[] Cells = new double[3];

            [Differentiable]
            public double Step(double x)
            {
                H = Wx * x + H;
                Cells[0] = H;
                return H;
            }
        }
        """);

    [Fact]
    public Task Reading_fields_including_non_floating_ones_is_not_reported() => Verify.VerifyAsync("""
        public partial class Model
        {
            public double[] W = { 1.0, 2.0 };
            private readonly int _size = 2;
            public int Stride = 1;

            [Differentiable]
            public double Dot(double[] x)
            {
                double sum = 0;
                for (int i = 0; i < _size; i += Stride) sum += W[i] * x[i];
                return sum;
            }
        }
        """);

    [Fact]
    public Task Field_writes_outside_differentiable_methods_are_not_reported() => Verify.VerifyAsync("""
        public partial class Model
        {
            public double W = 1;
            public double H;

            public void Train(double gradient) { W -= 0.1 * gradient; H = 0; }

            public Model(double w) { W = w; }
        }
        """);

    [Fact]
    public Task Static_fields_are_left_to_SD1001() => Verify.VerifyAsync("""
        public static class Model
        {
            public static double H;

            [Differentiable]
            public static double Step(double x) { H = x; return H; }
        }
        """);

    [Fact]
    public Task Locals_ref_parameters_and_array_outputs_are_not_reported() => Verify.VerifyAsync("""
        public partial class Model
        {
            public double W = 1;

            [Differentiable]
            public void Step(double x, ref double h, double[] output)
            {
                double local = W * x;
                local += h;
                h = local;
                output[0] = local;
            }
        }
        """);

    [Fact]
    public Task Writes_to_auto_properties_are_reported_like_fields_and_State_properties_are_not() => Verify.VerifyAsync("""
        public partial class Counter
        {
            public double W { get; set; } = 0.5;
            public double[] Hs { get; set; } = new double[2];
            [State] public double H { get; set; }
            public double Computed => W * 2;

            [Differentiable]
            public double Step(double x)
            {
                H = W * x + H;
                [|W|] = H;
                [|Hs|][0] = H;
                return H + Computed;
            }
        }
        """);
}
