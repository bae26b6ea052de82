using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>
/// Reverse loops of independent element updates become vectorized updates (Kernels.AddScaled): matrix-vector
/// products over flattened weights, offsets, float arrays, spans, inclusive bounds; and loops that must stay scalar
/// because two adjoints may be one array.
/// </summary>
public static partial class Vectorized
{
    [Differentiable]
    public static double Layer(double[] w, double[] x, int rows, int columns)
    {
        double s = 0;
        for (int i = 0; i < rows; i++)
        {
            double a = 0;
            for (int j = 0; j < columns; j++)
            {
                a += w[i * columns + j] * x[j];
            }

            for (int j = 1; j <= columns - 1; j++)
            {
                a -= 0.5 * w[i * columns + j - 1] * x[j];
            }

            s += Math.Tanh(a);
        }

        return s;
    }

    [Differentiable]
    public static float Dot(float[] a, float[] b)
    {
        float s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s * s;
    }

    [Differentiable]
    public static double SpanDot(Span<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i] * 2;
        }

        return s * s;
    }

    /// <summary>Rows of 2-D weights, from a column offset, and a float matrix whose rows are read along its columns.</summary>
    [Differentiable]
    public static double Matrix(double[,] w, double[] x, int offset)
    {
        double s = 0;
        for (int i = 0; i < w.GetLength(0); i++)
        {
            double a = 0;
            for (int j = 0; j < x.Length; j++)
            {
                a += w[i, j + offset] * x[j];
            }

            s += Math.Tanh(a) * (i + 1);
        }

        return s;
    }

    [Differentiable]
    public static float FloatMatrix(float[,] w, float[] x)
    {
        float s = 0;
        for (int i = 0; i < w.GetLength(0); i++)
        {
            float a = 0;
            for (int j = 0; j < x.Length; j++)
            {
                a += x[j] * w[i, j];
            }

            s += a * a;
        }

        return s;
    }

    /// <summary>Two gates accumulated in one loop over x (an LSTM's shape): each gate's update is guarded on its own.</summary>
    [Differentiable]
    public static float TwoGates(float[,] u1, float[,] u2, float[] x, float c1, float c2)
    {
        float s = 0;
        for (int i = 0; i < u1.GetLength(0); i++)
        {
            float a1 = 0, a2 = 0;
            for (int j = 0; j < x.Length; j++)
            {
                a1 += u1[i, j] * x[j];
                a2 += u2[i, j] * x[j];
            }

            s += a1 * c1 + a2 * c2;
        }

        return s;
    }

    [Differentiable]
    public static double TwoGatesTanh(double[,] u1, double[,] u2, double[] x)
    {
        double s = 0;
        for (int i = 0; i < u1.GetLength(0); i++)
        {
            double a1 = 0, a2 = 0;
            for (int j = 0; j < x.Length; j++)
            {
                a1 += u1[i, j] * x[j];
                a2 -= u2[i, j] * x[j];
            }

            s += Math.Tanh(a1) * a2;
        }

        return s;
    }

    /// <summary>a and b may be one array (the caller passes the same one twice): the loop stays scalar.</summary>
    [Differentiable]
    public static double Chosen(double[] a, double[] b, double x, bool same)
    {
        double[] u = same ? a : b;
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * x * u[i];
        }

        return s;
    }
}

public class VectorizedUpdateTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(4, 17)]
    public void MatrixVectorProductsMatchFiniteDifferences(int rows, int columns)
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, rows * columns), x = Fd.Vector(random, columns);
            double[] dW = new double[w.Length], dX = new double[x.Length];
            double value = Vectorized.LayerGradient(w, x, rows, columns, dW, dX);
            Assert.Equal(Vectorized.Layer(w, x, rows, columns), value);
            Fd.Vec("dW", () => Vectorized.Layer(w, x, rows, columns), w, dW);
            Fd.Vec("dX", () => Vectorized.Layer(w, x, rows, columns), x, dX);
        }
    }

    [Fact]
    public void FloatsAndSpansMatchTheScalarLoopExactly()
    {
        var random = new Random(3);
        float[] a = Fd.FloatVector(random, 19), b = Fd.FloatVector(random, 19);
        float[] dA = new float[19], dB = new float[19];
        Vectorized.DotGradient(a, b, dA, dB);
        float s = 0;
        for (int i = 0; i < 19; i++)
        {
            s += a[i] * b[i];
        }

        for (int i = 0; i < 19; i++)
        {
            // The scalar reverse loop's own operations: each element once, the same product and sum.
            Assert.Equal(0f + (2 * s) * b[i], dA[i]);
            Assert.Equal(0f + a[i] * (2 * s), dB[i]);
        }

        double[] x = Fd.Vector(random, 11), y = Fd.Vector(random, 11), dX = new double[11], dY = new double[11];
        Vectorized.SpanDotGradient(x, y, dX, dY);
        Fd.Vec("dX", () => Vectorized.SpanDot(x, y), x, dX);
        Fd.Vec("dY", () => Vectorized.SpanDot(x, y), y, dY);
    }

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(3, 6, 2)]
    [InlineData(5, 17, 1)]
    public void RowsOfMatricesMatchFiniteDifferences(int rows, int columns, int offset)
    {
        var random = new Random(rows * 31 + columns);
        var w = new double[rows, columns + offset];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns + offset; j++) w[i, j] = random.NextDouble() - 0.5;
        }

        double[] x = Fd.Vector(random, columns), dX = new double[columns];
        var dW = new double[rows, columns + offset];
        Vectorized.MatrixGradient(w, x, offset, dW, dX);
        Fd.Vec("dX", () => Vectorized.Matrix(w, x, offset), x, dX);
        double[] flat = new double[w.Length], dFlat = new double[w.Length];
        Buffer.BlockCopy(w, 0, flat, 0, flat.Length * sizeof(double));
        Buffer.BlockCopy(dW, 0, dFlat, 0, dFlat.Length * sizeof(double));
        Fd.Vec("dW", () => { Buffer.BlockCopy(flat, 0, w, 0, flat.Length * sizeof(double)); return Vectorized.Matrix(w, x, offset); }, flat, dFlat);
    }

    [Fact]
    public void FloatMatrixRowsMatchTheScalarLoopExactly()
    {
        var random = new Random(5);
        var w = new float[3, 13];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 13; j++) w[i, j] = (float)(random.NextDouble() - 0.5);
        }

        float[] x = Fd.FloatVector(random, 13), dX = new float[13];
        var dW = new float[3, 13];
        Vectorized.FloatMatrixGradient(w, x, dW, dX);
        var expectedX = new float[13];
        for (int i = 2; i >= 0; i--)
        {
            float a = 0;
            for (int j = 0; j < 13; j++) a += x[j] * w[i, j];
            float g = 2 * a;
            for (int j = 0; j < 13; j++)
            {
                Assert.Equal(0f + g * x[j], dW[i, j]);
                expectedX[j] += w[i, j] * g;
            }
        }

        Assert.Equal(expectedX, dX);
    }

    [Fact]
    public void GuardedGatesAddingIntoOneAdjointMatchTheScalarLoopExactly()
    {
        var random = new Random(13);
        var u1 = new float[3, 11];
        var u2 = new float[3, 11];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 11; j++)
            {
                u1[i, j] = (float)(random.NextDouble() - 0.5);
                u2[i, j] = (float)(random.NextDouble() - 0.5);
            }
        }

        float[] x = Fd.FloatVector(random, 11), dX = new float[11];
        var dU1 = new float[3, 11];
        var dU2 = new float[3, 11];
        const float c1 = 0.7f, c2 = -1.3f;
        Vectorized.TwoGatesGradient(u1, u2, x, c1, c2, dU1, dU2, dX, out _, out _);

        // The scalar reverse loop: rows backwards, and in each element the second gate's addition before the first's.
        var expectedX = new float[11];
        for (int i = 2; i >= 0; i--)
        {
            for (int j = 0; j < 11; j++)
            {
                Assert.Equal(0f + c1 * x[j], dU1[i, j]);
                Assert.Equal(0f + c2 * x[j], dU2[i, j]);
                expectedX[j] += u2[i, j] * c2;
                expectedX[j] += u1[i, j] * c1;
            }
        }

        Assert.Equal(expectedX, dX);
    }

    [Fact]
    public void GuardedGatesMatchFiniteDifferences()
    {
        var random = new Random(17);
        var u1 = new double[4, 6];
        var u2 = new double[4, 6];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                u1[i, j] = random.NextDouble() - 0.5;
                u2[i, j] = random.NextDouble() - 0.5;
            }
        }

        double[] x = Fd.Vector(random, 6), dX = new double[6];
        Vectorized.TwoGatesTanhGradient(u1, u2, x, new double[4, 6], new double[4, 6], dX);
        Fd.Vec("dX", () => Vectorized.TwoGatesTanh(u1, u2, x), x, dX);
        Generator.GeneratorResult result = Generator.GeneratorHarness.Run("""
            using System;
            using SourceDiff;
            namespace Samples;
            public static partial class C
            {
                [Differentiable]
                public static double TwoGates(double[,] u1, double[,] u2, double[] x)
                {
                    double s = 0;
                    for (int i = 0; i < u1.GetLength(0); i++)
                    {
                        double a1 = 0, a2 = 0;
                        for (int j = 0; j < x.Length; j++) { a1 += u1[i, j] * x[j]; a2 += u2[i, j] * x[j]; }
                        s += Math.Tanh(a1) * a2;
                    }
                    return s;
                }
            }
            """);
        result.AssertCompiles();
        Assert.Equal(4, CountOf(result.Generated("C.TwoGates.g.cs"), "Kernels.AddScaled"));
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UpdatesThatMayShareAnArrayStayScalar(bool same)
    {
        var random = new Random(9);
        double[] a = Fd.Vector(random, 9), b = Fd.Vector(random, 9), dA = new double[9], dB = new double[9];
        double x = 0.7;
        Vectorized.ChosenGradient(a, b, x, same, dA, dB, out double dX);
        Fd.Vec("dA", () => Vectorized.Chosen(a, b, x, same), a, dA);
        Fd.Vec("dB", () => Vectorized.Chosen(a, b, x, same), b, dB);
        Fd.Scalar("dX", v => Vectorized.Chosen(a, b, v, same), x, dX);
    }

    [Fact]
    public void TheGeneratedCodeCallsTheKernelOnlyWhereTheUpdatesAreIndependent()
    {
        Generator.GeneratorResult result = Generator.GeneratorHarness.Run("""
            using System;
            using SourceDiff;
            namespace Samples;
            public static partial class C
            {
                [Differentiable]
                public static double Product(double[] w, double[] x, int n)
                {
                    double s = 0;
                    for (int i = 0; i < n; i++) { double a = 0; for (int j = 0; j < x.Length; j++) a += w[i * x.Length + j] * x[j]; s += a * a; }
                    return s;
                }

                [Differentiable]
                public static double Matrix(double[,] w, double[] x)
                {
                    double s = 0;
                    for (int i = 0; i < w.GetLength(0); i++) { double a = 0; for (int j = 0; j < x.Length; j++) a += w[i, j] * x[j]; s += a * a; }
                    return s;
                }

                [Differentiable]
                public static double Chosen(double[] a, double[] b, bool same)
                {
                    double[] u = same ? a : b;
                    double s = 0;
                    for (int i = 0; i < a.Length; i++) s += a[i] * u[i];
                    return s;
                }
            }
            """);
        result.AssertCompiles();
        string product = result.Generated("C.Product.g.cs");
        Assert.Contains("global::SourceDiff.CompilerServices.Kernels.AddScaled(_d_a, new global::System.ReadOnlySpan<double>(x, 0, _count0), new global::System.Span<double>(_d_w, i * x.Length, _count0));", product);
        Assert.Contains("global::SourceDiff.CompilerServices.Kernels.AddScaled(_d_a, new global::System.ReadOnlySpan<double>(w, i * x.Length, _count0), new global::System.Span<double>(_d_x, 0, _count0));", product);
        Assert.DoesNotContain("Kernels.AddScaled", result.Generated("C.Chosen.g.cs"));
        string matrix = result.Generated("C.Matrix.g.cs");
        Assert.Contains("global::SourceDiff.CompilerServices.Kernels.AddScaled(_d_a, new global::System.ReadOnlySpan<double>(x, 0, _count0), global::SourceDiff.CompilerServices.Kernels.Row(_d_w, i, 0, _count0));", matrix);
        Assert.Contains("global::SourceDiff.CompilerServices.Kernels.AddScaled(_d_a, global::SourceDiff.CompilerServices.Kernels.Row(w, i, 0, _count0), new global::System.Span<double>(_d_x, 0, _count0));", matrix);
    }
}
