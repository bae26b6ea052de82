using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>
/// Locals declared with cheap arithmetic (<c>double e = h - y[t];</c>, <c>int k = i * n + j;</c>) that the reverse sweep
/// computes again instead of recording, beside look-alikes it must record: an input written later in the block, an
/// element of an array read written later, the local assigned again, a callee writing what it reads.
/// </summary>
public static partial class Rematerialized
{
    /// <summary>The story-1 residual: e is recomputed from h, which the recurrence records anyway.</summary>
    [Differentiable]
    public static double Residuals(double w, double b, double[] x, double[] y)
    {
        double h = 0;
        double loss = 0;
        for (int t = 0; t < x.Length; t++)
        {
            h = Math.Tanh(w * h + x[t] + b);
            double e = h - y[t];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>An integer index and a scaled element, both declared in nested counted loops, and a float twin.</summary>
    [Differentiable]
    public static double Indices(double[] w, double[] v, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int k = i * n + j;
                double p = -w[k] * v[j] + 0.5;
                s += p * p * w[k];
            }
        }

        return s;
    }

    [Differentiable]
    public static float FloatResiduals(float[] h, float[] y, float scale)
    {
        float loss = 0;
        for (int i = 0; i < h.Length; i++)
        {
            float e = scale * h[i] - y[i];
            loss += e * e * h[i];
        }

        return loss;
    }

    /// <summary>Look-alikes whose inputs or the local itself change after the declaration: each must be recorded.</summary>
    [Differentiable]
    public static double LookAlikes(double[] w, double x)
    {
        double s = 0.5;
        double[] buffer = new double[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            double e = s - w[i];
            s = s * 0.5 + w[i] * x;
            double d = buffer[i] * x + w[i];
            buffer[i] = d + w[i] * s;
            double r = w[i] * x;
            r = r * r + 1;
            s += e * s * 0.3 + d * buffer[i] * 0.2 + r * w[i] * 0.1;
            double c = w[i] - x;
            for (int j = 0; j < w.Length; j++)
            {
                s += c * w[j] * s * 0.05;
            }
        }

        return s;
    }

    /// <summary>A callee writes the array the local was computed from, after the declaration.</summary>
    [Differentiable]
    public static double AcrossCall(double[] v, double x)
    {
        double s = 0;
        for (int t = 0; t < 3; t++)
        {
            double e = v[0] * x - 0.25;
            Scale(v, 1.5);
            s += e * v[0] + e * e;
        }

        return s;
    }

    [Differentiable]
    public static void Scale(double[] v, double factor)
    {
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = v[i] * factor;
        }
    }
}

public class RematerializationTests
{
    [Fact]
    public void RecurrenceResidualsMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 7), y = Fd.Vector(random, 7);
            double w = Fd.Uniform(random, -0.9, 0.9), b = Fd.Uniform(random, -0.5, 0.5);
            double[] dX = new double[7], dY = new double[7];
            double value = Rematerialized.ResidualsGradient(w, b, x, y, out double dW, out double dB, dX, dY);
            Assert.Equal(Rematerialized.Residuals(w, b, x, y), value);
            Fd.Scalar("dW", v => Rematerialized.Residuals(v, b, x, y), w, dW);
            Fd.Scalar("dB", v => Rematerialized.Residuals(w, v, x, y), b, dB);
            Fd.Vec("dX", () => Rematerialized.Residuals(w, b, x, y), x, dX);
            Fd.Vec("dY", () => Rematerialized.Residuals(w, b, x, y), y, dY);
        }
    }

    [Fact]
    public void IndexAndElementLocalsMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 16), v = Fd.Vector(random, 4);
            double[] dW = new double[16], dV = new double[4];
            double value = Rematerialized.IndicesGradient(w, v, 4, dW, dV);
            Assert.Equal(Rematerialized.Indices(w, v, 4), value);
            Fd.Vec("dW", () => Rematerialized.Indices(w, v, 4), w, dW);
            Fd.Vec("dV", () => Rematerialized.Indices(w, v, 4), v, dV);
        }
    }

    [Fact]
    public void FloatResidualsMatchFiniteDifferences()
    {
        var random = new Random(11);
        float[] h = new float[5], y = new float[5];
        for (int i = 0; i < 5; i++)
        {
            h[i] = (float)Fd.Uniform(random, -1, 1);
            y[i] = (float)Fd.Uniform(random, -1, 1);
        }

        float[] dH = new float[5], dY = new float[5];
        Rematerialized.FloatResidualsGradient(h, y, 1.25f, dH, dY, out float dScale);
        Fd.Vec("dH", () => Rematerialized.FloatResiduals(h, y, 1.25f), h, dH);
        Fd.Vec("dY", () => Rematerialized.FloatResiduals(h, y, 1.25f), y, dY);
        Fd.Scalar("dScale", s => Rematerialized.FloatResiduals(h, y, (float)s), 1.25, dScale, Fd.FloatTol, Fd.FloatStep);
    }

    [Fact]
    public void LookAlikesMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            foreach (int n in new[] { 0, 1, 4 })
            {
                var random = new Random(seed + n);
                double[] w = Fd.Vector(random, n, -0.8, 0.8);
                double x = Fd.Uniform(random, -1, 1);
                double[] dW = new double[n];
                double value = Rematerialized.LookAlikesGradient(w, x, dW, out double dX);
                Assert.Equal(Rematerialized.LookAlikes(w, x), value);
                Fd.Vec("dW", () => Rematerialized.LookAlikes(w, x), w, dW);
                Fd.Scalar("dX", v => Rematerialized.LookAlikes(w, v), x, dX);
            }
        }
    }

    [Fact]
    public void LocalReadAcrossACallThatWritesItsArrayMatchesFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] v = Fd.Vector(random, 3);
            double x = Fd.Uniform(random, -1, 1);
            double[] input = (double[])v.Clone();
            double[] dV = new double[3];
            Rematerialized.AcrossCallGradient(v, x, dV, out double dX);
            double[] after = (double[])input.Clone();
            Rematerialized.AcrossCall(after, x);
            Assert.Equal(after, v);
            Fd.Vec("dV", () => Rematerialized.AcrossCall((double[])input.Clone(), x), input, dV);
            Fd.Scalar("dX", s => Rematerialized.AcrossCall((double[])input.Clone(), s), x, dX);
        }
    }
}

public class RematerializationGenerationTests
{
    private const string Source = """
        using System;
        using SourceDiff;
        namespace Samples;
        public static partial class C
        {
            [Differentiable]
            public static double Residuals(double w, double[] x, double[] y)
            {
                double h = 0, loss = 0;
                for (int t = 0; t < x.Length; t++)
                {
                    h = w * h + x[t];
                    double e = h - y[t];
                    loss += e * e;
                }
                return loss;
            }

            [Differentiable]
            public static double InputChangesLater(double w, double[] x)
            {
                double h = 0, loss = 0;
                for (int t = 0; t < x.Length; t++)
                {
                    double e = h - x[t];
                    h = w * h + x[t];
                    loss += e * e;
                }
                return loss;
            }
        }
        """;

    [Fact]
    public void CheapLocalsAreRecomputedNotRecordedUnlessTheirInputsChangeInTheBlock()
    {
        Generator.GeneratorResult result = Generator.GeneratorHarness.Run(Source);
        result.AssertCompiles();
        string residuals = result.Generated("C.Residuals.g.cs");
        Assert.DoesNotMatch(@"PushDouble(Reserved)?\(e\)", residuals);
        Assert.Contains("// e = h - y[t] (recomputed)", residuals);
        Assert.Matches(@"PushDouble(Reserved)?\(e\)", result.Generated("C.InputChangesLater.g.cs"));
    }
}
