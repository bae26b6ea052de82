using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>Every SD0xxx error fires at the exact span of the offending construct, and never on valid code.</summary>
public class DiagnosticTests
{
    private const string Usings = "using System;\nusing System.Linq;\nusing SourceDiff;\n\nnamespace Samples;\n\n";

    /// <summary>Source with one <c>[|…|]</c> span: exactly one diagnostic with <paramref name="id"/> must cover it.</summary>
    internal static Diagnostic AssertDiagnostic(string id, string markup)
    {
        string source = Usings + markup;
        int start = source.IndexOf("[|", System.StringComparison.Ordinal);
        int end = source.IndexOf("|]", System.StringComparison.Ordinal) - 2;
        source = source.Replace("[|", string.Empty).Replace("|]", string.Empty);
        GeneratorResult result = GeneratorHarness.Run(source);
        var matching = result.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}; got: {string.Join("; ", result.GeneratorDiagnostics)}");
        Assert.Equal(new TextSpan(start, end - start), matching[0].Location.SourceSpan);

        // A location in the user's own syntax tree: navigable, and subject to #pragma and .editorconfig.
        Assert.Equal(LocationKind.SourceFile, matching[0].Location.Kind);
        Assert.Contains(matching[0].Location.SourceTree, result.Compilation.SyntaxTrees);
        Assert.Equal(DiagnosticSeverity.Error, matching[0].Severity);
        Assert.False(string.IsNullOrWhiteSpace(matching[0].Descriptor.HelpLinkUri));

        // Placeholders keep the rest of the user's code compiling: the only errors are SourceDiff's own.
        Assert.DoesNotContain(result.CompilerErrors, d => !d.Id.StartsWith("SD", System.StringComparison.Ordinal));
        return matching[0];
    }

    [Fact]
    public void LambdaIsUnsupported()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double x) { Func<double, double> f = [|v => v * x|]; return x; }
            }
            """);
        Assert.Contains("lambda", diagnostic.GetMessage(), System.StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void LinqIsUnsupported()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double[] x) => [|x.Sum()|];
            }
            """);
        Assert.Contains("for loop", diagnostic.GetMessage());
    }

    [Fact]
    public void TryIsUnsupported() => AssertDiagnostic("SD0001", """
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                [|try { x = x * 2; } finally { }|]
                return x;
            }
        }
        """);

    [Fact]
    public void GotoIsUnsupported() => AssertDiagnostic("SD0001", """
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                start:
                x = x * 0.5;
                if (x > 1) [|goto start;|]
                return x;
            }
        }
        """);

    [Fact]
    public void CallWithoutDerivative()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0002", """
            public static class Library { public static double Cube(double v) => v * v * v; }
            public static partial class C
            {
                [Differentiable] public static double F(double x) => 1 + [|Library.Cube(x)|];
            }
            """);
        Assert.Contains("DerivativeOf", diagnostic.GetMessage());
    }

    [Fact]
    public void MathFunctionWithoutBuiltInDerivative() => AssertDiagnostic("SD0002", """
        public static partial class C
        {
            [Differentiable] public static double F(double x) => [|Math.BitIncrement(x)|];
        }
        """);

    [Fact]
    public void UnsupportedReturnType() => AssertDiagnostic("SD0003", """
        public static partial class C
        {
            [Differentiable] public static int [|F|](double x) => (int)x;
        }
        """);

    [Fact]
    public void GenericMethod() => AssertDiagnostic("SD0003", """
        public static partial class C
        {
            [Differentiable] public static double [|F|]<T>(double x) => x;
        }
        """);

    [Fact]
    public void TypeNotPartial() => AssertDiagnostic("SD0004", """
        public static class [|C|]
        {
            [Differentiable] public static double F(double x) => x * x;
        }
        """);

    [Fact]
    public void CustomDerivativeWithWrongShape()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0006", """
            public static class Library
            {
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                [DerivativeOf(typeof(Library), nameof(Softplus))]
                public static void [|SoftplusPullback|](double x, ref double dX) => dX += 1 / (1 + Math.Exp(-x));
            }
            """);
        Assert.Contains("dResult", diagnostic.GetMessage());
    }

    [Fact]
    public void CustomDerivativeOfAnInstanceMethod()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0006", """
            public class Library
            {
                public double Scale = 2;
                public double Softplus(double x) => Scale * Math.Log(1 + Math.Exp(x));

                [DerivativeOf(typeof(Library), nameof(Softplus))]
                public static void [|SoftplusPullback|](double x, double dResult, ref double dX) => dX += dResult / (1 + Math.Exp(-x));
            }
            """);
        Assert.Contains("instance method", diagnostic.GetMessage());
    }

    [Fact]
    public void PrivateCustomDerivative() => AssertDiagnostic("SD0006", """
        public static class Library
        {
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

            [DerivativeOf(typeof(Library), nameof(Softplus))]
            static void [|SoftplusPullback|](double x, double dResult, ref double dX) => dX += dResult / (1 + Math.Exp(-x));
        }
        """);

    [Fact]
    public void StaticStateWrite() => AssertDiagnostic("SD0007", """
        public static partial class C
        {
            public static double H;
            [Differentiable] public static double Step(double x) { [|H|] = 0.5 * H + x; return 2 * x; }
        }
        """);

    [Fact]
    public void DifferentiableCallOnLocalObject() => AssertDiagnostic("SD0009", """
        public partial class Layer
        {
            public double W = 1;
            [Differentiable] public double Apply(double x) => W * x;
        }

        public partial class Model
        {
            public double V = 2;
            [Differentiable]
            public double Loss(double x)
            {
                var layer = new Layer();
                return V * [|layer.Apply(x)|];
            }
        }
        """);

    [Fact]
    public void DifferentiableValueWrittenIntoNoDerivativeParameter()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0012", """
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, [NoDerivative] double[] scratch)
                {
                    [|scratch[0] = x * x;|]
                    return 3 * scratch[0];
                }
            }
            """);
        Assert.Contains("scratch", diagnostic.GetMessage());
    }

    [Fact]
    public void ValidCodeHasNoDiagnostics()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            public static partial class C
            {
                [Differentiable] public static double F(double x, double[] w) { double s = 0; foreach (double v in w) s += v * x; return Math.Tanh(s); }
                [Differentiable] public static double G(double x, double[] w) => F(x, w) * Grad.Stop(x);
            }

            public partial class M
            {
                public double A = 1;
                [State] public double H;
                [Differentiable] public double Step(double x) { H = A * H + x; return H; }
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        result.AssertCompiles();
    }
}
