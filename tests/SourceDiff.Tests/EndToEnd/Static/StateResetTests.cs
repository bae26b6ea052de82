using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>A [Differentiable] helper that clears the model's [State] in the middle of a loss: recorded and undone like any write.</summary>
public partial class ResettingRnn
{
    public double W = 0.8;
    [State] public double[] H = new double[2];

    [Differentiable]
    public void ResetState()
    {
        Array.Clear(H);
    }

    [Differentiable]
    public double Loss(double[] xs)
    {
        double total = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            if (t % 3 == 2)
            {
                ResetState();
            }

            H[0] = Math.Tanh(W * H[0] + xs[t]);
            H[1] = Math.Tanh(W * H[1] - xs[t]);
            total += H[0] * H[1];
        }

        return total;
    }
}

public class StateResetTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void AStateResetInTheLossMatchesFiniteDifferences(int steps)
    {
        var random = new Random(steps);
        var xs = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            xs[t] = random.NextDouble() * 1.6 - 0.8;
        }

        var model = new ResettingRnn();
        var gradient = new ResettingRnn.Gradient(model);
        var dXs = new double[steps];
        double value = model.LossGradient(xs, gradient, dXs);
        Assert.Equal(new ResettingRnn().Loss(xs), value);
        Fd.Vec("xs", () => new ResettingRnn().Loss(xs), xs, dXs);
        Fd.Scalar("W", w => new ResettingRnn { W = w }.Loss(xs), 0.8, gradient.W);
    }
}
