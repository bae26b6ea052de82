using System;
using Xunit;

namespace SourceDiff.Tests.EndToEnd;

/// <summary>Span parameters: read-only inputs, in-place outputs, calls between span methods and from array code.</summary>
public static partial class SpanMath
{
    [Differentiable]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    [Differentiable]
    public static void Tanh(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = Math.Tanh(values[i]);
    }

    [Differentiable]
    public static double Energy(double[] w, [NoDerivative] double[] x)
    {
        double[] hidden = new double[w.Length];
        for (int i = 0; i < w.Length; i++) hidden[i] = w[i] * x[i];
        Tanh(hidden);
        return Dot(hidden, w) + Dot(x, hidden);
    }

    [Differentiable]
    public static float Norm(Span<float> v) { float s = 0; foreach (float e in v) s += e * e; return MathF.Sqrt(s); }
}

public class SpanTests
{
    [Fact]
    public void DotGradientIsTheOtherVector()
    {
        double[] a = { 1, 2, 3 };
        double[] b = { -0.5, 0.25, 4 };
        double[] dA = new double[3];
        double[] dB = new double[3];
        double value = SpanMath.DotGradient(a, b, dA, dB);
        Assert.Equal(SpanMath.Dot(a, b), value);
        Assert.Equal(b, dA);
        Assert.Equal(a, dB);
    }

    [Fact]
    public void CallsThroughSpansMatchFiniteDifferences()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 3; trial++)
        {
            double[] w = { random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5 };
            double[] x = { random.NextDouble(), random.NextDouble(), random.NextDouble(), random.NextDouble() };
            double[] dW = new double[4];
            double value = SpanMath.EnergyGradient(w, x, dW);
            Assert.Equal(SpanMath.Energy(w, x), value);
            FiniteDifferences.AssertGradient(() => SpanMath.Energy(w, x), w, dW, "dW");
        }
    }

    [Fact]
    public void InPlaceSpanPullbackMapsFinalAdjointsToInitialOnes()
    {
        double[] values = { 0.2, -1.3, 0.7 };
        double[] initial = (double[])values.Clone();
        double[] dValues = { 1, 2, 3 };
        SpanMath.TanhPullback(values, dValues);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Math.Tanh(initial[i]), values[i]);
            double t = Math.Tanh(initial[i]);
            Assert.Equal((i + 1) * (1 - t * t), dValues[i], 12);
        }
    }

    [Fact]
    public void FloatSpan()
    {
        float[] v = { 3, 4 };
        float[] dV = new float[2];
        float norm = SpanMath.NormGradient(v, dV);
        Assert.Equal(5f, norm);
        Assert.Equal(0.6f, dV[0], 5);
        Assert.Equal(0.8f, dV[1], 5);
    }

    [Fact]
    public void WrongLengthAndOverlapAreRejectedBeforeWriting()
    {
        double[] a = { 1, 2, 3 };
        double[] b = { 1, 2, 3 };
        double[] shortBuffer = { 7, 7 };
        double[] dB = new double[3];
        ArgumentException length = Assert.Throws<ArgumentException>(() => SpanMath.DotGradient(a, b, shortBuffer, dB));
        Assert.Equal("dA", length.ParamName);
        Assert.Equal(new double[] { 7, 7 }, shortBuffer);
        double[] shared = new double[6];
        ArgumentException overlap = Assert.Throws<ArgumentException>(() => SpanMath.DotGradient(a, b, shared.AsSpan(0, 3), shared.AsSpan(2, 3)));
        Assert.Equal("dB", overlap.ParamName);
    }
}

public static partial class Rounding
{
    [Differentiable]
    public static double Quantized(double x, double scale) => Math.Round(x * scale, 2) + Math.Round(x, MidpointRounding.AwayFromZero) * scale + x * scale;
}

public class RoundingTests
{
    [Fact]
    public void RoundWithDigitsOrModeHasZeroDerivative()
    {
        double value = Rounding.QuantizedGradient(1.234, 3, out double dX, out double dScale);
        Assert.Equal(Rounding.Quantized(1.234, 3), value);
        Assert.Equal(3, dX, 12);
        Assert.Equal(1 + 1.234, dScale, 12);
    }
}

/// <summary>User names that generated code must not collide with.</summary>
public static partial class Collisions
{
    [Differentiable]
    public static double Names(double result, double tape, double[] gradient, double g, double v, double e)
    {
        double total = result * tape;
        for (int i = 0; i < gradient.Length; i++) total += gradient[i] * g * v * e;
        return total;
    }
}

public class CollisionTests
{
    [Fact]
    public void ParametersNamedLikeGeneratedLocalsStillWork()
    {
        double[] w = { 1, 2 };
        double[] dW = new double[2];
        double value = Collisions.NamesGradient(2, 3, w, 0.5, 4, 5, out double dResult, out double dTape, dW, out double dG, out double dV, out double dE);
        Assert.Equal(Collisions.Names(2, 3, w, 0.5, 4, 5), value);
        Assert.Equal(3, dResult);
        Assert.Equal(2, dTape);
        Assert.Equal(new[] { 10.0, 10.0 }, dW);
        Assert.Equal(3 * 4 * 5, dG);
    }
}

public static partial class Singular
{
    [Differentiable]
    public static double Atan2AtTheOrigin(double x, double[] zeros) => Math.Atan2((zeros[0] - x) * zeros[1], zeros[2]) + x;
}

public class SingularPointTests
{
    [Fact]
    public void Atan2AtTheOriginContributesZeroNotNaN()
    {
        double[] zeros = new double[3];
        double[] dZeros = new double[3];
        Singular.Atan2AtTheOriginGradient(-1.9, zeros, out double dX, dZeros);
        Assert.Equal(1.0, dX);
        Assert.All(dZeros, d => Assert.False(double.IsNaN(d)));
    }
}

public static partial class Overflow
{
    [Differentiable] public static double Ignore(double x, double[] w) => w[0];

    [Differentiable]
    public static double Explodes(double x, double[] w)
    {
        for (int i = 0; i < 40; i++) x += Math.Pow(x, 3) * w[1];
        return Ignore(x + x, w);
    }
}

public class OverflowTests
{
    [Fact]
    public void AValueThatOverflowsButDoesNotReachTheResultHasZeroGradient()
    {
        double[] w = { 0.25, 2 };
        double[] dW = new double[2];
        double value = Overflow.ExplodesGradient(1.5, w, out double dX, dW);
        Assert.Equal(0.25, value);
        Assert.Equal(0.0, dX);
        Assert.Equal(new[] { 1.0, 0.0 }, dW);
    }
}

public static partial class ConditionalCalls
{
    [Differentiable] public static double Square(double v) => v * v;

    [Differentiable] public static double Cube(double v) => v * v * v;

    [Differentiable]
    public static double Choose(double x, double y)
    {
        double z = Square(x) > y ? Square(x) : Cube(y) + x;
        z += 0.5 * (z > 1 ? Cube(x) : Square(y));
        if (Square(z) > 4 && x > 0) z = z * y;
        if (x > 0.4 && Cube(z) > 1 || y < 0 && Square(y) > 1.2) z = z + Square(x);
        return x < 0 ? Cube(z) : Square(z + y);
    }
}

public class ConditionalCallTests
{
    [Theory]
    [InlineData(1.5, 0.5)]
    [InlineData(0.3, 1.1)]
    [InlineData(-0.7, -1.2)]
    [InlineData(2.5, 0.1)]
    public void CallsInIfConditionsAndConditionalBranchesMatchFiniteDifferences(double x, double y)
    {
        double value = ConditionalCalls.ChooseGradient(x, y, out double dX, out double dY);
        Assert.Equal(ConditionalCalls.Choose(x, y), value);
        FiniteDifferences.AssertScalar(v => ConditionalCalls.Choose(v, y), x, dX, "dX");
        FiniteDifferences.AssertScalar(v => ConditionalCalls.Choose(x, v), y, dY, "dY");
    }
}

public static partial class LoopConditionCalls
{
    [Differentiable] public static double Half(double v) => 0.5 * v;

    [Differentiable]
    public static double Shrink(double x, double rate)
    {
        int steps = 0;
        while (Half(x) > 0.3 && steps < 50)
        {
            x = x * rate;
            steps++;
            if (steps % 3 == 0) continue;
            x += 0.01 * rate;
        }

        double total = 0;
        for (int i = 0; Half(total) < x; i++) total += rate * (i + 1);
        do { total = total * 0.9; } while (Half(total) > x * rate);
        return x + total;
    }

    [Differentiable]
    public static double DoWithContinue(double x, double rate)
    {
        int n = 0;
        do
        {
            n++;
            if (n % 2 == 0) continue;
            x = x * rate + 0.1;
        }
        while (Half(x) > 0.2 && n < 30);
        return x * n;
    }
}

public class LoopConditionCallTests
{
    [Theory]
    [InlineData(3.0, 0.8)]
    [InlineData(5.5, 0.7)]
    [InlineData(1.3, 0.9)]
    public void CallsInLoopConditionsMatchFiniteDifferences(double x, double rate)
    {
        double value = LoopConditionCalls.ShrinkGradient(x, rate, out double dX, out double dRate);
        Assert.Equal(LoopConditionCalls.Shrink(x, rate), value);
        FiniteDifferences.AssertScalar(v => LoopConditionCalls.Shrink(v, rate), x, dX, "dX", 1e-5);
        FiniteDifferences.AssertScalar(v => LoopConditionCalls.Shrink(x, v), rate, dRate, "dRate", 1e-5);

        double doValue = LoopConditionCalls.DoWithContinueGradient(x, rate, out double dDoX, out double dDoRate);
        Assert.Equal(LoopConditionCalls.DoWithContinue(x, rate), doValue);
        FiniteDifferences.AssertScalar(v => LoopConditionCalls.DoWithContinue(v, rate), x, dDoX, "dX (do)", 1e-5);
        FiniteDifferences.AssertScalar(v => LoopConditionCalls.DoWithContinue(x, v), rate, dDoRate, "dRate (do)", 1e-5);
    }
}
