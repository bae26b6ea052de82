using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>
/// The generic-math spellings of the Math functions (<c>double.Exp</c>, <c>float.Tanh</c>, …), as code written against
/// <c>INumber</c>-era APIs reaches for them: each must get exactly its <c>Math</c>/<c>MathF</c> twin's derivative.
/// </summary>
public static partial class GenericMathOps
{
    [Differentiable]
    public static double Smooth(double[] x)
    {
        double s = 0;
        s += double.Exp(0.5 * x[0]) + double.Log(x[1] * x[1] + 1) + double.Sqrt(x[2] * x[2] + 1);
        s += double.Tanh(x[3]) * double.Pow(x[2] * x[2] + 1, x[0]) + double.Sin(x[1]) * double.Cos(x[3]);
        s += double.Atan2(x[0], x[1] + 3) + double.Cbrt(x[2] + 5) + double.Log(x[1] * x[1] + 2, 3) + double.Log2(x[0] * x[0] + 1);
        s += double.Log10(x[3] * x[3] + 1) + double.Sinh(x[0]) + double.Cosh(x[1]) + double.Atan(x[2]) + double.Asinh(x[3]);
        s += double.FusedMultiplyAdd(x[0], x[1], x[2]);
        return s;
    }

    [Differentiable]
    public static double Piecewise(double[] x)
    {
        // Abs/Max/Min/Clamp select an argument; Floor/Round/Truncate/Sign contribute nothing.
        double s = double.Abs(x[0]) * x[1] + double.Max(x[1], x[2]) + double.Min(x[0] * x[2], x[3]);
        s += double.Clamp(x[3], -0.5, 0.5) * x[0];
        s += double.Floor(x[0]) * x[1] + double.Round(x[2]) * x[3] + double.Truncate(x[1]) + double.Sign(x[3]) * x[2];
        return s;
    }

    [Differentiable]
    public static float FloatSpellings(float[] x)
    {
        float s = float.Tanh(x[0]) + float.Exp(0.5f * x[1]) + float.Sqrt(x[2] * x[2] + 1) + float.Log(x[3] * x[3] + 1);
        s += float.Clamp(x[0], -0.5f, 0.5f) * x[1] + float.Max(x[2], x[3]) + float.Abs(x[1]) + float.Pow(x[2] * x[2] + 1, 0.5f);
        s += float.Round(x[0]) * x[3] + float.Ceiling(x[2]);
        return s;
    }
}

public class GenericMathTests
{
    [Fact]
    public void DoubleSmoothFunctionsMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            double[] x = Fd.Vector(new Random(seed), 4);
            var dX = new double[4];
            double value = GenericMathOps.SmoothGradient(x, dX);
            Assert.Equal(GenericMathOps.Smooth(x), value);
            Fd.Vec($"dX(seed {seed})", () => GenericMathOps.Smooth(x), x, dX);
        }
    }

    [Fact]
    public void DoublePiecewiseFunctionsMatchFiniteDifferences()
    {
        // Away from kinks and integers, so every branch and step is locally constant.
        double[][] points = { new[] { 0.3, 1.2, -0.7, 0.2 }, new[] { -1.3, -0.4, 0.6, -0.9 }, new[] { 1.7, 0.2, 1.1, 0.8 } };
        foreach (double[] x in points)
        {
            var dX = new double[4];
            double value = GenericMathOps.PiecewiseGradient(x, dX);
            Assert.Equal(GenericMathOps.Piecewise(x), value);
            Fd.Vec("dX", () => GenericMathOps.Piecewise(x), x, dX);
        }
    }

    [Fact]
    public void FloatSpellingsMatchFiniteDifferences()
    {
        float[][] points = { new[] { 0.3f, 1.2f, -0.7f, 0.2f }, new[] { -1.3f, -0.4f, 0.6f, -0.9f }, new[] { 0.2f, 0.7f, 1.1f, 1.6f } };
        foreach (float[] x in points)
        {
            var dX = new float[4];
            float value = GenericMathOps.FloatSpellingsGradient(x, dX);
            Assert.Equal(GenericMathOps.FloatSpellings(x), value);
            Fd.Vec("dX", () => GenericMathOps.FloatSpellings(x), x, dX);
        }
    }
}
