using SourceDiff.Samples.Models;
using Xunit;
using SourceDiff.Tests.Models;

namespace SourceDiff.Tests.Stories;

/// <summary>Story 1 beyond <c>TinyRnnTests</c>: the linear loss against finite differences, and state hygiene.</summary>
public class Story1Tests
{
    private static readonly double[] Xs = { 0.3, 2.5 };
    private static readonly double[] Ys = { 0.5, 1.0 };

    [Fact]
    public void LinearLossIsNotWhatZygoteReturned()
    {
        var model = new TinyRnn();
        var gradient = new TinyRnn.Gradient(model);
        model.LinearLossGradient(Xs, Ys, gradient);
        Assert.Equal(2.8003, gradient.Wx, 12);
        Assert.True(System.Math.Abs(gradient.Wx - (Xs[0] + Xs[1] + model.Wh * Xs[1])) > 1e-3, "the wrong order of stateful calls (Zygote's 2.8025)");
        Assert.Equal(2 + model.Wh, gradient.B, 12);           // y1 = Wx·x1 + B, y2 = Wx·x2 + Wh·y1 + B
        Assert.Equal(model.Wx * Xs[0] + model.B, gradient.Wh, 12);
    }

    [Fact]
    public void LinearLossMatchesFiniteDifferences()
    {
        var model = new TinyRnn();
        GradientCheck.Check(model, () => model.LinearLoss(Xs, Ys), (TinyRnn.Gradient g) => model.LinearLossGradient(Xs, Ys, g)).ThrowIfFailed();
    }

    [Fact]
    public void GradientDoesNotDependOnTheStateLeftByEarlierCalls()
    {
        var fresh = new TinyRnn();
        var expected = new TinyRnn.Gradient(fresh);
        fresh.LossGradient(Xs, Ys, expected);

        var used = new TinyRnn();
        used.Step(10.0);
        used.Step(-3.0);                                      // H is now far from 0: Loss resets it, the gradient must too
        var actual = new TinyRnn.Gradient(used);
        used.LossGradient(Xs, Ys, actual);
        Assert.Equal(0, StoryData.MaxAbsDifference(expected, actual));
        Assert.Equal(fresh.H, used.H);
    }

    [Fact]
    public void StepGradientSeesTheStateItReads()
    {
        var model = new TinyRnn { H = 0.7 };
        var gradient = new TinyRnn.Gradient(model);
        double y = model.StepGradient(2.0, gradient, out double dX);
        Assert.Equal(0.5 * 2.0 + 0.001 * 0.7 + 0.85, y, 15);
        Assert.Equal(y, model.H, 15);                         // same side effect as the primal
        Assert.Equal(2.0, gradient.Wx, 15);
        Assert.Equal(0.7, gradient.Wh, 15);
        Assert.Equal(1.0, gradient.B, 15);
        Assert.Equal(0.5, dX, 15);
    }
}
