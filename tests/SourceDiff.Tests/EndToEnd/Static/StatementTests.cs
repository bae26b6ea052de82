using System;
using System.Diagnostics;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

public enum Activation { Identity, Tanh, Relu, Square }

public static partial class Statements
{
    [Differentiable]
    public static double SwitchActivation(double x, int kind)
    {
        double y;
        switch (kind)
        {
            case 0:
                y = x;
                break;
            case 1:
            case 2:
                y = Math.Tanh(x);
                break;
            default:
                y = x * x;
                break;
        }

        return y;
    }

    [Differentiable]
    public static double SwitchExpressionEnum(double x, Activation activation) => activation switch
    {
        Activation.Identity => x,
        Activation.Tanh => Math.Tanh(x),
        Activation.Relu => x > 0 ? x : 0,
        _ => x * x,
    };

    [Differentiable]
    public static double Smooth(double x, int order) => order switch
    {
        0 => x,
        1 or 2 => x * x / order,
        >= 3 and < 6 => Math.Sin(x) * order,
        _ => throw new ArgumentOutOfRangeException(nameof(order), "order must be below 6, got " + order),
    };

    [Differentiable]
    public static double IsPatterns(double x, int i)
    {
        double s = 0;
        if (i is 0 or 1) s += x;
        if (x is > 0.5) s += x * x;
        if (i is >= 2 and < 10) s += 3 * x;
        return s;
    }

    [Differentiable]
    public static double Oscillator(double x, double v, double k, double dt, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            (x, v) = (x + dt * v, v - dt * k * x);
        }

        return x * x + v;
    }

    [Differentiable]
    public static double OrderedPair(double a, double b)
    {
        var (lo, hi) = a < b ? (a, b) : (b, a);
        (lo, hi) = (hi, lo);
        return lo * 2 + hi * hi;
    }

    [Differentiable]
    public static double Validated(double[] w, double x, int n)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, w.Length);
        if (x > 1e6) throw new ArgumentOutOfRangeException(nameof(x));
        int m = n > 0 ? n : throw new ArgumentOutOfRangeException(nameof(n));
        double[] v = w ?? throw new ArgumentNullException(nameof(w));
        Debug.Assert(m <= w.Length, "n too large");
        double loss = 0;
        for (int i = 0; i < m; i++) loss += v[i] * x;
        Console.WriteLine($"loss {loss}");
        return loss;
    }

    [Differentiable]
    public static double Sum(params double[] values)
    {
        double s = 0;
        for (int i = 0; i < values.Length; i++) s += values[i] * values[i];
        return s;
    }

    [Differentiable]
    public static double InParameter(in double x, double y) => x * y;

    [Differentiable]
    public static double CallsParams(double a, double b) => Sum(a, b, a * b) + InParameter(in a, b) + InParameter(a * b, a);

    [Differentiable]
    public static double Split(double x, out double square)
    {
        square = x * x;
        return 2 * x;
    }

    [Differentiable]
    public static double CallsOutVar(double x)
    {
        double twice = Split(x, out var square);
        return twice * square;
    }
}

/// <summary>Switch, patterns, tuples, validation and call-site forms, checked against central finite differences.</summary>
public class StatementTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void SwitchStatementFollowsTheTakenSection(int kind)
    {
        double x = 0.37;
        double value = Statements.SwitchActivationGradient(x, kind, out double dX);
        Assert.Equal(Statements.SwitchActivation(x, kind), value);
        Fd.Scalar("dX", v => Statements.SwitchActivation(v, kind), x, dX);
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Square)]
    public void SwitchExpressionOverAnEnumFollowsTheTakenArm(Activation activation)
    {
        foreach (double x in new[] { -0.8, 0.6 })
        {
            double value = Statements.SwitchExpressionEnumGradient(x, activation, out double dX);
            Assert.Equal(Statements.SwitchExpressionEnum(x, activation), value);
            Fd.Scalar("dX", v => Statements.SwitchExpressionEnum(v, activation), x, dX);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void SwitchExpressionWithOrAndRelationalArms(int order)
    {
        double x = 0.9;
        double value = Statements.SmoothGradient(x, order, out double dX);
        Assert.Equal(Statements.Smooth(x, order), value);
        Fd.Scalar("dX", v => Statements.Smooth(v, order), x, dX);
    }

    [Fact]
    public void SwitchExpressionThrowArmThrowsWhatThePrimalThrows()
    {
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => Statements.SmoothGradient(0.5, 9, out _));
        Assert.Equal("order", thrown.ParamName);
        Assert.Contains("got 9", thrown.Message);
    }

    [Theory]
    [InlineData(0, 0.7)]
    [InlineData(1, 0.2)]
    [InlineData(5, 0.9)]
    [InlineData(12, -0.3)]
    public void IsPatternsAreComparisons(int i, double x)
    {
        double value = Statements.IsPatternsGradient(x, i, out double dX);
        Assert.Equal(Statements.IsPatterns(x, i), value);
        Fd.Scalar("dX", v => Statements.IsPatterns(v, i), x, dX);
    }

    [Fact]
    public void SimultaneousTupleAssignmentReadsOnlyOldValues()
    {
        double x = 1.0, v = 0.2, k = 2.5, dt = 0.05;
        const int steps = 40;
        double value = Statements.OscillatorGradient(x, v, k, dt, steps, out double dX, out double dV, out double dK, out double dDt);
        Assert.Equal(Statements.Oscillator(x, v, k, dt, steps), value);
        Fd.Scalar("dX", p => Statements.Oscillator(p, v, k, dt, steps), x, dX);
        Fd.Scalar("dV", p => Statements.Oscillator(x, p, k, dt, steps), v, dV);
        Fd.Scalar("dK", p => Statements.Oscillator(x, v, p, dt, steps), k, dK);
        Fd.Scalar("dDt", p => Statements.Oscillator(x, v, k, p, steps), dt, dDt);
    }

    [Theory]
    [InlineData(0.3, 1.7)]
    [InlineData(1.7, 0.3)]
    public void DeconstructionOfAChosenTupleAndASwap(double a, double b)
    {
        double value = Statements.OrderedPairGradient(a, b, out double dA, out double dB);
        Assert.Equal(Statements.OrderedPair(a, b), value);
        Fd.Scalar("dA", p => Statements.OrderedPair(p, b), a, dA);
        Fd.Scalar("dB", p => Statements.OrderedPair(a, p), b, dB);
    }

    [Fact]
    public void ValidationRunsInTheForwardSweepOnly()
    {
        double[] w = { 0.5, -1.25, 2.0 };
        double x = 0.75;
        double[] dW = new double[w.Length];
        double value = Statements.ValidatedGradient(w, x, 2, dW, out double dX);
        Assert.Equal(Statements.Validated(w, x, 2), value);
        Fd.Vec("dW", () => Statements.Validated(w, x, 2), w, dW);
        Fd.Scalar("dX", p => Statements.Validated(w, p, 2), x, dX);
    }

    [Fact]
    public void ValidationThrowsWhatThePrimalThrows()
    {
        double[] w = { 0.5, -1.25, 2.0 };
        double[] dW = new double[w.Length];
        Assert.Throws<ArgumentNullException>(() => Statements.ValidatedGradient(null!, 1, 2, dW, out _));
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => Statements.ValidatedGradient(w, 1, -1, dW, out _)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => Statements.ValidatedGradient(w, 1, 4, dW, out _)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => Statements.ValidatedGradient(w, 1, 0, dW, out _)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentOutOfRangeException>(() => Statements.ValidatedGradient(w, 1e7, 2, dW, out _)).ParamName);
    }

    [Fact]
    public void ParamsArrayIsAnArrayParameterAndItsCallBuildsTheArray()
    {
        double[] values = { 0.5, -1.5, 2.0 };
        double[] dValues = new double[values.Length];
        Assert.Equal(Statements.Sum(values), Statements.SumGradient(values, dValues));
        Fd.Vec("dValues", () => Statements.Sum(values), values, dValues);

        double a = 0.8, b = -0.6;
        double value = Statements.CallsParamsGradient(a, b, out double dA, out double dB);
        Assert.Equal(Statements.CallsParams(a, b), value);
        Fd.Scalar("dA", p => Statements.CallsParams(p, b), a, dA);
        Fd.Scalar("dB", p => Statements.CallsParams(a, p), b, dB);
    }

    [Fact]
    public void InParameterIsAValue()
    {
        double x = 0.4, y = -2.5;
        double value = Statements.InParameterGradient(x, y, out double dX, out double dY);
        Assert.Equal(Statements.InParameter(in x, y), value);
        Fd.Scalar("dX", p => Statements.InParameter(in p, y), x, dX);
        Fd.Scalar("dY", p => Statements.InParameter(in x, p), y, dY);
    }

    [Fact]
    public void OutVarAtACallSite()
    {
        double x = 1.3;
        double value = Statements.CallsOutVarGradient(x, out double dX);
        Assert.Equal(Statements.CallsOutVar(x), value);
        Fd.Scalar("dX", Statements.CallsOutVar, x, dX);
    }
}
