using System;
using System.Linq;
using SourceDiff.Tests.Generator;
using Xunit;

namespace SourceDiff.Tests.Models;

/// <summary>A readonly scalar is a constant of the model: no gradient slot, no writable span (issue 8, item 6).</summary>
public partial class ScaledLinear
{
    public readonly double Scale = 1.5;
    public readonly double[] W = { 0.4, -0.3 };
    public double B = 0.2;

    [Differentiable]
    public double Output(double[] x)
    {
        double s = B;
        for (int i = 0; i < W.Length; i++)
        {
            s += W[i] * x[i];
        }

        return Scale * Math.Tanh(s);
    }
}

/// <summary>A plain base class (no differentiable methods of its own) holding parameters and state.</summary>
public abstract class RecurrentBase
{
    public double Wx = 0.6;
    protected double Wh = -0.35;
    [State] public double H = 0.1;
    private double unused = 3.0;

    public double Unused => unused;
}

/// <summary>Inherits Wx, Wh and [State] H from its base (issue 8, item 7); the base's private field is not a parameter.</summary>
public partial class DerivedRecurrent : RecurrentBase
{
    public double V = 0.8;

    [Differentiable]
    public double Step(double x)
    {
        H = Math.Tanh(Wx * x + Wh * H);
        return V * H;
    }

    [Differentiable]
    public double Loss([NoDerivative] double[] xs)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double y = Step(xs[t]);
            loss += y * y;
        }

        return loss;
    }

    public double WhValue { get => Wh; set => Wh = value; }
}

public class FieldRoleTests
{
    [Fact]
    public void ReadonlyScalarIsAConstantAndReadonlyArrayIsAParameter()
    {
        Assert.Null(typeof(ScaledLinear.Gradient).GetField(nameof(ScaledLinear.Scale)));
        var model = new ScaledLinear();
        var gradient = new ScaledLinear.Gradient(model);
        Assert.Equal(new[] { "W", "B" }, Enumerable.Range(0, gradient.ParameterCount).Select(gradient.GetParameterName));

        double[] x = { 0.7, -1.2 };
        var dX = new double[2];
        double value = model.OutputGradient(x, gradient, dX);
        Assert.Equal(new ScaledLinear().Output(x), value, 15);
        GradientCheck.Check(model, () => model.Output(x), (ScaledLinear.Gradient g) => model.OutputGradient(x, g, new double[2])).ThrowIfFailed();

        // The constant still scales the derivative: d/dB of Scale·tanh(s) is Scale·(1 − tanh²).
        double s = 0.2 + 0.4 * 0.7 + 0.3 * 1.2;
        Assert.Equal(1.5 * (1 - Math.Tanh(s) * Math.Tanh(s)), gradient.B, 12);
    }

    [Fact]
    public void InheritedFieldsAreParametersAndStateOfTheDerivedModel()
    {
        var model = new DerivedRecurrent();
        var gradient = new DerivedRecurrent.Gradient(model);
        Assert.Equal(new[] { "V", "Wx", "Wh" }, Enumerable.Range(0, gradient.ParameterCount).Select(gradient.GetParameterName));

        double[] xs = { 0.5, -1.0, 2.0 };
        double loss = model.LossGradient(xs, gradient);

        var reference = new DerivedRecurrent();
        Assert.Equal(reference.Loss(xs), loss, 15);
        Assert.Equal(reference.H, model.H, 15);

        double F(double wx, double wh, double v, double h0)
        {
            var probe = new DerivedRecurrent { Wx = wx, WhValue = wh, V = v, H = h0 };
            return probe.Loss(xs);
        }

        const double e = 1e-6;
        EndToEnd.FiniteDifferences.AssertClose((F(0.6 + e, -0.35, 0.8, 0.1) - F(0.6 - e, -0.35, 0.8, 0.1)) / (2 * e), gradient.Wx, "Wx");
        EndToEnd.FiniteDifferences.AssertClose((F(0.6, -0.35 + e, 0.8, 0.1) - F(0.6, -0.35 - e, 0.8, 0.1)) / (2 * e), gradient.Wh, "Wh");
        EndToEnd.FiniteDifferences.AssertClose((F(0.6, -0.35, 0.8 + e, 0.1) - F(0.6, -0.35, 0.8 - e, 0.1)) / (2 * e), gradient.V, "V");

        model.H = 0.1;
        GradientCheck.Check(model, () => model.Loss(xs), (DerivedRecurrent.Gradient g) => model.LossGradient(xs, g)).ThrowIfFailed();
    }

    [Fact]
    public void ReadonlyFieldsCompileInGeneratedCode()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using SourceDiff;
            public partial class M
            {
                public readonly double A = 2;
                public readonly float F = 1;
                [State] public readonly double S = 1;
                public readonly double[] W = new double[3];
                public double B;
                [Differentiable] public double Loss(double x) => A * F * S * W[0] * B * x;
            }
            public partial struct P
            {
                public readonly double A;
                public double B;
                [Differentiable] public double Loss(double x) => A * B * x;
            }
            """);
        result.AssertCompiles();
        Assert.DoesNotContain("ref this.A", result.Generated("M.Gradient.g.cs"));
    }

    [Fact]
    public void InheritedFieldsCompileInGeneratedCode()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using SourceDiff;
            namespace N;
            public class Root { public double R; private double hidden; internal double[] Q = new double[2]; public double Hidden => hidden; }
            public class Middle<T> : Root { public T Typed = default!; protected double W; public double Shadowed; }
            public partial class Leaf : Middle<double>
            {
                public new double Shadowed;
                [State] public double H;
                [Differentiable] public double Loss(double x) { H = W * x + R * H + Typed * Shadowed + Q[1]; return H; }
            }
            """);
        result.AssertCompiles();
        string gradient = result.Generated("N.Leaf.Gradient.g.cs");
        Assert.Contains("public double W;", gradient);
        Assert.Contains("public double Typed;", gradient);
        Assert.Contains("public double[] Q", gradient);
        Assert.DoesNotContain("hidden", gradient);
        Assert.Single(gradient.Split('\n'), line => line.Contains("public double Shadowed;"));
    }

    [Fact]
    public void ModelDerivingFromAModelIsReportedAndItsPlaceholdersCompile()
    {
        const string source = """
            using SourceDiff;
            public partial class Cell { public double W; [State] public double H; [Differentiable] public double Step(double x) { H = W * x + H; return H; } }
            public partial class Deeper : Cell
            {
                public double V;
                [Differentiable] public double Loss(double x) => V * Step(x);
                [Differentiable] public double Other(double x) => V * W * x;
            }
            """;
        GeneratorResult result = GeneratorHarness.Run(source);
        var errors = result.GeneratorDiagnostics.Where(d => d.Id == "SD0010").ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("'Cell'", e.GetMessage()));
        int identifier = source.IndexOf("class Deeper", StringComparison.Ordinal) + "class ".Length;
        Assert.All(errors, e => Assert.Equal(new Microsoft.CodeAnalysis.Text.TextSpan(identifier, "Deeper".Length), e.Location.SourceSpan));
        Assert.Empty(result.CompilerErrors);
        Assert.DoesNotContain(result.Compilation.GetDiagnostics(), d => d.Id == "CS0108" && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }
}
