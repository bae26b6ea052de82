using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary><c>ref</c> locals bound to array elements: every use is that element, even after its indices change.</summary>
public static partial class RefLocalOps
{
    [Differentiable]
    public static double Accumulate(double[,] grid, double[] x)
    {
        var sums = new double[grid.GetLength(0), grid.GetLength(1)];
        for (int i = 0; i < grid.GetLength(0); i++)
        {
            for (int j = 0; j < grid.GetLength(1); j++)
            {
                ref double cell = ref sums[i, j];
                cell = grid[i, j] * x[j];
                cell += Math.Sin(cell) * x[i];
                cell *= cell;
            }
        }

        double total = 0;
        for (int i = 0; i < sums.GetLength(0); i++)
        {
            for (int j = 0; j < sums.GetLength(1); j++)
            {
                total += sums[i, j];
            }
        }

        return total;
    }

    [Differentiable]
    public static double BoundOnce(double[] w, double[][] rows)
    {
        int k = 0;
        ref double first = ref rows[k][k + 1];
        k = 1;   // the ref still names rows[0][1]
        first += w[0] * rows[k][0];
        ref double weight = ref w[k];
        weight *= 3;
        return rows[0][1] * w[1] + first * weight;
    }
}

public class RefLocalTests
{
    [Fact]
    public void RefLocalsToMatrixElementsMatchFiniteDifferences()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[,] grid = Fd.MatrixOf(random, 2, 3);
            double[] x = Fd.Vector(random, 3);
            var dGrid = new double[2, 3];
            var dX = new double[3];
            double value = RefLocalOps.AccumulateGradient(grid, x, dGrid, dX);
            Assert.Equal(RefLocalOps.Accumulate(grid, x), value);
            Fd.Matrix("dGrid", () => RefLocalOps.Accumulate(grid, x), grid, dGrid);
            Fd.Vec("dX", () => RefLocalOps.Accumulate(grid, x), x, dX);
        }
    }

    [Fact]
    public void RefLocalKeepsTheElementItWasBoundTo()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 2);
            double[][] rows = Fd.JaggedOf(random, 2, 2);
            double[] w0 = (double[])w.Clone();
            double[][] rows0 = Fd.Clone(rows);
            var dW = new double[2];
            double[][] dRows = Fd.ZerosLike(rows);
            double value = RefLocalOps.BoundOnceGradient(w, rows, dW, dRows);
            Assert.Equal(RefLocalOps.BoundOnce((double[])w0.Clone(), Fd.Clone(rows0)), value);

            // The method writes its inputs: each evaluation starts again from the originals.
            double Run() => RefLocalOps.BoundOnce((double[])w0.Clone(), Fd.Clone(rows0));
            Fd.Vec("dW", Run, w0, dW);
            Fd.Jagged("dRows", Run, rows0, dRows);
        }
    }
}
