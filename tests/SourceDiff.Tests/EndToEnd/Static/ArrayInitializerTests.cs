using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>Array initializers of every shape: one-dimensional, rectangular and jagged, with active values inside.</summary>
public static partial class InitializerOps
{
    [Differentiable]
    public static double Rotate(double[] p, double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        double[,] rotation = { { c, -s }, { s, c } };
        double[] v = { p[0], p[1] * 2 };
        double[][] rows = new[] { new[] { rotation[0, 0] * v[0], rotation[0, 1] * v[1] }, new[] { rotation[1, 0] * v[0], rotation[1, 1] * v[1] } };
        var scale = new double[,] { { 1, p[2] }, { p[2] * p[2], 3 } };
        double result = 0;
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                result += rows[i][j] * scale[i, j];
            }
        }

        return result;
    }

    [Differentiable]
    public static float Bilinear(float x, float y)
    {
        float[,] corners = new float[2, 2] { { x, x * y }, { y, 1 } };
        return corners[0, 0] * corners[1, 1] + corners[0, 1] * corners[1, 0];
    }
}

public class ArrayInitializerTests
{
    [Fact]
    public void RectangularAndJaggedInitializersMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] p = Fd.Vector(random, 3);
            double angle = Fd.Uniform(random, -2, 2);
            var dP = new double[3];
            double value = InitializerOps.RotateGradient(p, angle, dP, out double dAngle);
            Assert.Equal(InitializerOps.Rotate(p, angle), value);
            Fd.Vec("dP", () => InitializerOps.Rotate(p, angle), p, dP);
            Fd.Scalar("dAngle", a => InitializerOps.Rotate(p, a), angle, dAngle);
        }
    }

    [Fact]
    public void FloatRectangularInitializer()
    {
        float value = InitializerOps.BilinearGradient(0.7f, -1.3f, out float dX, out float dY);
        Assert.Equal(InitializerOps.Bilinear(0.7f, -1.3f), value);
        Fd.FloatScalar("dX", v => InitializerOps.Bilinear(v, -1.3f), 0.7f, dX);
        Fd.FloatScalar("dY", v => InitializerOps.Bilinear(0.7f, v), -1.3f, dY);
    }
}
