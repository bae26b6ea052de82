using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>
/// Assignments that read their own target (<c>h = w·h + b</c>). A local's adjoint is set by the reverse sweep rather
/// than cleared and added back; a ref parameter's or a field's must not be, since the caller may pass the same storage
/// as another adjoint the propagation adds into first (a new-user trial found all three of these silently halved).
/// </summary>
public static partial class SelfReferences
{
    [Differentiable]
    public static void TwoRefs(ref double a, ref double b)
    {
        a = b * a;
    }

    [Differentiable]
    public static double SameTwice(double x)
    {
        double s = x;
        TwoRefs(ref s, ref s);
        return s;
    }

    [Differentiable]
    public static void RefAndArray(ref double h, double[] w)
    {
        h = w[0] * h;
    }

    [Differentiable]
    public static double ElementAndItsArray(double[] x)
    {
        RefAndArray(ref x[0], x);
        return x[0] + x[1];
    }

    /// <summary>Locals and by-value parameters, whose adjoints nothing else can share: in loops, branches and nested.</summary>
    [Differentiable]
    public static double Recurrences(double[] w, double h, double x)
    {
        double c = x;
        for (int i = 0; i < w.Length; i++)
        {
            h = Math.Tanh(w[i] * h + x);
            c = c * w[i] + h * c;
            if (h > 0)
            {
                h = h * h - c;
            }
            else
            {
                h = -h + x;
            }
        }

        return h + c;
    }
}

public partial class SelfReferencingModel
{
    public double W = 0.7;
    [State] public double H;

    [Differentiable]
    public void Mix(ref double h)
    {
        H = h * H;
    }

    [Differentiable]
    public double MixSelf(double x)
    {
        H = x;
        Mix(ref H);
        return H * W;
    }
}

public class SelfReferenceTests
{
    [Theory]
    [InlineData(0.3)]
    [InlineData(-1.7)]
    public void OneLocalPassedByRefTwiceGetsBothContributions(double x)
    {
        double value = SelfReferences.SameTwiceGradient(x, out double dX);
        Assert.Equal(SelfReferences.SameTwice(x), value);
        Fd.Scalar("x", SelfReferences.SameTwice, x, dX);
        Assert.Equal(2 * x, dX, 12);
    }

    [Fact]
    public void AnElementPassedByRefBesideItsArrayGetsBothContributions()
    {
        double[] x = { 0.7, -0.4 };
        var dX = new double[2];
        SelfReferences.ElementAndItsArrayGradient((double[])x.Clone(), dX);
        Fd.Vec("x", () => SelfReferences.ElementAndItsArray((double[])x.Clone()), x, dX);
        Assert.Equal(2 * 0.7, dX[0], 12);
    }

    [Fact]
    public void AStateFieldPassedByRefToAMethodWritingItGetsBothContributions()
    {
        var model = new SelfReferencingModel();
        var gradient = new SelfReferencingModel.Gradient(model);
        double value = model.MixSelfGradient(0.6, gradient, out double dX);
        Assert.Equal(new SelfReferencingModel().MixSelf(0.6), value);
        Fd.Scalar("x", v => new SelfReferencingModel().MixSelf(v), 0.6, dX);
        Assert.Equal(2 * 0.6 * 0.7, dX, 12);
    }

    [Theory]
    [InlineData(0, 0.2)]
    [InlineData(1, -0.3)]
    [InlineData(7, 0.5)]
    public void LocalAndParameterRecurrencesMatchFiniteDifferences(int length, double h)
    {
        var random = new Random(length);
        var w = new double[length];
        for (int i = 0; i < length; i++)
        {
            w[i] = random.NextDouble() * 1.4 - 0.7;
        }

        var dW = new double[length];
        double value = SelfReferences.RecurrencesGradient(w, h, 0.4, dW, out double dH, out double dX);
        Assert.Equal(SelfReferences.Recurrences(w, h, 0.4), value);
        Fd.Vec("w", () => SelfReferences.Recurrences(w, h, 0.4), w, dW);
        Fd.Scalar("h", v => SelfReferences.Recurrences(w, v, 0.4), h, dH);
        Fd.Scalar("x", v => SelfReferences.Recurrences(w, h, v), 0.4, dX);
    }
}
