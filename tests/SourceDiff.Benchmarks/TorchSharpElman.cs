#if TORCHSHARP_PEER
using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TorchSharp;
using static TorchSharp.torch;
using MathMatrix = MathNet.Numerics.LinearAlgebra.Matrix<double>;
using MathVector = MathNet.Numerics.LinearAlgebra.Vector<double>;

namespace SourceDiff.Benchmarks;

/// <summary>
/// The Elman RNN of <see cref="ElmanFlat"/> in TorchSharp, the optional peer (built only with
/// <c>-p:TorchSharpPeer=true</c>): float64 tensors, weights with requires_grad, the graph built step by step and
/// differentiated by backward(). Written as a PyTorch user who cares about speed writes it: the input terms of all
/// steps in one matrix product, one fused addmv and tanh per step, one loss over the stacked hidden states.
/// </summary>
public sealed class TorchSharpElman : IDisposable
{
    private readonly Tensor wx, wh, b, xs, ys;
    private readonly int hidden, steps;

    /// <summary>Copies <see cref="ElmanFlat"/>'s flattened arrays into tensors (row-major, the same layout).</summary>
    public TorchSharpElman(double[] wx, double[] wh, double[] b, double[] xs, double[] ys, int inputs, int hidden, int steps)
    {
        this.hidden = hidden;
        this.steps = steps;
        this.wx = torch.tensor(wx, new long[] { hidden, inputs }, ScalarType.Float64, requires_grad: true);
        this.wh = torch.tensor(wh, new long[] { hidden, hidden }, ScalarType.Float64, requires_grad: true);
        this.b = torch.tensor(b, new long[] { hidden }, ScalarType.Float64, requires_grad: true);
        this.xs = torch.tensor(xs, new long[] { steps, inputs }, ScalarType.Float64);
        this.ys = torch.tensor(ys, new long[] { steps, hidden }, ScalarType.Float64);
    }

    /// <summary>The loss; its gradient is left in the weights' <c>grad</c> (as an optimizer would read it).</summary>
    public double LossGradient()
    {
        // Every tensor made here (graph, intermediate values, grad handles) is freed at the end of the call.
        using var scope = torch.NewDisposeScope();
        foreach (Tensor weight in new[] { wx, wh, b })
        {
            weight.grad?.zero_();
        }

        Tensor inputTerms = xs.matmul(wx.t()) + b;
        var states = new Tensor[steps];
        Tensor h = torch.zeros(hidden, ScalarType.Float64);
        for (int t = 0; t < steps; t++)
        {
            h = torch.addmv(inputTerms[t], wh, h, beta: 1, alpha: 1).tanh();
            states[t] = h;
        }

        Tensor loss = (torch.stack(states) - ys).square().sum();
        loss.backward();
        return loss.item<double>();
    }

    /// <summary>The gradient of the last <see cref="LossGradient"/> call, copied into flattened arrays.</summary>
    public void CopyGradient(double[] dWx, double[] dWh, double[] dB)
    {
        using var scope = torch.NewDisposeScope();
        wx.grad!.data<double>().CopyTo(dWx);
        wh.grad!.data<double>().CopyTo(dWh);
        b.grad!.data<double>().CopyTo(dB);
    }

    public void Dispose()
    {
        foreach (Tensor tensor in new[] { wx, wh, b, xs, ys })
        {
            tensor.Dispose();
        }
    }

    /// <summary>The largest relative difference between TorchSharp's and the hand-written gradient (run with "check").</summary>
    public static double Disagreement(int inputs, int hidden, int steps)
    {
        var (wx, wh, b, xs, ys) = ElmanFlat.Create(inputs, hidden, steps, seed: 7);
        double[] g1 = new double[wx.Length], g2 = new double[wh.Length], g3 = new double[b.Length];
        double[] h1 = new double[wx.Length], h2 = new double[wh.Length], h3 = new double[b.Length];
        torch.set_num_threads(1);
        using var torchModel = new TorchSharpElman(wx, wh, b, xs, ys, inputs, hidden, steps);
        double torchLoss = torchModel.LossGradient();
        torchModel.CopyGradient(g1, g2, g3);
        double hand = ElmanFlat.LossHandWritten(wx, wh, b, xs, ys, inputs, hidden, steps, h1, h2, h3);
        double worst = Agreement.Relative(torchLoss, hand);
        foreach ((double[] a, double[] c) in new[] { (g1, h1), (g2, h2), (g3, h3) }) worst = Agreement.Worst(worst, a, c);
        return worst;
    }
}

/// <summary>
/// Issue 10's peer: the Elman RNN of <see cref="ElmanFlat"/> (T = 100 steps of 8 inputs), an expert's hand-written
/// BPTT as baseline, SourceDiff's generated gradient and TorchSharp's backward() on one thread, in one run.
/// Run in the host process (<see cref="InHostProcessAttribute"/>): the only build that has TorchSharp and its patched
/// native library is the one <c>dotnet run -p:TorchSharpPeer=true</c> made.
/// </summary>
[MemoryDiagnoser]
[InHostProcess]
public class TorchSharpElmanBenchmarks
{
    private const int Inputs = 8;
    private const int Steps = 100;
    private double[] wx = Array.Empty<double>(), wh = Array.Empty<double>(), b = Array.Empty<double>();
    private double[] xs = Array.Empty<double>(), ys = Array.Empty<double>();
    private double[] dWx = Array.Empty<double>(), dWh = Array.Empty<double>(), dB = Array.Empty<double>();
    private TorchSharpElman torchModel = null!;

    [Params(8, 32, 128, 256)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (wx, wh, b, xs, ys) = ElmanFlat.Create(Inputs, Hidden, Steps, seed: 3);
        dWx = new double[wx.Length];
        dWh = new double[wh.Length];
        dB = new double[b.Length];
        torch.set_num_threads(1);
        torchModel = new TorchSharpElman(wx, wh, b, xs, ys, Inputs, Hidden, Steps);
    }

    [GlobalCleanup]
    public void Cleanup() => torchModel.Dispose();

    [Benchmark(Baseline = true)]
    public double HandWrittenBptt() => ElmanFlat.LossHandWritten(wx, wh, b, xs, ys, Inputs, Hidden, Steps, dWx, dWh, dB);

    [Benchmark]
    public double GeneratedGradient() => ElmanFlat.LossGradient(wx, wh, b, xs, ys, Inputs, Hidden, Steps, dWx, dWh, dB);

    [Benchmark]
    public double TorchSharpGradient() => torchModel.LossGradient();
}

/// <summary>
/// Issue 13: the Elman RNN written with TensorPrimitives (<see cref="ElmanTensor"/>) and with MathNet.Numerics
/// (<see cref="ElmanMathNet"/>) at H = 128, 256, 512, T = 100, against the scalar hand-written BPTT, their own primals and
/// TorchSharp, all with one thread, in one run (in the host process).
/// </summary>
[MemoryDiagnoser]
[InHostProcess]
public class TorchSharpElmanTensorBenchmarks
{
    private const int Inputs = 8;
    private const int Steps = 100;
    private double[] wx = Array.Empty<double>(), wh = Array.Empty<double>(), b = Array.Empty<double>();
    private double[] xs = Array.Empty<double>(), ys = Array.Empty<double>();
    private double[] dWx = Array.Empty<double>(), dWh = Array.Empty<double>(), dB = Array.Empty<double>();
    private TorchSharpElman torchModel = null!;
    private MathMatrix mWx = null!, mWh = null!, mDWx = null!, mDWh = null!;
    private MathVector mB = null!, mDB = null!;
    private MathVector[] mXs = Array.Empty<MathVector>(), mYs = Array.Empty<MathVector>();

    [Params(128, 256, 512)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (wx, wh, b, xs, ys) = ElmanFlat.Create(Inputs, Hidden, Steps, seed: 3);
        dWx = new double[wx.Length];
        dWh = new double[wh.Length];
        dB = new double[b.Length];
        torch.set_num_threads(1);
        torchModel = new TorchSharpElman(wx, wh, b, xs, ys, Inputs, Hidden, Steps);
        MathNet.Numerics.Control.UseSingleThread();
        (mWx, mWh, mB, mXs, mYs) = ElmanMathNet.Create(Inputs, Hidden, Steps, seed: 3);
        mDWx = MathMatrix.Build.Dense(Hidden, Inputs);
        mDWh = MathMatrix.Build.Dense(Hidden, Hidden);
        mDB = MathVector.Build.Dense(Hidden);
    }

    [GlobalCleanup]
    public void Cleanup() => torchModel.Dispose();

    [Benchmark(Baseline = true)]
    public double HandWrittenScalarBptt() => ElmanFlat.LossHandWritten(wx, wh, b, xs, ys, Inputs, Hidden, Steps, dWx, dWh, dB);

    [Benchmark]
    public double TensorPrimal() => ElmanTensor.Loss(wx, wh, b, xs, ys, Inputs, Hidden, Steps);

    [Benchmark]
    public double TensorGeneratedGradient() => ElmanTensor.LossGradient(wx, wh, b, xs, ys, Inputs, Hidden, Steps, dWx, dWh, dB);

    [Benchmark]
    public double MathNetPrimal() => ElmanMathNet.Loss(mWx, mWh, mB, mXs, mYs);

    [Benchmark]
    public double MathNetGeneratedGradient() => ElmanMathNet.LossGradient(mWx, mWh, mB, mXs, mYs, mDWx, mDWh, mDB);

    [Benchmark]
    public double TorchSharpGradient() => torchModel.LossGradient();
}

/// <summary>
/// Runs a class's benchmarks in the host process, under whatever job the command line picks. BenchmarkDotNet's own
/// per-job build would compile the project without TORCHSHARP_PEER, and its output folder would get the unpatched
/// libLibTorchSharp.so from the package again.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class InHostProcessAttribute : JobMutatorConfigBaseAttribute
{
    public InHostProcessAttribute()
        : base(Job.Default.WithToolchain(InProcessEmitToolchain.Instance))
    {
    }
}
#endif
