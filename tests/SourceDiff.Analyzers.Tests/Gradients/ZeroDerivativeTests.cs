using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.AnalyzerVerifier<SourceDiff.Analyzers.Gradients.ZeroDerivativeAnalyzer>;

namespace SourceDiff.Analyzers.Tests.Gradients;

public class ZeroDerivativeTests
{
    [Fact]
    public async Task Cast_to_int_of_a_differentiable_value_is_reported()
    {
        const string source = """
            public static class Model
            {
                [Differentiable]
                public static double Quantize(double x) => [|(int)(x * 10)|] / 10.0;
            }
            """;
        await Verify.VerifyAsync(source);

        var diagnostic = Assert.Single(await Verify.DiagnosticsAsync(source.Replace("[|", "").Replace("|]", "")));
        Assert.Equal(
            "The derivative of the cast to 'int' is zero almost everywhere: no gradient flows back to 'x' through it",
            diagnostic.GetMessage());
    }

    [Fact]
    public Task Math_and_MathF_step_functions_are_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable]
            public static double F(double x, float y) =>
                [|Math.Round(x)|] + [|Math.Floor(x * 2)|] + [|Math.Ceiling(x)|] + [|Math.Truncate(x)|] + [|Math.Sign(x)|]
                + [|MathF.Round(y)|] + [|MathF.Floor(y)|] + [|double.Floor(x)|] + [|Math.Round(x, 2)|];
        }
        """);

    [Fact]
    public Task Generic_math_step_functions_are_reported_like_their_Math_twins() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable]
            public static double F(double x, float y) =>
                [|double.Round(x)|] + [|double.Ceiling(x)|] + [|double.Truncate(x)|] + [|double.Sign(x)|] + [|double.Round(x, 2)|]
                + [|float.Floor(y)|] + [|float.Sign(y)|];

            // Smooth twins are not steps, and a value that also reaches the result through them is not reported.
            [Differentiable]
            public static double G(double x, float y) => double.Exp(x) + double.Clamp(x, 0, 1) + float.Tanh(y) + double.Floor(x);
        }
        """);

    [Fact]
    public Task Convert_to_integer_and_comparisons_turned_into_numbers_are_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable]
            public static double F(double x)
            {
                double bucket = [|Convert.ToInt32(x)|];
                double mask = [|x > 0 ? 1.0 : 0.0|];
                double indicator = [|Convert.ToDouble(x > 0.5)|];
                return bucket + mask + indicator;
            }
        }
        """);

    [Fact]
    public Task Dependency_through_locals_loops_fields_and_calls_is_followed() => Verify.VerifyAsync("""
        public partial class Model
        {
            public double W = 0.5;
            [State] public double H;

            [Differentiable] public static double Square(double v) => v * v;

            [Differentiable]
            public double Step([NoDerivative] double[] xs)
            {
                double acc = 0;
                for (int t = 0; t < xs.Length; t++) acc += W * xs[t];
                double squared = Square(acc);
                H = [|Math.Floor(squared)|] + [|(long)H|];
                return acc;
            }
        }
        """);

    [Fact]
    public Task Array_elements_and_float_values_are_followed() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable]
            public static float F(float[] x, double[][] w)
            {
                float sum = 0;
                foreach (var v in x) sum += v;
                int index = [|(int)sum|];
                return (float)w[0][index] + [|(short)w[1][0]|];
            }
        }
        """);

    // The gradient of t flows through t - i even though i = (int)t has none: the cast kills only one of t's paths.
    [Fact]
    public Task Values_that_also_reach_the_result_directly_are_not_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable]
            public static double Lerp(double[] table, double t)
            {
                int i = (int)t;
                double frac = t - i;
                return table[i] * (1 - frac) + table[i + 1] * frac;
            }

            [Differentiable]
            public static double Wrap(double[] x, int k) => x[k] - Math.Floor(x[k]);

            [Differentiable]
            public static double Relu(double x)
            {
                double mask = x > 0 ? 1.0 : 0.0;
                return mask * x;
            }

            [Differentiable]
            public static double Lookup(double[] x, double[] table)
            {
                double sum = 0;
                foreach (var v in x) sum += v;
                return sum + table[(int)sum];
            }
        }
        """);

    [Fact]
    public async Task Only_a_source_without_a_direct_path_is_reported()
    {
        const string source = """
            public static class Model
            {
                [Differentiable]
                public static double F(double[] table, double t, double s, double[] x)
                {
                    double copy = s;
                    int i = [|(int)(t * s)|];
                    return t + table[i] + x[0] + [|Math.Round(x[1])|];
                }
            }
            """;
        await Verify.VerifyAsync(source);

        var diagnostics = await Verify.DiagnosticsAsync(source.Replace("[|", "").Replace("|]", ""));
        Assert.Equal(
            new[]
            {
                "The derivative of the cast to 'int' is zero almost everywhere: no gradient flows back to 's' through it",
                "The derivative of 'Math.Round' is zero almost everywhere: no gradient flows back to 'x' through it",
            },
            diagnostics.Select(d => d.GetMessage()).ToArray());
    }

    [Fact]
    public Task Casts_of_constant_or_NoDerivative_values_are_not_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable]
            public static double F(double x, [NoDerivative] double[] labels, int n)
            {
                int label = (int)labels[0];
                int half = (int)(n * 0.5);
                double steps = Math.Floor(n / 3.0);
                return x * label + half + steps + (int)Math.Round(Grad.Stop(x));
            }
        }
        """);

    [Fact]
    public Task Selecting_values_by_comparison_is_not_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable]
            public static double Relu(double x) => x > 0 ? x : 0.0;

            [Differentiable]
            public static double Clip(double x) => x > 1 ? 1.0 : x < -1 ? -1.0 : x;
        }
        """);

    [Fact]
    public Task Functions_with_real_derivatives_and_float_double_casts_are_not_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable]
            public static double F(double x, float y) =>
                Math.Exp(x) + Math.Abs(x) + Math.Max(x, 0) + Math.Tanh(x) + Math.Clamp(x, -1, 1) + (double)y + (float)x + MathF.Sqrt(y);
        }
        """);

    [Fact]
    public Task Zero_derivative_operations_outside_differentiable_methods_are_not_reported() => Verify.VerifyAsync("""
        public static class Data
        {
            public static int Bucket(double x) => (int)Math.Floor(x * 10);
        }
        """);

    [Fact]
    public Task Integer_index_arithmetic_is_not_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable]
            public static double F(double[] x)
            {
                double sum = 0;
                int middle = (int)Math.Floor(x.Length / 2.0);
                for (int i = 0; i < middle; i++) sum += x[i] * (double)i;
                return sum + Math.Sign(x.Length);
            }
        }
        """);

    // The analyzers read field roles from the rules the generator applies (DerivativeRules.RoleOf): a readonly scalar
    // is a constant of the model and [NoDerivative] data carries none, so casting them loses no gradient.
    [Fact]
    public Task Fields_the_generator_gives_no_adjoint_are_not_reported() => Verify.VerifyAsync("""
        public partial class Model
        {
            public readonly double Scale = 10;
            [NoDerivative] public double Offset = 0.5;
            public double W = 0.5;

            [Differentiable]
            public double F(double x) => x * (int)Scale + (int)Offset + [|(int)W|];
        }
        """);

    [Fact]
    public Task Auto_property_parameters_are_differentiable_values_like_fields() => Verify.VerifyAsync("""
        public partial class Quantizer
        {
            public double W { get; set; } = 0.5;
            [NoDerivative] public double Scale { get; set; } = 2;
            public double Twice => 2 * W;

            [Differentiable]
            public double Apply(double x) => x * ([|Math.Floor(W)|] + [|(int)W|] + Math.Floor(Scale));
        }
        """);
}
