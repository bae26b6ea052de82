using System;
using SourceDiff;
using SourceDiff.Tests.EndToEnd.Static;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Aliasing;

/// <summary>Arrays chosen by <c>?:</c>, local aliases of arrays, and copies: the adjoint follows the storage.</summary>
public static partial class ChosenArrays
{
    [Differentiable]
    public static double Pick(double[] a, double[] b, int which)
    {
        double[] v = which == 0 ? a : b;
        return v[0] * v[0] + v[1];
    }

    [Differentiable]
    public static double SumSq(double[] v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * v[i];
        }

        return s;
    }

    [Differentiable]
    public static double PickArgument(double[] a, double[] b, int which) => SumSq(which == 0 ? a : b) + 0.5 * a[1];

    [Differentiable]
    public static double PickRow(double[][] w, bool first, double x)
    {
        double[] row = first ? w[0] : w[1];
        return row[0] * x + (first ? w[1] : w[0])[1] * row[1];
    }

    /// <summary>A [NoDerivative] branch only read: its adjoint goes to a sink, the other branch's to its gradient.</summary>
    [Differentiable]
    public static double PickData(double[] w, [NoDerivative] double[] data, int which)
    {
        double[] v = which == 0 ? w : data;
        return v[0] * w[1];
    }

    /// <summary>Explicit heat equation with ping-pong buffers: the chosen source and destination swap every step.</summary>
    [Differentiable]
    public static double Heat(double[] initial, double k, int steps)
    {
        int n = initial.Length;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = initial[i];
        }

        for (int s = 0; s < steps; s++)
        {
            double[] src = s % 2 == 0 ? a : b;
            double[] dst = s % 2 == 0 ? b : a;
            dst[0] = src[0];
            dst[n - 1] = src[n - 1];
            for (int i = 1; i < n - 1; i++)
            {
                dst[i] = src[i] + k * (src[i - 1] - 2 * src[i] + src[i + 1]);
            }
        }

        double[] last = steps % 2 == 0 ? a : b;
        double energy = 0;
        for (int i = 0; i < n; i++)
        {
            energy += last[i] * last[i] * (i + 1);
        }

        return energy;
    }

    /// <summary>A write through a ?: chosen in place, then reads of both arrays.</summary>
    [Differentiable]
    public static double WriteChosen(double[] a, double[] b, bool c, double w)
    {
        (c ? a : b)[1] = w * a[0];
        return a[1] * b[1] + (c ? b : a)[0] * w;
    }

    /// <summary>The condition choosing the written array reads the element the write changes.</summary>
    [Differentiable]
    public static double WriteChosenBySelf(double x, double y)
    {
        double[] s0 = new double[2];
        double[] s1 = { y, 0 };
        (s1[0] < 0.5 ? s1 : s0)[0] = x;
        s1[(int)s1[1]] += x * y;
        return s0[0] + 2.0 * s1[0];
    }

    [Differentiable]
    public static double CloneAndScale(double[] x, double c)
    {
        double[] y = (double[])x.Clone();
        for (int i = 0; i < y.Length; i++)
        {
            y[i] *= c * y[i];
        }

        return y[0] + 2 * y[1] + x[0] * x[1];
    }

    /// <summary>A copy in one branch of ?: and the original in the other: a write changes the original only in one case.</summary>
    [Differentiable]
    public static double CloneInBranch(double[] w, bool copy, double x)
    {
        double[] v = copy ? (double[])w.Clone() : w;
        v[0] = x * v[1];
        return v[0] * w[0] + (copy ? (double[])w.Clone() : v)[1];
    }

    [Differentiable]
    public static double CloneMatrix(double[,] m, double c)
    {
        double[,] copy = (double[,])m.Clone();
        copy[0, 1] = c * copy[1, 0];
        return copy[0, 1] * m[0, 1] + copy[1, 1];
    }

    /// <summary>Jagged Clone is shallow: the rows are shared, so a write through the copy is a write to the original.</summary>
    [Differentiable]
    public static double CloneJagged(double[][] rows, double c)
    {
        double[][] copy = (double[][])rows.Clone();
        copy[0][0] = c * rows[1][0];
        return rows[0][0] * copy[0][1];
    }

    /// <summary>A callee that writes its parameter only through a local alias.</summary>
    [Differentiable]
    public static void FillThroughAlias(double[] v, double w)
    {
        double[] a = v;
        a[0] = 3 * w;
    }

    /// <summary>A callee that hands its parameter on in parentheses.</summary>
    [Differentiable]
    public static void FillParenthesized(double[] v, double w) => FillThroughAlias((v), w);

    [Differentiable]
    public static double UsesAliasFill(double w)
    {
        double[] buffer = new double[2];
        FillThroughAlias(buffer, w);
        return buffer[0] * w + buffer[1];
    }

    [Differentiable]
    public static double UsesParenthesizedFill(double w)
    {
        double[] buffer = new double[2];
        FillParenthesized(buffer, w);
        return buffer[0] * buffer[0] * w;
    }

    /// <summary>Reads a [NoDerivative] array through a callee that only reads it: the sink it gets is never read.</summary>
    [Differentiable]
    public static double ReadsData(double w, [NoDerivative] double[] data) => SumSq(data) * w;

    /// <summary>A write through a local that aliases a fresh array which is read back later.</summary>
    [Differentiable]
    public static double AliasOverwrite(double w)
    {
        double[] tmp = new double[2];
        double[] b = tmp;
        tmp[0] = w;
        double y = b[0] * b[0];
        tmp[0] = 5;
        return y + tmp[0] * w;
    }

    /// <summary>The loop's array is reassigned inside the body: foreach keeps iterating the array it started with.</summary>
    [Differentiable]
    public static double ForEachOverReassignedAlias(double[] a, double[] b)
    {
        double[] v = a;
        double s = 0;
        foreach (double x in v)
        {
            s += x * x * b[0];
            v = b;
            s += v[1] * x;
        }

        return s;
    }

    /// <summary>Reads its parameter only through a local alias: callers may pass data without an adjoint.</summary>
    [Differentiable]
    public static double FirstThroughAlias(double[] v)
    {
        double[] a = v;
        return a[0] * a[1];
    }

    [Differentiable]
    public static double ReadsDataThroughAlias(double w, [NoDerivative] double[] data) => FirstThroughAlias(data) * w + FirstThroughAlias(new[] { w, w });

    [Differentiable]
    public static double ManyTerms(double[] x)
    {
        return x[0] * x[1] + x[1] * x[2] + x[2] * x[0] + x[0] + x[1] + x[2] + x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[0] + x[1] + x[2]
            + x[0] * x[1] + x[1] * x[2] + x[2] * x[0] + x[0] + x[1] + x[2] + x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[0] + x[1] + x[2]
            + x[0] * x[1] + x[1] * x[2] + x[2] * x[0] + x[0] + x[1] + x[2] + x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[0] + x[1] + x[2]
            + x[0] * x[1] + x[1] * x[2] + x[2] * x[0] + x[0] + x[1] + x[2] + x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[0] + x[1] + x[2]
            + x[0] * x[1] + x[1] * x[2] + x[2] * x[0] + x[0] + x[1] + x[2] + x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[0] + x[1] + x[2]
            + x[0] * x[1] + x[1] * x[2] + x[2] * x[0] + x[0] + x[1] + x[2] + x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[0] + x[1] + x[2];
    }
}

public class ArrayAliasTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ArrayChosenByConditional(int which)
    {
        double[] a = { 0.7, -0.3 }, b = { 2.0, 0.4 };
        double[] da = new double[2], db = new double[2];
        double value = ChosenArrays.PickGradient(a, b, which, da, db);
        Assert.Equal(ChosenArrays.Pick(a, b, which), value);
        Fd.Vec("da", () => ChosenArrays.Pick(a, b, which), a, da);
        Fd.Vec("db", () => ChosenArrays.Pick(a, b, which), b, db);
        if (which == 1)
        {
            Assert.Equal(new[] { 4.0, 1.0 }, db);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ArrayArgumentChosenByConditional(int which)
    {
        double[] a = { 0.7, -0.3, 1.1 }, b = { 2.0, 0.4, -0.6 };
        double[] da = new double[3], db = new double[3];
        ChosenArrays.PickArgumentGradient(a, b, which, da, db);
        Fd.Vec("da", () => ChosenArrays.PickArgument(a, b, which), a, da);
        Fd.Vec("db", () => ChosenArrays.PickArgument(a, b, which), b, db);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void JaggedRowChosenByConditional(bool first)
    {
        double[][] w = { new[] { 0.5, -1.5 }, new[] { 2.5, 0.25 } };
        double[][] dw = { new double[2], new double[2] };
        ChosenArrays.PickRowGradient(w, first, 1.3, dw, out double dx);
        Fd.Vec("dw[0]", () => ChosenArrays.PickRow(w, first, 1.3), w[0], dw[0]);
        Fd.Vec("dw[1]", () => ChosenArrays.PickRow(w, first, 1.3), w[1], dw[1]);
        Fd.Scalar("dx", x => ChosenArrays.PickRow(w, first, x), 1.3, dx);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void DataBranchOnlyRead(int which)
    {
        double[] w = { 0.9, -0.4 }, data = { 3.0, 4.0 };
        double[] dw = new double[2];
        ChosenArrays.PickDataGradient(w, data, which, dw);
        Fd.Vec("dw", () => ChosenArrays.PickData(w, data, which), w, dw);
        Assert.Equal(new[] { 3.0, 4.0 }, data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void HeatEquationPingPong(int steps)
    {
        double[] initial = { 0.1, 0.8, -0.3, 0.5, 0.2, -0.7 };
        double[] dInitial = new double[initial.Length];
        double value = ChosenArrays.HeatGradient(initial, 0.2, steps, dInitial, out double dk);
        Assert.Equal(ChosenArrays.Heat(initial, 0.2, steps), value);
        Fd.Vec("dInitial", () => ChosenArrays.Heat(initial, 0.2, steps), initial, dInitial);
        Fd.Scalar("dk", k => ChosenArrays.Heat(initial, k, steps), 0.2, dk);
        Assert.Contains(dInitial, g => g != 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WriteThroughConditionalElement(bool c)
    {
        double[] a0 = { 0.3, 0.9 }, b0 = { -0.4, 1.7 };
        double[] a = (double[])a0.Clone(), b = (double[])b0.Clone();
        double[] da = new double[2], db = new double[2];
        double value = ChosenArrays.WriteChosenGradient(a, b, c, 1.1, da, db, out double dw);
        Assert.Equal(ChosenArrays.WriteChosen((double[])a0.Clone(), (double[])b0.Clone(), c, 1.1), value);
        Fd.Vec("da", () => ChosenArrays.WriteChosen((double[])a0.Clone(), (double[])b0.Clone(), c, 1.1), a0, da);
        Fd.Vec("db", () => ChosenArrays.WriteChosen((double[])a0.Clone(), (double[])b0.Clone(), c, 1.1), b0, db);
        Fd.Scalar("dw", x => ChosenArrays.WriteChosen((double[])a0.Clone(), (double[])b0.Clone(), c, x), 1.1, dw);
    }

    [Theory]
    [InlineData(0.75, 0.2)]
    [InlineData(0.75, 0.9)]
    [InlineData(0.1, 0.3)]
    public void WriteTargetChosenByAConditionOnTheWrittenArray(double x, double y)
    {
        double value = ChosenArrays.WriteChosenBySelfGradient(x, y, out double dx, out double dy);
        Assert.Equal(ChosenArrays.WriteChosenBySelf(x, y), value);
        Fd.Scalar("dx", v => ChosenArrays.WriteChosenBySelf(v, y), x, dx);
        Fd.Scalar("dy", v => ChosenArrays.WriteChosenBySelf(x, v), y, dy);
    }

    [Fact]
    public void CloneIsAnIndependentCopy()
    {
        double[] x = { 0.6, -1.2, 0.3 };
        double[] dx = new double[3];
        ChosenArrays.CloneAndScaleGradient(x, 1.7, dx, out double dc);
        Assert.Equal(new[] { 0.6, -1.2, 0.3 }, x);
        Fd.Vec("dx", () => ChosenArrays.CloneAndScale(x, 1.7), x, dx);
        Fd.Scalar("dc", c => ChosenArrays.CloneAndScale(x, c), 1.7, dc);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CloneInABranchOfConditional(bool copy)
    {
        double[] w0 = { 0.4, -1.3 };
        double[] w = (double[])w0.Clone(), dw = new double[2];
        double value = ChosenArrays.CloneInBranchGradient(w, copy, 0.7, dw, out double dx);
        Assert.Equal(ChosenArrays.CloneInBranch((double[])w0.Clone(), copy, 0.7), value);
        Fd.Vec("dw", () => ChosenArrays.CloneInBranch((double[])w0.Clone(), copy, 0.7), w0, dw);
        Fd.Scalar("dx", v => ChosenArrays.CloneInBranch((double[])w0.Clone(), copy, v), 0.7, dx);
    }

    [Fact]
    public void CloneOfMatrixAndOfJaggedArray()
    {
        double[,] m = { { 0.5, -0.8 }, { 1.5, 0.3 } };
        double[,] dm = new double[2, 2];
        ChosenArrays.CloneMatrixGradient(m, 0.9, dm, out double dc);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                int r = i, c = j;
                double saved = m[r, c];
                double h = 1e-6;
                m[r, c] = saved + h;
                double plus = ChosenArrays.CloneMatrix(m, 0.9);
                m[r, c] = saved - h;
                double minus = ChosenArrays.CloneMatrix(m, 0.9);
                m[r, c] = saved;
                Fd.Close((plus - minus) / (2 * h), dm[r, c], $"dm[{r},{c}]");
            }
        }

        Fd.Scalar("dc", c => ChosenArrays.CloneMatrix(m, c), 0.9, dc);

        // The primal writes into a shared row, so every evaluation gets fresh rows copied from r0 and r1.
        double[] r0 = { 0.4, 1.1 }, r1 = { -0.6, 0.2 };
        double[][] Rows() => new[] { (double[])r0.Clone(), (double[])r1.Clone() };
        double[][] rows = Rows();
        double[][] dRows = { new double[2], new double[2] };
        double value = ChosenArrays.CloneJaggedGradient(rows, 1.3, dRows, out double dcJagged);
        Assert.Equal(ChosenArrays.CloneJagged(Rows(), 1.3), value);
        Assert.Equal(1.3 * -0.6, rows[0][0]); // the primal's effect on the shared row
        Fd.Vec("dRows[0]", () => ChosenArrays.CloneJagged(Rows(), 1.3), r0, dRows[0]);
        Fd.Vec("dRows[1]", () => ChosenArrays.CloneJagged(Rows(), 1.3), r1, dRows[1]);
        Fd.Scalar("dc", c => ChosenArrays.CloneJagged(Rows(), c), 1.3, dcJagged);
    }

    [Fact]
    public void CalleeWritingThroughLocalAlias()
    {
        const double w = 1.4;
        double expected = 2 * 3 * w; // buffer[0] = 3w; d(3w·w)/dw = 6w
        ChosenArrays.UsesAliasFillGradient(w, out double dw);
        Fd.Scalar("dw", ChosenArrays.UsesAliasFill, w, dw);
        Fd.Close(expected, dw, "dw");

        // An unrelated gradient call on the same thread first, which adds into the per-thread sink.
        ChosenArrays.ReadsDataGradient(2.0, new[] { 5.0, 5.0, 5.0 }, out _);
        ChosenArrays.UsesAliasFillGradient(w, out double again);
        Assert.Equal(dw, again);
    }

    [Fact]
    public void CalleeWritingThroughParenthesizedArgument()
    {
        const double w = 0.7; // buffer[0] = 3w: (3w)²·w = 9w³, derivative 27w²
        ChosenArrays.UsesParenthesizedFillGradient(w, out double dw);
        Fd.Close(27 * w * w, dw, "dw");
        ChosenArrays.ReadsDataGradient(2.0, new[] { 5.0, 5.0, 5.0 }, out _);
        ChosenArrays.UsesParenthesizedFillGradient(w, out double again);
        Assert.Equal(dw, again);
    }

    [Fact]
    public void VoidCalleeWritingThroughAliasKeepsThePrimalEffect()
    {
        double[] v = { 0.0, 9.0 };
        double[] dv = { 1.0, 1.0 };
        double dw = 0;
        ChosenArrays.FillThroughAliasPullback(v, 0.5, dv, ref dw);
        Assert.Equal(new[] { 1.5, 9.0 }, v);
        Assert.Equal(3.0, dw);
        Assert.Equal(new[] { 0.0, 1.0 }, dv);
    }

    [Fact]
    public void WriteThroughAliasOfReadArray()
    {
        ChosenArrays.AliasOverwriteGradient(0.8, out double dw);
        Fd.Scalar("dw", ChosenArrays.AliasOverwrite, 0.8, dw);
    }

    [Fact]
    public void ForEachKeepsTheArrayItStartedWith()
    {
        double[] a = { 0.3, -1.2, 0.8 }, b = { 1.5, 0.4 };
        double[] da = new double[3], db = new double[2];
        double value = ChosenArrays.ForEachOverReassignedAliasGradient(a, b, da, db);
        Assert.Equal(ChosenArrays.ForEachOverReassignedAlias(a, b), value);
        Fd.Vec("da", () => ChosenArrays.ForEachOverReassignedAlias(a, b), a, da);
        Fd.Vec("db", () => ChosenArrays.ForEachOverReassignedAlias(a, b), b, db);
    }

    [Fact]
    public void CalleeReadingThroughLocalAliasAcceptsData()
    {
        double[] data = { 0.5, -2.0 };
        double value = ChosenArrays.ReadsDataThroughAliasGradient(1.7, data, out double dw);
        Assert.Equal(ChosenArrays.ReadsDataThroughAlias(1.7, data), value);
        Fd.Scalar("dw", w => ChosenArrays.ReadsDataThroughAlias(w, data), 1.7, dw);
    }

    [Fact]
    public void LongExpressionIsSplitIntoPartialResults()
    {
        double[] x = { 0.3, -0.7, 1.2 };
        double[] dx = new double[3];
        ChosenArrays.ManyTermsGradient(x, dx);
        Fd.Vec("dx", () => ChosenArrays.ManyTerms(x), x, dx);
    }
}

public static class Library
{
    public static double WeightedSum(double[] v, double[] weights)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * weights[i];
        }

        return s;
    }
}

public static partial class CustomPullbacks
{
    /// <summary>A user's pullback that relies on its buffers having the shape of their inputs.</summary>
    [DerivativeOf(typeof(Library), nameof(Library.WeightedSum))]
    public static void WeightedSumPullback(double[] v, double[] weights, double dResult, double[] dV, double[] dWeights)
    {
        if (dV.Length != v.Length || dWeights.Length != weights.Length)
        {
            throw new ArgumentException("The adjoint buffers must have the shapes of their inputs.");
        }

        Array.Clear(dWeights); // the caller's data carries no derivative: nothing it holds is read
        for (int i = 0; i < v.Length; i++)
        {
            dV[i] += dResult * weights[i];
            dWeights[i] += dResult * v[i];
        }
    }

    [Differentiable]
    public static double Score(double[] v, [NoDerivative] double[] weights) => Library.WeightedSum(v, weights) * v[0];
}

public class CustomPullbackBufferTests
{
    [Fact]
    public void UserPullbackGetsExactlyShapedBuffersForData()
    {
        double[] v = { 0.5, -1.5, 2.0 }, weights = { 3.0, 0.25, -1.0 };
        double[] dv = new double[3];
        CustomPullbacks.ScoreGradient(v, weights, dv);
        Fd.Vec("dv", () => CustomPullbacks.Score(v, weights), v, dv);
        Assert.Equal(new[] { 3.0, 0.25, -1.0 }, weights);
    }
}
