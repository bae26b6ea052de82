using System;

namespace SourceDiff.Samples.Stories;

/// <summary>Deterministic random data for the samples (seeded, so every run prints the same numbers).</summary>
internal static class SampleData
{
    /// <summary>A standard normal variate (Box–Muller).</summary>
    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static void FillGaussian(Random random, double[,] matrix, double scale = 1.0)
    {
        for (int i = 0; i < matrix.GetLength(0); i++)
        {
            for (int j = 0; j < matrix.GetLength(1); j++)
            {
                matrix[i, j] = scale * Gaussian(random);
            }
        }
    }

    public static void FillGaussian(Random random, double[] vector, double scale = 1.0)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = scale * Gaussian(random);
        }
    }

    /// <summary>Median of a few timings.</summary>
    public static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
