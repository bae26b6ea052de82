using Microsoft.CodeAnalysis;
using Xunit;
using static SourceDiff.Tests.Generator.DiagnosticTests;

namespace SourceDiff.Tests.Generator;

/// <summary>Library calls the generator lowers only in some forms: the others are SD0001 at the exact operand or call.</summary>
public class LibraryDiagnosticTests
{
    [Fact]
    public void CopyOfATwoDimensionalArrayIsReportedAtTheArray()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double[,] m) { var c = new double[2, 2]; Array.Copy([|m|], c, 4); return c[0, 0]; }
            }
            """);
        Assert.Contains("one-dimensional", diagnostic.GetMessage());
    }

    [Fact]
    public void CopyBetweenElementTypesIsReportedAtTheCall()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(float[] x) { var c = new double[x.Length]; [|Array.Copy(x, c, x.Length)|]; return c[0]; }
            }
            """);
        Assert.Contains("float elements to double elements", diagnostic.GetMessage());
    }

    [Fact]
    public void ViewTakenWithARangeIsReportedAtTheView()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double[] x) { var c = new double[2]; [|x.AsSpan(1..3)|].CopyTo(c); return c[0]; }
            }
            """);
        Assert.Contains("AsSpan(start, length)", diagnostic.GetMessage());
    }

    [Fact]
    public void CopyWithLongIndicesIsReportedAtTheCall()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double[] x) { var c = new double[2]; [|Array.Copy(x, 0L, c, 0L, 2L)|]; return c[0]; }
            }
            """);
        Assert.Contains("Array.Copy", diagnostic.GetMessage());
    }

    [Fact]
    public void ChangingListDataIsReportedAtTheCall()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double w, [NoDerivative] System.Collections.Generic.List<double> xs) { [|xs.Add(1.0)|]; return w * xs[0]; }
            }
            """);
        Assert.Contains("reads lists only through their indexer, Count and foreach", diagnostic.GetMessage());
    }

    [Fact]
    public void WritingIntoListDataIsReportedAtTheElement()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double w, [NoDerivative] System.Collections.Generic.List<double> xs) { [|xs[0]|] = 2.0; return w * xs[0]; }
            }
            """);
        Assert.Contains("write into an array", diagnostic.GetMessage());
    }

    [Fact]
    public void HandingListDataToOtherCodeIsReportedAtTheArgument()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                private static void Shuffle(System.Collections.Generic.List<double> values) => values.Reverse();
                [Differentiable] public static double F(double w, [NoDerivative] System.Collections.Generic.List<double> xs) { Shuffle([|xs|]); return w * xs[0]; }
            }
            """);
        Assert.Contains("[Differentiable] method", diagnostic.GetMessage());
    }

    [Fact]
    public void ArrayInitializerInABranchOfAConditionalIsReportedAtTheInitializer()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double x) { double[] v = x > 0 ? [|new[] { x, 2 * x }|] : new double[2]; return v[1]; }
            }
            """);
        Assert.Contains("An array initializer in a branch of ?:", diagnostic.GetMessage());
        Assert.Contains("statement of its own", diagnostic.GetMessage());
    }

    /// <summary>A view bound once is its elements (SpanViewTests); one assigned again names no single run of elements.</summary>
    [Fact]
    public void SpanLocalAssignedAgainIsReportedOnceAtItsDeclarator()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double[] w, int n) { Span<double> [|row = w.AsSpan(n, n)|]; row[0] = row[1] * 2; row = w.AsSpan(0, n); return w[n] + row[0]; }
            }
            """);
        Assert.Contains("span local 'row' (w.AsSpan(n, n))", diagnostic.GetMessage());
        Assert.Contains("do not assign it again", diagnostic.GetMessage());
    }

    [Fact]
    public void StackallocWithElementsIsReportedOnceAtItsDeclarator()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double x) { Span<double> [|scratch = stackalloc double[] { x, 2 * x }|]; return scratch[0] * scratch[1]; }
            }
            """);
        Assert.Contains("stackalloc scratch span 'scratch'", diagnostic.GetMessage());
        Assert.Contains("stackalloc double[n]", diagnostic.GetMessage());
    }

    [Fact]
    public void SpanViewHandedToAMethodIsReportedAtTheUse() => Assert.Contains("Using the span view 'row' as a value", AssertDiagnostic("SD0001", """
        public static partial class C
        {
            [Differentiable] public static double Sum(ReadOnlySpan<double> v) { double s = 0; for (int i = 0; i < v.Length; i++) s += v[i]; return s; }
            [Differentiable] public static double F(double[] w) { ReadOnlySpan<double> row = w.AsSpan(1, 2); return Sum([|row|]); }
        }
        """).GetMessage());

    [Fact]
    public void RefLocalBoundAgainIsReportedOnceAtTheRefAssignment()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double[,] grid, double x) { ref double cell = ref grid[0, 1]; cell += x; [|cell = ref grid[1, 1]|]; cell *= x; return grid[0, 1] * x; }
            }
            """);
        Assert.Contains("A ref assignment", diagnostic.GetMessage());
    }

    [Fact]
    public void RefLocalToAScalarIsReportedAtItsDeclarator()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable] public static double F(double x) { double y = x; ref double [|alias = ref y|]; alias *= x; return y; }
            }
            """);
        Assert.Contains("The ref local 'alias'", diagnostic.GetMessage());
    }
}
