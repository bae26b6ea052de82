using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>Differentiable helpers in another class than their callers.</summary>
public static partial class Helpers
{
    [Differentiable]
    public static double Cube(double x) => x * x * x;

    [Differentiable]
    public static double WeightedSum(double[] w, double a)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += Math.Pow(a, i) * w[i];
        }

        return s;
    }

    /// <summary>Void method with a ref parameter: reads and overwrites h.</summary>
    [Differentiable]
    public static void Decay(ref double h, double a)
    {
        h = Math.Tanh(a * h) + 0.1 * h;
    }
}

public static partial class Calls
{
    [Differentiable]
    public static double Square(double x) => x * x;

    [Differentiable]
    public static double SumOfSquares(double[] v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * v[i];
        }

        return s;
    }

    /// <summary>Void helper with a ref accumulator.</summary>
    [Differentiable]
    public static void Accumulate(ref double acc, double x, double w)
    {
        acc += w * x * x;
    }

    [Differentiable]
    public static double ScalarCalls(double x, double y) => Square(x * y) + Square(Math.Sin(x)) * y;

    [Differentiable]
    public static double NestedCalls(double x) => Square(Helpers.Cube(x) + Square(x)) - Helpers.Cube(Square(x) - 1);

    [Differentiable]
    public static double ArrayCalls(double[] w, double a)
    {
        double n = SumOfSquares(w);
        return n * a + Helpers.WeightedSum(w, a) * n;
    }

    [Differentiable]
    public static double RefCalls(double[] x, double w, double a)
    {
        double acc = 0.5;
        for (int i = 0; i < x.Length; i++)
        {
            Accumulate(ref acc, x[i], w);
            Helpers.Decay(ref acc, a);
        }

        return acc * acc;
    }

    [Differentiable]
    public static double CallsInLoopWithOverwrite(double[] w)
    {
        double s = 0.3;
        for (int i = 0; i < w.Length; i++)
        {
            s = Helpers.Cube(s) * 0.5 + Square(w[i] - s);
        }

        return s;
    }

    [Differentiable]
    public static double RecursivePower(double x, int n)
    {
        if (n == 0)
        {
            return 1;
        }

        return x * RecursivePower(x, n - 1);
    }

    [Differentiable]
    public static double RecursiveSum(double[] w, int i)
    {
        if (i >= w.Length)
        {
            return 0;
        }

        double rest = RecursiveSum(w, i + 1);
        return w[i] * w[i] + 0.9 * rest * w[i];
    }
}

public class CallTests
{
    [Fact]
    public void ScalarCallsInSameClass()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double x = Fd.Uniform(random, -2, 2), y = Fd.Uniform(random, -2, 2);
            double value = Calls.ScalarCallsGradient(x, y, out double dX, out double dY);
            Assert.Equal(Calls.ScalarCalls(x, y), value);
            Fd.Scalar("dX", v => Calls.ScalarCalls(v, y), x, dX);
            Fd.Scalar("dY", v => Calls.ScalarCalls(x, v), y, dY);
        }
    }

    [Fact]
    public void NestedCallsAcrossClasses()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double x = Fd.Uniform(random, -1.5, 1.5);
            double value = Calls.NestedCallsGradient(x, out double dX);
            Assert.Equal(Calls.NestedCalls(x), value);
            Fd.Scalar("dX", Calls.NestedCalls, x, dX);
        }
    }

    [Fact]
    public void ArrayCallsAcrossClasses()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 5);
            double a = Fd.Uniform(random, -1.2, 1.2);
            double[] dW = new double[5];
            double value = Calls.ArrayCallsGradient(w, a, dW, out double dA);
            Assert.Equal(Calls.ArrayCalls(w, a), value);
            Fd.Vec("dW", () => Calls.ArrayCalls(w, a), w, dW);
            Fd.Scalar("dA", v => Calls.ArrayCalls(w, v), a, dA);
        }
    }

    [Fact]
    public void RefParameterCalls()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 4);
            double w = Fd.Uniform(random, -1, 1), a = Fd.Uniform(random, 0.2, 1.5);
            double[] dX = new double[4];
            double value = Calls.RefCallsGradient(x, w, a, dX, out double dW, out double dA);
            Assert.Equal(Calls.RefCalls(x, w, a), value);
            Fd.Vec("dX", () => Calls.RefCalls(x, w, a), x, dX);
            Fd.Scalar("dW", v => Calls.RefCalls(x, v, a), w, dW);
            Fd.Scalar("dA", v => Calls.RefCalls(x, w, v), a, dA);
        }
    }

    [Fact]
    public void CallsInLoopWithOverwrittenArgument()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 5, -0.8, 0.8);
            double[] dW = new double[5];
            double value = Calls.CallsInLoopWithOverwriteGradient(w, dW);
            Assert.Equal(Calls.CallsInLoopWithOverwrite(w), value);
            Fd.Vec("dW", () => Calls.CallsInLoopWithOverwrite(w), w, dW);
        }
    }

    [Fact]
    public void RecursivePower()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double x = Fd.Uniform(random, -1.5, 1.5);
            int n = seed % 7;
            double value = Calls.RecursivePowerGradient(x, n, out double dX);
            Assert.Equal(Calls.RecursivePower(x, n), value);
            Fd.Scalar("dX", v => Calls.RecursivePower(v, n), x, dX);
            Assert.Equal(n * Math.Pow(x, n - 1), dX, 10);
        }
    }

    [Fact]
    public void RecursiveSum()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 6);
            double[] dW = new double[6];
            double value = Calls.RecursiveSumGradient(w, 0, dW);
            Assert.Equal(Calls.RecursiveSum(w, 0), value);
            Fd.Vec("dW", () => Calls.RecursiveSum(w, 0), w, dW);
        }
    }

    [Fact]
    public void VoidRefMethodPullbackFollowsTapenadeConvention()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double h0 = Fd.Uniform(random, -1, 1), a = Fd.Uniform(random, 0.2, 2), c = Fd.Uniform(random, -2, 2);
            double Final(double hh, double aa)
            {
                Helpers.Decay(ref hh, aa);
                return hh;
            }

            double h = h0;
            double dH = c;          // adjoint of the final h
            double dA = 0.25;       // accumulates
            Helpers.DecayPullback(ref h, a, ref dH, ref dA);
            Assert.Equal(Final(h0, a), h);   // same side effect as the primal
            Fd.Scalar("dH (adjoint of initial h)", v => c * Final(v, a), h0, dH);
            Fd.Scalar("dA", v => c * Final(h0, v), a, dA - 0.25);
        }
    }
}
