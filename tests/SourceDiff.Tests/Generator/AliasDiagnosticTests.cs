using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>What the generator cannot differentiate through aliases is an error; nothing it emits fails to compile.</summary>
public class AliasDiagnosticTests
{
    private const string Usings = "using System;\nusing SourceDiff;\n\nnamespace Samples;\n\n";

    private static GeneratorResult Run(string source) => GeneratorHarness.Run(Usings + source);

    private static void AssertOnlySourceDiffErrors(GeneratorResult result) =>
        Assert.DoesNotContain(result.CompilerErrors, d => !d.Id.StartsWith("SD", System.StringComparison.Ordinal));

    [Fact]
    public void NoDerivativeParameterWrittenThroughLocalAlias()
    {
        const string source = """
            public static partial class C
            {
                [Differentiable]
                public static void Fill([NoDerivative] double[] v, double w)
                {
                    double[] a = v;
                    a[0] = 3 * w;
                }
            }
            """;
        GeneratorResult result = Run(source);
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "SD0012");
        Assert.Contains("'v'", error.GetMessage());
        string text = Usings + source;
        Assert.Equal(new Microsoft.CodeAnalysis.Text.TextSpan(text.IndexOf("a[0] = 3 * w;", System.StringComparison.Ordinal), "a[0] = 3 * w;".Length), error.Location.SourceSpan);
        AssertOnlySourceDiffErrors(result);
    }

    [Fact]
    public void NoDerivativeBranchOfConditionalWritten()
    {
        GeneratorResult result = Run("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double[] w, [NoDerivative] double[] data, bool c)
                {
                    double[] v = c ? w : data;
                    v[0] = w[1] * 2;
                    return v[0];
                }
            }
            """);
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "SD0012");
        Assert.Contains("'data'", error.GetMessage());
    }

    [Fact]
    public void DerivativeWrittenIntoUntrackedStorage()
    {
        GeneratorResult result = Run("""
            public static partial class C
            {
                private static readonly double[] Table = new double[4];

                [Differentiable]
                public static double F(double w)
                {
                    double[] t = Table;
                    t[0] = w * w;
                    return t[0];
                }
            }
            """);
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "SD0013");
        Assert.Contains("t[0] = w * w", error.GetMessage());
    }

    [Fact]
    public void ReadingUntrackedStorageIsFine()
    {
        GeneratorResult result = Run("""
            public static partial class C
            {
                private static readonly double[] Table = { 1, 2, 3 };

                [Differentiable]
                public static double F(double w, bool c)
                {
                    double[] t = c ? Table : new double[3];
                    return t[1] * w;
                }
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        result.AssertCompiles();
    }

    [Fact]
    public void GenericMethodGetsOnlyItsSignatureError()
    {
        GeneratorResult result = Run("""
            public static partial class C
            {
                [Differentiable] public static T F<T>(T x) where T : System.Numerics.INumber<T> => x * x;

                [Differentiable] public static double G(double x) => x * x;
            }
            """);
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("SD0003", error.Id);
        Assert.Empty(result.CompilerErrors);
    }

    [Fact]
    public void CallReturningAnArrayIsRejectedAtTheCall()
    {
        GeneratorResult result = Run("""
            public static partial class C
            {
                public static double[] Make(double x) => new[] { x };

                [Differentiable] public static double F(double x) { double[] a = Make(x); return a[0]; }
            }
            """);
        Assert.Contains(result.GeneratorDiagnostics, d => d.Id is "SD0001" or "SD0002");
        AssertOnlySourceDiffErrors(result);
    }

    [Theory]
    [InlineData(1_100)]
    [InlineData(12_000)]
    public void LongSumsDoNotOverflowTheStack(int terms)
    {
        var body = new System.Text.StringBuilder("x[0]");
        for (int i = 1; i < terms; i++)
        {
            body.Append(i % 3 == 0 ? " + x[" : i % 3 == 1 ? " - x[" : " + 0.5 * x[").Append(i % 7).Append(']');
        }

        string source = "public static partial class C { [Differentiable] public static double F(double[] x) { return " + body + "; } }";
        GeneratorResult? result = null;
        var thread = new Thread(() => result = Run(source), maxStackSize: 1 << 20);
        thread.Start();
        thread.Join();
        Assert.NotNull(result);
        Assert.Empty(result!.GeneratorDiagnostics);
        result.AssertCompiles();
    }

    [Fact]
    public void DeeplyNestedExpressionIsAnErrorNotACrash()
    {
        string nested = "x";
        for (int i = 0; i < 400; i++)
        {
            nested = "(x * " + nested + ")";
        }

        string source = "public static partial class C { [Differentiable] public static double F(double x) { return " + nested + "; } }";
        GeneratorResult? result = null;
        var thread = new Thread(() => result = Run(source), maxStackSize: 1 << 20);
        thread.Start();
        thread.Join();
        Assert.NotNull(result);
        Diagnostic error = Assert.Single(result!.GeneratorDiagnostics, d => d.Id == "SD0001");
        Assert.True(result.GeneratorDiagnostics.Length == 1, string.Join("; ", result.GeneratorDiagnostics));
        Assert.Contains("nested", error.GetMessage());
        AssertOnlySourceDiffErrors(result);
    }
}

public class ReservedNameTests
{
    [Theory]
    [InlineData("Scale")]
    [InlineData("Norm")]
    [InlineData("Copy")]
    [InlineData("Gradient")]
    [InlineData("ParameterCount")]
    public void ParameterNamedLikeAGradientMemberIsAnErrorAtTheField(string name)
    {
        string source = "using SourceDiff;\nnamespace Samples;\npublic partial class Gain\n{\n    public double " + name + " = 1.5;\n    public double W = 0.2;\n"
            + "    [Differentiable] public double Loss(double x) => " + name + " * x + W * x * x;\n}\n";
        GeneratorResult result = GeneratorHarness.Run(source);
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "SD0011");
        Assert.Equal(source.IndexOf(name + " = 1.5", System.StringComparison.Ordinal), error.Location.SourceSpan.Start);
        // Nothing generated fails to compile. (A member named Gradient also clashes with the nested Gradient type in
        // the user's own class, which the compiler reports at the field, beside SD0011.)
        Assert.DoesNotContain(result.CompilerErrors, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
        if (name != "Gradient")
        {
            Assert.DoesNotContain(result.CompilerErrors, d => !d.Id.StartsWith("SD", System.StringComparison.Ordinal));
        }
    }
}
