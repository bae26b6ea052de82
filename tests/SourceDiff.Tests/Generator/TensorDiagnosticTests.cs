using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>
/// TensorPrimitives calls without a built-in adjoint are SD0001 at the call, naming what is supported. The element type
/// is explicit: this harness compiles with Roslyn 4.8 (C# 12), which infers no T from an array passed as a span.
/// </summary>
public class TensorDiagnosticTests
{
    private const string Usings = "using System;\nusing System.Numerics.Tensors;\nusing SourceDiff;\n\nnamespace Samples;\n\n";

    private static Diagnostic AssertUnsupported(string markup)
    {
        string source = Usings + markup;
        int start = source.IndexOf("[|", System.StringComparison.Ordinal);
        int end = source.IndexOf("|]", System.StringComparison.Ordinal) - 2;
        source = source.Replace("[|", string.Empty).Replace("|]", string.Empty);
        GeneratorResult result = GeneratorHarness.Run(source);
        var errors = result.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 1 && errors[0].Id == "SD0001", $"Expected one SD0001; got: {string.Join("; ", result.GeneratorDiagnostics)}");
        Assert.Equal(new TextSpan(start, end - start), errors[0].Location.SourceSpan);
        Assert.DoesNotContain(result.CompilerErrors, d => !d.Id.StartsWith("SD", System.StringComparison.Ordinal));
        return errors[0];
    }

    [Fact]
    public void An_operation_without_an_adjoint_names_the_supported_ones()
    {
        Diagnostic diagnostic = AssertUnsupported("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double[] w, double[] d)
                {
                    [|TensorPrimitives.Pow<double>(w, w, d)|];
                    return d[0];
                }
            }
            """);
        Assert.Contains("TensorPrimitives.Pow", diagnostic.GetMessage());
        Assert.Contains("SoftMax", diagnostic.GetMessage());
    }

    [Fact]
    public void A_reduction_without_an_adjoint_is_one_error_at_the_call()
    {
        Diagnostic diagnostic = AssertUnsupported("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double[] w)
                {
                    return 2 * [|TensorPrimitives.Product<double>(w.AsSpan(1, 2))|];
                }
            }
            """);
        Assert.Contains("TensorPrimitives.Product", diagnostic.GetMessage());
        Assert.Contains("write the loop", diagnostic.GetMessage());
    }

    [Fact]
    public void A_range_view_is_one_error()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static double F(ReadOnlySpan<double> w)
                {
                    return TensorPrimitives.Sum<double>(w[1..3]);
                }
            }
            """);
        Assert.True(result.GeneratorDiagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) == 1, string.Join("\n", result.GeneratorDiagnostics));
    }

    [Fact]
    public void A_field_read_through_views_is_not_saved_and_one_written_through_them_is()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            public partial class M
            {
                public double[] W = { 1, 2, 3 };
                [State] public double[] S = new double[3];

                [Differentiable]
                public double Loss(double x)
                {
                    TensorPrimitives.Multiply<double>(W.AsSpan(0, 2), x, S.AsSpan(1, 2));
                    return TensorPrimitives.Dot<double>(W.AsSpan(), S.AsSpan());
                }
            }
            """);
        result.AssertCompiles();
        string generated = result.Generated("M.Loss.g.cs");
        Assert.Contains("CopyOf(this.S)", generated);
        Assert.DoesNotContain("CopyOf(this.W)", generated);
    }

    [Fact]
    public void Supported_calls_compile_without_diagnostics()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static float F(float[] w, float[] d, float s)
                {
                    TensorPrimitives.MultiplyAdd<float>(w, s, d, d);
                    TensorPrimitives.SoftMax<float>(d.AsSpan(1, 2), d.AsSpan(1, 2));
                    return TensorPrimitives.Dot<float>(w, d) + TensorPrimitives.Max<float>(d);
                }
            }
            """);
        result.AssertCompiles();
    }
}
