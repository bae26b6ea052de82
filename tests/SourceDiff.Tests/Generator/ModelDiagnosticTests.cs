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

/// <summary>Layers reached other than through a field or property of this stay outside, with the call to write instead.</summary>
public class LayerReceiverDiagnosticTests
{
    private const string Layer = """
        public partial class Dense
        {
            public double W = 0.5;
            [Differentiable] public double Step(double x) => System.Math.Tanh(W * x);
        }

        """;

    /// <summary>A local bound to one layer names it (LayerLocalTests); one bound again names no single Gradient member.</summary>
    [Fact]
    public void LayerLocalBoundAgain()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0009", Layer + """
            public partial class Net
            {
                public Dense[] Layers = { new Dense(), new Dense() };

                [Differentiable]
                public double Loss(double x)
                {
                    var layer = Layers[0];
                    for (int i = 0; i < Layers.Length; i++)
                    {
                        layer = Layers[i];
                        x = [|layer.Step(x)|];
                    }

                    return x;
                }
            }
            """);
        Assert.Contains("field of this holding a layer", diagnostic.GetMessage());
    }

    [Fact]
    public void LayerLocalUsedAsAValue() => Assert.Contains("Using the layer 'layer' as a value", AssertDiagnostic("SD0001", Layer + """
        public partial class Net
        {
            public Dense Out = new Dense();

            [Differentiable]
            public double Loss(double x)
            {
                var layer = Out;
                return x * Describe([|layer|]);
            }

            private static double Describe(Dense d) => 1.0;
        }
        """).GetMessage());

    [Fact]
    public void LayerAsAParameter() => AssertDiagnostic("SD0009", Layer + """
        public partial class Net
        {
            public Dense Out = new Dense();

            [Differentiable]
            public static double Forward(Dense layer, double x) => [|layer.Step(x)|];
        }
        """);

    [Fact]
    public void ReadingAFieldOfALayerInAnArray() => Assert.Contains("layer held in an array ('Layers[l - 1]')", AssertDiagnostic("SD0001", """
        public partial class Cell
        {
            public double W = 0.5;
            [State] public double H;
            [Differentiable] public double Step(double x) { H = System.Math.Tanh(W * x + H); return H; }
        }

        public partial class Stack
        {
            public Cell[] Layers = { new Cell(), new Cell() };

            [Differentiable]
            public double Loss(double x)
            {
                for (int l = 0; l < Layers.Length; l++)
                {
                    x = Layers[l].Step(x) + (l > 0 ? [|Layers[l - 1].H|] : 0);
                }

                return x;
            }
        }
        """).GetMessage());
}

public class GenericMathDiagnosticTests
{
    [Fact]
    public void GenericMathMethodNamesItselfAndTheFix()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0003", """
            public static partial class C
            {
                [Differentiable]
                public static T [|Square|]<T>(T x) where T : System.Numerics.IFloatingPointIeee754<T> => x * x;
            }
            """);
        Assert.Contains("generic method (T)", diagnostic.GetMessage());
        Assert.Contains("write it for double", diagnostic.GetMessage());
    }
}
