using System;
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;

namespace SourceDiff.Benchmarks;

/// <summary>
/// The Elman RNN of <see cref="ElmanFlat"/> written with MathNet.Numerics (issue 13), as its users write it:
/// <c>h = tanh(Wx·x + Wh·h + b)</c>, the step's error as a vector, its squared norm as a dot product. Same weights, data
/// and loss as <see cref="ElmanFlat.Loss"/>, so the scalar hand-written BPTT is its baseline too.
/// </summary>
public static partial class ElmanMathNet
{
    [Differentiable]
    public static double Loss(Matrix<double> wx, Matrix<double> wh, Vector<double> b, [NoDerivative] Vector<double>[] xs, [NoDerivative] Vector<double>[] ys)
    {
        Vector<double> h = Vector<double>.Build.Dense(b.Count);
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            h = (wx * xs[t] + wh * h + b).PointwiseTanh();
            Vector<double> e = h - ys[t];
            loss += e.DotProduct(e);
        }

        return loss;
    }

    /// <summary>The MathNet form of <see cref="ElmanFlat.Create"/>'s row-major weights and flattened sequences.</summary>
    public static (Matrix<double> Wx, Matrix<double> Wh, Vector<double> B, Vector<double>[] Xs, Vector<double>[] Ys) Create(int inputs, int hidden, int steps, int seed)
    {
        var (wx, wh, b, xs, ys) = ElmanFlat.Create(inputs, hidden, steps, seed);
        var xVectors = new Vector<double>[steps];
        var yVectors = new Vector<double>[steps];
        for (int t = 0; t < steps; t++)
        {
            xVectors[t] = Vector<double>.Build.DenseOfArray(xs.AsSpan(t * inputs, inputs).ToArray());
            yVectors[t] = Vector<double>.Build.DenseOfArray(ys.AsSpan(t * hidden, hidden).ToArray());
        }

        return (Matrix<double>.Build.DenseOfRowMajor(hidden, inputs, wx), Matrix<double>.Build.DenseOfRowMajor(hidden, hidden, wh),
            Vector<double>.Build.DenseOfArray(b), xVectors, yVectors);
    }

    /// <summary>The largest relative difference between this gradient and the scalar hand-written BPTT (run with "check").</summary>
    public static double Disagreement(int inputs, int hidden, int steps)
    {
        var (wx, wh, b, xs, ys) = ElmanFlat.Create(inputs, hidden, steps, seed: 7);
        var (mx, mh, mb, mxs, mys) = Create(inputs, hidden, steps, seed: 7);
        Matrix<double> dWx = Matrix<double>.Build.Dense(hidden, inputs), dWh = Matrix<double>.Build.Dense(hidden, hidden);
        Vector<double> dB = Vector<double>.Build.Dense(hidden);
        double[] h1 = new double[wx.Length], h2 = new double[wh.Length], h3 = new double[b.Length];
        double generated = LossGradient(mx, mh, mb, mxs, mys, dWx, dWh, dB);
        double hand = ElmanFlat.LossHandWritten(wx, wh, b, xs, ys, inputs, hidden, steps, h1, h2, h3);
        double worst = Agreement.Relative(generated, hand);
        foreach ((double[] a, double[] c) in new[] { (dWx.ToRowMajorArray(), h1), (dWh.ToRowMajorArray(), h2), (dB.ToArray(), h3) }) worst = Agreement.Worst(worst, a, c);
        return worst;
    }
}

/// <summary>
/// Issue 13: the MathNet Elman RNN at H = 128, 256, 512, T = 100, batch 1: generated gradient against the scalar
/// hand-written BPTT and against its own primal, in one run. MathNet runs single-threaded (its managed provider would
/// otherwise parallelize large products), as the hand-written baseline and the TorchSharp peer do.
/// </summary>
[MemoryDiagnoser]
public class ElmanMathNetBenchmarks
{
    private const int Inputs = 8;
    private const int Steps = 100;
    private double[] wx = Array.Empty<double>(), wh = Array.Empty<double>(), b = Array.Empty<double>();
    private double[] xs = Array.Empty<double>(), ys = Array.Empty<double>();
    private double[] dWx = Array.Empty<double>(), dWh = Array.Empty<double>(), dB = Array.Empty<double>();
    private Matrix<double> mWx = null!, mWh = null!, mDWx = null!, mDWh = null!;
    private Vector<double> mB = null!, mDB = null!;
    private Vector<double>[] mXs = Array.Empty<Vector<double>>(), mYs = Array.Empty<Vector<double>>();

    [Params(128, 256, 512)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        MathNet.Numerics.Control.UseSingleThread();
        (wx, wh, b, xs, ys) = ElmanFlat.Create(Inputs, Hidden, Steps, seed: 3);
        dWx = new double[wx.Length];
        dWh = new double[wh.Length];
        dB = new double[b.Length];
        (mWx, mWh, mB, mXs, mYs) = ElmanMathNet.Create(Inputs, Hidden, Steps, seed: 3);
        mDWx = Matrix<double>.Build.Dense(Hidden, Inputs);
        mDWh = Matrix<double>.Build.Dense(Hidden, Hidden);
        mDB = Vector<double>.Build.Dense(Hidden);
    }

    [Benchmark(Baseline = true)]
    public double HandWrittenScalarBptt() => ElmanFlat.LossHandWritten(wx, wh, b, xs, ys, Inputs, Hidden, Steps, dWx, dWh, dB);

    [Benchmark]
    public double Primal() => ElmanMathNet.Loss(mWx, mWh, mB, mXs, mYs);

    [Benchmark]
    public double GeneratedGradient() => ElmanMathNet.LossGradient(mWx, mWh, mB, mXs, mYs, mDWx, mDWh, mDB);
}
