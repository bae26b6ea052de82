using System;
using BenchmarkDotNet.Attributes;
using SourceDiff.CompilerServices;

namespace SourceDiff.Benchmarks;

/// <summary>Generated adjoints against the primal and against an expert's hand-written adjoint, in the same run.</summary>
[MemoryDiagnoser]
public class RecurrenceBenchmarks
{
    private double[] x = Array.Empty<double>();
    private double[] y = Array.Empty<double>();
    private double[] dX = Array.Empty<double>();

    [Params(10_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        x = new double[Length];
        y = new double[Length];
        dX = new double[Length];
        for (int i = 0; i < Length; i++)
        {
            x[i] = random.NextDouble();
            y[i] = random.NextDouble();
        }
    }

    [Benchmark(Baseline = true)]
    public double Primal() => FluxRnn.SquaredLoss(0.5, 0.9, 0.1, 0, x, y);

    [Benchmark]
    public double HandWrittenAdjoint() => FluxRnn.SquaredLossHandWritten(0.5, 0.9, 0.1, 0, x, y, out _, out _, out _, out _, dX);

    [Benchmark]
    public double GeneratedGradient() => FluxRnn.SquaredLossGradient(0.5, 0.9, 0.1, 0, x, y, out _, out _, out _, out _, dX);
}

/// <summary>
/// Story 2 at full size: full back-propagation through 10 sequences × 10⁴ softmax steps (2 features, 2 classes),
/// the cross-entropy averaged over all 10⁵ steps; gradient against primal.
/// </summary>
[MemoryDiagnoser]
public class SoftmaxRnnBenchmarks
{
    private SoftmaxRnn model = null!;
    private SoftmaxRnn.Gradient gradient = null!;
    private double[][][] sequences = Array.Empty<double[][]>();
    private int[][] labels = Array.Empty<int[]>();

    [GlobalSetup]
    public void Setup()
    {
        (model, sequences, labels) = SoftmaxRnn.Create(sequenceCount: 10, steps: 10_000, seed: 2);
        gradient = new SoftmaxRnn.Gradient(model);
    }

    [Benchmark(Baseline = true)]
    public double Primal() => model.SequencesLoss(sequences, labels);

    [Benchmark]
    public double Gradient() => model.SequencesLossGradient(sequences, labels, gradient);
}

/// <summary>
/// Issue 10: the Elman RNN of <see cref="ElmanFlat"/> (static, flattened arrays), T = 100 and 1000 steps, generated
/// gradient against an expert's hand-written BPTT and against its own primal, in one run.
/// </summary>
[MemoryDiagnoser]
public class ElmanFlatBenchmarks
{
    private const int Inputs = 8;
    private double[] wx = Array.Empty<double>(), wh = Array.Empty<double>(), b = Array.Empty<double>();
    private double[] xs = Array.Empty<double>(), ys = Array.Empty<double>();
    private double[] dWx = Array.Empty<double>(), dWh = Array.Empty<double>(), dB = Array.Empty<double>();

    [Params(8, 32, 128, 256)]
    public int Hidden { get; set; }

    [Params(100, 1000)]
    public int Steps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (wx, wh, b, xs, ys) = ElmanFlat.Create(Inputs, Hidden, Steps, seed: 3);
        dWx = new double[wx.Length];
        dWh = new double[wh.Length];
        dB = new double[b.Length];
    }

    [Benchmark(Baseline = true)]
    public double HandWrittenBptt() => ElmanFlat.LossHandWritten(wx, wh, b, xs, ys, Inputs, Hidden, Steps, dWx, dWh, dB);

    [Benchmark]
    public double Primal() => ElmanFlat.Loss(wx, wh, b, xs, ys, Inputs, Hidden, Steps);

    [Benchmark]
    public double GeneratedGradient() => ElmanFlat.LossGradient(wx, wh, b, xs, ys, Inputs, Hidden, Steps, dWx, dWh, dB);

    /// <summary>The forward sweep alone (the primal plus its pushes), to split the gradient's time.</summary>
    [Benchmark]
    public double GeneratedForwardSweep()
    {
        Tape tape = Tape.Rent();
        double value = ElmanFlat.Loss_Forward(wx, wh, b, xs, ys, Inputs, Hidden, Steps, tape, dWx, dWh, dB);
        tape.Return();
        return value;
    }
}

/// <summary>
/// Issue 10, style b: the Elman RNN as a model (<see cref="ElmanModel"/>: <c>double[,]</c> weights, a [State] hidden
/// vector, Step called by Loss), generated gradient against an expert's hand-written BPTT and its own primal.
/// </summary>
[MemoryDiagnoser]
public class ElmanModelBenchmarks
{
    private const int Inputs = 8;
    private ElmanModel model = null!;
    private ElmanModel.Gradient gradient = null!;
    private double[][] xs = Array.Empty<double[]>(), ys = Array.Empty<double[]>();
    private double[,] dWx = new double[0, 0], dWh = new double[0, 0];
    private double[] dB = Array.Empty<double>();

    [Params(8, 32, 128, 256)]
    public int Hidden { get; set; }

    [Params(100, 1000)]
    public int Steps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (model, xs, ys) = ElmanModel.Create(Inputs, Hidden, Steps, seed: 3);
        gradient = new ElmanModel.Gradient(model);
        dWx = new double[Hidden, Inputs];
        dWh = new double[Hidden, Hidden];
        dB = new double[Hidden];
    }

    [Benchmark(Baseline = true)]
    public double HandWrittenBptt() => model.LossHandWritten(xs, ys, dWx, dWh, dB);

    [Benchmark]
    public double Primal() => model.Loss(xs, ys);

    [Benchmark]
    public double GeneratedGradient() => model.LossGradient(xs, ys, gradient);
}

/// <summary>
/// Issue 10: the LSTM cell of <see cref="LstmModel"/> (a model with [State] hidden and cell vectors, Step called by
/// Loss), T = 100 steps of 8 inputs, generated gradient against an expert's hand-written BPTT and its own primal.
/// </summary>
[MemoryDiagnoser]
public class LstmBenchmarks
{
    private const int Inputs = 8;
    private const int Steps = 100;
    private LstmModel model = null!;
    private LstmModel.Gradient generated = null!;
    private LstmModel.Gradient handWritten = null!;
    private double[][] xs = Array.Empty<double[]>(), ys = Array.Empty<double[]>();

    [Params(32, 128)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (model, xs, ys) = LstmModel.Create(Inputs, Hidden, Steps, seed: 3);
        generated = new LstmModel.Gradient(model);
        handWritten = new LstmModel.Gradient(model);
    }

    [Benchmark(Baseline = true)]
    public double HandWrittenBptt() => model.LossHandWritten(xs, ys, handWritten);

    [Benchmark]
    public double Primal() => model.Loss(xs, ys);

    [Benchmark]
    public double GeneratedGradient() => model.LossGradient(xs, ys, generated);
}
