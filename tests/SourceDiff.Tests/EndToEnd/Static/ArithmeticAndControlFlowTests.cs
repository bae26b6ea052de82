using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

public static partial class Basics
{
    [Differentiable]
    public static double Arithmetic(double x, double y)
    {
        double a = x * y;
        double b = -a + x / y;
        double c = -(b - 2.5) * (a + 1);
        return c / (1 + b * b) - y;
    }

    [Differentiable]
    public static double CompoundLocals(double x, double y)
    {
        double s = x;
        s += y * x;
        s -= y;
        s *= x;
        s /= 1 + y * y;
        s += s * s;
        return s;
    }

    [Differentiable]
    public static double CompoundArrayElements(double[] w, double x)
    {
        double[] t = new double[w.Length];
        double total = 0;
        for (int i = 0; i < w.Length; i++)
        {
            t[i] = w[i];
            t[i] += x;
            t[i] *= w[i];
            t[i] -= x * x;
            t[i] /= 2 + w[i] * w[i];
            total += t[i];
        }

        return total;
    }

    /// <summary>Writes into its input array and returns a value: the gradient is with respect to the initial contents.</summary>
    [Differentiable]
    public static double MutateInputAndSum(double[] w, double a)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= a;
            w[i] += Math.Sin(w[i]);
            s += w[i] * w[i];
        }

        return s;
    }

    [Differentiable]
    public static double Modulo(double x, double y, double[] w)
    {
        double r = x % y;
        int k = w.Length;
        double s = 0;
        for (int i = 0; i < 2 * k; i++)
        {
            s += w[(i * 3 + 1) % k] * (i % 2 == 0 ? 1.0 : -0.5);
        }

        return r * r + s * x;
    }

    [Differentiable]
    public static double Conditional(double x, double y)
    {
        double z = x > y ? x * x * y : y * Math.Sin(x);
        return z + (z > 0 ? z : -2 * z);
    }

    [Differentiable]
    public static double ConditionalInLoop(double[] w, double t)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] > t ? w[i] * w[i] : t * w[i];
        }

        return s;
    }

    [Differentiable]
    public static double ElseIfChain(double x, double a)
    {
        double y;
        if (x < -1)
        {
            y = a * x;
        }
        else if (x < 0)
        {
            y = x * x * a;
        }
        else if (x < 1)
        {
            y = Math.Exp(x * a);
        }
        else
        {
            y = Math.Log(x + a * a);
        }

        return y * 2;
    }

    [Differentiable]
    public static double NestedIfs(double[] w, double a)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            if (w[i] > 0)
            {
                if (a > 0.5)
                {
                    s += w[i] * a;
                }
                else
                {
                    s -= w[i] * w[i];
                }
            }
            else
            {
                s += a * a * w[i];
                if (w[i] < -0.5)
                {
                    s *= 0.5;
                }
            }
        }

        return s;
    }
}

public static partial class Loops
{
    [Differentiable]
    public static double Dot(double[] w, double[] x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * x[i];
        }

        return s;
    }

    /// <summary>The number of iterations depends on the data.</summary>
    [Differentiable]
    public static double WhileShrink(double x, double limit)
    {
        double s = x;
        int n = 0;
        while (s > limit)
        {
            s = s * 0.5 + 0.01 * s * s;
            n++;
        }

        return s * n + s;
    }

    [Differentiable]
    public static double DoWhileHorner(double x, double[] c)
    {
        double acc = 0;
        int k = 0;
        do
        {
            acc = acc * x + c[k];
            k++;
        }
        while (k < c.Length);
        return acc;
    }

    [Differentiable]
    public static double ForeachCubes(double[] w)
    {
        double s = 0;
        foreach (double v in w)
        {
            s += v * v * v;
        }

        return s;
    }

    [Differentiable]
    public static double ForeachJagged(double[][] rows)
    {
        double s = 0;
        foreach (double[] row in rows)
        {
            double m = 0;
            foreach (double v in row)
            {
                m += v;
            }

            s += m * m;
        }

        return s;
    }

    [Differentiable]
    public static double BreakWhenLarge(double[] w, double threshold)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * w[i];
            if (s > threshold)
            {
                break;
            }

            s *= 1.1;
        }

        return s;
    }

    [Differentiable]
    public static double ContinueOnNegative(double[] w, double a)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            if (w[i] < 0)
            {
                continue;
            }

            s += Math.Exp(a * w[i]);
        }

        return s;
    }

    [Differentiable]
    public static double EarlyReturnInLoop(double[] w, double limit)
    {
        double p = 1;
        for (int i = 0; i < w.Length; i++)
        {
            p *= 1 + w[i];
            if (p > limit)
            {
                return p * limit;
            }
        }

        return -p;
    }

    [Differentiable]
    public static double EarlyReturnNestedIf(double x, double y)
    {
        if (x > 0)
        {
            if (y > 0)
            {
                return x * y;
            }

            double t = x - y;
            if (t > 2)
            {
                return Math.Sqrt(t);
            }

            return t * t;
        }

        return Math.Exp(x) + y;
    }

    /// <summary>Nested loops: the inner trip count depends on the data.</summary>
    [Differentiable]
    public static double NestedDataDependent(double[] w, double limit)
    {
        double total = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double s = w[i];
            int steps = 0;
            while (s < limit)
            {
                s = s * 1.5 + 0.1;
                steps++;
            }

            total += s / (1 + steps);
        }

        return total;
    }

    /// <summary>h = f(h): every old value of h is needed by the reverse sweep.</summary>
    [Differentiable]
    public static double LogisticMap(double r, double h0, int n)
    {
        double h = h0;
        for (int i = 0; i < n; i++)
        {
            h = r * h * (1 - h);
        }

        return h;
    }

    [Differentiable]
    public static double TanhRecurrence(double w, double u, double[] x)
    {
        double h = 0;
        double s = 0;
        for (int t = 0; t < x.Length; t++)
        {
            h = Math.Tanh(w * h + u * x[t]);
            s += h;
        }

        return s + h * h;
    }

    /// <summary>Scratch array elements overwritten in several passes.</summary>
    [Differentiable]
    public static double ScratchRelax(double[] x, double w, int passes)
    {
        int n = x.Length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = x[i];
        }

        for (int p = 0; p < passes; p++)
        {
            for (int i = 1; i < n; i++)
            {
                v[i] = v[i] * w + Math.Sin(v[i - 1]);
            }
        }

        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += v[i] * v[i];
        }

        return s;
    }

    [Differentiable]
    public static double ScratchPrefix(double[] x)
    {
        double[] prefix = new double[x.Length + 1];
        for (int i = 0; i < x.Length; i++)
        {
            prefix[i + 1] = prefix[i] + Math.Exp(x[i]);
        }

        double s = 0;
        for (int i = 1; i < prefix.Length; i++)
        {
            s += Math.Log(prefix[i]);
        }

        return s;
    }

    [Differentiable]
    public static double ScratchMatrix(double[] x)
    {
        int n = x.Length;
        double[,] m = new double[n, n];
        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int j = 0; j < m.GetLength(1); j++)
            {
                m[i, j] = x[i] * x[j] + (i == j ? 1.0 : 0.0);
            }
        }

        double s = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                s += m[i, j] * m[j, (i + 1) % n];
            }
        }

        return s;
    }

    [Differentiable]
    public static double ArrayInitializer(double a, double b)
    {
        double[] v = new[] { a, b, a * b };
        double[] c = new double[] { 1.0, -2.0, 0.5 };
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += c[i] * v[i] * v[i];
        }

        return s;
    }

    [Differentiable]
    public static double NestedBreak(double[] w, double limit)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double row = 0;
            for (int j = 0; j < w.Length; j++)
            {
                row += w[i] * w[j];
                if (row > limit)
                {
                    break;
                }
            }

            s += row;
        }

        return s;
    }
}

public class ArithmeticAndControlFlowTests
{
    private delegate double Grad2(double x, double y, out double dX, out double dY);

    private static void Check2(Func<double, double, double> primal, Grad2 gradient, (double, double)[] points)
    {
        foreach (var (x, y) in points)
        {
            double value = gradient(x, y, out double dX, out double dY);
            Assert.Equal(primal(x, y), value);
            Fd.Scalar($"dX at ({x}, {y})", v => primal(v, y), x, dX);
            Fd.Scalar($"dY at ({x}, {y})", v => primal(x, v), y, dY);
        }
    }

    [Fact]
    public void Arithmetic() => Check2(Basics.Arithmetic, Basics.ArithmeticGradient, new[] { (0.5, 1.5), (-1.2, 0.7), (2.0, -1.3), (0.1, 3.0) });

    [Fact]
    public void CompoundLocals() => Check2(Basics.CompoundLocals, Basics.CompoundLocalsGradient, new[] { (0.5, 1.5), (-1.2, 0.7), (2.0, -1.3) });

    [Fact]
    public void Conditional() => Check2(Basics.Conditional, Basics.ConditionalGradient, new[] { (1.5, 0.5), (0.3, 1.2), (-0.8, 0.4), (2.0, -1.0) });

    [Fact]
    public void ElseIfChainAllBranches() => Check2(Basics.ElseIfChain, Basics.ElseIfChainGradient, new[] { (-2.0, 0.7), (-0.5, 1.3), (0.4, -0.6), (2.5, 0.9) });

    [Fact]
    public void EarlyReturnNestedIfAllExits() => Check2(Loops.EarlyReturnNestedIf, Loops.EarlyReturnNestedIfGradient, new[] { (1.0, 2.0), (3.5, -1.0), (1.0, -0.5), (-1.0, 0.3) });

    [Fact]
    public void WhileShrinkDataDependentTripCount() => Check2(Loops.WhileShrink, Loops.WhileShrinkGradient, new[] { (10.3, 0.7), (3.1, 0.4), (0.2, 0.5), (20.0, 1.3) });

    [Fact]
    public void ArrayInitializer() => Check2(Loops.ArrayInitializer, Loops.ArrayInitializerGradient, new[] { (0.5, 1.5), (-1.2, 0.7), (2.0, -1.3) });

    [Fact]
    public void Modulo()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double x = Fd.Uniform(random, 0.3, 7), y = Fd.Uniform(random, 1.1, 2.9);
            if (Math.Abs(x % y) < 0.05 || y - Math.Abs(x % y) < 0.05)
            {
                continue;   // stay away from the jumps of %
            }

            double[] w = Fd.Vector(random, 4);
            double[] dW = new double[4];
            double value = Basics.ModuloGradient(x, y, w, out double dX, out double dY, dW);
            Assert.Equal(Basics.Modulo(x, y, w), value);
            Fd.Scalar("dX", v => Basics.Modulo(v, y, w), x, dX);
            Fd.Scalar("dY", v => Basics.Modulo(x, v, w), y, dY);
            Fd.Vec("dW", () => Basics.Modulo(x, y, w), w, dW);
        }
    }

    [Fact]
    public void CompoundArrayElements()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 5, -2, 2);
            double x = Fd.Uniform(random, -1, 1);
            double[] dW = new double[5];
            double value = Basics.CompoundArrayElementsGradient(w, x, dW, out double dX);
            Assert.Equal(Basics.CompoundArrayElements(w, x), value);
            Fd.Vec("dW", () => Basics.CompoundArrayElements(w, x), w, dW);
            Fd.Scalar("dX", v => Basics.CompoundArrayElements(w, v), x, dX);
        }
    }

    [Fact]
    public void MutateInputAndSumDifferentiatesInitialValuesAndLeavesPrimalSideEffects()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w0 = Fd.Vector(random, 5);
            double a = Fd.Uniform(random, 0.5, 1.5);
            double Primal(double[] w, double aa) => Basics.MutateInputAndSum((double[])w.Clone(), aa);

            double[] expectedAfter = (double[])w0.Clone();
            double expected = Basics.MutateInputAndSum(expectedAfter, a);

            double[] w = (double[])w0.Clone();
            double[] dW = new double[5];
            double value = Basics.MutateInputAndSumGradient(w, a, dW, out double dA);
            Assert.Equal(expected, value);
            Assert.Equal(expectedAfter, w);   // same side effects as the primal

            double[] probe = (double[])w0.Clone();
            Fd.Vec("dW", () => Primal(probe, a), probe, dW);
            Fd.Scalar("dA", v => Primal(w0, v), a, dA);
        }
    }

    [Fact]
    public void ConditionalInLoop()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 6, -2, 2);
            double t = Fd.Uniform(random, -0.5, 0.5);
            double[] dW = new double[6];
            double value = Basics.ConditionalInLoopGradient(w, t, dW, out double dT);
            Assert.Equal(Basics.ConditionalInLoop(w, t), value);
            Fd.Vec("dW", () => Basics.ConditionalInLoop(w, t), w, dW);
            Fd.Scalar("dT", v => Basics.ConditionalInLoop(w, v), t, dT);
        }
    }

    [Fact]
    public void NestedIfs()
    {
        foreach (double a in new[] { 0.2, 0.9, 1.4 })
        {
            double[] w = { 0.3, -0.2, -0.9, 1.2, -0.6, 0.05 };
            double[] dW = new double[w.Length];
            double value = Basics.NestedIfsGradient(w, a, dW, out double dA);
            Assert.Equal(Basics.NestedIfs(w, a), value);
            Fd.Vec("dW", () => Basics.NestedIfs(w, a), w, dW);
            Fd.Scalar("dA", v => Basics.NestedIfs(w, v), a, dA);
        }
    }

    [Fact]
    public void DotProduct()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 7), x = Fd.Vector(random, 7);
            double[] dW = new double[7], dX = new double[7];
            double value = Loops.DotGradient(w, x, dW, dX);
            Assert.Equal(Loops.Dot(w, x), value);
            Fd.Vec("dW", () => Loops.Dot(w, x), w, dW);
            Fd.Vec("dX", () => Loops.Dot(w, x), x, dX);
        }
    }

    [Fact]
    public void DoWhileHorner()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double x = Fd.Uniform(random, -1.5, 1.5);
            double[] c = Fd.Vector(random, 1 + seed % 5);
            double[] dC = new double[c.Length];
            double value = Loops.DoWhileHornerGradient(x, c, out double dX, dC);
            Assert.Equal(Loops.DoWhileHorner(x, c), value);
            Fd.Scalar("dX", v => Loops.DoWhileHorner(v, c), x, dX);
            Fd.Vec("dC", () => Loops.DoWhileHorner(x, c), c, dC);
        }
    }

    [Fact]
    public void ForeachOverDoubleArray()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 5, -2, 2);
            double[] dW = new double[5];
            double value = Loops.ForeachCubesGradient(w, dW);
            Assert.Equal(Loops.ForeachCubes(w), value);
            Fd.Vec("dW", () => Loops.ForeachCubes(w), w, dW);
        }
    }

    [Fact]
    public void ForeachOverJaggedArray()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[][] rows = { Fd.Vector(random, 3), Fd.Vector(random, 1), Fd.Vector(random, 4) };
            double[][] dRows = Fd.ZerosLike(rows);
            double value = Loops.ForeachJaggedGradient(rows, dRows);
            Assert.Equal(Loops.ForeachJagged(rows), value);
            Fd.Jagged("dRows", () => Loops.ForeachJagged(rows), rows, dRows);
        }
    }

    [Fact]
    public void BreakWhenLarge()
    {
        foreach (double threshold in new[] { 0.7, 2.3, 100.0 })
        {
            double[] w = { 0.5, -0.8, 0.6, 1.1, -0.4, 0.9 };
            double[] dW = new double[w.Length];
            double value = Loops.BreakWhenLargeGradient(w, threshold, dW, out double dThreshold);
            Assert.Equal(Loops.BreakWhenLarge(w, threshold), value);
            Fd.Vec("dW", () => Loops.BreakWhenLarge(w, threshold), w, dW);
            Assert.Equal(0.0, dThreshold);
        }
    }

    [Fact]
    public void ContinueOnNegative()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 6);
            double a = Fd.Uniform(random, -1, 1);
            double[] dW = new double[6];
            double value = Loops.ContinueOnNegativeGradient(w, a, dW, out double dA);
            Assert.Equal(Loops.ContinueOnNegative(w, a), value);
            Fd.Vec("dW", () => Loops.ContinueOnNegative(w, a), w, dW);
            Fd.Scalar("dA", v => Loops.ContinueOnNegative(w, v), a, dA);
        }
    }

    [Fact]
    public void EarlyReturnInLoop()
    {
        foreach (double limit in new[] { 1.3, 2.0, 50.0 })
        {
            double[] w = { 0.2, 0.45, -0.1, 0.6, 0.3 };
            double[] dW = new double[w.Length];
            double value = Loops.EarlyReturnInLoopGradient(w, limit, dW, out double dLimit);
            Assert.Equal(Loops.EarlyReturnInLoop(w, limit), value);
            Fd.Vec("dW", () => Loops.EarlyReturnInLoop(w, limit), w, dW);
            Fd.Scalar("dLimit", v => Loops.EarlyReturnInLoop(w, v), limit, dLimit);
        }
    }

    [Fact]
    public void NestedLoopsWithDataDependentTripCounts()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 5, 0.05, 3);
            double limit = Fd.Uniform(random, 2, 6);
            double[] dW = new double[5];
            double value = Loops.NestedDataDependentGradient(w, limit, dW, out double dLimit);
            Assert.Equal(Loops.NestedDataDependent(w, limit), value);
            Fd.Vec("dW", () => Loops.NestedDataDependent(w, limit), w, dW);
            Assert.Equal(0.0, dLimit);
        }
    }

    [Fact]
    public void LogisticMapOverwritesInLoop()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double r = Fd.Uniform(random, 2.5, 3.2), h0 = Fd.Uniform(random, 0.2, 0.8);
            int n = 3 + seed % 6;
            double value = Loops.LogisticMapGradient(r, h0, n, out double dR, out double dH0);
            Assert.Equal(Loops.LogisticMap(r, h0, n), value);
            Fd.Scalar("dR", v => Loops.LogisticMap(v, h0, n), r, dR);
            Fd.Scalar("dH0", v => Loops.LogisticMap(r, v, n), h0, dH0);
        }
    }

    [Fact]
    public void TanhRecurrence()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double w = Fd.Uniform(random, -1.5, 1.5), u = Fd.Uniform(random, -1.5, 1.5);
            double[] x = Fd.Vector(random, 8);
            double[] dX = new double[8];
            double value = Loops.TanhRecurrenceGradient(w, u, x, out double dW, out double dU, dX);
            Assert.Equal(Loops.TanhRecurrence(w, u, x), value);
            Fd.Scalar("dW", v => Loops.TanhRecurrence(v, u, x), w, dW);
            Fd.Scalar("dU", v => Loops.TanhRecurrence(w, v, x), u, dU);
            Fd.Vec("dX", () => Loops.TanhRecurrence(w, u, x), x, dX);
        }
    }

    [Fact]
    public void ScratchArrayOverwrittenInPasses()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 5);
            double w = Fd.Uniform(random, 0.3, 0.9);
            double[] dX = new double[5];
            double value = Loops.ScratchRelaxGradient(x, w, 3, dX, out double dW);
            Assert.Equal(Loops.ScratchRelax(x, w, 3), value);
            Fd.Vec("dX", () => Loops.ScratchRelax(x, w, 3), x, dX);
            Fd.Scalar("dW", v => Loops.ScratchRelax(x, v, 3), w, dW);
        }
    }

    [Fact]
    public void ScratchPrefixSums()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 6);
            double[] dX = new double[6];
            double value = Loops.ScratchPrefixGradient(x, dX);
            Assert.Equal(Loops.ScratchPrefix(x), value);
            Fd.Vec("dX", () => Loops.ScratchPrefix(x), x, dX);
        }
    }

    [Fact]
    public void ScratchMatrixWithGetLength()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] x = Fd.Vector(random, 4);
            double[] dX = new double[4];
            double value = Loops.ScratchMatrixGradient(x, dX);
            Assert.Equal(Loops.ScratchMatrix(x), value);
            Fd.Vec("dX", () => Loops.ScratchMatrix(x), x, dX);
        }
    }

    [Fact]
    public void NestedBreak()
    {
        foreach (double limit in new[] { 0.1, 0.8, 10.0 })
        {
            double[] w = { 0.5, 0.7, -0.3, 0.9 };
            double[] dW = new double[w.Length];
            double value = Loops.NestedBreakGradient(w, limit, dW, out double dLimit);
            Assert.Equal(Loops.NestedBreak(w, limit), value);
            Fd.Vec("dW", () => Loops.NestedBreak(w, limit), w, dW);
            Assert.Equal(0.0, dLimit);
        }
    }
}
