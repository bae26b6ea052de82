using Xunit;

namespace SourceDiff.Tests.EndToEnd;

public static partial class FluxRnn
{
    [Differentiable]
    public static double SquaredLoss(double wx, double wh, double b, double h0, double[] x, [NoDerivative] double[] ystar)
    {
        double h = h0;
        double loss = 0;
        for (int t = 0; t < x.Length; t++)
        {
            h = wx * x[t] + wh * h + b;
            double e = h - ystar[t];
            loss += e * e;
        }

        return loss;
    }

    [Differentiable]
    public static double LinearLoss(double wx, double wh, double b, [NoDerivative] double[] x, [NoDerivative] double[] ystar)
    {
        double h = 0;
        double loss = 0;
        for (int t = 0; t < x.Length; t++)
        {
            h = wx * x[t] + wh * h + b;
            loss += h - ystar[t];
        }

        return loss;
    }
}

public class Story1StaticTests
{
    private static readonly double[] X = { 0.3, 2.5 };
    private static readonly double[] Y = { 0.5, 1.0 };

    [Fact]
    public void LinearLossMatchesClosedForm()
    {
        FluxRnn.LinearLossGradient(0.5, 0.001, 0.85, X, Y, out double dWx, out double dWh, out double dB);
        Assert.Equal(X[0] + X[1] + 0.001 * X[0], dWx, 12);
        Assert.Equal(2.8003, dWx, 12);
    }

    [Fact]
    public void SquaredLossMatchesPyTorchReference()
    {
        double[] dX = new double[2];
        double loss = FluxRnn.SquaredLossGradient(0.5, 0.001, 0.85, 0, X, Y, out double dWx, out double dWh, out double dB, out double dH0, dX);
        Assert.Equal(FluxRnn.SquaredLoss(0.5, 0.001, 0.85, 0, X, Y), loss, 15);
        Assert.Equal(5.8056606, dWx, 6);
        Assert.Equal(2.202, dWh, 6);
        Assert.Equal(3.204202, dB, 6);
        Assert.Equal(0.001002202, dH0, 9);
        double[] x = (double[])X.Clone();
        FiniteDifferences.AssertGradient(() => FluxRnn.SquaredLoss(0.5, 0.001, 0.85, 0, x, Y), x, dX, "dX");
    }
}
