using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Tensors;

/// <summary>TensorPrimitives calls in differentiable code, against central finite differences of the compiled primal.</summary>
public class TensorPrimitivesTests
{
    private delegate double Primal(double[] a, double[] b, double s);

    private delegate double Gradient(double[] a, double[] b, double s, double[] dA, double[] dB, out double dS);

    private static readonly Dictionary<string, (Primal Primal, Gradient Gradient)> Operations = new()
    {
        ["Add"] = (TensorStatics.AddSpans, TensorStatics.AddSpansGradient),
        ["Subtract"] = (TensorStatics.SubtractViews, TensorStatics.SubtractViewsGradient),
        ["Multiply"] = (TensorStatics.MultiplyInPlace, TensorStatics.MultiplyInPlaceGradient),
        ["Divide"] = (TensorStatics.DivideSpans, TensorStatics.DivideSpansGradient),
        ["MultiplyAdd"] = (TensorStatics.FusedMultiplyAdds, TensorStatics.FusedMultiplyAddsGradient),
        ["Functions"] = (TensorStatics.ElementFunctions, TensorStatics.ElementFunctionsGradient),
        ["SoftMax"] = (TensorStatics.SoftMaxCrossEntropy, TensorStatics.SoftMaxCrossEntropyGradient),
        ["MaxMin"] = (TensorStatics.ElementMaxMin, TensorStatics.ElementMaxMinGradient),
        ["Reductions"] = (TensorStatics.Reductions, TensorStatics.ReductionsGradient),
        ["SpanCallee"] = (TensorStatics.CallsThroughSpans, TensorStatics.CallsThroughSpansGradient),
        ["IndexOfMax"] = (TensorStatics.LogOfLargest, TensorStatics.LogOfLargestGradient),
    };

    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (string name in Operations.Keys)
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                cases.Add(name, seed);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesFiniteDifferences(string operation, int seed)
    {
        (Primal primal, Gradient gradient) = Operations[operation];
        var random = new Random(seed);
        double[] a = Enumerable.Range(0, 9).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] b = Enumerable.Range(0, 9).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double s = 0.3 + random.NextDouble();
        double[] aBefore = (double[])a.Clone();
        double[] bBefore = (double[])b.Clone();
        double[] dA = Enumerable.Repeat(double.NaN, 9).ToArray();
        double[] dB = Enumerable.Repeat(double.NaN, 9).ToArray();

        double value = gradient(a, b, s, dA, dB, out double dS);

        Assert.Equal(primal(a, b, s), value);
        Assert.Equal(aBefore, a);
        Assert.Equal(bBefore, b);
        FiniteDifferences.AssertGradient(() => primal(a, b, s), a, dA, "dA");
        FiniteDifferences.AssertGradient(() => primal(a, b, s), b, dB, "dB");
        FiniteDifferences.AssertScalar(x => primal(a, b, x), s, dS, "dS");
    }

    [Fact]
    public void SpanParameterSlicesPullBackInPlace()
    {
        double[] values = { 0.2, -1.3, 0.7, 1.5, -0.4, 2.0 };
        double[] initial = (double[])values.Clone();
        double[] dValues = { 1, 2, 3, 4, 5, 6 };
        double dScale = 0;
        TensorStatics.ScaleTailPullback(values, 1.5, dValues, ref dScale);
        for (int i = 0; i < 3; i++)
        {
            double t = Math.Tanh(initial[i]);
            Assert.Equal(t, values[i], 15);
            Assert.Equal((i + 1) * (1 - t * t), dValues[i], 12);
        }

        for (int i = 3; i < 6; i++)
        {
            Assert.Equal(1.5 * initial[i], values[i], 15);
            Assert.Equal((i + 1) * 1.5, dValues[i], 12);
        }

        Assert.Equal((4 * initial[3]) + (5 * initial[4]) + (6 * initial[5]), dScale, 12);
    }

    [Fact]
    public void PerceptronMatchesFiniteDifferences()
    {
        var random = new Random(7);
        double[] Random(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] w1 = Random(6 * 5), b1 = Random(6), w2 = Random(3 * 6), x = Random(5);
        double[] target = { 0.2, 0.5, 0.3 };
        double[] dW1 = new double[w1.Length], dB1 = new double[6], dW2 = new double[w2.Length];

        double value = TensorStatics.PerceptronGradient(w1, b1, w2, x, target, dW1, dB1, dW2);

        Assert.Equal(TensorStatics.Perceptron(w1, b1, w2, x, target), value);
        FiniteDifferences.AssertGradient(() => TensorStatics.Perceptron(w1, b1, w2, x, target), w1, dW1, "dW1");
        FiniteDifferences.AssertGradient(() => TensorStatics.Perceptron(w1, b1, w2, x, target), b1, dB1, "dB1");
        FiniteDifferences.AssertGradient(() => TensorStatics.Perceptron(w1, b1, w2, x, target), w2, dW2, "dW2");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    public void ElmanRnnMatchesFiniteDifferencesAndItsCheckpointedTwinBitForBit(int steps)
    {
        var random = new Random(steps);
        double[] Random(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        const int n = 5;
        double[] wx = Random(n), wh = Random(n * n), b = Random(n), xs = Random(steps), ys = Random(steps);
        double[] dWx = new double[n], dWh = new double[n * n], dB = new double[n];

        double value = TensorStatics.ElmanGradient(wx, wh, b, xs, ys, dWx, dWh, dB);

        Assert.Equal(TensorStatics.Elman(wx, wh, b, xs, ys), value);
        FiniteDifferences.AssertGradient(() => TensorStatics.Elman(wx, wh, b, xs, ys), wx, dWx, "dWx");
        FiniteDifferences.AssertGradient(() => TensorStatics.Elman(wx, wh, b, xs, ys), wh, dWh, "dWh");
        FiniteDifferences.AssertGradient(() => TensorStatics.Elman(wx, wh, b, xs, ys), b, dB, "dB");

        double[] cWx = new double[n], cWh = new double[n * n], cB = new double[n];
        Assert.Equal(value, TensorStatics.ElmanCheckpointedGradient(wx, wh, b, xs, ys, cWx, cWh, cB));
        Assert.Equal(dWx, cWx);
        Assert.Equal(dWh, cWh);
        Assert.Equal(dB, cB);
    }

    [Fact]
    public void KernelsOverDataAloneNeedNoAdjoint()
    {
        double[] w = { 0.5, -0.25, 1.5, 0.75, -1 };
        double[] x = { 1, 2, -1, 0.5, 3 };
        double[] scratch = new double[5];
        double[] dW = new double[5];

        double value = TensorStatics.NormalisedDataGradient(w, x, scratch, dW);

        double[] check = new double[5];
        Assert.Equal(TensorStatics.NormalisedData(w, x, check), value);
        Assert.Equal(check, scratch);
        FiniteDifferences.AssertGradient(() => TensorStatics.NormalisedData(w, x, new double[5]), w, dW, "dW");
    }

    [Fact]
    public void FloatKernelsAgreeWithDouble()
    {
        var random = new Random(11);
        double[] w = Enumerable.Range(0, 4 * 9).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] b = Enumerable.Range(0, 4).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] x = Enumerable.Range(0, 9).Select(_ => random.NextDouble()).ToArray();
        double[] dW = new double[w.Length], dB = new double[b.Length];
        float[] dWf = new float[w.Length], dBf = new float[b.Length];

        double value = TensorStatics.DoubleLayerGradient(w, b, x, dW, dB);
        float single = TensorStatics.FloatLayerGradient(ToFloat(w), ToFloat(b), ToFloat(x), dWf, dBf);

        FiniteDifferences.AssertGradient(() => TensorStatics.DoubleLayer(w, b, x), w, dW, "dW");
        FiniteDifferences.AssertGradient(() => TensorStatics.DoubleLayer(w, b, x), b, dB, "dB");
        Assert.Equal(value, single, 4);
        for (int i = 0; i < w.Length; i++)
        {
            Assert.Equal(dW[i], dWf[i], 4);
        }

        for (int i = 0; i < b.Length; i++)
        {
            Assert.Equal(dB[i], dBf[i], 4);
        }
    }

    private static float[] ToFloat(double[] values) => values.Select(v => (float)v).ToArray();
}

public class ArgumentsTheCallWritesTests
{
    [Fact]
    public void KernelScalarReadingItsDestination()
    {
        double[] a = { 2, 1, 1.5 };
        double[] dA = new double[3];
        double value = ArgumentsTheCallWrites.ScaleByFirstGradient(a, dA);
        Assert.Equal(ArgumentsTheCallWrites.ScaleByFirst(a), value);
        FiniteDifferences.AssertGradient(() => ArgumentsTheCallWrites.ScaleByFirst(a), a, dA, "dA");
    }

    [Fact]
    public void CalleeScalarReadingTheArrayItWrites()
    {
        double[] a = { 2, 0.5, 1.5 };
        double[] dA = new double[3];
        double value = ArgumentsTheCallWrites.CalleeScaleByFirstGradient(a, dA);
        Assert.Equal(ArgumentsTheCallWrites.CalleeScaleByFirst(a), value);
        FiniteDifferences.AssertGradient(() => ArgumentsTheCallWrites.CalleeScaleByFirst(a), a, dA, "dA");
    }

    [Fact]
    public void StepGivenTheStateItOverwrites()
    {
        var model = new FeedsItsState();
        var gradient = new FeedsItsState.Gradient(model);
        double value = model.LossGradient(0.4, gradient, out double dX0);
        var twin = new FeedsItsState();
        Assert.Equal(twin.Loss(0.4), value);
        Assert.Equal(twin.H, model.H);
        FiniteDifferences.AssertScalar(x => new FeedsItsState().Loss(x), 0.4, dX0, "x0");
        FiniteDifferences.AssertScalar(w => new FeedsItsState { W = w }.Loss(0.4), 0.7, gradient.W, "W");
    }
}
