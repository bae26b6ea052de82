using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>
/// The statement forms of issue 11 that stay outside (switch, patterns, tuples, validation): each is an error at the
/// exact span of the construct, naming it and saying what to write instead.
/// </summary>
public class StatementDiagnosticTests
{
    private const string Usings = "using System;\nusing System.Diagnostics;\nusing SourceDiff;\n\nnamespace Samples;\n\n";

    private static Diagnostic AssertDiagnostic(string id, string markup)
    {
        string source = Usings + markup;
        int start = source.IndexOf("[|", System.StringComparison.Ordinal);
        int end = source.IndexOf("|]", System.StringComparison.Ordinal) - 2;
        source = source.Replace("[|", string.Empty).Replace("|]", string.Empty);
        GeneratorResult result = GeneratorHarness.Run(source);
        var matching = result.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}; got: {string.Join("; ", result.GeneratorDiagnostics)}");
        Assert.Equal(new TextSpan(start, end - start), matching[0].Location.SourceSpan);
        Assert.Equal(DiagnosticSeverity.Error, matching[0].Severity);
        Assert.DoesNotContain(result.CompilerErrors, d => !d.Id.StartsWith("SD", System.StringComparison.Ordinal));
        return matching[0];
    }

    private static void AssertClean(string source)
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + source);
        Assert.Empty(result.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(result.CompilerErrors);
    }

    [Fact]
    public void TypePatternIsAnErrorAtThePattern()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double x) => x is [|double d|] ? d * x : 0;
            }
            """);
        Assert.Contains("declaration pattern", diagnostic.GetMessage());
        Assert.Contains("relational patterns", diagnostic.GetMessage());
    }

    [Fact]
    public void DeconstructingACallResultIsAnError()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                static (double, double) Pair(double x) => (x, 2 * x);

                [Differentiable]
                public static double F(double x)
                {
                    var (a, b) = [|Pair(x)|];
                    return a * b;
                }
            }
            """);
        Assert.Contains("out parameters", diagnostic.GetMessage());
    }

    [Fact]
    public void DifferentiableMethodReturningATupleIsAnError()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0003", """
            public static partial class C
            {
                [Differentiable] public static (double, double) [|F|](double x) => (x, 2 * x);
            }
            """);
        Assert.Contains("out", diagnostic.GetMessage());
    }

    [Fact]
    public void ThrowWhoseMessageCallsAMethodIsAnError()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                static string Describe(double x) => x.ToString();

                [Differentiable]
                public static double F(double x)
                {
                    if (x < 0) [|throw new ArgumentException(Describe(x));|]
                    return x * x;
                }
            }
            """);
        Assert.Contains("nameof", diagnostic.GetMessage());
    }

    [Fact]
    public void DelegateLoggerIsAnError()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, Action<string> logger)
                {
                    [|logger?.Invoke("step")|];
                    return x * x;
                }
            }
            """);
        Assert.Contains("delegate", diagnostic.GetMessage());
    }

    [Fact]
    public void ValueParsedFromAStringIsAnError() => AssertDiagnostic("SD0002", """
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, string scale) => x * [|double.Parse(scale)|];
        }
        """);

    [Fact]
    public void ArrayHandedToAnObjectParameterIsAnError() => AssertDiagnostic("SD0001", """
        public static partial class C
        {
            static void Keep(object o) { }

            [Differentiable]
            public static double F(double[] w)
            {
                Keep([|w|]);
                return w[0] * w[0];
            }
        }
        """);

    [Fact]
    public void SwitchWithoutDiscardInALoopConditionIsAnError() => AssertDiagnostic("SD0001", """
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, int k)
            {
                while ([|k switch { 0 => x, 1 => 2 * x }|] < 10) { x *= 1.5; }
                return x;
            }
        }
        """);

    [Fact]
    public void ValidationLoggingAndSwitchesCompileCleanly() => AssertClean("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] w, double x, int n)
            {
                ArgumentNullException.ThrowIfNull(w);
                ArgumentOutOfRangeException.ThrowIfZero(n);
                Debug.Assert(n <= w.Length, $"n = {n} exceeds {w.Length}");
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    switch (i % 3)
                    {
                        case 0: s += w[i] * x; break;
                        case 1 when x > 0: if (s > 10) break; s -= w[i]; break;
                        default: continue;
                    }
                }

                Console.WriteLine($"s = {s,8:F3} {{raw}}");
                return s;
            }
        }
        """);

    [Fact]
    public void InArgumentTheSameCallWritesByRefIsAnErrorAtTheArgument()
    {
        Diagnostic error = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double Mul3(in double x, ref double h) { h = 3 * h; return x * h; }
                [Differentiable] public static double K(double x) { double h = x; return Mul3([|in h|], ref h); }
            }
            """);
        Assert.Contains("'in' argument", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void InElementOfAnArrayTheCalleeWritesIsAnErrorAtTheArgument() => AssertDiagnostic("SD0001", """
        public static partial class C
        {
            [Differentiable] public static double H2(in double x, double[] arr) { arr[0] = 5 * arr[0]; return x * arr[0]; }
            [Differentiable] public static double K(double[] a) => H2([|in a[0]|], a);
        }
        """);

    [Fact]
    public void InArgumentsNothingWritesAreAccepted() => AssertClean("""
        public static partial class C
        {
            [Differentiable] public static double H2(in double x, double[] arr) => x * arr[0];
            [Differentiable] public static double Mul3(in double x, ref double h) { h = 3 * h; return x * h; }
            [Differentiable] public static double K(double[] a, double y) { double h = y; return H2(in a[0], a) + Mul3(in a[1], ref h); }
        }
        """);

    [Fact]
    public void SpanViewPassedToADifferentiableMethodIsOneErrorAtTheArgument()
    {
        Diagnostic error = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static void ScaleIn(Span<double> v, double k) { for (int i = 0; i < v.Length; i++) v[i] *= k; }
                [Differentiable] public static double F(double[] a, double k) { ScaleIn([|a.AsSpan(1, 2)|], k); return a[1] + a[2]; }
            }
            """);
        Assert.Contains("span view passed to 'ScaleIn'", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }
}
