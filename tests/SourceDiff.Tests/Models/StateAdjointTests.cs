using System;
using SourceDiff.Tests.EndToEnd;
using Xunit;

namespace SourceDiff.Tests.Models;

/// <summary>A recurrent model fed a stream chunk by chunk: its chunk loss continues from the state the last chunk left.</summary>
public partial class StreamingRnn
{
    public double Wx = 0.5, Wh = 0.8, B = 0.1;
    [State] public double H = 0.3;

    [Differentiable]
    public double Step(double x)
    {
        H = Math.Tanh(Wx * x + Wh * H + B);
        return H;
    }

    [Differentiable]
    public double ChunkLoss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }
}

/// <summary>A stateful layer inside a model: its [State] adjoint lives in <c>gradient.Cell</c>.</summary>
public partial class StatefulLayer
{
    public double W = 0.9;
    [State] public double H = 0.2;

    [Differentiable]
    public double Step(double x)
    {
        H = Math.Tanh(W * x + 0.7 * H);
        return H;
    }
}

public partial class LayeredStream
{
    public StatefulLayer Cell = new();
    public double V = 1.3;

    [Differentiable]
    public double Loss([NoDerivative] double[] xs)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double y = V * Cell.Step(xs[t]);
            loss += y * y;
        }

        return loss;
    }
}

/// <summary>Issue 8, item 3: the adjoints of [State] fields never leak from one call into another.</summary>
public class StateAdjointTests
{
    private static readonly double[] Xs1 = { 0.4, -1.1, 0.9 };
    private static readonly double[] Ys1 = { 0.2, -0.5, 0.6 };
    private static readonly double[] Xs2 = { 1.5, 0.3 };
    private static readonly double[] Ys2 = { 0.7, 0.1 };

    [Fact]
    public void ClearZerosTheStateAdjointsToo()
    {
        var model = new StreamingRnn();
        var gradient = new StreamingRnn.Gradient(model);
        model.StepPullback(0.7, 1.0, gradient, ref Unused);
        Assert.NotEqual(0, gradient.H__State);   // the adjoint of the state before the call, left by the sweep
        gradient.Clear();
        Assert.Equal(0, gradient.H__State);

        var layered = new LayeredStream();
        var layeredGradient = new LayeredStream.Gradient(layered);
        layered.Cell.StepPullback(0.5, 1.0, layeredGradient.Cell, ref Unused);
        Assert.NotEqual(0, layeredGradient.Cell.H__State);
        layeredGradient.Clear();
        Assert.Equal(0, layeredGradient.Cell.H__State);
    }

    [Fact]
    public void PullbackAfterAnotherCallEqualsAFreshOne()
    {
        var model = new StreamingRnn();
        var start = new StreamingRnn();
        var used = new StreamingRnn.Gradient(model);
        model.StepPullback(0.7, 1.0, used, ref Unused);
        model.H = start.H;
        used.Clear();
        model.ChunkLossPullback(Xs1, Ys1, 1.0, used);

        var freshModel = new StreamingRnn();
        var fresh = new StreamingRnn.Gradient(freshModel);
        freshModel.ChunkLossPullback(Xs1, Ys1, 1.0, fresh);
        Assert.Equal(fresh.Wx, used.Wx, 15);
        Assert.Equal(fresh.Wh, used.Wh, 15);
        Assert.Equal(fresh.B, used.B, 15);
    }

    [Fact]
    public void PullbacksAccumulatedOverChunksOfAStreamSumTheChunksGradientsExactly()
    {
        // Clear once, one Pullback per chunk, the model's state carried from chunk to chunk.
        var model = new StreamingRnn();
        var total = new StreamingRnn.Gradient(model);
        total.Clear();
        model.ChunkLossPullback(Xs1, Ys1, 1.0, total);
        double stateAfterFirst = model.H;
        model.ChunkLossPullback(Xs2, Ys2, 1.0, total);

        // The same chunks with a fresh gradient each.
        var reference = new StreamingRnn();
        var first = new StreamingRnn.Gradient(reference);
        reference.ChunkLossGradient(Xs1, Ys1, first);
        Assert.Equal(stateAfterFirst, reference.H, 15);
        var second = new StreamingRnn.Gradient(reference);
        reference.ChunkLossGradient(Xs2, Ys2, second);
        Assert.Equal(reference.H, model.H, 15);

        StreamingRnn.Gradient sum = first + second;
        Assert.Equal(sum.Wx, total.Wx, 1e-13);
        Assert.Equal(sum.Wh, total.Wh, 1e-13);
        Assert.Equal(sum.B, total.B, 1e-13);

        // And that sum is the derivative of L1(θ; H0) + L2(θ; H1), each chunk from the state it starts in.
        double Loss(double wx, double wh, double b)
        {
            var probe1 = new StreamingRnn { Wx = wx, Wh = wh, B = b };
            var probe2 = new StreamingRnn { Wx = wx, Wh = wh, B = b, H = stateAfterFirst };
            return probe1.ChunkLoss(Xs1, Ys1) + probe2.ChunkLoss(Xs2, Ys2);
        }

        const double h = 1e-6;
        FiniteDifferences.AssertClose((Loss(0.5 + h, 0.8, 0.1) - Loss(0.5 - h, 0.8, 0.1)) / (2 * h), total.Wx, "Wx");
        FiniteDifferences.AssertClose((Loss(0.5, 0.8 + h, 0.1) - Loss(0.5, 0.8 - h, 0.1)) / (2 * h), total.Wh, "Wh");
        FiniteDifferences.AssertClose((Loss(0.5, 0.8, 0.1 + h) - Loss(0.5, 0.8, 0.1 - h)) / (2 * h), total.B, "B");
    }

    [Fact]
    public void LayerStateAdjointsDoNotLeakBetweenPullbacks()
    {
        var model = new LayeredStream();
        var twice = new LayeredStream.Gradient(model);
        model.LossPullback(Xs1, 1.0, twice);
        model.Cell.H = new StatefulLayer().H;
        model.LossPullback(Xs1, 1.0, twice);

        var fresh = new LayeredStream();
        var once = new LayeredStream.Gradient(fresh);
        fresh.LossGradient(Xs1, once);
        Assert.Equal(2 * once.V, twice.V, 1e-13);
        Assert.Equal(2 * once.Cell.W, twice.Cell.W, 1e-13);
        GradientCheck.Check(fresh, () => fresh.Loss(Xs1), (LayeredStream.Gradient g) => fresh.LossGradient(Xs1, g)).ThrowIfFailed();
    }

    private static double Unused;
}
