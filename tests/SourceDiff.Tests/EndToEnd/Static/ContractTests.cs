using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

public static partial class Contract
{
    [Differentiable]
    public static double Weighted(double a, double[] w, int k, [NoDerivative] double[] data)
    {
        double s = a * a;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * data[i] * (i < k ? a : 1.0);
        }

        return s;
    }

    [Differentiable]
    public static double TwoArrays(double[] x, double[] y, double[][] seq, double[,] m)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * y[i] + seq[0][i] * m[0, i];
        }

        return s;
    }

    /// <summary>-=, *=, /= on a ref parameter.</summary>
    [Differentiable]
    public static void RefCompound(ref double h, double x)
    {
        h -= x;
        h *= x + h;
        h /= 1 + x * x;
    }

    /// <summary>Results through out parameters.</summary>
    [Differentiable]
    public static void MeanAndSpread(double[] x, out double mean, out double spread)
    {
        mean = 0;
        foreach (double v in x)
        {
            mean += v;
        }

        mean /= x.Length;
        spread = 0;
        for (int i = 0; i < x.Length; i++)
        {
            spread += (x[i] - mean) * (x[i] - mean);
        }
    }

    [Differentiable]
    public static double SignIsPiecewiseConstant(double x, double y) => Math.Sign(x) * x * y + Math.Sign(y - 0.5) * y;

    /// <summary>while with continue, do with break, and a return from a while loop nested in a for loop.</summary>
    [Differentiable]
    public static double MixedLoops(double[] w, double limit)
    {
        double s = 0;
        int i = 0;
        while (i < w.Length)
        {
            i++;
            if (w[i - 1] < 0)
            {
                continue;
            }

            s += w[i - 1] * s + w[i - 1];
        }

        int k = 0;
        do
        {
            s = s * 0.9 + w[k];
            k++;
            if (s > limit)
            {
                break;
            }
        }
        while (k < w.Length);

        for (int j = 0; j < w.Length; j++)
        {
            double t = w[j];
            while (t < 4)
            {
                t = t * 2 + 0.5;
                if (t * s > 100 * limit)
                {
                    return t * s;
                }
            }

            s += t * 0.01;
        }

        return s;
    }
}

public class ContractTests
{
    private static readonly double[] Data = { 0.5, -1.0, 2.0 };

    [Fact]
    public void GradientSignatureFollowsTheContract()
    {
        var gradient = typeof(Contract).GetMethod(nameof(Contract.WeightedGradient))!;
        Assert.Equal(typeof(double), gradient.ReturnType);
        Assert.Equal(new[] { "a", "w", "k", "data", "dA", "dW" }, Array.ConvertAll(gradient.GetParameters(), p => p.Name));
        Assert.True(gradient.GetParameters()[4].IsOut);

        var pullback = typeof(Contract).GetMethod(nameof(Contract.WeightedPullback))!;
        Assert.Equal(typeof(void), pullback.ReturnType);
        Assert.Equal(new[] { "a", "w", "k", "data", "dResult", "dA", "dW" }, Array.ConvertAll(pullback.GetParameters(), p => p.Name));
        Assert.True(pullback.GetParameters()[5].ParameterType.IsByRef);
    }

    [Fact]
    public void WeightedMatchesFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double a = Fd.Uniform(random, -2, 2);
            double[] w = Fd.Vector(random, 3);
            int k = seed % 4;
            double[] dW = new double[3];
            double value = Contract.WeightedGradient(a, w, k, Data, out double dA, dW);
            Assert.Equal(Contract.Weighted(a, w, k, Data), value);
            Fd.Scalar("dA", v => Contract.Weighted(v, w, k, Data), a, dA);
            Fd.Vec("dW", () => Contract.Weighted(a, w, k, Data), w, dW);
        }
    }

    [Fact]
    public void GradientOverwritesPrefilledBuffers()
    {
        double[] w = { 0.3, -0.7, 1.1 };
        double[] fresh = new double[3];
        Contract.WeightedGradient(0.4, w, 2, Data, out double dAFresh, fresh);
        double[] prefilled = { 1e6, -5, double.NaN };
        Contract.WeightedGradient(0.4, w, 2, Data, out double dA, prefilled);
        Assert.Equal(fresh, prefilled);
        Assert.Equal(dAFresh, dA);
    }

    [Fact]
    public void PullbackAccumulatesAndScalesByDResult()
    {
        double a = 0.4;
        double[] w = { 0.3, -0.7, 1.1 };
        double[] g = new double[3];
        Contract.WeightedGradient(a, w, 2, Data, out double gA, g);

        double dA = 0;
        double[] dW = new double[3];
        Contract.WeightedPullback(a, w, 2, Data, 1.0, ref dA, dW);
        Contract.WeightedPullback(a, w, 2, Data, 1.0, ref dA, dW);
        Assert.Equal(2 * gA, dA, 12);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(2 * g[i], dW[i], 12);
        }

        double dA2 = 10;
        double[] dW2 = { 1, 2, 3 };
        Contract.WeightedPullback(a, w, 2, Data, -2.5, ref dA2, dW2);
        Assert.Equal(10 - 2.5 * gA, dA2, 12);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(i + 1 - 2.5 * g[i], dW2[i], 12);
        }
    }

    [Fact]
    public void WrongBufferLengthThrowsNamingTheBufferAndWritesNothing()
    {
        double[] w = { 0.3, -0.7, 1.1 };
        double[] shortBuffer = { 7, 7 };
        var e = Assert.Throws<ArgumentException>(() => Contract.WeightedGradient(0.4, w, 2, Data, out _, shortBuffer));
        Assert.Equal("dW", e.ParamName);
        Assert.Equal(new double[] { 7, 7 }, shortBuffer);

        double dA = 5;
        double[] longBuffer = { 7, 7, 7, 7 };
        e = Assert.Throws<ArgumentException>(() => Contract.WeightedPullback(0.4, w, 2, Data, 1.0, ref dA, longBuffer));
        Assert.Equal("dW", e.ParamName);
        Assert.Equal(5, dA);
        Assert.Equal(new double[] { 7, 7, 7, 7 }, longBuffer);
    }

    [Fact]
    public void WrongShapeOfJaggedAndMatrixBuffersThrows()
    {
        double[] x = { 1, 2 }, y = { 3, 4 };
        double[][] seq = { new double[] { 1, 2 } };
        double[,] m = new double[1, 2];
        double[] dX = { 9, 9 }, dY = { 9, 9 };

        var e = Assert.Throws<ArgumentException>(() => Contract.TwoArraysGradient(x, y, seq, m, dX, dY, new[] { new double[3] }, new double[1, 2]));
        Assert.StartsWith("dSeq", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Contract.TwoArraysGradient(x, y, seq, m, dX, dY, new[] { new double[2] }, new double[2, 1]));
        Assert.Equal("dM", e.ParamName);
        Assert.Equal(new double[] { 9, 9 }, dX);
        Assert.Equal(new double[] { 9, 9 }, dY);

        double[][] dSeq = { new double[2] };
        double[,] dM = new double[1, 2];
        double value = Contract.TwoArraysGradient(x, y, seq, m, dX, dY, dSeq, dM);
        Assert.Equal(Contract.TwoArrays(x, y, seq, m), value);
        Assert.Equal(y, dX);
        Assert.Equal(x, dY);
        Assert.Equal(new[] { m[0, 0], m[0, 1] }, dSeq[0]);
        Assert.Equal(seq[0][1], dM[0, 1]);
    }

    [Fact]
    public void AliasedDifferentiableArgumentsThrowBeforeWriting()
    {
        double[] x = { 1, 2 };
        double[][] seq = { new double[] { 1, 2 } };
        double[,] m = new double[1, 2];
        double[] dX = { 9, 9 }, dY = { 9, 9 };
        var e = Assert.Throws<ArgumentException>(() => Contract.TwoArraysGradient(x, x, seq, m, dX, dY, new[] { new double[2] }, new double[1, 2]));
        Assert.True(e.ParamName is "x" or "y", $"ParamName {e.ParamName}");
        Assert.Equal(new double[] { 9, 9 }, dX);

        // One buffer for two gradients.
        double[] y = { 3, 4 };
        double[] shared = { 9, 9 };
        e = Assert.Throws<ArgumentException>(() => Contract.TwoArraysGradient(x, y, seq, m, shared, shared, new[] { new double[2] }, new double[1, 2]));
        Assert.True(e.ParamName is "dX" or "dY", $"ParamName {e.ParamName}");
        Assert.Equal(new double[] { 9, 9 }, shared);

        // An input used as its own gradient buffer.
        e = Assert.Throws<ArgumentException>(() => Contract.TwoArraysGradient(x, y, seq, m, x, dY, new[] { new double[2] }, new double[1, 2]));
        Assert.NotNull(e.ParamName);
        Assert.Equal(new double[] { 1, 2 }, x);
    }

    [Fact]
    public void InputsHoldWhatThePrimalLeavesAfterGradient()
    {
        double[] w = { 0.3, -0.7, 1.1 };
        double[] before = (double[])w.Clone();
        Contract.WeightedGradient(0.4, w, 2, Data, out _, new double[3]);
        Assert.Equal(before, w);   // Weighted does not write w
        Assert.Equal(new[] { 0.5, -1.0, 2.0 }, Data);
    }

    [Fact]
    public void RefCompoundAssignmentPullback()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double h0 = Fd.Uniform(random, -1, 1), x = Fd.Uniform(random, -2, 2), c = Fd.Uniform(random, 0.5, 2);
            double Final(double hh, double xx)
            {
                Contract.RefCompound(ref hh, xx);
                return hh;
            }

            double h = h0, dH = c, dX = 0;
            Contract.RefCompoundPullback(ref h, x, ref dH, ref dX);
            Assert.Equal(Final(h0, x), h);
            Fd.Scalar("dH", v => c * Final(v, x), h0, dH);
            Fd.Scalar("dX", v => c * Final(h0, v), x, dX);
        }
    }

    [Fact]
    public void OutParametersPullback()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 5);
            double cMean = Fd.Uniform(random, -2, 2), cSpread = Fd.Uniform(random, -2, 2);
            double L()
            {
                Contract.MeanAndSpread(x, out double m, out double s);
                return cMean * m + cSpread * s;
            }

            double[] dX = new double[5];
            double dMean = cMean, dSpread = cSpread;
            Contract.MeanAndSpreadPullback(x, out double mean, out double spread, dX, ref dMean, ref dSpread);
            Contract.MeanAndSpread(x, out double m0, out double s0);
            Assert.Equal(m0, mean);
            Assert.Equal(s0, spread);
            Fd.Vec("dX", L, x, dX);
        }
    }

    [Fact]
    public void SignHasZeroDerivative()
    {
        (double x, double y)[] points = { (0.7, 1.2), (-0.4, 0.1), (1.5, -0.8) };
        foreach (var (x, y) in points)
        {
            double value = Contract.SignIsPiecewiseConstantGradient(x, y, out double dX, out double dY);
            Assert.Equal(Contract.SignIsPiecewiseConstant(x, y), value);
            Fd.Scalar("dX", v => Contract.SignIsPiecewiseConstant(v, y), x, dX);
            Fd.Scalar("dY", v => Contract.SignIsPiecewiseConstant(x, v), y, dY);
        }
    }

    [Fact]
    public void MixedLoops()
    {
        foreach (double limit in new[] { 0.5, 3.0, 1000.0 })
        {
            foreach (int seed in Fd.Seeds)
            {
                var random = new Random(seed);
                double[] w = Fd.Vector(random, 5, -0.5, 1.5);
                double[] dW = new double[5];
                double value = Contract.MixedLoopsGradient(w, limit, dW, out double dLimit);
                Assert.Equal(Contract.MixedLoops(w, limit), value);
                Fd.Vec($"dW (limit {limit}, seed {seed})", () => Contract.MixedLoops(w, limit), w, dW);
                Fd.Scalar("dLimit", v => Contract.MixedLoops(w, v), limit, dLimit);
            }
        }
    }
}
