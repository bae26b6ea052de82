using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>
/// Loops in every counted shape, replayed by the reverse sweep from their first value, bound and step with no tape
/// traffic, beside loops that look counted but are not (their counter or bound is written inside, they break), which
/// record their trip count instead.
/// </summary>
public static partial class CountedLoops
{
    [Differentiable]
    public static double Shapes(double[] w, double x)
    {
        double s = 0;
        for (int i = 1; i < w.Length; i++) s += w[i] * w[i - 1] * x;
        for (int i = 0; i < w.Length; i += 3) s += Math.Sin(w[i] * x);
        for (int i = 0; i <= w.Length - 1; i++) s += w[i] * s * 0.1;
        for (int i = w.Length - 1; i >= 0; i--) s = s * 0.9 + w[i] * x;
        for (int i = w.Length - 1; i > 0; i -= 2) s += w[i] * w[i] * x;
        return s;
    }

    /// <summary>First value and bound from parameters and locals, and a negative literal start.</summary>
    [Differentiable]
    public static double Window(double[] w, int lo, int hi, double x)
    {
        int middle = (lo + hi) / 2;
        double s = 0;
        for (int i = lo; i < hi; i += 2) s += w[i] * x * x;
        for (int i = middle; i <= hi; i++) s = s * w[i] + x;
        for (int k = -2; k < 3; k++) s += (k + 3) * w[k + 2] * s * 0.05;
        return s;
    }

    /// <summary>A counter read after its loop, and nested counted loops sharing the outer counter in their bounds.</summary>
    [Differentiable]
    public static double Triangle(double[] w, double x)
    {
        double s = 0;
        int i;
        for (i = 0; i < w.Length; i++)
        {
            for (int j = 0; j < i; j++) s += w[i] * w[j] * x;
        }

        return s + i * x;
    }

    /// <summary>Not counted: the bound changes in the body, the counter jumps, the loop breaks.</summary>
    [Differentiable]
    public static double NotCounted(double[] w, double x)
    {
        double s = 0;
        int n = w.Length;
        for (int i = 0; i < n; i++)
        {
            s += w[i] * x;
            if (s > 2.5) n = i;
        }

        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * s * 0.1;
            if (w[i] < -0.6) i++;
        }

        for (int i = 0; i < w.Length; i++)
        {
            if (s > 4) break;
            s += Math.Exp(w[i] * x * 0.5);
        }

        return s;
    }

    [Differentiable]
    public static void Smooth(double[] source, double[] target)
    {
        for (int i = 1; i < source.Length - 1; i++)
        {
            target[i] = 0.25 * source[i - 1] + 0.5 * source[i] + 0.25 * source[i + 1];
        }
    }
}

public class CountedLoopTests
{
    [Fact]
    public void EveryCountedShapeMatchesFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            foreach (int n in new[] { 0, 1, 2, 5, 8 })
            {
                var random = new Random(seed + n);
                double[] w = Fd.Vector(random, n);
                double x = Fd.Uniform(random, -1, 1);
                double[] dW = new double[n];
                double value = CountedLoops.ShapesGradient(w, x, dW, out double dX);
                Assert.Equal(CountedLoops.Shapes(w, x), value);
                Fd.Vec("dW", () => CountedLoops.Shapes(w, x), w, dW);
                Fd.Scalar("dX", v => CountedLoops.Shapes(w, v), x, dX);
            }
        }
    }

    [Theory]
    [InlineData(0, 7)]
    [InlineData(1, 6)]
    [InlineData(3, 3)]
    [InlineData(5, 2)]
    public void BoundsFromParametersAndLocals(int lo, int hi)
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 8, -0.9, 0.9);
            double x = Fd.Uniform(random, -1, 1);
            double[] dW = new double[8];
            double value = CountedLoops.WindowGradient(w, lo, hi, x, dW, out double dX);
            Assert.Equal(CountedLoops.Window(w, lo, hi, x), value);
            Fd.Vec("dW", () => CountedLoops.Window(w, lo, hi, x), w, dW);
            Fd.Scalar("dX", v => CountedLoops.Window(w, lo, hi, v), x, dX);
        }
    }

    [Fact]
    public void CounterReadAfterTheLoopAndNestedBounds()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 6);
            double x = Fd.Uniform(random, -1, 1);
            double[] dW = new double[6];
            double value = CountedLoops.TriangleGradient(w, x, dW, out double dX);
            Assert.Equal(CountedLoops.Triangle(w, x), value);
            Fd.Vec("dW", () => CountedLoops.Triangle(w, x), w, dW);
            Fd.Scalar("dX", v => CountedLoops.Triangle(w, v), x, dX);
        }
    }

    [Fact]
    public void LoopsThatOnlyLookCountedRecordTheirTripCount()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 9);
            double x = Fd.Uniform(random, 0.5, 1.5);
            double[] dW = new double[9];
            double value = CountedLoops.NotCountedGradient(w, x, dW, out double dX);
            Assert.Equal(CountedLoops.NotCounted(w, x), value);
            Fd.Vec("dW", () => CountedLoops.NotCounted(w, x), w, dW);
            Fd.Scalar("dX", v => CountedLoops.NotCounted(w, v), x, dX);
        }
    }

    [Fact]
    public void StencilPullback()
    {
        var random = new Random(5);
        double[] source = Fd.Vector(random, 7), target = new double[7], dTarget = Fd.Vector(random, 7), dSource = new double[7];
        double[] dTargetCopy = (double[])dTarget.Clone();
        CountedLoops.SmoothPullback(source, target, dSource, dTarget);
        for (int j = 0; j < 7; j++)
        {
            double expected = 0;
            for (int i = 1; i < 6; i++)
            {
                expected += dTargetCopy[i] * (j == i - 1 ? 0.25 : j == i ? 0.5 : j == i + 1 ? 0.25 : 0);
            }

            Fd.Close(expected, dSource[j], $"dSource[{j}]");
        }
    }
}

public class CountedLoopGenerationTests
{
    private const string Source = """
        using System;
        using SourceDiff;
        namespace Samples;
        public static partial class C
        {
            [Differentiable]
            public static double Counted(double[] w, double x)
            {
                double s = 0;
                for (int i = 1; i < w.Length; i++) s += w[i] * w[i - 1] * x;
                for (int i = w.Length - 1; i > 0; i -= 2) s += w[i] * w[i] * x;
                return s;
            }

            [Differentiable]
            public static double Breaks(double[] w, double x)
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++) { if (s > 4) break; s += w[i] * x; }
                return s;
            }
        }
        """;

    [Fact]
    public void CountedLoopsPutNothingOnTheTapeAndOthersRecordTheirTripCount()
    {
        Generator.GeneratorResult result = Generator.GeneratorHarness.Run(Source);
        result.AssertCompiles();
        string counted = result.Generated("C.Counted.g.cs");
        Assert.DoesNotContain("PushInt", counted);
        Assert.DoesNotContain("PopInt", counted);
        Assert.Contains("for (i = global::System.Math.Max(w.Length, 1) - 1; i >= 1; i--)", counted);
        Assert.Contains("(int)global::System.Math.Max(0L, ((long)(w.Length - 1) - 0 + 1) / 2)", counted);
        Assert.Contains("PushInt", result.Generated("C.Breaks.g.cs"));
    }
}

/// <summary>Adjoints written from the value the primal computed (tanh, exp, sqrt, a reciprocal, a sigmoid).</summary>
public static partial class ReusedResults
{
    [Differentiable]
    public static double Activations(double[] w, double x)
    {
        double[] h = new double[w.Length];
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            h[i] = 1.0 / (1.0 + Math.Exp(-(w[i] * x)));
            s += h[i] * w[i];
            h[i] = Math.Tanh(s + h[i]);
            s += h[i] * h[i];
            double r = 1.0 / (1.5 + Math.Sin(s * 0.3));
            double e = Math.Exp(r * 0.5);
            double q = Math.Sqrt(1 + e * e);
            s = s * 0.5 + r * e + q;
        }

        return s;
    }

    [Differentiable]
    public static void Sigmoid(double[] z, double[] y)
    {
        for (int i = 0; i < z.Length; i++)
        {
            y[i] = 1.0 / (1.0 + Math.Exp(-z[i]));
        }
    }
}

public class ReusedResultTests
{
    [Fact]
    public void ActivationsFromTheirValuesMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 6, -2, 2);
            double x = Fd.Uniform(random, -1.5, 1.5);
            double[] dW = new double[6];
            double value = ReusedResults.ActivationsGradient(w, x, dW, out double dX);
            Assert.Equal(ReusedResults.Activations(w, x), value);
            Fd.Vec("dW", () => ReusedResults.Activations(w, x), w, dW);
            Fd.Scalar("dX", v => ReusedResults.Activations(w, v), x, dX);
        }
    }

    [Fact]
    public void SigmoidOfALargeArgumentHasAZeroNotANaNDerivative()
    {
        // Written from its value, the sigmoid's derivative v (1 - v) is 0 where exp(-z) overflows; recomputed from
        // 1 + exp(-z) it was 0 · ∞ = NaN.
        double[] z = { -800, 0.5, 800 }, y = new double[3], dY = { 1, 1, 1 }, dZ = new double[3];
        ReusedResults.SigmoidPullback(z, y, dZ, dY);
        Assert.Equal(0, dZ[0]);
        Assert.Equal(0.5 * (1 - 1 / (1 + Math.Exp(-0.5))) * 2 / (1 + Math.Exp(-0.5)), dZ[1], 12);
        Assert.Equal(0, dZ[2]);
    }
}
