using Xunit;

using SourceDiff.Samples.Models;

namespace SourceDiff.Tests.Models;

public class TinyRnnTests
{
    private static readonly double[] Xs = { 0.3, 2.5 };
    private static readonly double[] Ys = { 0.5, 1.0 };

    [Fact]
    public void LinearLossGradientIsTheClosedForm()
    {
        var model = new TinyRnn();
        var gradient = new TinyRnn.Gradient(model);
        model.LinearLossGradient(Xs, Ys, gradient);
        Assert.Equal(Xs[0] + Xs[1] + model.Wh * Xs[0], gradient.Wx, 12);
        Assert.Equal(2.8003, gradient.Wx, 12);
    }

    [Fact]
    public void SquaredLossMatchesPyTorchAndFiniteDifferences()
    {
        var model = new TinyRnn();
        var gradient = new TinyRnn.Gradient(model);
        double loss = model.LossGradient(Xs, Ys, gradient);
        Assert.Equal(new TinyRnn().Loss(Xs, Ys), loss, 15);
        Assert.Equal(5.8056606, gradient.Wx, 6);
        Assert.Equal(2.202, gradient.Wh, 6);
        Assert.Equal(3.204202, gradient.B, 6);
        GradientCheck.Check(model, () => model.Loss(Xs, Ys), (TinyRnn.Gradient g) => model.LossGradient(Xs, Ys, g)).ThrowIfFailed();
    }

    [Fact]
    public void RepeatedCallsDoNotLeakState()
    {
        var model = new TinyRnn();
        var first = new TinyRnn.Gradient(model);
        model.LossGradient(Xs, Ys, first);
        for (int i = 0; i < 100; i++)
        {
            var again = new TinyRnn.Gradient(model);
            model.LossGradient(Xs, Ys, again);
            Assert.Equal(first.Wx, again.Wx, 15);
            Assert.Equal(first.Wh, again.Wh, 15);
        }

        Assert.Equal(new TinyRnn().Step(0) is var _ ? ExpectedFinalH() : 0, model.H, 15);
    }

    private static double ExpectedFinalH()
    {
        var reference = new TinyRnn();
        reference.Loss(Xs, Ys);
        return reference.H;
    }

    [Fact]
    public void GradientNormNeitherOverflowsNorVanishes()
    {
        var gradient = new TinyRnn.Gradient(new TinyRnn()) { Wx = 3e200, Wh = 4e200, B = 0 };
        Assert.Equal(5e200, gradient.Norm(), 1e188);
        var tiny = new TinyRnn.Gradient(new TinyRnn()) { Wx = 3e-200, Wh = 4e-200, B = 0 };
        Assert.Equal(5e-200, tiny.Norm(), 1e-212);
        var plain = new TinyRnn.Gradient(new TinyRnn()) { Wx = 1, Wh = 2, B = 2 };
        Assert.Equal(3, plain.Norm(), 14);
        Assert.Equal(System.Math.Sqrt(plain.Dot(plain)), plain.Norm(), 14);
    }
}
