using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>MathNet operations without a built-in adjoint are SD0001 at the operation, naming what is supported or what to write instead.</summary>
public class MathNetDiagnosticTests
{
    private const string Usings = "using System;\nusing MathNet.Numerics.LinearAlgebra;\nusing SourceDiff;\n\nnamespace Samples;\n\n";

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
    public void A_method_without_an_adjoint_names_the_supported_ones()
    {
        Diagnostic diagnostic = AssertUnsupported("""
            public static partial class C
            {
                [Differentiable]
                public static double F(Vector<double> v)
                {
                    Vector<double> head = [|v.SubVector(0, 2)|];
                    return head.Sum();
                }
            }
            """);
        Assert.Contains("v.SubVector(0, 2)", diagnostic.GetMessage());
        Assert.Contains("vector operations", diagnostic.GetMessage());
        Assert.Contains("DotProduct", diagnostic.GetMessage());
        Assert.DoesNotContain("TransposeThisAndMultiply", diagnostic.GetMessage());
    }

    [Fact]
    public void An_operator_without_an_adjoint_is_one_error_at_the_operator()
    {
        Diagnostic diagnostic = AssertUnsupported("""
            public static partial class C
            {
                [Differentiable]
                public static double F(Vector<double> v, Vector<double> w)
                {
                    return 2 * ([|v % w|]).Sum();
                }
            }
            """);
        Assert.Contains("v % w", diagnostic.GetMessage());
    }

    [Fact]
    public void A_reduction_without_an_adjoint_is_one_error_at_the_call()
    {
        AssertUnsupported("""
            public static partial class C
            {
                [Differentiable]
                public static double F(Matrix<double> m)
                {
                    return 1 + [|m.FrobeniusNorm()|];
                }
            }
            """);
    }

    [Fact]
    public void Binding_a_vector_to_an_array_asks_for_a_copy()
    {
        Diagnostic diagnostic = AssertUnsupported("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double[] w)
                {
                    Vector<double> v = [|Vector<double>.Build.Dense(w)|];
                    return v.Sum();
                }
            }
            """);
        Assert.Contains("DenseOfArray", diagnostic.GetMessage());
    }

    [Fact]
    public void An_in_place_method_without_an_adjoint_is_rejected_where_it_writes()
    {
        AssertUnsupported("""
            public partial class Model
            {
                public Vector<double> W = Vector<double>.Build.Dense(3, 0.5);

                [Differentiable]
                public double F(double x)
                {
                    Vector<double> h = W * x;
                    [|h.MapInplace(Math.Tanh)|];
                    return h.Sum();
                }
            }
            """);
    }

    [Fact]
    public void A_matrix_method_without_an_adjoint_lists_what_matrices_support()
    {
        Diagnostic diagnostic = AssertUnsupported("""
            public static partial class C
            {
                [Differentiable]
                public static double F(Matrix<double> m)
                {
                    return [|m.L2Norm()|];
                }
            }
            """);
        Assert.Contains("matrix operations", diagnostic.GetMessage());
        Assert.DoesNotContain("L2Norm,", diagnostic.GetMessage());
        Assert.Contains("TransposeThisAndMultiply", diagnostic.GetMessage());
    }

    [Fact]
    public void A_field_holding_an_array_of_matrices_is_not_silently_data()
    {
        Diagnostic diagnostic = AssertUnsupported("""
            public partial class Deep
            {
                public Matrix<double>[] Layers = { Matrix<double>.Build.Dense(2, 2, 0.5) };

                [Differentiable]
                public double Loss([NoDerivative] Vector<double> x) => ([|Layers|][0] * x).Sum();
            }
            """);
        Assert.Contains("[NoDerivative]", diagnostic.GetMessage());
    }

    [Fact]
    public void A_parameter_holding_an_array_of_vectors_must_be_marked_as_data()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static double F(Vector<double>[] xs, double w) => w * xs[0].Sum();

                [Differentiable]
                public static double G([NoDerivative] Vector<double>[] xs, double w) => w * xs[0].Sum();
            }
            """);
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("SD0003", error.Id);
        Assert.Contains("'xs', an array of MathNet vectors or matrices", error.GetMessage());
        Assert.Contains("'F'", error.GetMessage());
    }

    [Fact]
    public void A_readonly_matrix_field_is_a_parameter_as_a_readonly_array_is()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            public partial class Layer
            {
                public readonly Matrix<double> W = Matrix<double>.Build.Dense(2, 2, 0.5);
                public readonly Vector<double> B = Vector<double>.Build.Dense(2, 0.1);

                [Differentiable]
                public double Loss([NoDerivative] Vector<double> x) => (W * x + B).PointwiseTanh().Sum();
            }
            """);
        result.AssertCompiles();
        string gradient = result.Generated("Layer.Gradient.g.cs");
        Assert.Contains("public global::MathNet.Numerics.LinearAlgebra.Matrix<double> W", gradient);
        Assert.Contains("public global::MathNet.Numerics.LinearAlgebra.Vector<double> B", gradient);
    }
}
