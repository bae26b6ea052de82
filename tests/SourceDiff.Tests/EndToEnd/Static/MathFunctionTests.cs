using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>One small method per System.Math function, each composed with a little arithmetic so the chain rule is exercised.</summary>
public static partial class MathOps
{
    [Differentiable] public static double Exp(double x) => Math.Exp(0.5 * x) * x;
    [Differentiable] public static double Log(double x) => Math.Log(x * x + 1) + x;
    [Differentiable] public static double Log10(double x) => 3 * Math.Log10(x);
    [Differentiable] public static double Log2(double x) => Math.Log2(x) * x;
    [Differentiable] public static double LogBase(double x, double b) => Math.Log(x, b);
    [Differentiable] public static double Sqrt(double x) => Math.Sqrt(x) / (1 + x);
    [Differentiable] public static double Cbrt(double x) => Math.Cbrt(x) * 2;
    [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
    [Differentiable] public static double PowConst(double x) => Math.Pow(x, 3) - Math.Pow(2.0, x);
    [Differentiable] public static double Tanh(double x) => Math.Tanh(2 * x);
    [Differentiable] public static double Sinh(double x) => Math.Sinh(x) * x;
    [Differentiable] public static double Cosh(double x) => Math.Cosh(x) / 2;
    [Differentiable] public static double Sin(double x) => Math.Sin(3 * x);
    [Differentiable] public static double Cos(double x) => Math.Cos(x) * x;
    [Differentiable] public static double Tan(double x) => Math.Tan(x);
    [Differentiable] public static double Asin(double x) => Math.Asin(x);
    [Differentiable] public static double Acos(double x) => Math.Acos(x) * x;
    [Differentiable] public static double Atan(double x) => Math.Atan(x * x);
    [Differentiable] public static double Atan2(double y, double x) => Math.Atan2(y, x);
    [Differentiable] public static double Abs(double x) => Math.Abs(x) * 2 + x;
    [Differentiable] public static double Max(double x, double y) => Math.Max(x, y) * x;
    [Differentiable] public static double Min(double x, double y) => Math.Min(x * y, y);
    [Differentiable] public static double Clamp(double x, double lo, double hi) => Math.Clamp(x, lo, hi) * 3;
    [Differentiable] public static double Fma(double x, double y, double z) => Math.FusedMultiplyAdd(x, y, z);

    [Differentiable]
    public static double PiecewiseConstant(double x, double y)
    {
        // Floor/Ceiling/Round/Truncate have zero derivative: only the smooth factors contribute.
        return Math.Floor(x) * y + Math.Ceiling(y) * x + Math.Round(x * y) + Math.Truncate(x) * x * y;
    }

    [Differentiable]
    public static double IntCast(double x, double y)
    {
        int k = (int)(x * 3);
        long m = (long)y;
        return k * y + m * x + x * y;
    }
}

public class MathFunctionTests
{
    private delegate double Grad1(double x, out double dX);
    private delegate double Grad2(double x, double y, out double dX, out double dY);
    private delegate double Grad2Yx(double y, double x, out double dY, out double dX);

    private static void Check1(Func<double, double> primal, Grad1 gradient, double lo, double hi)
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double x = Fd.Uniform(random, lo, hi);
            double value = gradient(x, out double dX);
            Assert.Equal(primal(x), value);
            Fd.Scalar($"dX(seed {seed}, x {x})", primal, x, dX);
        }
    }

    private static void Check2(Func<double, double, double> primal, Grad2 gradient, double lo0, double hi0, double lo1, double hi1)
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double x = Fd.Uniform(random, lo0, hi0);
            double y = Fd.Uniform(random, lo1, hi1);
            double value = gradient(x, y, out double dX, out double dY);
            Assert.Equal(primal(x, y), value);
            Fd.Scalar($"d0(seed {seed})", v => primal(v, y), x, dX);
            Fd.Scalar($"d1(seed {seed})", v => primal(x, v), y, dY);
        }
    }

    [Fact] public void Exp() => Check1(MathOps.Exp, MathOps.ExpGradient, -2, 2);
    [Fact] public void Log() => Check1(MathOps.Log, MathOps.LogGradient, -2, 2);
    [Fact] public void Log10() => Check1(MathOps.Log10, MathOps.Log10Gradient, 0.2, 5);
    [Fact] public void Log2() => Check1(MathOps.Log2, MathOps.Log2Gradient, 0.2, 5);
    [Fact] public void LogBase() => Check2(MathOps.LogBase, MathOps.LogBaseGradient, 0.2, 5, 1.5, 4);
    [Fact] public void Sqrt() => Check1(MathOps.Sqrt, MathOps.SqrtGradient, 0.1, 4);
    [Fact] public void Cbrt() => Check1(MathOps.Cbrt, MathOps.CbrtGradient, 0.1, 4);
    [Fact] public void CbrtNegative() => Check1(MathOps.Cbrt, MathOps.CbrtGradient, -4, -0.1);
    [Fact] public void Pow() => Check2(MathOps.Pow, MathOps.PowGradient, 0.2, 3, -2, 2);
    [Fact] public void PowConst() => Check1(MathOps.PowConst, MathOps.PowConstGradient, -2, 2);
    [Fact] public void Tanh() => Check1(MathOps.Tanh, MathOps.TanhGradient, -1.5, 1.5);
    [Fact] public void Sinh() => Check1(MathOps.Sinh, MathOps.SinhGradient, -2, 2);
    [Fact] public void Cosh() => Check1(MathOps.Cosh, MathOps.CoshGradient, -2, 2);
    [Fact] public void Sin() => Check1(MathOps.Sin, MathOps.SinGradient, -3, 3);
    [Fact] public void Cos() => Check1(MathOps.Cos, MathOps.CosGradient, -3, 3);
    [Fact] public void Tan() => Check1(MathOps.Tan, MathOps.TanGradient, -1.2, 1.2);
    [Fact] public void Asin() => Check1(MathOps.Asin, MathOps.AsinGradient, -0.9, 0.9);
    [Fact] public void Acos() => Check1(MathOps.Acos, MathOps.AcosGradient, -0.9, 0.9);
    [Fact] public void Atan() => Check1(MathOps.Atan, MathOps.AtanGradient, -2, 2);

    [Fact]
    public void Atan2AllQuadrants()
    {
        // Avoid the branch cut on the negative x axis (y near 0, x < 0).
        (double y, double x)[] points = { (0.7, 1.3), (-0.4, 2.0), (1.1, -0.5), (-1.5, -0.3), (2.0, 0.01) };
        foreach (var (y, x) in points)
        {
            double value = MathOps.Atan2Gradient(y, x, out double dY, out double dX);
            Assert.Equal(MathOps.Atan2(y, x), value);
            Fd.Scalar("dY", v => MathOps.Atan2(v, x), y, dY);
            Fd.Scalar("dX", v => MathOps.Atan2(y, v), x, dX);
        }
    }

    [Fact]
    public void AbsBothSigns()
    {
        Check1(MathOps.Abs, MathOps.AbsGradient, 0.1, 3);
        Check1(MathOps.Abs, MathOps.AbsGradient, -3, -0.1);
    }

    [Fact]
    public void MaxBothBranches()
    {
        Check2(MathOps.Max, MathOps.MaxGradient, 1, 2, -2, 0.5);   // x wins
        Check2(MathOps.Max, MathOps.MaxGradient, -2, 0.5, 1, 2);   // y wins
    }

    [Fact]
    public void MinBothBranches()
    {
        Check2(MathOps.Min, MathOps.MinGradient, 0.1, 0.5, 1, 2);  // x*y < y
        Check2(MathOps.Min, MathOps.MinGradient, 2, 3, 1, 2);      // y < x*y
    }

    [Fact]
    public void ClampAllThreeRegions()
    {
        (double x, double lo, double hi)[] points = { (0.3, -1, 1), (-1.7, -1.2, 0.8), (2.5, -0.5, 1.5), (0.05, 0, 2) };
        foreach (var (x, lo, hi) in points)
        {
            double value = MathOps.ClampGradient(x, lo, hi, out double dX, out double dLo, out double dHi);
            Assert.Equal(MathOps.Clamp(x, lo, hi), value);
            Fd.Scalar("dX", v => MathOps.Clamp(v, lo, hi), x, dX);
            Fd.Scalar("dLo", v => MathOps.Clamp(x, v, hi), lo, dLo);
            Fd.Scalar("dHi", v => MathOps.Clamp(x, lo, v), hi, dHi);
        }
    }

    [Fact]
    public void FusedMultiplyAdd()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double x = Fd.Uniform(random, -2, 2), y = Fd.Uniform(random, -2, 2), z = Fd.Uniform(random, -2, 2);
            double value = MathOps.FmaGradient(x, y, z, out double dX, out double dY, out double dZ);
            Assert.Equal(MathOps.Fma(x, y, z), value);
            Fd.Scalar("dX", v => MathOps.Fma(v, y, z), x, dX);
            Fd.Scalar("dY", v => MathOps.Fma(x, v, z), y, dY);
            Fd.Scalar("dZ", v => MathOps.Fma(x, y, v), z, dZ);
        }
    }

    [Fact]
    public void FloorCeilingRoundTruncateHaveZeroDerivative()
    {
        // Points away from integers and half-integers, so the step functions are locally constant.
        (double x, double y)[] points = { (1.3, 2.2), (-0.7, 0.6), (2.6, -1.35), (0.2, 3.1) };
        foreach (var (x, y) in points)
        {
            double value = MathOps.PiecewiseConstantGradient(x, y, out double dX, out double dY);
            Assert.Equal(MathOps.PiecewiseConstant(x, y), value);
            Fd.Scalar("dX", v => MathOps.PiecewiseConstant(v, y), x, dX);
            Fd.Scalar("dY", v => MathOps.PiecewiseConstant(x, v), y, dY);
            Assert.Equal(Math.Ceiling(y) + Math.Truncate(x) * y, dX, 12);
            Assert.Equal(Math.Floor(x) + Math.Truncate(x) * x, dY, 12);
        }
    }

    [Fact]
    public void IntegerCastsHaveZeroDerivative()
    {
        (double x, double y)[] points = { (0.5, 2.5), (-1.1, 1.3), (2.05, -3.7) };
        foreach (var (x, y) in points)
        {
            double value = MathOps.IntCastGradient(x, y, out double dX, out double dY);
            Assert.Equal(MathOps.IntCast(x, y), value);
            Fd.Scalar("dX", v => MathOps.IntCast(v, y), x, dX);
            Fd.Scalar("dY", v => MathOps.IntCast(x, v), y, dY);
            Assert.Equal((long)y + y, dX, 12);
            Assert.Equal((int)(x * 3) + x, dY, 12);
        }
    }
}
