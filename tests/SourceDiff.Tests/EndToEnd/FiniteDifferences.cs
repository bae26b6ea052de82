using System;
using Xunit;

namespace SourceDiff.Tests.EndToEnd;

/// <summary>Central finite differences on real compiled code, the reference every generated gradient is compared with.</summary>
internal static class FiniteDifferences
{
    /// <summary>Central difference of <paramref name="f"/> with respect to <c>x[i]</c>, with a step scaled to the value.</summary>
    public static double Partial(Func<double> f, double[] x, int i)
    {
        double saved = x[i];
        double h = 1e-6 * Math.Max(1.0, Math.Abs(saved));
        x[i] = saved + h;
        double plus = f();
        x[i] = saved - h;
        double minus = f();
        x[i] = saved;
        return (plus - minus) / (2 * h);
    }

    /// <summary>Asserts that every analytic partial matches the finite difference (relative error with an absolute floor).</summary>
    public static void AssertGradient(Func<double> f, double[] x, double[] analytic, string name, double tolerance = 1e-6)
    {
        Assert.Equal(x.Length, analytic.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double numeric = Partial(f, x, i);
            AssertClose(numeric, analytic[i], $"{name}[{i}]", tolerance);
        }
    }

    public static void AssertClose(double expected, double actual, string what, double tolerance = 1e-6)
    {
        double error = Math.Abs(expected - actual) / Math.Max(1.0, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(error <= tolerance, $"{what}: analytic {actual:R}, finite difference {expected:R} (error {error:E2}).");
    }

    /// <summary>Checks a scalar input by perturbing a one-element box the function reads.</summary>
    public static void AssertScalar(Func<double, double> f, double x, double analytic, string name, double tolerance = 1e-6)
    {
        double h = 1e-6 * Math.Max(1.0, Math.Abs(x));
        double numeric = (f(x + h) - f(x - h)) / (2 * h);
        AssertClose(numeric, analytic, name, tolerance);
    }
}
