using System;

namespace SourceDiff.Benchmarks;

/// <summary>Random weights and data for the benchmarks, and how far two gradients of one loss disagree ("check").</summary>
internal static class Agreement
{
    /// <summary>Uniform in [-scale, scale].</summary>
    public static double Uniform(Random random, double scale) => (random.NextDouble() * 2 - 1) * scale;

    /// <summary>T rows of the given width, uniform in [-scale, scale].</summary>
    public static double[][] Sequence(Random random, int steps, int width, double scale)
    {
        var rows = new double[steps][];
        for (int t = 0; t < steps; t++)
        {
            rows[t] = new double[width];
            for (int j = 0; j < width; j++) rows[t][j] = Uniform(random, scale);
        }

        return rows;
    }

    /// <summary>Relative difference with an absolute floor of 1, as the gradient checks measure it.</summary>
    public static double Relative(double a, double b) => Math.Abs(a - b) / Math.Max(1, Math.Abs(b));

    /// <summary>The largest relative difference between corresponding elements, or <paramref name="worst"/> if larger.</summary>
    public static double Worst(double worst, double[] a, double[] b)
    {
        for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Relative(a[i], b[i]));
        return worst;
    }

    /// <inheritdoc cref="Worst(double, double[], double[])"/>
    public static double Worst(double worst, double[,] a, double[,] b)
    {
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++) worst = Math.Max(worst, Relative(a[i, j], b[i, j]));
        }

        return worst;
    }
}
