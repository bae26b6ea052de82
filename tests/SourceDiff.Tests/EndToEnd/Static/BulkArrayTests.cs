using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>Array.Copy/Clear/Fill, CopyTo and span Fill/Clear/CopyTo: element loops, so adjoints follow each element.</summary>
public static partial class BulkArrayOps
{
    [Differentiable]
    public static double CopyThenScale(double[] x, double[] w)
    {
        // The buffer's earlier contents are overwritten by the copies: only the copied values matter.
        var buffer = new double[x.Length + 2];
        Array.Fill(buffer, w[0]);
        Array.Copy(x, buffer, x.Length);
        Array.Copy(w, 1, buffer, x.Length, 2);
        double s = 0;
        for (int i = 0; i < buffer.Length; i++)
        {
            s += buffer[i] * buffer[i] * (i + 1);
        }

        return s;
    }

    [Differentiable]
    public static double ShiftInPlace(double[] x)
    {
        // Overlapping copies within one array move like memmove, in both directions.
        var a = new double[x.Length];
        x.CopyTo(a, 0);
        Array.Copy(a, 0, a, 1, a.Length - 1);
        Array.Copy(a, 2, a, 1, a.Length - 2);
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += Math.Sin(a[i]) * (i + 2);
        }

        return s;
    }

    [Differentiable]
    public static double ClearAndFill(double[] x, double v)
    {
        var a = new double[x.Length];
        Array.Copy(x, a, x.Length);
        Array.Clear(a, 1, 2);
        a.AsSpan(3, 2).Fill(v * v);
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * x[i];
        }

        Array.Clear(a);
        return s + a[0];
    }

    [Differentiable]
    public static double SpanCopies(double[] x, Span<double> scratch)
    {
        x.AsSpan(1, scratch.Length).CopyTo(scratch);
        double s = 0;
        for (int i = 0; i < scratch.Length; i++)
        {
            s += scratch[i] * scratch[i] * x[0];
        }

        scratch.Clear();
        scratch.Fill(x[1]);
        scratch.CopyTo(x.AsSpan(0, scratch.Length));
        return s + scratch[0] * x[2];
    }
}

public class BulkArrayTests
{
    [Fact]
    public void ArrayCopyAndFillMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 4), w = Fd.Vector(random, 3);
            var dX = new double[4];
            var dW = new double[3];
            double value = BulkArrayOps.CopyThenScaleGradient(x, w, dX, dW);
            Assert.Equal(BulkArrayOps.CopyThenScale(x, w), value);
            Fd.Vec("dX", () => BulkArrayOps.CopyThenScale(x, w), x, dX);
            Fd.Vec("dW", () => BulkArrayOps.CopyThenScale(x, w), w, dW);
        }
    }

    [Fact]
    public void OverlappingCopiesMatchArrayCopy()
    {
        foreach (int seed in Fd.Seeds)
        {
            double[] x = Fd.Vector(new Random(seed), 6);
            var dX = new double[6];
            double value = BulkArrayOps.ShiftInPlaceGradient(x, dX);
            Assert.Equal(BulkArrayOps.ShiftInPlace(x), value);
            Fd.Vec("dX", () => BulkArrayOps.ShiftInPlace(x), x, dX);
        }
    }

    [Fact]
    public void ClearAndSpanFillMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 6);
            double v = Fd.Uniform(random, -1, 1);
            var dX = new double[6];
            double value = BulkArrayOps.ClearAndFillGradient(x, v, dX, out double dV);
            Assert.Equal(BulkArrayOps.ClearAndFill(x, v), value);
            Fd.Vec("dX", () => BulkArrayOps.ClearAndFill(x, v), x, dX);
            Fd.Scalar("dV", u => BulkArrayOps.ClearAndFill(x, u), v, dV);
        }
    }

    [Fact]
    public void SpanCopiesMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 5);
            var dX = new double[5];
            var scratch = new double[3];
            var dScratch = new double[3];
            double[] before = (double[])x.Clone();
            double value = BulkArrayOps.SpanCopiesGradient(x, scratch, dX, dScratch);
            double[] after = (double[])x.Clone();
            double[] x2 = (double[])before.Clone();
            Assert.Equal(BulkArrayOps.SpanCopies(x2, new double[3]), value);
            Assert.Equal(x2, after);

            // The method overwrites x: each evaluation starts again from the inputs.
            double Run() { var copy = (double[])before.Clone(); return BulkArrayOps.SpanCopies(copy, new double[3]); }
            Fd.Vec("dX", Run, before, dX);
        }
    }
}
