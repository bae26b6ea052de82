using System;
using System.Linq;
using System.Numerics.Tensors;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Tensors;

/// <summary>
/// An Elman RNN model written with TensorPrimitives: flattened weight fields, a [State] hidden vector that Step
/// overwrites through <c>TensorPrimitives.Tanh(a, H)</c>, a readout layer, and a Loss calling Step in a loop.
/// </summary>
public partial class TensorRnn
{
    public double[] Wx;
    public double[] Wh;
    public double[] B;
    public TensorReadout Out;
    [State] public double[] H;

    public TensorRnn(int hidden, int seed)
    {
        var random = new Random(seed);
        double[] Fill(int n, double scale) => Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 2 - 1) * scale).ToArray();
        Wx = Fill(hidden, 0.8);
        Wh = Fill(hidden * hidden, 1 / Math.Sqrt(hidden));
        B = Fill(hidden, 0.2);
        Out = new TensorReadout { V = Fill(hidden, 0.5) };
        H = new double[hidden];
    }

    [Differentiable]
    public double Step(double x)
    {
        int n = B.Length;
        double[] a = new double[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = TensorPrimitives.Dot(Wh.AsSpan(i * n, n), H);
        }

        TensorPrimitives.MultiplyAdd(Wx, x, a, a);
        TensorPrimitives.Add(a, B, a);
        TensorPrimitives.Tanh(a, H);
        return Out.Read(H);
    }

    [Differentiable]
    public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        H.AsSpan().Clear();
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }
}

/// <summary>A readout layer: a dot product with its own weights, a sigmoid.</summary>
public partial class TensorReadout
{
    public double[] V = Array.Empty<double>();

    [Differentiable]
    public double Read(double[] h)
    {
        double[] scaled = new double[h.Length];
        TensorPrimitives.Multiply(h, V, scaled);
        return 1 / (1 + Math.Exp(-TensorPrimitives.Sum(scaled)));
    }
}

/// <summary>Fields read and written through AsSpan views: only the written one is part of the state a gradient call saves.</summary>
public partial class ViewWriter
{
    public double[] W = { 0.5, -0.3, 0.8, 0.1 };
    [State] public double[] S = new double[4];

    [Differentiable]
    public double Loss(double x)
    {
        TensorPrimitives.Multiply(W.AsSpan(0, 2), x, S.AsSpan(1, 2));
        S.AsSpan(3, 1).Fill(x * W[3] + S[3]);
        return TensorPrimitives.SumOfSquares(S) + TensorPrimitives.Dot(W.AsSpan(1, 3), S.AsSpan(0, 3));
    }
}

public class TensorModelTests
{
    [Fact]
    public void FieldsWrittenThroughViewsKeepThePrimalStateAndGradient()
    {
        var model = new ViewWriter();
        var twin = new ViewWriter();
        var gradient = new ViewWriter.Gradient(model);
        for (int call = 0; call < 3; call++)
        {
            double value = model.LossGradient(0.7, gradient, out double dX);
            Assert.Equal(twin.Loss(0.7), value);
            Assert.Equal(twin.S, model.S);
            var probe = new ViewWriter();
            probe.S = (double[])model.S.Clone();
            double[] startS = (double[])probe.S.Clone();
            // Finite differences from the state the next call starts from.
            double Run() { probe.S = (double[])startS.Clone(); return probe.Loss(0.7); }
            var check = new ViewWriter.Gradient(probe);
            probe.LossGradient(0.7, check, out double probeDx);
            probe.S = (double[])startS.Clone();
            FiniteDifferences.AssertGradient(Run, probe.W, check.W, "W");
            FiniteDifferences.AssertScalar(x => { probe.S = (double[])startS.Clone(); return probe.Loss(x); }, 0.7, probeDx, "x");
        }
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(6, 20)]
    public void ModelGradientMatchesFiniteDifferencesAndLeavesThePrimalState(int hidden, int steps)
    {
        var model = new TensorRnn(hidden, seed: hidden + steps);
        var random = new Random(steps);
        double[] xs = Enumerable.Range(0, steps).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] ys = Enumerable.Range(0, steps).Select(_ => random.NextDouble()).ToArray();
        var gradient = new TensorRnn.Gradient(model);

        double value = model.LossGradient(xs, ys, gradient);
        double[] stateAfterGradient = (double[])model.H.Clone();

        Assert.Equal(model.Loss(xs, ys), value);
        Assert.Equal(model.H, stateAfterGradient);
        FiniteDifferences.AssertGradient(() => model.Loss(xs, ys), model.Wx, gradient.Wx, "Wx");
        FiniteDifferences.AssertGradient(() => model.Loss(xs, ys), model.Wh, gradient.Wh, "Wh");
        FiniteDifferences.AssertGradient(() => model.Loss(xs, ys), model.B, gradient.B, "B");
        FiniteDifferences.AssertGradient(() => model.Loss(xs, ys), model.Out.V, gradient.Out.V, "Out.V");
    }

    [Fact]
    public void GradientCheckPassesOnTheModel()
    {
        var model = new TensorRnn(4, seed: 5);
        double[] xs = { 0.3, -0.2, 0.9, 0.1, -0.7 };
        double[] ys = { 0.5, 0.1, 0.8, 0.4, 0.3 };
        GradientCheck.Check(model, () => model.Loss(xs, ys), (TensorRnn.Gradient g) => model.LossGradient(xs, ys, g)).ThrowIfFailed();
    }
}
