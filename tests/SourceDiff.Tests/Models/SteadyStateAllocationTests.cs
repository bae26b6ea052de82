using System;
using Xunit;

namespace SourceDiff.Tests.Models;

/// <summary>A model whose primal allocates nothing: a [State] vector, a jagged [State] history and a 2-D weight matrix.</summary>
public partial class AllocationFreeRnn
{
    public double[,] W = { { 0.4, -0.2 }, { 0.1, 0.3 } };
    public double[] B = { 0.05, -0.05 };
    [State] public double[] H = new double[2];
    [State] public double[][] Recent = { new double[2], new double[2] };

    [Differentiable]
    public double Loss([NoDerivative] double[] xs)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            for (int i = 0; i < H.Length; i++)
            {
                double s = B[i] + xs[t];
                for (int j = 0; j < H.Length; j++)
                {
                    s += W[i, j] * H[j];
                }

                Recent[t % 2][i] = H[i];
                H[i] = Math.Tanh(s);
                loss += H[i] * H[i] + Recent[t % 2][i];
            }
        }

        return loss;
    }
}

/// <summary>
/// A gradient call saves what the model's fields hold after the forward sweep, to give the caller the primal's final
/// state after the reverse sweep restored the initial one. Those copies live in storage the tape reuses, so in steady
/// state a gradient call allocates nothing the primal does not (bytes counted, not timed).
/// </summary>
public class SteadyStateAllocationTests
{
    private static long AllocatedBy(Action action)
    {
        action();
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void ModelGradientCallsAllocateNothingInSteadyState()
    {
        var model = new AllocationFreeRnn();
        var gradient = new AllocationFreeRnn.Gradient(model);
        double[] xs = { 0.3, -0.7, 0.2, 0.9, -0.1 };
        Assert.Equal(0, AllocatedBy(() => model.Loss(xs)));
        Assert.Equal(0, AllocatedBy(() => model.LossGradient(xs, gradient)));
        Assert.Equal(0, AllocatedBy(() => model.LossPullback(xs, 1.0, gradient)));
    }

    [Fact]
    public void PooledCopiesNeverReachTheCaller()
    {
        // The copies the tape reuses must not end up in the model: a second call would overwrite the first's state.
        var model = new AllocationFreeRnn();
        var gradient = new AllocationFreeRnn.Gradient(model);
        double[] h = model.H;
        double[][] recent = model.Recent;
        double[] row0 = model.Recent[0];
        model.LossGradient(new[] { 0.3, -0.7 }, gradient);
        double[] afterFirst = (double[])model.H.Clone();
        model.LossGradient(new[] { 0.5, 0.1, -0.4 }, gradient);
        Assert.Same(h, model.H);
        Assert.Same(recent, model.Recent);
        Assert.Same(row0, model.Recent[0]);

        var reference = new AllocationFreeRnn();
        reference.Loss(new[] { 0.3, -0.7 });
        Assert.Equal(reference.H, afterFirst);
        reference.Loss(new[] { 0.5, 0.1, -0.4 });
        Assert.Equal(reference.H, model.H);
        Assert.Equal(reference.Recent[0], model.Recent[0]);
        Assert.Equal(reference.Recent[1], model.Recent[1]);
    }
}
