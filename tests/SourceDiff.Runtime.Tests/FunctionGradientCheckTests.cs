using System;
using System.Linq;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>Checks of static functions: every input kind, exact restoration, the metric near zero, validation.</summary>
public class FunctionGradientCheckTests
{
    // f(w, M, seq, x) = Σ sin(w_i)·x + Σ_ij M_ij² · w_0 + Σ_t Σ_k exp(seq_tk)/10, with its gradient written by hand.
    private static double F(double[] w, double[,] m, double[][] seq, double x)
    {
        double f = 0;
        foreach (double wi in w)
        {
            f += Math.Sin(wi) * x;
        }

        foreach (double mij in m)
        {
            f += mij * mij * w[0];
        }

        foreach (double[] row in seq)
        {
            foreach (double v in row)
            {
                f += Math.Exp(v) / 10;
            }
        }

        return f;
    }

    private static double FGradient(double[] w, double[,] m, double[][] seq, double x,
        double[] dw, double[,] dm, double[][] dseq, out double dx)
    {
        dx = 0;
        for (int i = 0; i < w.Length; i++)
        {
            dw[i] = Math.Cos(w[i]) * x;
            dx += Math.Sin(w[i]);
        }

        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int j = 0; j < m.GetLength(1); j++)
            {
                dm[i, j] = 2 * m[i, j] * w[0];
                dw[0] += m[i, j] * m[i, j];
            }
        }

        for (int t = 0; t < seq.Length; t++)
        {
            for (int k = 0; k < seq[t].Length; k++)
            {
                dseq[t][k] = Math.Exp(seq[t][k]) / 10;
            }
        }

        return F(w, m, seq, x);
    }

    [Fact]
    public void AllInputKinds_CorrectGradient_PassesAndRestoresEveryValueExactly()
    {
        double[] w = [0.1, -2.3, 7.0];
        double[,] m = { { 0.3, -0.1 }, { 1e-3, 4 }, { -0.7, 0.2 } };
        double[][] seq = [[0.1, 0.2], [-1.0, 3.0, 0.5]];
        double x = 0.7;
        double[] dw = new double[3];
        double[,] dm = new double[3, 2];
        double[][] dseq = [new double[2], new double[3]];
        double dx = 0;
        double[] wBefore = (double[])w.Clone();
        double[,] mBefore = (double[,])m.Clone();

        GradientCheckReport report = GradientCheck.Check(
            () => F(w, m, seq, x),
            () => FGradient(w, m, seq, x, dw, dm, dseq, out dx),
            GradientCheck.Input(w, dw),
            GradientCheck.Input(m, dm),
            GradientCheck.Input(seq, dseq),
            GradientCheck.Scalar("x", () => x, v => x = v, () => dx));

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(3 + 6 + 5 + 1 + 1, report.CheckedCount);
        Assert.Equal(wBefore, w);
        Assert.Equal(mBefore, m);
        Assert.Equal([0.1, 0.2], seq[0]);
        Assert.Equal(0.7, x);
    }

    [Fact]
    public void WrongEntryOfMatrixGradient_IsNamedWithItsRowAndColumn()
    {
        double[] w = [0.1, -2.3];
        double[,] m = { { 0.3, -0.1 }, { 1e-3, 4 } };
        double[][] seq = [[0.5]];
        double x = 0.7;
        var dw = new double[2];
        var dm = new double[2, 2];
        double[][] dseq = [new double[1]];
        FGradient(w, m, seq, x, dw, dm, dseq, out double dx);
        dm[1, 0] *= 1.001;

        GradientCheckReport report = GradientCheck.Check(
            () => F(w, m, seq, x),
            GradientCheck.Input(w, dw),
            GradientCheck.Input(m, dm),
            GradientCheck.Input(seq, dseq),
            GradientCheck.Scalar("x", () => x, v => x = v, dx));

        GradientCheckEntry failure = Assert.Single(report.Failures);
        Assert.Equal("m[1,0]", failure.Coordinate);
        Assert.Equal(2, failure.Index);      // flat, row-major
    }

    [Fact]
    public void WrongReturnedValue_Fails()
    {
        double[] w = [0.4];
        var dw = new double[1];

        GradientCheckReport report = GradientCheck.Check(
            () => w[0] * w[0],
            () => { dw[0] = 2 * w[0]; return w[0] * w[0] + 1e-3; },
            GradientCheck.Input(w, dw));

        GradientCheckEntry failure = Assert.Single(report.Failures);
        Assert.Equal("value", failure.Name);
    }

    [Fact]
    public void FloatInputs_DifferencesInDouble_PassAndCatchAOnePercentError()
    {
        float[] v = [0.3f, -1.7f, 12.5f];
        float[] dv = v.Select(a => 3 * a * a).ToArray();
        Func<double> cube = () => v.Sum(a => a * a * a);      // evaluated in float

        GradientCheckReport good = GradientCheck.Check(cube, GradientCheck.Input(v, dv));
        dv[2] *= 1.01f;
        GradientCheckReport bad = GradientCheck.Check(cube, GradientCheck.Input(v, dv));

        Assert.True(good.Passed, good.ToString());
        Assert.Equal("v[2]", Assert.Single(bad.Failures).Coordinate);
        Assert.Equal([0.3f, -1.7f, 12.5f], v);
    }

    [Fact]
    public void NearZeroGradients_OnALargeLoss_DoNotFail()
    {
        // f = 1e6 + x0²·1e-3 + sin(x1) at x0 = 0, x1 = π/2: both derivatives are (nearly) zero and the finite
        // differences are pure rounding noise of a value near 1e6. The relative distance of the two is arbitrary.
        double[] x = [0, Math.PI / 2];
        double[] dx = [0, Math.Cos(Math.PI / 2)];
        double F() => 1e6 + x[0] * x[0] * 1e-3 + Math.Sin(x[1]);

        GradientCheckReport report = GradientCheck.Check(F, GradientCheck.Input(x, dx));
        GradientCheckReport withoutFloor = GradientCheck.Check(
            F, GradientCheckOptions.Default with { RoundingAllowance = 0, AbsoluteTolerance = 0 }, GradientCheck.Input(x, dx));

        Assert.True(report.Passed, report.ToString());
        Assert.False(withoutFloor.Passed);   // the floor, not luck, is what passes the noise
    }

    [Fact]
    public void NearZeroGradient_WhenWrong_StillFails()
    {
        // The floor is about 1e-11·|f|: an error of 1e-6 on a zero gradient of a loss near 1 is caught.
        double[] x = [0.0, 1.0];
        double[] dx = [1e-6, 2.0];

        GradientCheckReport report = GradientCheck.Check(() => 1 + x[0] * x[0] + x[1] * x[1], GradientCheck.Input(x, dx));

        Assert.Equal("x[0]", Assert.Single(report.Failures).Coordinate);
    }

    [Fact]
    public void Richardson_IsMoreAccurateOnAStronglyCurvedFunction()
    {
        // One coordinate: with several, the rounding of the largest term would dominate the smaller ones' errors.
        double[] x = [1.0];
        double[] dx = [10 * Math.Exp(10.0)];
        double F() => x.Sum(v => Math.Exp(10 * v));

        GradientCheckReport richardson = GradientCheck.Check(F, GradientCheck.Input(x, dx));
        GradientCheckReport plain = GradientCheck.Check(F, GradientCheckOptions.Default with { Richardson = false }, GradientCheck.Input(x, dx));

        double RelativeError(GradientCheckReport r) => r.Worst.Max(e => e.AbsoluteError / Math.Abs(e.Analytic));
        Assert.True(richardson.Passed, richardson.ToString());
        Assert.True(RelativeError(richardson) < 1e-10, richardson.ToString());
        Assert.True(RelativeError(richardson) < RelativeError(plain) / 10, plain.ToString());
        Assert.Equal(4, richardson.Evaluations);
        Assert.Equal(2, plain.Evaluations);
    }

    [Fact]
    public void StepIsScaledToTheValue()
    {
        double[] x = [0.01, 1e4];
        double[] dx = [2 * 0.01, 2e4];

        GradientCheckReport report = GradientCheck.Check(() => x[0] * x[0] + x[1] * x[1], GradientCheck.Input(x, dx));

        Assert.True(report.Passed, report.ToString());
        GradientCheckEntry small = report.Worst.Single(e => e.Index == 0);
        GradientCheckEntry large = report.Worst.Single(e => e.Index == 1);
        Assert.Equal(report.RelativeStep, small.Step, 12);          // max(1, |x|) = 1
        Assert.Equal(report.RelativeStep * 1e4, large.Step, 8);
    }

    [Fact]
    public void FunctionThatThrows_RestoresInputsAndPropagates()
    {
        double[] x = [0.1, 0.2];
        int calls = 0;

        Assert.Throws<DivideByZeroException>(() => GradientCheck.Check(
            () => ++calls == 2 ? throw new DivideByZeroException() : x.Sum(), GradientCheck.Input(x, new double[] { 1, 1 })));

        Assert.Equal([0.1, 0.2], x);
    }

    [Fact]
    public void NonFiniteValues_Fail()
    {
        double[] x = [0.0];
        GradientCheckReport report = GradientCheck.Check(() => 1 / x[0], GradientCheck.Input(x, new double[] { 0 }));

        Assert.False(report.Passed, report.ToString());
    }

    [Fact]
    public void GradientOfWrongLength_ThrowsNamingIt_BeforeAnythingRuns()
    {
        double[] w = [1, 2, 3];

        var thrown = Assert.Throws<ArgumentException>(() => GradientCheck.Input(w, new double[2]));

        Assert.Equal("gradient", thrown.ParamName);
        Assert.Contains("w has 3", thrown.Message);
    }

    [Fact]
    public void JaggedGradientWithAWrongRow_Throws()
    {
        double[][] seq = [[1, 2], [3]];

        var thrown = Assert.Throws<ArgumentException>(() => GradientCheck.Input(seq, [new double[2], new double[2]]));

        Assert.Equal("gradient[1]", thrown.ParamName);
    }

    [Fact]
    public void GradientSameArrayAsInput_Throws()
    {
        double[] w = [1, 2];

        var thrown = Assert.Throws<ArgumentException>(() => GradientCheck.Input(w, w));

        Assert.Equal("gradient", thrown.ParamName);
    }

    [Fact]
    public void SameArrayAsTwoInputs_Throws_AndWritesNothing()
    {
        double[] w = [1, 2];
        bool evaluated = false;

        var thrown = Assert.Throws<ArgumentException>(() => GradientCheck.Check(
            () => { evaluated = true; return 0; },
            GradientCheck.Input(w, new double[2], "a"),
            GradientCheck.Input(w, new double[2], "b")));

        Assert.Equal("inputs", thrown.ParamName);
        Assert.Contains("same array", thrown.Message);
        Assert.False(evaluated);
    }

    [Fact]
    public void DuplicateNamesOrNoInputs_Throw()
    {
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => GradientCheck.Check(
            () => 0, GradientCheck.Input(new double[1], new double[1], "a"), GradientCheck.Input(new double[1], new double[1], "a"))).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => GradientCheck.Check(() => 0)).ParamName);
    }

    [Theory]
    [InlineData(-1.0, 1e-8, 0.5, 1)]
    [InlineData(1e-6, double.NaN, 0.5, 1)]
    [InlineData(1e-6, 1e-8, 1.5, 1)]
    [InlineData(1e-6, 1e-8, 0.5, 0)]
    public void InvalidOptions_ThrowNamingOptions(double relative, double absolute, double step, int directions)
    {
        var options = new GradientCheckOptions
        {
            RelativeTolerance = relative, AbsoluteTolerance = absolute, RelativeStep = step, Directions = directions,
        };

        var thrown = Assert.Throws<ArgumentException>(() => GradientCheck.Check(
            () => 0, options, GradientCheck.Input(new double[1], new double[1], "a")));

        Assert.Equal("options", thrown.ParamName);
    }
}
