using System.Threading.Tasks;
using Xunit;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.AnalyzerVerifier<SourceDiff.Analyzers.Gradients.NoDerivativeAnalyzer>;

namespace SourceDiff.Analyzers.Tests.Gradients;

public class NoDerivativeTests
{
    [Fact]
    public async Task Parameter_is_reported_on_its_attribute()
    {
        const string source = """
            public partial class TinyRnn
            {
                [Differentiable]
                public double Loss([[|NoDerivative|]] double[] xs, [[|NoDerivative|]] double[] ys) => xs[0] - ys[0];
            }
            """;
        await Verify.VerifyAsync(source);

        var diagnostics = await Verify.DiagnosticsAsync(source.Replace("[|", "").Replace("|]", ""));
        Assert.Equal("'xs' is marked [NoDerivative]: no gradient is computed with respect to it", diagnostics[0].GetMessage());
        Assert.Equal("'ys' is marked [NoDerivative]: no gradient is computed with respect to it", diagnostics[1].GetMessage());
    }

    [Fact]
    public Task Field_is_reported() => Verify.VerifyAsync("""
        public partial class Model
        {
            [[|NoDerivative|]] public double Temperature = 1.0;
            public double W = 0.5;
        }
        """);

    [Fact]
    public Task Fully_qualified_and_suffixed_forms_are_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable]
            public static double F(double x, [[|SourceDiff.NoDerivativeAttribute|]] double scale) => x * scale;
        }
        """);

    [Fact]
    public Task Attribute_in_a_list_is_reported_on_its_own_span() => Verify.VerifyAsync("""
        public partial class Model
        {
            [[|NoDerivative|], Obsolete] public double[] Mask = new double[2];
        }
        """);

    [Fact]
    public Task Each_declarator_of_a_multi_field_declaration_is_reported() => Verify.VerifyAsync("""
        public partial class Model
        {
            [{|SD2002:{|SD2002:NoDerivative|}|}] public double Low = 0, High = 1;
        }
        """);

    [Fact]
    public Task Alias_and_backing_field_target_are_reported() => Verify.VerifyAsync("""
        namespace Models
        {
            using Data = SourceDiff.NoDerivativeAttribute;

            public partial class Model
            {
                [field: [|Data|]] public double Temperature { get; set; } = 1.0;

                [Differentiable] public double F(double x, [[|Data|]] double[] labels) => x * labels[0] * Temperature;
            }
        }
        """);

    [Fact]
    public Task Ordinary_parameters_and_fields_are_not_reported() => Verify.VerifyAsync("""
        public partial class Model
        {
            public double W = 0.5;
            [State] public double H;

            [Differentiable] public double F(double x, int n) => W * x * n + H;
        }
        """);

    [Fact]
    public Task Other_attributes_are_not_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Obsolete] public static readonly double Scale = 1;

            [Differentiable] public static double F([System.Diagnostics.CodeAnalysis.NotNull] double[] x) => x[0];
        }
        """);

    [Fact]
    public Task A_different_NoDerivative_attribute_is_not_reported() => Verify.VerifyAsync("""
        namespace Other
        {
            public sealed class NoDerivativeAttribute : Attribute { }

            public static class Model
            {
                public static double F([NoDerivative] double x) => x;
            }
        }
        """);

    [Fact]
    public Task Lambda_and_local_function_parameters_without_the_attribute_are_not_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            public static double F(double[] xs)
            {
                double Local(double v) => v * 2;
                return xs.Select(x => Local(x)).Sum();
            }
        }
        """);

    [Fact]
    public Task Compilation_without_the_runtime_is_skipped() => Verify.VerifyAsync("""
        public sealed class NoDerivativeAttribute : Attribute { }
        public static class Model { public static double F([NoDerivative] double x) => x; }
        """, referenceRuntime: false);
}
