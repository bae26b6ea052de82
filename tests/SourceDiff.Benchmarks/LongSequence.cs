using System;
using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace SourceDiff.Benchmarks;

/// <summary>
/// The tanh RNN of issue 14 (hidden 32, one input, a linear readout) over long sequences: its loss as written, and the
/// same loss under [Checkpoint]. Each loss continues from the state the model holds, as a streaming model's does.
/// </summary>
public partial class LongRnn
{
    public double[] Wx;
    public double[] Wh;
    public double[] B;
    public double[] V;
    [State] public double[] H;

    public LongRnn(int hidden)
    {
        Wx = Enumerable.Range(0, hidden).Select(i => 0.5 * Math.Cos(i + 1.0)).ToArray();
        Wh = Enumerable.Range(0, hidden * hidden).Select(i => 0.3 * Math.Sin(1.7 * i) / Math.Sqrt(hidden)).ToArray();
        B = Enumerable.Range(0, hidden).Select(i => 0.01 * i).ToArray();
        V = Enumerable.Range(0, hidden).Select(i => Math.Cos(0.3 * i) / hidden).ToArray();
        H = new double[hidden];
    }

    [Differentiable]
    public double Step(double x)
    {
        int n = H.Length;
        double[] next = new double[n];
        for (int j = 0; j < n; j++)
        {
            double s = B[j] + Wx[j] * x;
            for (int k = 0; k < n; k++)
            {
                s += Wh[j * n + k] * H[k];
            }

            next[j] = Math.Tanh(s);
        }

        double y = 0;
        for (int j = 0; j < n; j++)
        {
            H[j] = next[j];
            y += V[j] * next[j];
        }

        return y;
    }

    [Differentiable]
    public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }

    [Differentiable, Checkpoint]
    public double CheckpointedLoss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }

    public static (double[] Xs, double[] Ys) Sequence(int steps) =>
        (Enumerable.Range(0, steps).Select(t => Math.Sin(0.01 * t)).ToArray(), Enumerable.Range(0, steps).Select(t => 0.1 * Math.Cos(0.013 * t)).ToArray());

    /// <summary>
    /// One measured run in this process (start a fresh process per run, so the peak working set is the run's own):
    /// <c>primal</c>, <c>gradient</c> or <c>checkpointed</c> over <paramref name="steps"/> steps.
    /// </summary>
    public static void Measure(int steps, string mode)
    {
        (double[] xs, double[] ys) = Sequence(steps);
        var model = new LongRnn(32);
        var gradient = new LongRnn.Gradient(model);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        double loss = mode switch
        {
            "primal" => model.Loss(xs, ys),
            "gradient" => model.LossGradient(xs, ys, gradient),
            "checkpointed" => model.CheckpointedLossGradient(xs, ys, gradient),
            _ => throw new ArgumentException("primal, gradient or checkpointed", nameof(mode)),
        };
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(FormattableString.Invariant(
            $"{mode,-12} T={steps,9}: {clock.Elapsed.TotalSeconds,8:F2} s, peak working set {process.PeakWorkingSet64 / 1048576.0,9:F0} MiB, allocated {allocated / 1048576.0,9:F0} MiB, loss {loss:R}, |dWh| {Math.Sqrt(gradient.Wh.Sum(v => v * v)):R}"));
    }

    /// <summary>Whether the checkpointed gradient equals the plain one bit for bit (value, every parameter, final state).</summary>
    public static bool SameAsPlain(int steps)
    {
        (double[] xs, double[] ys) = Sequence(steps);
        var plain = new LongRnn(32);
        var plainGradient = new LongRnn.Gradient(plain);
        double expected = plain.LossGradient(xs, ys, plainGradient);
        var model = new LongRnn(32);
        var gradient = new LongRnn.Gradient(model);
        double value = model.CheckpointedLossGradient(xs, ys, gradient);
        return value.Equals(expected) && gradient.Wx.SequenceEqual(plainGradient.Wx) && gradient.Wh.SequenceEqual(plainGradient.Wh)
            && gradient.B.SequenceEqual(plainGradient.B) && gradient.V.SequenceEqual(plainGradient.V) && model.H.SequenceEqual(plain.H);
    }
}

/// <summary>[Checkpoint]'s time against the plain gradient and the primal of the same loss, in one run.</summary>
[MemoryDiagnoser]
public class CheckpointBenchmarks
{
    private LongRnn model = new(32);
    private LongRnn.Gradient gradient = null!;
    private double[] xs = Array.Empty<double>();
    private double[] ys = Array.Empty<double>();

    [Params(10_000, 100_000)]
    public int Steps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (xs, ys) = LongRnn.Sequence(Steps);
        model = new LongRnn(32);
        gradient = new LongRnn.Gradient(model);
    }

    [Benchmark(Baseline = true)]
    public double Primal()
    {
        Array.Clear(model.H);
        return model.Loss(xs, ys);
    }

    [Benchmark]
    public double Gradient()
    {
        Array.Clear(model.H);
        return model.LossGradient(xs, ys, gradient);
    }

    [Benchmark]
    public double CheckpointedGradient()
    {
        Array.Clear(model.H);
        return model.CheckpointedLossGradient(xs, ys, gradient);
    }
}
