using System;
using Xunit;

namespace SourceDiff.Tests.Models;

/// <summary>A model can be a struct: its methods differentiate the same way, and the gradient is a class.</summary>
public partial struct AffineCell
{
    public double A, B;
    [State] public double H;

    [Differentiable]
    public double Step(double x)
    {
        H = Math.Tanh(A * x + B * H);
        return H * H;
    }
}

public class StructModelTests
{
    [Fact]
    public void StructStepMatchesFiniteDifferencesAndKeepsThePrimalEffects()
    {
        var cell = new AffineCell { A = 0.7, B = -0.4, H = 0.3 };
        var gradient = new AffineCell.Gradient(cell);
        double value = cell.StepGradient(0.9, gradient, out double dX);

        var reference = new AffineCell { A = 0.7, B = -0.4, H = 0.3 };
        Assert.Equal(reference.Step(0.9), value);
        Assert.Equal(reference.H, cell.H);

        double F(double a, double b, double x)
        {
            var probe = new AffineCell { A = a, B = b, H = 0.3 };
            return probe.Step(x);
        }

        const double h = 1e-6;
        Assert.Equal((F(0.7 + h, -0.4, 0.9) - F(0.7 - h, -0.4, 0.9)) / (2 * h), gradient.A, 7);
        Assert.Equal((F(0.7, -0.4 + h, 0.9) - F(0.7, -0.4 - h, 0.9)) / (2 * h), gradient.B, 7);
        Assert.Equal((F(0.7, -0.4, 0.9 + h) - F(0.7, -0.4, 0.9 - h)) / (2 * h), dX, 7);
    }
}
