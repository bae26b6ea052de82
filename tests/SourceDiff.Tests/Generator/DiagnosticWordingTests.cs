using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceDiff.Generator;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>
/// What the generator's messages say: constructs named in correct English, suggestions that compile, links to pages
/// users have, and one error per root cause.
/// </summary>
public class DiagnosticWordingTests
{
    private static readonly Type ConstructNames =
        typeof(DifferentiableGenerator).Assembly.GetType("SourceDiff.Generator.Lowering.ConstructNames")!;

    private static string NameOf(OperationKind kind) =>
        (string)ConstructNames.GetMethod("Name", new[] { typeof(OperationKind) })!.Invoke(null, new object[] { kind })!;

    private static string Describe(IOperation operation) =>
        (string)ConstructNames.GetMethod("Describe")!.Invoke(null, new object[] { operation })!;

    [Fact]
    public void EveryOperationKindHasAnEnglishName()
    {
        foreach (OperationKind kind in Enum.GetValues<OperationKind>())
        {
            string name = NameOf(kind);
            Assert.False(string.IsNullOrWhiteSpace(name), kind.ToString());
            Assert.DoesNotContain("none", name, StringComparison.Ordinal);

            // The article agrees with the sound of the word after it ('u' can go either way: a using, an unsafe).
            string[] words = name.Split(' ');
            if (words[0] is "a" or "an" && char.IsLower(words[1][0]) && words[1][0] != 'u')
            {
                bool vowel = "aeio".Contains(words[1][0]);
                Assert.True(vowel == (words[0] == "an"), $"{kind}: '{name}'");
            }
        }
    }

    [Theory]
    [InlineData("Span<double> s = stackalloc double[4];", "stackalloc double[4]", "A stackalloc expression (stackalloc double[4])")]
    [InlineData("System.Diagnostics.Debug.Assert(x > 0);", "System.Diagnostics.Debug.Assert(x > 0)", "A call to System.Diagnostics.Debug.Assert (System.Diagnostics.Debug.Assert(x > 0))")]
    [InlineData("string s = $\"x = {x}\";", "$\"x = {x}\"", "An interpolated string ($\"x = {x}\")")]
    [InlineData("double.TryParse(\"1\", out double m);", "double m", "A declaration expression (out double m)")]
    [InlineData("object o = __makeref(x);", "__makeref(x)", "A make ref expression (__makeref(x))")]
    public void ConstructsAreDescribedByWhatTheyAre(string statement, string construct, string expected)
    {
        string source = "using System; static class C { static void F(double x) { " + statement + " } }";
        CSharpCompilation compilation = GeneratorHarness.Compile(source);
        SyntaxTree tree = compilation.SyntaxTrees[0];
        int start = source.IndexOf(construct, StringComparison.Ordinal);
        SyntaxNode node = tree.GetRoot().FindNode(new Microsoft.CodeAnalysis.Text.TextSpan(start, construct.Length), getInnermostNodeForTie: false);
        IOperation operation = compilation.GetSemanticModel(tree).GetOperation(node)
            ?? throw new InvalidOperationException("no operation for " + node);
        Assert.Equal(expected, Describe(operation));
    }

    [Fact]
    public void UnsupportedStatementPointsAtTheDocsPage()
    {
        Diagnostic diagnostic = DiagnosticTests.AssertDiagnostic("SD0001", """
            public static partial class C
            {
                private static readonly object Gate = new();

                [Differentiable]
                public static double F(double x)
                {
                    [|lock (Gate) { x = x * 2; }|]
                    return x;
                }
            }
            """);
        Assert.StartsWith("A lock statement (lock (Gate)", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.EndsWith("docs/supported-csharp.md#statements", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain("DESIGN.md", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("docs/supported-csharp.md#outside", diagnostic.Descriptor.Description.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedExpressionPointsAtTheDocsPage()
    {
        Diagnostic diagnostic = DiagnosticTests.AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable]
                public static double F(double x)
                {
                    Type t = [|typeof(double)|];
                    return x;
                }
            }
            """);
        Assert.Equal(
            "A typeof expression (typeof(double)) is not supported in [Differentiable] method 'F': rewrite it with the constructs listed at https://github.com/sourcediff/sourcediff/blob/main/docs/supported-csharp.md#core",
            diagnostic.GetMessage());
    }

    [Fact]
    public void EveryCallOfACalleeWithoutDerivativeIsOneError()
    {
        Diagnostic diagnostic = DiagnosticTests.AssertDiagnostic("SD0002", """
            public static class Library { public static double Cube(double v) => v * v * v; }
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double y) => [|Library.Cube(x)|] + Library.Cube(y) + Library.Cube(x * y);
            }
            """);
        Assert.Equal(
            "'Library.Cube' has no known derivative: mark it [Differentiable] (in a partial type) or supply a pullback with [DerivativeOf(typeof(Samples.Library), nameof(Samples.Library.Cube))]",
            diagnostic.GetMessage());
    }

    [Fact]
    public void LibraryCalleeIsOfferedOnlyAPullback()
    {
        Diagnostic diagnostic = DiagnosticTests.AssertDiagnostic("SD0002", """
            public static partial class C
            {
                [Differentiable] public static double F(double x) => [|Math.BitIncrement(x)|] + Math.BitIncrement(2 * x);
            }
            """);
        Assert.Equal(
            "'Math.BitIncrement' has no known derivative: supply a pullback with [DerivativeOf(typeof(System.Math), nameof(System.Math.BitIncrement))]",
            diagnostic.GetMessage());
    }

    [Fact]
    public void RandomFieldIsARandomSourceNotALayer()
    {
        Diagnostic diagnostic = DiagnosticTests.AssertDiagnostic("SD0002", """
            public partial class Noisy
            {
                public double W = 1;
                private readonly Random _rng = new(1);

                [Differentiable] public double Loss(double x) => W * x + [|_rng.NextDouble()|];
            }
            """);
        Assert.Equal(
            "'Random.NextDouble' has no known derivative: 'Random' is a stateful random source and its numbers have no derivative; draw them before the call and pass them in as [NoDerivative] data (a [NoDerivative] double[] parameter or field)",
            diagnostic.GetMessage());
    }

    [Fact]
    public void InstanceCallOnAnObjectThatIsNotAModelSaysHowToMakeItALayer()
    {
        Diagnostic diagnostic = DiagnosticTests.AssertDiagnostic("SD0002", """
            public class Scaler { public double Factor = 2; public double Scale(double v) => Factor * v; }
            public partial class Model
            {
                public double W = 1;
                public Scaler S = new();

                [Differentiable] public double Loss(double x) => [|S.Scale(W * x)|];
            }
            """);
        Assert.Equal(
            "'Scaler.Scale' has no known derivative: mark it [Differentiable] (in a partial type), hold the 'Scaler' in a field and call it through that field",
            diagnostic.GetMessage());
    }

    [Fact]
    public void EveryCallOnTheSameUnsupportedReceiverIsOneError()
    {
        Diagnostic diagnostic = DiagnosticTests.AssertDiagnostic("SD0009", """
            public partial class Layer
            {
                public double W = 1;
                [Differentiable] public double Apply(double x) => W * x;
            }

            public partial class Model
            {
                public double V = 2;
                private static Layer Make() => new Layer();

                [Differentiable] public double F(double x) => [|Make().Apply(x)|] + Make().Apply(2 * x) + V;
            }
            """);
        Assert.StartsWith("Call to 'Apply' on 'Make()'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    // The local function's own SD0001 (or, once local functions are differentiated, nothing) explains its calls:
    // never an SD0002 per call, nor a suggestion of nameof(C.Acc), which does not compile for a local function.
    [Fact]
    public void CallsOfALocalFunctionAddNoErrorOfTheirOwn()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using SourceDiff;
            namespace Samples;
            public static partial class C
            {
                [Differentiable]
                public static double F(double x)
                {
                    double first = Acc(x);
                    double Acc(double v) => v * v;
                    return first + Acc(2 * x);
                }
            }
            """);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "SD0002");
        Assert.True(result.GeneratorDiagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) <= 1, string.Join("; ", result.GeneratorDiagnostics));
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.GetMessage().Contains("nameof(C.Acc)", StringComparison.Ordinal));
    }
}
