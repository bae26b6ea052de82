using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>void methods that write their results into array parameters.</summary>
public static partial class InPlace
{
    [Differentiable]
    public static void Softmax(double[] z, double[] p)
    {
        double max = z[0];
        for (int i = 1; i < z.Length; i++)
        {
            if (z[i] > max)
            {
                max = z[i];
            }
        }

        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            p[i] = Math.Exp(z[i] - max);
            sum += p[i];
        }

        for (int i = 0; i < p.Length; i++)
        {
            p[i] /= sum;
        }
    }

    [Differentiable]
    public static void MatVec(double[,] a, double[] x, double[] y)
    {
        for (int i = 0; i < a.GetLength(0); i++)
        {
            double s = 0;
            for (int j = 0; j < a.GetLength(1); j++)
            {
                s += a[i, j] * x[j];
            }

            y[i] = s;
        }
    }

    [Differentiable]
    public static void MatVecFlat(double[] a, double[] x, double[] y)
    {
        int cols = x.Length;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = 0;
            for (int j = 0; j < cols; j++)
            {
                y[i] += a[i * cols + j] * x[j];
            }
        }
    }

    /// <summary>Reads and overwrites the same array: the adjoint of its initial value is not the adjoint of its final value.</summary>
    [Differentiable]
    public static void ScaleAndShift(double[] v, double a, double[] shift)
    {
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = v[i] * a + shift[i] * v[i] * v[i];
        }
    }

    /// <summary>Writes only part of its output and accumulates into another part.</summary>
    [Differentiable]
    public static void PartialUpdate(double[] y, double x)
    {
        y[0] = x * x;
        y[1] += x * y[2];
    }

    [Differentiable]
    public static double SoftmaxCrossEntropyViaCall(double[] logits, int label)
    {
        double[] p = new double[logits.Length];
        Softmax(logits, p);
        return -Math.Log(p[label]);
    }
}

/// <summary>double[][] sequences and double[,] matrices.</summary>
public static partial class Sequences
{
    [Differentiable]
    public static double Quadratic(double[][] xs, double[,] w)
    {
        double s = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            for (int i = 0; i < w.GetLength(0); i++)
            {
                for (int j = 0; j < w.GetLength(1); j++)
                {
                    s += xs[t][i] * w[i, j] * xs[t][j];
                }
            }
        }

        return s / xs.Length;
    }

    [Differentiable]
    public static double FrobeniusOfProduct(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        double[,] c = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                for (int l = 0; l < k; l++)
                {
                    c[i, j] += a[i, l] * b[l, j];
                }
            }
        }

        double s = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                s += c[i, j] * c[i, j];
            }
        }

        return Math.Sqrt(s);
    }

    /// <summary>Writes a jagged output sequence in place.</summary>
    [Differentiable]
    public static void Transform(double[][] xs, double[,] w, double[][] ys)
    {
        for (int t = 0; t < xs.Length; t++)
        {
            for (int i = 0; i < ys[t].Length; i++)
            {
                double s = 0;
                for (int j = 0; j < xs[t].Length; j++)
                {
                    s += w[i, j] * xs[t][j];
                }

                ys[t][i] = Math.Tanh(s);
            }
        }
    }
}

/// <summary>A helper SourceDiff cannot differentiate (not [Differentiable]); its derivatives are supplied by hand.</summary>
public static class Opaque
{
    public static double Softplus(double x) => x > 30 ? x : Math.Log(1 + Math.Exp(x));

    public static double LogSumExp(double[] v)
    {
        double max = double.NegativeInfinity;
        foreach (double x in v)
        {
            max = Math.Max(max, x);
        }

        double s = 0;
        foreach (double x in v)
        {
            s += Math.Exp(x - max);
        }

        return max + Math.Log(s);
    }
}

public static partial class Special
{
    [DerivativeOf(typeof(Opaque), nameof(Opaque.Softplus))]
    public static void SoftplusPullback(double x, double dResult, ref double dX)
    {
        dX += dResult / (1 + Math.Exp(-x));
    }

    [DerivativeOf(typeof(Opaque), nameof(Opaque.LogSumExp))]
    public static void LogSumExpPullback(double[] v, double dResult, double[] dV)
    {
        double lse = Opaque.LogSumExp(v);
        for (int i = 0; i < v.Length; i++)
        {
            dV[i] += dResult * Math.Exp(v[i] - lse);
        }
    }

    [Differentiable]
    public static double UsesSoftplus(double[] w, double x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += Opaque.Softplus(w[i] * x) * w[i];
        }

        return s;
    }

    [Differentiable]
    public static double UsesLogSumExp(double[] w, double a)
    {
        double[] scaled = new double[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            scaled[i] = w[i] * a;
        }

        return Opaque.LogSumExp(scaled) * a;
    }

    [Differentiable]
    public static double WithNoDerivative(double[] w, [NoDerivative] double[] data, [NoDerivative] double scale, double bias)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double e = w[i] * data[i] * scale + bias;
            s += e * e;
        }

        return s;
    }

    /// <summary>The stopped product is treated as a constant.</summary>
    [Differentiable]
    public static double Stopped(double x, double y)
    {
        double s = Grad.Stop(x * y);
        return s * x + y * y;
    }

    /// <summary>Grad.Stop inside an expression (not the whole right-hand side of an assignment).</summary>
    [Differentiable]
    public static double StoppedInExpression(double x, double y)
    {
        return Grad.Stop(x * y) * x + y * y;
    }

    /// <summary>Explicit truncated back-propagation through time, written as DESIGN.md shows it: the state is cut every k steps.</summary>
    [Differentiable]
    public static double TruncatedRecurrence(double w, double[] x, int k)
    {
        double h = 0;
        double loss = 0;
        for (int t = 0; t < x.Length; t++)
        {
            if (t % k == 0)
            {
                h = Grad.Stop(h);
            }

            h = Math.Tanh(w * h + x[t]);
            loss += h * h;
        }

        return loss;
    }

    /// <summary>Truncated back-propagation through time with the stop inside the update expression.</summary>
    [Differentiable]
    public static double TruncatedRecurrenceInline(double w, double[] x, int k)
    {
        double h = 0;
        double loss = 0;
        for (int t = 0; t < x.Length; t++)
        {
            h = Math.Tanh(w * (t % k == 0 ? Grad.Stop(h) : h) + x[t]);
            loss += h * h;
        }

        return loss;
    }

    /// <summary>The same recurrence with a caller-supplied constant state at each cut: its gradient is the FD reference for <see cref="TruncatedRecurrence"/>.</summary>
    public static double TruncatedReference(double w, double[] x, int k, double[] frozen)
    {
        // At every cut the state is replaced by its primal value, held constant: no derivative crosses a cut.
        double h = 0;
        double loss = 0;
        for (int t = 0; t < x.Length; t++)
        {
            if (t % k == 0)
            {
                h = frozen[t / k];
            }

            h = Math.Tanh(w * h + x[t]);
            loss += h * h;
        }

        return loss;
    }
}

public class InPlaceAndSpecialTests
{
    [Fact]
    public void SoftmaxPullback()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] z = Fd.Vector(random, 5, -3, 3);
            double[] c = Fd.Vector(random, 5);
            double L()
            {
                var p = new double[z.Length];
                InPlace.Softmax(z, p);
                double s = 0;
                for (int i = 0; i < p.Length; i++)
                {
                    s += c[i] * p[i];
                }

                return s;
            }

            double[] zCopy = (double[])z.Clone();
            double[] p = Fd.Vector(random, 5);   // garbage: overwritten
            double[] expected = new double[5];
            InPlace.Softmax(z, expected);
            double[] dZ = new double[5];
            double[] dP = (double[])c.Clone();
            InPlace.SoftmaxPullback(z, p, dZ, dP);
            Assert.Equal(zCopy, z);
            Assert.Equal(expected, p);
            Assert.All(dP, d => Assert.Equal(0.0, d));   // p's initial value does not matter
            Fd.Vec("dZ", L, z, dZ);
        }
    }

    [Fact]
    public void MatVecPullback()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[,] a = Fd.MatrixOf(random, 3, 4);
            double[] x = Fd.Vector(random, 4);
            double[] c = Fd.Vector(random, 3);
            double L()
            {
                var y = new double[3];
                InPlace.MatVec(a, x, y);
                return c[0] * y[0] + c[1] * y[1] * y[1] + c[2] * Math.Sin(y[2]);
            }

            var y0 = new double[3];
            InPlace.MatVec(a, x, y0);
            double[] dY = { c[0], 2 * c[1] * y0[1], c[2] * Math.Cos(y0[2]) };
            var dA = new double[3, 4];
            var dX = new double[4];
            var y = new double[3];
            InPlace.MatVecPullback(a, x, y, dA, dX, dY);
            Assert.Equal(y0, y);
            Fd.Matrix("dA", L, a, dA);
            Fd.Vec("dX", L, x, dX);
        }
    }

    [Fact]
    public void MatVecFlatPullbackAccumulates()
    {
        var random = new Random(5);
        double[] a = Fd.Vector(random, 6);
        double[] x = Fd.Vector(random, 3);
        double[] c = Fd.Vector(random, 2);
        double L()
        {
            var y = new double[2];
            InPlace.MatVecFlat(a, x, y);
            return c[0] * y[0] + c[1] * y[1];
        }

        double[] dA = new double[6];
        double[] dX = { 1, 2, 3 };
        double[] dY = (double[])c.Clone();
        InPlace.MatVecFlatPullback(a, x, new double[2], dA, dX, dY);
        Assert.All(dY, d => Assert.Equal(0.0, d));
        Fd.Vec("dA", L, a, dA);
        Fd.Vec("dX", L, x, new[] { dX[0] - 1, dX[1] - 2, dX[2] - 3 });
    }

    [Fact]
    public void ReadWriteArrayPullbackGivesAdjointOfInitialValue()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] v0 = Fd.Vector(random, 4);
            double a = Fd.Uniform(random, -2, 2);
            double[] shift = Fd.Vector(random, 4);
            double[] c = Fd.Vector(random, 4);
            double L(double[] vInit, double aa, double[] sh)
            {
                var v = (double[])vInit.Clone();
                InPlace.ScaleAndShift(v, aa, sh);
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    s += c[i] * v[i];
                }

                return s;
            }

            double[] v = (double[])v0.Clone();
            double[] dV = (double[])c.Clone();
            double dA = 0;
            double[] dShift = new double[4];
            InPlace.ScaleAndShiftPullback(v, a, shift, dV, ref dA, dShift);
            double[] expected = (double[])v0.Clone();
            InPlace.ScaleAndShift(expected, a, shift);
            Assert.Equal(expected, v);
            double[] probe = (double[])v0.Clone();
            Fd.Vec("dV", () => L(probe, a, shift), probe, dV);
            Fd.Scalar("dA", s => L(v0, s, shift), a, dA);
            Fd.Vec("dShift", () => L(v0, a, shift), shift, dShift);
        }
    }

    [Fact]
    public void PartialUpdatePullback()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] y0 = Fd.Vector(random, 3);
            double x = Fd.Uniform(random, -2, 2);
            double[] c = Fd.Vector(random, 3);
            double L(double[] yInit, double xx)
            {
                var y = (double[])yInit.Clone();
                InPlace.PartialUpdate(y, xx);
                return c[0] * y[0] + c[1] * y[1] + c[2] * y[2];
            }

            double[] y = (double[])y0.Clone();
            double[] dY = (double[])c.Clone();
            double dX = 0;
            InPlace.PartialUpdatePullback(y, x, dY, ref dX);
            double[] probe = (double[])y0.Clone();
            Fd.Vec("dY", () => L(probe, x), probe, dY);
            Fd.Scalar("dX", s => L(y0, s), x, dX);
        }
    }

    [Fact]
    public void SoftmaxCrossEntropyThroughVoidCall()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] logits = Fd.Vector(random, 4, -3, 3);
            int label = seed % 4;
            double[] dLogits = new double[4];
            double value = InPlace.SoftmaxCrossEntropyViaCallGradient(logits, label, dLogits);
            Assert.Equal(InPlace.SoftmaxCrossEntropyViaCall(logits, label), value);
            Fd.Vec("dLogits", () => InPlace.SoftmaxCrossEntropyViaCall(logits, label), logits, dLogits);
        }
    }

    [Fact]
    public void JaggedSequenceAndMatrix()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[][] xs = Fd.JaggedOf(random, 4, 3);
            double[,] w = Fd.MatrixOf(random, 3, 3);
            double[][] dXs = Fd.ZerosLike(xs);
            double[,] dW = new double[3, 3];
            double value = Sequences.QuadraticGradient(xs, w, dXs, dW);
            Assert.Equal(Sequences.Quadratic(xs, w), value);
            Fd.Jagged("dXs", () => Sequences.Quadratic(xs, w), xs, dXs);
            Fd.Matrix("dW", () => Sequences.Quadratic(xs, w), w, dW);
        }
    }

    [Fact]
    public void MatrixProductWithScratchMatrix()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[,] a = Fd.MatrixOf(random, 2, 3), b = Fd.MatrixOf(random, 3, 4);
            double[,] dA = new double[2, 3], dB = new double[3, 4];
            double value = Sequences.FrobeniusOfProductGradient(a, b, dA, dB);
            Assert.Equal(Sequences.FrobeniusOfProduct(a, b), value);
            Fd.Matrix("dA", () => Sequences.FrobeniusOfProduct(a, b), a, dA);
            Fd.Matrix("dB", () => Sequences.FrobeniusOfProduct(a, b), b, dB);
        }
    }

    [Fact]
    public void JaggedOutputPullback()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[][] xs = Fd.JaggedOf(random, 3, 4);
            double[,] w = Fd.MatrixOf(random, 2, 4);
            double[][] c = Fd.JaggedOf(random, 3, 2);
            double L()
            {
                var ys = Fd.ZerosLike(c);
                Sequences.Transform(xs, w, ys);
                double s = 0;
                for (int t = 0; t < ys.Length; t++)
                {
                    for (int i = 0; i < ys[t].Length; i++)
                    {
                        s += c[t][i] * ys[t][i];
                    }
                }

                return s;
            }

            double[][] dXs = Fd.ZerosLike(xs);
            double[,] dW = new double[2, 4];
            double[][] dYs = Fd.Clone(c);
            Sequences.TransformPullback(xs, w, Fd.ZerosLike(c), dXs, dW, dYs);
            Fd.Jagged("dXs", L, xs, dXs);
            Fd.Matrix("dW", L, w, dW);
        }
    }

    [Fact]
    public void CustomScalarPullbackForOpaqueHelper()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 5, -2, 2);
            double x = Fd.Uniform(random, -2, 2);
            double[] dW = new double[5];
            double value = Special.UsesSoftplusGradient(w, x, dW, out double dX);
            Assert.Equal(Special.UsesSoftplus(w, x), value);
            Fd.Vec("dW", () => Special.UsesSoftplus(w, x), w, dW);
            Fd.Scalar("dX", v => Special.UsesSoftplus(w, v), x, dX);
        }
    }

    [Fact]
    public void CustomArrayPullbackForOpaqueHelper()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 5, -2, 2);
            double a = Fd.Uniform(random, 0.3, 2);
            double[] dW = new double[5];
            double value = Special.UsesLogSumExpGradient(w, a, dW, out double dA);
            Assert.Equal(Special.UsesLogSumExp(w, a), value);
            Fd.Vec("dW", () => Special.UsesLogSumExp(w, a), w, dW);
            Fd.Scalar("dA", v => Special.UsesLogSumExp(w, v), a, dA);
        }
    }

    [Fact]
    public void NoDerivativeParametersGetNoGradientArgument()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 4), data = Fd.Vector(random, 4);
            double scale = Fd.Uniform(random, 0.5, 2), bias = Fd.Uniform(random, -1, 1);
            double[] dW = new double[4];
            double value = Special.WithNoDerivativeGradient(w, data, scale, bias, dW, out double dBias);
            Assert.Equal(Special.WithNoDerivative(w, data, scale, bias), value);
            Fd.Vec("dW", () => Special.WithNoDerivative(w, data, scale, bias), w, dW);
            Fd.Scalar("dBias", v => Special.WithNoDerivative(w, data, scale, v), bias, dBias);
        }

        var parameters = typeof(Special).GetMethod(nameof(Special.WithNoDerivativeGradient))!.GetParameters();
        Assert.Equal(new[] { "w", "data", "scale", "bias", "dW", "dBias" }, Array.ConvertAll(parameters, p => p.Name));
    }

    [Fact]
    public void GradStopTreatsValueAsConstant()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double x = Fd.Uniform(random, -2, 2), y = Fd.Uniform(random, -2, 2);
            double value = Special.StoppedGradient(x, y, out double dX, out double dY);
            Assert.Equal(Special.Stopped(x, y), value);
            double s = x * y;
            Fd.Scalar("dX", v => s * v + y * y, x, dX);      // reference: the stopped value frozen
            Fd.Scalar("dY", v => s * x + v * v, y, dY);
            Assert.NotEqual(2 * x * y, dX, 6);                // the full derivative would be 2xy
        }
    }

    [Fact]
    public void GradStopTruncatesBackPropagationThroughTime()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double w = Fd.Uniform(random, -1.5, 1.5);
            double[] x = Fd.Vector(random, 9);
            const int k = 3;
            double[] dX = new double[9];
            double value = Special.TruncatedRecurrenceGradient(w, x, k, out double dW, dX);
            Assert.Equal(Special.TruncatedRecurrence(w, x, k), value);

            // Reference: the states at each cut frozen at their primal values.
            double[] frozen = new double[3];
            double h = 0;
            for (int t = 0; t < x.Length; t++)
            {
                if (t % k == 0)
                {
                    frozen[t / k] = h;
                }

                h = Math.Tanh(w * h + x[t]);
            }

            Fd.Scalar("dW", v => Special.TruncatedReference(v, x, k, frozen), w, dW);
            Fd.Vec("dX", () => Special.TruncatedReference(w, x, k, frozen), x, dX);
        }
    }

    [Fact]
    public void GradStopInExpressionTreatsValueAsConstant()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double x = Fd.Uniform(random, -2, 2), y = Fd.Uniform(random, -2, 2);
            double value = Special.StoppedInExpressionGradient(x, y, out double dX, out double dY);
            Assert.Equal(Special.StoppedInExpression(x, y), value);
            double s = x * y;
            Fd.Scalar("dX", v => s * v + y * y, x, dX);      // reference: the stopped value frozen
            Fd.Scalar("dY", v => s * x + v * v, y, dY);
            Assert.NotEqual(2 * x * y, dX, 6);                // the full derivative would be 2xy
        }
    }

    [Fact]
    public void GradStopInlineTruncatesBackPropagationThroughTime()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double w = Fd.Uniform(random, -1.5, 1.5);
            double[] x = Fd.Vector(random, 9);
            const int k = 3;
            double[] dX = new double[9];
            double value = Special.TruncatedRecurrenceInlineGradient(w, x, k, out double dW, dX);
            Assert.Equal(Special.TruncatedRecurrenceInline(w, x, k), value);

            // Reference: the states at each cut frozen at their primal values.
            double[] frozen = new double[3];
            double h = 0;
            for (int t = 0; t < x.Length; t++)
            {
                if (t % k == 0)
                {
                    frozen[t / k] = h;
                }

                h = Math.Tanh(w * h + x[t]);
            }

            Fd.Scalar("dW", v => Special.TruncatedReference(v, x, k, frozen), w, dW);
            Fd.Vec("dX", () => Special.TruncatedReference(w, x, k, frozen), x, dX);
        }
    }
}
