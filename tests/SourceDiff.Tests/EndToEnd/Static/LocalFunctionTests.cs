using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>Local functions inside [Differentiable] methods: inlined at every call, captured state read when they run.</summary>
public static partial class LocalFunctions
{
    /// <summary>RK4 for y' = -k y³: the stage function takes everything as parameters and is called four times a step.</summary>
    [Differentiable]
    public static double Rk4(double y0, double k, double dt, int steps)
    {
        static double F(double y, double rate) => -rate * y * y * y;

        double y = y0;
        for (int n = 0; n < steps; n++)
        {
            double k1 = F(y, k);
            double k2 = F(y + 0.5 * dt * k1, k);
            double k3 = F(y + 0.5 * dt * k2, k);
            double k4 = F(y + dt * k3, k);
            y += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }

        return y;
    }

    /// <summary>A stage function that captures the rate and reads the step's state through its parameter.</summary>
    [Differentiable]
    public static double Euler(double y0, double k, double[] forcing)
    {
        double Rate(double y, int t) => -k * Math.Sin(y) + forcing[t];

        double state = y0;
        for (int t = 0; t < forcing.Length; t++)
        {
            state += 0.1 * Rate(state, t);
        }

        return state * state;
    }

    /// <summary>A block-bodied local function with locals of its own, writing a captured accumulator; and an index helper in a loop condition.</summary>
    [Differentiable]
    public static double Smoothed(double[] x, double alpha)
    {
        double total = 0;
        void Accumulate(double v)
        {
            double squashed = Math.Tanh(alpha * v);
            total += squashed * squashed;
        }

        int Last(int n) => n - 1;

        for (int i = 0; i < Last(x.Length); i++)
        {
            Accumulate(x[i]);
            Accumulate(0.5 * (x[i] + x[i + 1]));
        }

        return total;
    }

    /// <summary>A local function whose value is used in an expression that a later call changes the input of.</summary>
    [Differentiable]
    public static double OrderOfEffects(double x)
    {
        double h = x;
        double Read() => h * h;
        double Bump()
        {
            h = Math.Sin(h) + 2 * h;
            return h;
        }

        return Read() + Bump() + Read();
    }

    /// <summary>A ref parameter of a local function writes the caller's variable.</summary>
    [Differentiable]
    public static double Decayed(double x, double a)
    {
        static void Decay(ref double h, double rate) => h = Math.Tanh(rate * h) + 0.1 * h;

        double state = x;
        Decay(ref state, a);
        Decay(ref state, a);
        return state;
    }
}

public class LocalFunctionTests
{
    [Fact]
    public void Rk4StageFunctionCalledFourTimesAStep()
    {
        double value = LocalFunctions.Rk4Gradient(0.8, 0.6, 0.1, 20, out double dY0, out double dK, out double dDt);
        Assert.Equal(LocalFunctions.Rk4(0.8, 0.6, 0.1, 20), value);
        Fd.Scalar("y0", y => LocalFunctions.Rk4(y, 0.6, 0.1, 20), 0.8, dY0);
        Fd.Scalar("k", k => LocalFunctions.Rk4(0.8, k, 0.1, 20), 0.6, dK);
        Fd.Scalar("dt", dt => LocalFunctions.Rk4(0.8, 0.6, dt, 20), 0.1, dDt);
    }

    [Fact]
    public void CapturingStageFunction()
    {
        double[] forcing = { 0.3, -0.2, 0.5, 0.1 };
        var dForcing = new double[forcing.Length];
        double value = LocalFunctions.EulerGradient(0.4, 1.3, forcing, out double dY0, out double dK, dForcing);
        Assert.Equal(LocalFunctions.Euler(0.4, 1.3, forcing), value);
        Fd.Scalar("y0", y => LocalFunctions.Euler(y, 1.3, forcing), 0.4, dY0);
        Fd.Scalar("k", k => LocalFunctions.Euler(0.4, k, forcing), 1.3, dK);
        Fd.Vec("forcing", () => LocalFunctions.Euler(0.4, 1.3, forcing), forcing, dForcing);
    }

    [Fact]
    public void BlockBodiedLocalFunctionWithItsOwnLocalsCalledTwice()
    {
        double[] x = { 0.3, -0.7, 1.1, 0.2 };
        var dX = new double[x.Length];
        double value = LocalFunctions.SmoothedGradient(x, 0.9, dX, out double dAlpha);
        Assert.Equal(LocalFunctions.Smoothed(x, 0.9), value);
        Fd.Vec("x", () => LocalFunctions.Smoothed(x, 0.9), x, dX);
        Fd.Scalar("alpha", a => LocalFunctions.Smoothed(x, a), 0.9, dAlpha);
    }

    [Fact]
    public void CallsRunInSourceOrder()
    {
        double value = LocalFunctions.OrderOfEffectsGradient(0.7, out double dX);
        Assert.Equal(LocalFunctions.OrderOfEffects(0.7), value);
        Fd.Scalar("x", LocalFunctions.OrderOfEffects, 0.7, dX);
    }

    [Fact]
    public void RefParameterOfALocalFunction()
    {
        double value = LocalFunctions.DecayedGradient(0.5, 1.7, out double dX, out double dA);
        Assert.Equal(LocalFunctions.Decayed(0.5, 1.7), value);
        Fd.Scalar("x", x => LocalFunctions.Decayed(x, 1.7), 0.5, dX);
        Fd.Scalar("a", a => LocalFunctions.Decayed(0.5, a), 1.7, dA);
    }
}
