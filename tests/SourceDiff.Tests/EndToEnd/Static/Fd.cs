using System;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>
/// Central finite differences for the static end-to-end tests. Every check perturbs the real input the primal
/// reads (an array element, a jagged row element, a matrix element, or a scalar passed to a lambda), so the
/// reference never shares code with the generated adjoint.
/// </summary>
internal static class Fd
{
    public const double DoubleTol = 1e-6;
    public const double FloatTol = 1e-2;
    public const double FloatStep = 1e-3;

    public static double Step(double x, double step) => step * Math.Max(1.0, Math.Abs(x));

    /// <summary>Reproducible inputs in (-scale, scale), from a seed.</summary>
    public static double[] Values(int length, int seed, double scale = 0.8)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (random.NextDouble() * 2 - 1) * scale;
        }

        return values;
    }

    /// <summary>Relative error with an absolute floor of 1.</summary>
    public static void Close(double expected, double actual, string what, double tol = DoubleTol)
    {
        Assert.False(double.IsNaN(actual), $"{what}: analytic is NaN (finite difference {expected:R}).");
        double error = Math.Abs(expected - actual) / Math.Max(1.0, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(error <= tol, $"{what}: analytic {actual:R}, finite difference {expected:R} (error {error:E2}).");
    }

    public static void Scalar(string name, Func<double, double> f, double x, double analytic, double tol = DoubleTol, double step = 1e-6)
    {
        double h = Step(x, step);
        double numeric = (f(x + h) - f(x - h)) / (2 * h);
        Close(numeric, analytic, name, tol);
    }

    public static void Vec(string name, Func<double> f, double[] x, double[] analytic, double tol = DoubleTol, double step = 1e-6)
    {
        Assert.Equal(x.Length, analytic.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            double h = Step(saved, step);
            x[i] = saved + h;
            double plus = f();
            x[i] = saved - h;
            double minus = f();
            x[i] = saved;
            Close((plus - minus) / (2 * h), analytic[i], $"{name}[{i}]", tol);
        }
    }

    public static void Vec(string name, Func<double> f, float[] x, float[] analytic, double tol = FloatTol, double step = FloatStep)
    {
        Assert.Equal(x.Length, analytic.Length);
        for (int i = 0; i < x.Length; i++)
        {
            float saved = x[i];
            float plusValue = (float)(saved + Step(saved, step));
            float minusValue = (float)(saved - Step(saved, step));
            x[i] = plusValue;
            double plus = f();
            x[i] = minusValue;
            double minus = f();
            x[i] = saved;
            Close((plus - minus) / ((double)plusValue - minusValue), analytic[i], $"{name}[{i}]", tol);
        }
    }

    public static void FloatScalar(string name, Func<float, double> f, float x, float analytic, double tol = FloatTol, double step = FloatStep)
    {
        float plusValue = (float)(x + Step(x, step));
        float minusValue = (float)(x - Step(x, step));
        double numeric = (f(plusValue) - f(minusValue)) / ((double)plusValue - minusValue);
        Close(numeric, analytic, name, tol);
    }

    public static void Jagged(string name, Func<double> f, double[][] x, double[][] analytic, double tol = DoubleTol)
    {
        Assert.Equal(x.Length, analytic.Length);
        for (int r = 0; r < x.Length; r++)
        {
            Vec($"{name}[{r}]", f, x[r], analytic[r], tol);
        }
    }

    public static void Matrix(string name, Func<double> f, double[,] x, double[,] analytic, double tol = DoubleTol)
    {
        Assert.Equal(x.GetLength(0), analytic.GetLength(0));
        Assert.Equal(x.GetLength(1), analytic.GetLength(1));
        for (int i = 0; i < x.GetLength(0); i++)
        {
            for (int j = 0; j < x.GetLength(1); j++)
            {
                double saved = x[i, j];
                double h = Step(saved, 1e-6);
                x[i, j] = saved + h;
                double plus = f();
                x[i, j] = saved - h;
                double minus = f();
                x[i, j] = saved;
                Close((plus - minus) / (2 * h), analytic[i, j], $"{name}[{i},{j}]", tol);
            }
        }
    }

    public static double[] Vector(Random random, int n, double lo = -1, double hi = 1)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = lo + (hi - lo) * random.NextDouble();
        }

        return v;
    }

    public static float[] FloatVector(Random random, int n, double lo = -1, double hi = 1)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)(lo + (hi - lo) * random.NextDouble());
        }

        return v;
    }

    public static double[][] JaggedOf(Random random, int rows, int cols, double lo = -1, double hi = 1)
    {
        var v = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            v[i] = Vector(random, cols, lo, hi);
        }

        return v;
    }

    public static double[][] ZerosLike(double[][] x)
    {
        var v = new double[x.Length][];
        for (int i = 0; i < x.Length; i++)
        {
            v[i] = new double[x[i].Length];
        }

        return v;
    }

    public static double[][] Clone(double[][] x)
    {
        var v = new double[x.Length][];
        for (int i = 0; i < x.Length; i++)
        {
            v[i] = (double[])x[i].Clone();
        }

        return v;
    }

    public static double[,] MatrixOf(Random random, int rows, int cols, double lo = -1, double hi = 1)
    {
        var v = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                v[i, j] = lo + (hi - lo) * random.NextDouble();
            }
        }

        return v;
    }

    public static double Uniform(Random random, double lo, double hi) => lo + (hi - lo) * random.NextDouble();

    /// <summary>Seeds used by every "several inputs" test.</summary>
    public static readonly int[] Seeds = { 11, 23, 57, 101 };
}
