using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

public static partial class SpanViews
{
    /// <summary>A row of a flattened matrix taken as a read-only view, read by index and Length.</summary>
    [Differentiable]
    public static double RowDots(double[] w, double[] x, int n)
    {
        double total = 0;
        for (int i = 0; i < w.Length / n; i++)
        {
            ReadOnlySpan<double> row = w.AsSpan(i * n, n);
            double s = 0;
            for (int j = 0; j < row.Length; j++)
            {
                s += row[j] * x[j];
            }

            total += Math.Tanh(s);
        }

        return total;
    }

    /// <summary>Writes through a view of an input array, a slice of the view, and a view kept after its array local is rebound.</summary>
    [Differentiable]
    public static double WritesThroughViews(double[] h, double[] x, double a)
    {
        double[] source = h;
        Span<double> tail = source.AsSpan(1);
        Span<double> middle = tail.Slice(1, 2);
        source = x;
        for (int j = 0; j < tail.Length; j++)
        {
            tail[j] *= a + source[j];
        }

        middle[0] += middle[1] * a;
        double s = 0;
        for (int j = 0; j < h.Length; j++)
        {
            s += h[j] * h[j];
        }

        return s;
    }

    /// <summary>Stack scratch: filled, copied into from an input, cleared in part, read back.</summary>
    [Differentiable]
    public static double StackScratch(double[] x, double a)
    {
        Span<double> scratch = stackalloc double[x.Length];
        x.AsSpan().CopyTo(scratch);
        for (int i = 0; i < scratch.Length; i++)
        {
            scratch[i] = Math.Sin(a * scratch[i]);
        }

        Span<double> first = scratch.Slice(0, 1);
        first.Clear();
        double s = 0;
        for (int i = 0; i < scratch.Length; i++)
        {
            s += scratch[i] * x[i];
        }

        return s;
    }

    /// <summary>A view of a span parameter.</summary>
    [Differentiable]
    public static double HalfOfSpan(ReadOnlySpan<double> v, double a)
    {
        ReadOnlySpan<double> half = v.Slice(0, v.Length / 2);
        double s = 0;
        foreach (double value in v)
        {
            s += a * value;
        }

        for (int i = 0; i < half.Length; i++)
        {
            s += half[i] * half[i] * a;
        }

        return s;
    }
}

public static partial class WholeLocalViews
{
    /// <summary>A span bound to a whole local array, and a slice of it; the local is bound to another array afterwards.</summary>
    [Differentiable]
    public static double Run(double[] x, double a)
    {
        double[] buf = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            buf[i] = Math.Sin(a * x[i]);
        }

        ReadOnlySpan<double> all = buf;
        ReadOnlySpan<double> middle = all.Slice(1, x.Length - 2);
        buf = x;
        double s = 0;
        for (int i = 0; i < middle.Length; i++)
        {
            s += middle[i] * all[i] + buf[i];
        }

        return s;
    }
}

public class SpanViewTests
{
    [Fact]
    public void ViewOfAWholeLocalArray()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 6), dX = new double[6];
            double a = Fd.Uniform(random, -1, 1);
            Assert.Equal(WholeLocalViews.Run(x, a), WholeLocalViews.RunGradient(x, a, dX, out double dA));
            Fd.Vec("dX", () => WholeLocalViews.Run(x, a), x, dX);
            Fd.Scalar("dA", v => WholeLocalViews.Run(x, v), a, dA);
        }
    }

    [Fact]
    public void RowViews()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 6), x = Fd.Vector(random, 3);
            double[] dW = new double[6], dX = new double[3];
            Assert.Equal(SpanViews.RowDots(w, x, 3), SpanViews.RowDotsGradient(w, x, 3, dW, dX));
            Fd.Vec("dW", () => SpanViews.RowDots(w, x, 3), w, dW);
            Fd.Vec("dX", () => SpanViews.RowDots(w, x, 3), x, dX);
        }
    }

    [Fact]
    public void WritesThroughViewsOfAnInput()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] h0 = Fd.Vector(random, 5), x = Fd.Vector(random, 5);
            double a = Fd.Uniform(random, -1, 1);
            double[] h = (double[])h0.Clone(), expectedH = (double[])h0.Clone();
            double expected = SpanViews.WritesThroughViews(expectedH, x, a);
            double[] dH = new double[5], dX = new double[5];
            Assert.Equal(expected, SpanViews.WritesThroughViewsGradient(h, x, a, dH, dX, out double dA));
            Assert.Equal(expectedH, h);
            Fd.Vec("dH", () => SpanViews.WritesThroughViews((double[])h0.Clone(), x, a), h0, dH);
            Fd.Vec("dX", () => SpanViews.WritesThroughViews((double[])h0.Clone(), x, a), x, dX);
            Fd.Scalar("dA", v => SpanViews.WritesThroughViews((double[])h0.Clone(), x, v), a, dA);
        }
    }

    [Fact]
    public void StackallocScratch()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 4);
            double a = Fd.Uniform(random, -1, 1);
            double[] dX = new double[4];
            Assert.Equal(SpanViews.StackScratch(x, a), SpanViews.StackScratchGradient(x, a, dX, out double dA));
            Fd.Vec("dX", () => SpanViews.StackScratch(x, a), x, dX);
            Fd.Scalar("dA", v => SpanViews.StackScratch(x, v), a, dA);
        }
    }

    [Fact]
    public void ViewOfASpanParameter()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] v = Fd.Vector(random, 5);
            double a = Fd.Uniform(random, -1, 1);
            double[] dV = new double[5];
            Assert.Equal(SpanViews.HalfOfSpan(v, a), SpanViews.HalfOfSpanGradient(v, a, dV, out double dA));
            Fd.Vec("dV", () => SpanViews.HalfOfSpan(v, a), v, dV);
            Fd.Scalar("dA", t => SpanViews.HalfOfSpan(v, t), a, dA);
        }
    }
}
