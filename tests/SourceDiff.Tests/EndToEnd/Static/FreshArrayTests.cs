using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>
/// Arrays the method allocates, whose element writes are recorded only where a reverse read of the array comes before
/// them since the allocation: gates written once and read after (nothing recorded), beside arrays read before they are
/// written, written twice, refilled in a loop and read at the loop's counter, or read at a neighbour's index.
/// </summary>
public static partial class FreshArrays
{
    /// <summary>LSTM-style gates: each element written once with an activation, then read.</summary>
    [Differentiable]
    public static double Gates(double[] w, double[] x)
    {
        int n = x.Length;
        double[] gate = new double[n];
        double[] candidate = new double[n];
        for (int k = 0; k < n; k++)
        {
            gate[k] = 1 / (1 + Math.Exp(-(w[k] * x[k])));
            candidate[k] = Math.Tanh(w[k] + x[k]);
        }

        double s = 0;
        for (int k = 0; k < n; k++)
        {
            s += gate[k] * candidate[k] + gate[k] * gate[k];
        }

        return s;
    }

    /// <summary>Read (zeros) before the write, written twice, read at a neighbour after the write.</summary>
    [Differentiable]
    public static double Reuses(double[] w, double x)
    {
        int n = w.Length;
        double[] a = new double[n];
        double s = 0;
        for (int k = 0; k < n; k++)
        {
            s += Math.Exp(a[k] + w[k] * x);
        }

        for (int k = 0; k < n; k++)
        {
            a[k] = Math.Tanh(w[k] * x + s * 0.1);
        }

        for (int k = 0; k < n; k++)
        {
            s += a[k] * a[k] * w[k];
        }

        for (int k = 0; k < n; k++)
        {
            a[k] = Math.Exp(a[k] * 0.5 - w[k]);
            s += a[(k + 1) % n] * x;
        }

        for (int k = 0; k < n; k++)
        {
            s += a[k] * w[k];
        }

        return s;
    }

    /// <summary>Refilled by an inner loop in every iteration of an outer one, and read at the outer counter.</summary>
    [Differentiable]
    public static double Refilled(double[] w, double x)
    {
        int n = w.Length;
        double[] g = new double[n];
        double s = 0.25;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                g[j] = Math.Tanh(w[j] * s + x);
            }

            s += g[i] * w[i];
        }

        return s;
    }

    /// <summary>The same with a write whose reverse reads nothing of the array, and a read that does.</summary>
    [Differentiable]
    public static double RefilledLinear(double[] w, double x)
    {
        int n = w.Length;
        double[] g = new double[n];
        double s = 0.25;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                g[j] = w[j] * s + x;
            }

            s += g[i] * g[i] * 0.5;
        }

        return s;
    }

    /// <summary>Allocated afresh in every iteration, so earlier iterations' reads need nothing restored.</summary>
    [Differentiable]
    public static double AllocatedPerStep(double[] w, double x, int steps)
    {
        int n = w.Length;
        double h = x;
        for (int t = 0; t < steps; t++)
        {
            double[] z = new double[n];
            for (int k = 0; k < n; k++)
            {
                z[k] = Math.Exp(w[k] * h * 0.5);
            }

            double total = 0;
            for (int k = 0; k < n; k++)
            {
                total += z[k];
            }

            h = Math.Log(total) * 0.5 + h * 0.25;
        }

        return h;
    }
}

public class FreshArrayTests
{
    [Fact]
    public void GatesMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 5), x = Fd.Vector(random, 5);
            double[] dW = new double[5], dX = new double[5];
            double value = FreshArrays.GatesGradient(w, x, dW, dX);
            Assert.Equal(FreshArrays.Gates(w, x), value);
            Fd.Vec("dW", () => FreshArrays.Gates(w, x), w, dW);
            Fd.Vec("dX", () => FreshArrays.Gates(w, x), x, dX);
        }
    }

    [Fact]
    public void ReadsBeforeWritesAndSecondWritesMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            foreach (int n in new[] { 1, 2, 5 })
            {
                var random = new Random(seed + n);
                double[] w = Fd.Vector(random, n, -0.8, 0.8);
                double x = Fd.Uniform(random, -1, 1);
                double[] dW = new double[n];
                double value = FreshArrays.ReusesGradient(w, x, dW, out double dX);
                Assert.Equal(FreshArrays.Reuses(w, x), value);
                Fd.Vec("dW", () => FreshArrays.Reuses(w, x), w, dW);
                Fd.Scalar("dX", v => FreshArrays.Reuses(w, v), x, dX);
            }
        }
    }

    [Fact]
    public void ArrayRefilledInALoopAndReadAtItsCounterMatchesFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            foreach (int n in new[] { 1, 3, 6 })
            {
                var random = new Random(seed + n);
                double[] w = Fd.Vector(random, n, -0.9, 0.9);
                double x = Fd.Uniform(random, -1, 1);
                double[] dW = new double[n];
                double value = FreshArrays.RefilledGradient(w, x, dW, out double dX);
                Assert.Equal(FreshArrays.Refilled(w, x), value);
                Fd.Vec("dW", () => FreshArrays.Refilled(w, x), w, dW);
                Fd.Scalar("dX", v => FreshArrays.Refilled(w, v), x, dX);
                value = FreshArrays.RefilledLinearGradient(w, x, dW, out dX);
                Assert.Equal(FreshArrays.RefilledLinear(w, x), value);
                Fd.Vec("dW", () => FreshArrays.RefilledLinear(w, x), w, dW);
                Fd.Scalar("dX", v => FreshArrays.RefilledLinear(w, v), x, dX);
            }
        }
    }

    [Fact]
    public void ArrayAllocatedPerStepMatchesFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 4);
            double x = Fd.Uniform(random, -1, 1);
            double[] dW = new double[4];
            double value = FreshArrays.AllocatedPerStepGradient(w, x, 5, dW, out double dX);
            Assert.Equal(FreshArrays.AllocatedPerStep(w, x, 5), value);
            Fd.Vec("dW", () => FreshArrays.AllocatedPerStep(w, x, 5), w, dW);
            Fd.Scalar("dX", v => FreshArrays.AllocatedPerStep(w, v, 5), x, dX);
        }
    }
}

public class FreshArrayGenerationTests
{
    private const string Source = """
        using System;
        using SourceDiff;
        namespace Samples;
        public static partial class C
        {
            [Differentiable]
            public static double Gates(double[] w, double[] x)
            {
                double[] gate = new double[x.Length];
                for (int k = 0; k < x.Length; k++) gate[k] = Math.Tanh(w[k] * x[k]);
                double s = 0;
                for (int k = 0; k < x.Length; k++) s += gate[k] * w[k];
                return s;
            }

            [Differentiable]
            public static double Refilled(double[] w, double x)
            {
                double[] g = new double[w.Length];
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    for (int j = 0; j < w.Length; j++) g[j] = Math.Tanh(w[j] * s + x);
                    s += g[i] * w[i];
                }
                return s;
            }
        }
        """;

    [Fact]
    public void GatesWrittenOnceRecordNothingButArraysRefilledAfterAReadDo()
    {
        Generator.GeneratorResult result = Generator.GeneratorHarness.Run(Source);
        result.AssertCompiles();
        Assert.DoesNotMatch(@"PushDouble(Reserved)?\(gate\[", result.Generated("C.Gates.g.cs"));
        Assert.Matches(@"PushDouble(Reserved)?\(g\[", result.Generated("C.Refilled.g.cs"));
    }
}
