using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

public static partial class Edges
{
    [Differentiable]
    public static double EarlyReturnInForeach(double[] w, double limit)
    {
        double s = 0;
        foreach (double v in w)
        {
            s += v * v;
            if (s > limit)
            {
                return s * v;
            }
        }

        return s;
    }

    /// <summary>Locals named like the reverse sweep's temporaries (_g0, _count0, _result0): the temporaries pick other names.</summary>
    [Differentiable]
    public static double LocalsNamedLikeTemporaries(double[] w, double[] h, double x)
    {
        double _result0 = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double _g0 = w[i] * x;
            h[i] += _g0 * x;
            int _count0 = i;
            _result0 += Math.Tanh(_g0) * h[_count0];
        }

        return _result0;
    }

    /// <summary>A floating loop counter: the trip count depends on x.</summary>
    [Differentiable]
    public static double FloatingCounter(double x, double a)
    {
        double s = 0;
        for (double t = 0.25; t < x; t += 0.5)
        {
            s += Math.Sin(a * t) * x;
        }

        return s;
    }

    /// <summary>Compound assignment to jagged and 2-D elements of the inputs, in place.</summary>
    [Differentiable]
    public static void UpdateInPlace(double[][] xs, double[,] m, double a)
    {
        for (int t = 0; t < xs.Length; t++)
        {
            for (int i = 0; i < xs[t].Length; i++)
            {
                xs[t][i] += a * m[t, i];
                m[t, i] *= xs[t][i];
            }
        }
    }

    /// <summary>An array element passed by ref to a differentiable helper.</summary>
    [Differentiable]
    public static double RefArrayElement(double[] v, double w)
    {
        double[] acc = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            acc[i] = v[i];
            Calls.Accumulate(ref acc[i], v[(i + 1) % v.Length], w);
        }

        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += acc[i] * acc[i];
        }

        return s;
    }

    /// <summary>Same local array reused across iterations of an outer loop and read by a callee each time.</summary>
    [Differentiable]
    public static double ReusedScratchWithCall(double[] x, int rounds)
    {
        double[] buffer = new double[x.Length];
        double total = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                buffer[i] = x[i] * (r + 1) + (i > 0 ? buffer[i - 1] : 0.0) * 0.1;
            }

            total += Calls.SumOfSquares(buffer) * 0.5 + Models.SoftmaxCrossEntropy(buffer, r % x.Length);
        }

        return total;
    }

    /// <summary>Recursive, writing into an array on the way down.</summary>
    [Differentiable]
    public static void RecursiveScan(double[] v, int i, double decay)
    {
        if (i >= v.Length)
        {
            return;
        }

        v[i] += v[i - 1] * decay;
        RecursiveScan(v, i + 1, decay);
    }

    [Differentiable]
    public static double UsesRecursiveScan(double[] x, double decay)
    {
        double[] v = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            v[i] = x[i];
        }

        RecursiveScan(v, 1, decay);
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += Math.Tanh(v[i]);
        }

        return s;
    }
}

public class EdgeCaseTests
{
    [Fact]
    public void LocalsNamedLikeTemporaries()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 5);
            double[] h0 = Fd.Vector(random, 5);
            double x = Fd.Uniform(random, -1, 1);
            double[] h = (double[])h0.Clone();
            double[] dW = new double[5];
            double[] dH = new double[5];
            double value = Edges.LocalsNamedLikeTemporariesGradient(w, h, x, dW, dH, out double dX);
            Assert.Equal(Edges.LocalsNamedLikeTemporaries(w, (double[])h0.Clone(), x), value);
            Fd.Vec("dW", () => Edges.LocalsNamedLikeTemporaries(w, (double[])h0.Clone(), x), w, dW);
            Fd.Vec("dH", () => Edges.LocalsNamedLikeTemporaries(w, (double[])h0.Clone(), x), h0, dH);
            Fd.Scalar("dX", v => Edges.LocalsNamedLikeTemporaries(w, (double[])h0.Clone(), v), x, dX);
        }
    }

    [Fact]
    public void EarlyReturnInForeach()
    {
        foreach (double limit in new[] { 0.3, 1.1, 50.0 })
        {
            double[] w = { 0.4, -0.6, 0.9, 0.2 };
            double[] dW = new double[4];
            double value = Edges.EarlyReturnInForeachGradient(w, limit, dW, out double dLimit);
            Assert.Equal(Edges.EarlyReturnInForeach(w, limit), value);
            Fd.Vec("dW", () => Edges.EarlyReturnInForeach(w, limit), w, dW);
            Assert.Equal(0.0, dLimit);
        }
    }

    [Fact]
    public void FloatingLoopCounter()
    {
        foreach (double x in new[] { 0.1, 1.3, 2.6, 3.9 })
        {
            double a = 0.7;
            double value = Edges.FloatingCounterGradient(x, a, out double dX, out double dA);
            Assert.Equal(Edges.FloatingCounter(x, a), value);
            Fd.Scalar("dX", v => Edges.FloatingCounter(v, a), x, dX);
            Fd.Scalar("dA", v => Edges.FloatingCounter(x, v), a, dA);
        }
    }

    [Fact]
    public void CompoundAssignmentToJaggedAndMatrixInputsPullback()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[][] xs0 = Fd.JaggedOf(random, 2, 3);
            double[,] m0 = Fd.MatrixOf(random, 2, 3);
            double a = Fd.Uniform(random, -1, 1);
            double[][] cx = Fd.JaggedOf(random, 2, 3);
            double[,] cm = Fd.MatrixOf(random, 2, 3);
            double L(double[][] xsInit, double[,] mInit, double aa)
            {
                double[][] xs = Fd.Clone(xsInit);
                double[,] m = (double[,])mInit.Clone();
                Edges.UpdateInPlace(xs, m, aa);
                double s = 0;
                for (int t = 0; t < 2; t++)
                {
                    for (int i = 0; i < 3; i++)
                    {
                        s += cx[t][i] * xs[t][i] + cm[t, i] * m[t, i];
                    }
                }

                return s;
            }

            double[][] xsRun = Fd.Clone(xs0);
            double[,] mRun = (double[,])m0.Clone();
            double[][] dXs = Fd.Clone(cx);
            double[,] dM = (double[,])cm.Clone();
            double dA = 0;
            Edges.UpdateInPlacePullback(xsRun, mRun, a, dXs, dM, ref dA);

            double[][] xsProbe = Fd.Clone(xs0);
            double[,] mProbe = (double[,])m0.Clone();
            Fd.Jagged("dXs", () => L(xsProbe, mProbe, a), xsProbe, dXs);
            Fd.Matrix("dM", () => L(xsProbe, mProbe, a), mProbe, dM);
            Fd.Scalar("dA", v => L(xs0, m0, v), a, dA);
        }
    }

    [Fact]
    public void ArrayElementPassedByRef()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] v = Fd.Vector(random, 4);
            double w = Fd.Uniform(random, -1, 1);
            double[] dV = new double[4];
            double value = Edges.RefArrayElementGradient(v, w, dV, out double dW);
            Assert.Equal(Edges.RefArrayElement(v, w), value);
            Fd.Vec("dV", () => Edges.RefArrayElement(v, w), v, dV);
            Fd.Scalar("dW", s => Edges.RefArrayElement(v, s), w, dW);
        }
    }

    [Fact]
    public void ReusedScratchArrayReadByCallees()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 3);
            double[] dX = new double[3];
            double value = Edges.ReusedScratchWithCallGradient(x, 3, dX);
            Assert.Equal(Edges.ReusedScratchWithCall(x, 3), value);
            Fd.Vec("dX", () => Edges.ReusedScratchWithCall(x, 3), x, dX);
        }
    }

    [Fact]
    public void RecursiveVoidMethodWritingArray()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 5);
            double decay = Fd.Uniform(random, 0.2, 0.9);
            double[] dX = new double[5];
            double value = Edges.UsesRecursiveScanGradient(x, decay, dX, out double dDecay);
            Assert.Equal(Edges.UsesRecursiveScan(x, decay), value);
            Fd.Vec("dX", () => Edges.UsesRecursiveScan(x, decay), x, dX);
            Fd.Scalar("dDecay", s => Edges.UsesRecursiveScan(x, s), decay, dDecay);
        }
    }
}
