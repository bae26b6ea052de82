using Microsoft.CodeAnalysis;
using Xunit;
using static SourceDiff.Tests.Generator.DiagnosticTests;

namespace SourceDiff.Tests.Generator;

/// <summary>Local functions and model properties that stay outside: one error, at the construct, saying what to write.</summary>
public class ModelDiagnosticTests
{
    [Fact]
    public void RecursiveLocalFunctionIsOneErrorAtItsName()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable]
                public static double F(double x)
                {
                    double [|Power|](double v, int n) => n == 0 ? 1 : v * Power(v, n - 1);
                    return Power(x, 3) + Power(x, 2);
                }
            }
            """);
        Assert.Contains("recursive local function 'Power'", diagnostic.GetMessage());
        Assert.Contains("loop", diagnostic.GetMessage());
    }

    [Fact]
    public void LocalFunctionReturningEarlyIsOneErrorAtItsName()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public static partial class C
            {
                [Differentiable]
                public static double F(double x)
                {
                    double [|Leaky|](double v)
                    {
                        if (v > 0) return v;
                        return 0.01 * v;
                    }

                    return Leaky(x) * Leaky(2 * x);
                }
            }
            """);
        Assert.Contains("return once", diagnostic.GetMessage());
    }

    [Fact]
    public void UnsupportedConstructInALocalFunctionIsReportedOnceForManyCalls() => AssertDiagnostic("SD0001", """
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                double G(double v) { [|try { v = v * 2; } finally { }|] return v; }
                return G(x) + G(x * x) + G(3 * x);
            }
        }
        """);

    [Fact]
    public void ComputedFloatingPropertyNamesTheFix()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public partial class M
            {
                public double W = 0.5;
                public double Doubled => 2 * W;

                [Differentiable]
                public double F(double x) => [|Doubled|] * x;
            }
            """);
        Assert.Contains("computed property 'Doubled'", diagnostic.GetMessage());
        Assert.Contains("[Differentiable] method", diagnostic.GetMessage());
    }
}
