using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>
/// Forward sweeps that reserve their tape room where they start (every push countable there) beside ones that cannot
/// (a triangular loop, a bound assigned twice, a recording call, a data-dependent loop): the count must cover every
/// push, so each is run at sizes where loops run zero, one and many times.
/// </summary>
public static partial class Reservations
{
    /// <summary>Bounds from a local defined once, a fresh array's length, a step of 2 counting down, an inclusive bound.</summary>
    [Differentiable]
    public static double Counted(double[] w, double x)
    {
        int half = w.Length / 2;
        double[] scratch = new double[half + 1];
        double s = x;
        for (int i = 0; i < half; i++)
        {
            s = Math.Tanh(s * w[i] + x);
            scratch[i] = s;
        }

        for (int i = scratch.Length - 1; i >= 0; i -= 2)
        {
            s = s * 0.5 + scratch[i] * w[w.Length - 1 - i];
        }

        for (int i = 1; i <= half; i++)
        {
            s = Math.Sin(s) * w[i];
        }

        return s;
    }

    /// <summary>Pushes on one side of a branch in a loop (the larger side is counted), and a matrix's dimension as a bound.</summary>
    [Differentiable]
    public static double Branches(double[,] m, double[] v)
    {
        double s = 0;
        for (int r = 0; r < m.GetLength(0); r++)
        {
            for (int c = 0; c < m.GetLength(1); c++)
            {
                if (m[r, c] > 0)
                {
                    s = Math.Exp(-s * s) + m[r, c] * v[c];
                }
                else
                {
                    s = s * v[c];
                }
            }
        }

        return s;
    }

    /// <summary>A loop from a parameter to a parameter, which may run no times.</summary>
    [Differentiable]
    public static double Window(double[] w, int from, int to, double x)
    {
        double s = x;
        for (int i = from; i < to; i++)
        {
            s = Math.Cos(s) * w[i];
        }

        return s * s;
    }

    /// <summary>Not reservable: a triangular nest, whose inner bound is the outer counter.</summary>
    [Differentiable]
    public static double Triangle(double[] w, double x)
    {
        double s = x;
        for (int i = 0; i < w.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                s = Math.Tanh(s + w[i] * w[j]);
            }
        }

        return s;
    }

    /// <summary>Not reservable: the bound's local is assigned twice.</summary>
    [Differentiable]
    public static double BoundAssignedTwice(double[] w, double x)
    {
        int n = w.Length;
        if (x > 0)
        {
            n = w.Length - 1;
        }

        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = Math.Sin(s * w[i]);
        }

        return s;
    }

    /// <summary>Reservable callee, called from a loop of a caller that cannot reserve (its callee records).</summary>
    [Differentiable]
    public static double Cell(double h, double w, double x) => Math.Tanh(w * h + x);

    [Differentiable]
    public static double Caller(double[] w, double[] xs)
    {
        double h = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            h = Cell(h, w[t % w.Length], xs[t]);
        }

        return h * h;
    }
}

public class TapeReservationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(41)]
    public void CountedLoopsMatchFiniteDifferences(int length)
    {
        double[] w = Fd.Values(length, length);
        double x = 0.3;
        var dW = new double[length];
        double value = Reservations.CountedGradient(w, x, dW, out double dX);
        Assert.Equal(Reservations.Counted(w, x), value);
        Fd.Vec("w", () => Reservations.Counted(w, x), w, dW);
        Fd.Scalar("x", v => Reservations.Counted(w, v), x, dX);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 1)]
    [InlineData(4, 5)]
    public void BranchesInLoopsMatchFiniteDifferences(int rows, int columns)
    {
        double[] flat = Fd.Values(rows * columns, 7);
        var m = new double[rows, columns];
        for (int i = 0; i < flat.Length; i++)
        {
            m[i / columns, i % columns] = flat[i];
        }

        double[] v = Fd.Values(columns, 8);
        var dM = new double[rows, columns];
        var dV = new double[columns];
        double value = Reservations.BranchesGradient(m, v, dM, dV);
        Assert.Equal(Reservations.Branches(m, v), value);
        Fd.Vec("v", () => Reservations.Branches(m, v), v, dV);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double saved = m[r, c];
                double step = Fd.Step(saved, 1e-6);
                m[r, c] = saved + step;
                double up = Reservations.Branches(m, v);
                m[r, c] = saved - step;
                double down = Reservations.Branches(m, v);
                m[r, c] = saved;
                Fd.Close((up - down) / (2 * step), dM[r, c], $"m[{r},{c}]");
            }
        }
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(3, 3)]
    [InlineData(4, 2)]
    public void WindowsThatMayBeEmptyMatchFiniteDifferences(int from, int to)
    {
        double[] w = Fd.Values(6, 3);
        var dW = new double[6];
        double value = Reservations.WindowGradient(w, from, to, 0.4, dW, out double dX);
        Assert.Equal(Reservations.Window(w, from, to, 0.4), value);
        Fd.Vec("w", () => Reservations.Window(w, from, to, 0.4), w, dW);
        Fd.Scalar("x", v => Reservations.Window(w, from, to, v), 0.4, dX);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9)]
    public void LoopsThatCannotReserveMatchFiniteDifferences(int length)
    {
        double[] w = Fd.Values(length, 11);
        var dW = new double[length];
        Reservations.TriangleGradient(w, 0.2, dW, out double dX);
        Fd.Vec("w", () => Reservations.Triangle(w, 0.2), w, dW);
        Fd.Scalar("x", v => Reservations.Triangle(w, v), 0.2, dX);

        foreach (double x in new[] { -0.3, 0.3 })
        {
            Array.Clear(dW);
            Reservations.BoundAssignedTwiceGradient(w, x, dW, out dX);
            Fd.Vec("w", () => Reservations.BoundAssignedTwice(w, x), w, dW);
            Fd.Scalar("x", v => Reservations.BoundAssignedTwice(w, v), x, dX);
        }

        double[] xs = Fd.Values(length * 2, 12);
        double[] cellWeights = Fd.Values(3, 13);
        var dCell = new double[3];
        var dXs = new double[xs.Length];
        Reservations.CallerGradient(cellWeights, xs, dCell, dXs);
        Fd.Vec("w", () => Reservations.Caller(cellWeights, xs), cellWeights, dCell);
        Fd.Vec("xs", () => Reservations.Caller(cellWeights, xs), xs, dXs);
    }

    private const string Source = """
        using System;
        using SourceDiff;
        namespace Samples;
        public static partial class C
        {
            [Differentiable]
            public static double Counted(double[] w, double x)
            {
                int n = w.Length / 2;
                double s = x;
                for (int i = 0; i < n; i++) s = Math.Tanh(s * w[i]);
                return s;
            }

            [Differentiable]
            public static double Triangle(double[] w, double x)
            {
                double s = x;
                for (int i = 0; i < w.Length; i++)
                    for (int j = 0; j < i; j++) s = Math.Tanh(s + w[j]);
                return s;
            }

            [Differentiable]
            public static double Cell(double h, double x) => Math.Tanh(h + x);

            [Differentiable]
            public static double Caller(double[] xs)
            {
                double h = 0;
                for (int t = 0; t < xs.Length; t++) h = Cell(h, xs[t]);
                return h;
            }
        }
        """;

    [Fact]
    public void OnlySweepsWhosePushesAreCountableAtTheStartReserve()
    {
        Generator.GeneratorResult result = Generator.GeneratorHarness.Run(Source);
        result.AssertCompiles();
        string counted = result.Generated("C.Counted.g.cs");
        Assert.Contains("_tape.ReserveDoubles(global::System.Math.Max(0L, (long)((w is null ? 0 : w.Length) / 2)) + 1);", counted);
        Assert.Contains("_tape.PushDoubleReserved(s);", counted);
        Assert.DoesNotContain("_tape.PushDouble(", counted);

        string triangle = result.Generated("C.Triangle.g.cs");
        Assert.DoesNotContain("Reserve", triangle);
        Assert.Contains("_tape.PushDouble(s);", triangle);

        Assert.DoesNotContain("Reserve", result.Generated("C.Caller.g.cs"));
    }
}
