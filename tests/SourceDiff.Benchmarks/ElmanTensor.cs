using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace SourceDiff.Benchmarks;

/// <summary>
/// The Elman RNN of <see cref="ElmanFlat"/> written with TensorPrimitives (issue 13): one Dot per row of each weight
/// matrix, tanh of the whole pre-activation into the hidden state, the step's error as a Subtract and SumOfSquares.
/// Same weights, data and loss as <see cref="ElmanFlat.Loss"/>, so the scalar hand-written BPTT is its baseline too.
/// </summary>
public static partial class ElmanTensor
{
    [Differentiable]
    public static double Loss(double[] wx, double[] wh, double[] b, [NoDerivative] double[] xs, [NoDerivative] double[] ys, int inputs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] a = new double[hidden];
        double[] e = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            ReadOnlySpan<double> x = xs.AsSpan(t * inputs, inputs);
            for (int i = 0; i < hidden; i++)
            {
                a[i] = b[i] + TensorPrimitives.Dot(wx.AsSpan(i * inputs, inputs), x) + TensorPrimitives.Dot(wh.AsSpan(i * hidden, hidden), h);
            }

            TensorPrimitives.Tanh(a, h);
            TensorPrimitives.Subtract(h, ys.AsSpan(t * hidden, hidden), e);
            loss += TensorPrimitives.SumOfSquares(e);
        }

        return loss;
    }

    /// <summary>The largest relative difference between this gradient and the scalar hand-written BPTT (run with "check").</summary>
    public static double Disagreement(int inputs, int hidden, int steps)
    {
        var (wx, wh, b, xs, ys) = ElmanFlat.Create(inputs, hidden, steps, seed: 7);
        double[] g1 = new double[wx.Length], g2 = new double[wh.Length], g3 = new double[b.Length];
        double[] h1 = new double[wx.Length], h2 = new double[wh.Length], h3 = new double[b.Length];
        double generated = LossGradient(wx, wh, b, xs, ys, inputs, hidden, steps, g1, g2, g3);
        double hand = ElmanFlat.LossHandWritten(wx, wh, b, xs, ys, inputs, hidden, steps, h1, h2, h3);
        double worst = Agreement.Relative(generated, hand);
        foreach ((double[] a, double[] c) in new[] { (g1, h1), (g2, h2), (g3, h3) }) worst = Agreement.Worst(worst, a, c);
        return worst;
    }
}

/// <summary>
/// Issue 13: the TensorPrimitives Elman RNN at H = 128, 256, 512, T = 100, batch 1: generated gradient against the
/// scalar hand-written BPTT and against its own primal, in one run.
/// </summary>
[MemoryDiagnoser]
public class ElmanTensorBenchmarks
{
    private const int Inputs = 8;
    private const int Steps = 100;
    private double[] wx = Array.Empty<double>(), wh = Array.Empty<double>(), b = Array.Empty<double>();
    private double[] xs = Array.Empty<double>(), ys = Array.Empty<double>();
    private double[] dWx = Array.Empty<double>(), dWh = Array.Empty<double>(), dB = Array.Empty<double>();

    [Params(128, 256, 512)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (wx, wh, b, xs, ys) = ElmanFlat.Create(Inputs, Hidden, Steps, seed: 3);
        dWx = new double[wx.Length];
        dWh = new double[wh.Length];
        dB = new double[b.Length];
    }

    [Benchmark(Baseline = true)]
    public double HandWrittenScalarBptt() => ElmanFlat.LossHandWritten(wx, wh, b, xs, ys, Inputs, Hidden, Steps, dWx, dWh, dB);

    [Benchmark]
    public double Primal() => ElmanTensor.Loss(wx, wh, b, xs, ys, Inputs, Hidden, Steps);

    [Benchmark]
    public double GeneratedGradient() => ElmanTensor.LossGradient(wx, wh, b, xs, ys, Inputs, Hidden, Steps, dWx, dWh, dB);
}
