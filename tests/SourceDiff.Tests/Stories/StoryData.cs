using SourceDiff.Samples.Models;
using System;

namespace SourceDiff.Tests.Stories;

/// <summary>Seeded data for the story tests.</summary>
internal static class StoryData
{
    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static void Fill(Random random, double[,] matrix, double scale = 1.0)
    {
        for (int i = 0; i < matrix.GetLength(0); i++)
        {
            for (int j = 0; j < matrix.GetLength(1); j++)
            {
                matrix[i, j] = scale * Gaussian(random);
            }
        }
    }

    public static void Fill(Random random, double[] vector, double scale = 1.0)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = scale * Gaussian(random);
        }
    }

    public static double[][] Vectors(Random random, int count, int length)
    {
        var xs = new double[count][];
        for (int n = 0; n < count; n++)
        {
            xs[n] = new double[length];
            Fill(random, xs[n]);
        }

        return xs;
    }

    /// <summary>Largest absolute entry of a - b over every parameter of two gradients of one model.</summary>
    public static double MaxAbsDifference(IGradient a, IGradient b)
    {
        double max = 0;
        for (int p = 0; p < a.ParameterCount; p++)
        {
            Span<double> x = a.GetDoubles(p), y = b.GetDoubles(p);
            for (int i = 0; i < x.Length; i++)
            {
                max = Math.Max(max, Math.Abs(x[i] - y[i]));
            }
        }

        return max;
    }
}
