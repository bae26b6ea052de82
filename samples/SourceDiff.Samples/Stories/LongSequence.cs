using System;
using System.Diagnostics;
using SourceDiff.Samples.Models;

namespace SourceDiff.Samples.Stories;

/// <summary>
/// Issue 14: a gradient over a long stream with [Checkpoint]. Same numbers as the plain gradient, bit for bit, with a
/// tape of one step instead of every step.
/// </summary>
public static class LongSequence
{
    public static void Run()
    {
        const int steps = 200_000;
        Console.WriteLine($"== A gradient over {steps:N0} steps, with and without [Checkpoint] ==");
        double[] xs = new double[steps];
        double[] ys = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            xs[t] = Math.Sin(0.01 * t);
            ys[t] = 0.1 * Math.Cos(0.013 * t);
        }

        var plain = new StreamingRnn(16);
        var plainGradient = new StreamingRnn.Gradient(plain);
        (double plainLoss, long plainBytes, double plainSeconds) = Measure(() => plain.LossGradient(xs, ys, plainGradient));

        var model = new StreamingRnn(16);
        var gradient = new StreamingRnn.Gradient(model);
        (double loss, long bytes, double seconds) = Measure(() => model.CheckpointedLossGradient(xs, ys, gradient));

        Console.WriteLine($"   plain gradient:        loss {plainLoss:F6} in {plainSeconds:F2} s, tape {TapeBytes(plainBytes)}");
        Console.WriteLine($"   [Checkpoint] gradient: loss {loss:F6} in {seconds:F2} s, tape {TapeBytes(bytes)}");
        bool identical = loss.Equals(plainLoss) && (gradient - plainGradient).Norm() == 0 && Same(model.H, plain.H);
        Console.WriteLine($"   same loss, gradient and final state, bit for bit: {identical}");
        if (!identical)
        {
            Environment.ExitCode = 1;
        }

        Console.WriteLine();
    }

    /// <summary>
    /// One gradient call from an empty tape with no limit on what the thread keeps afterwards, so the memory it holds
    /// after the call is the tape the call needed (recorded values and scratch arrays).
    /// </summary>
    private static (double Loss, long TapeBytes, double Seconds) Measure(Func<double> gradientCall)
    {
        // Start from an empty tape: a call under a budget of 0 gives back all the thread kept from earlier samples.
        TapeMemory.RetainedBytesPerThread = 0;
        var empty = new StreamingRnn(1);
        empty.LossGradient(Array.Empty<double>(), Array.Empty<double>(), new StreamingRnn.Gradient(empty));
        TapeMemory.RetainedBytesPerThread = long.MaxValue;
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        double loss = gradientCall();
        clock.Stop();
        long kept = GC.GetTotalMemory(forceFullCollection: true) - before;
        TapeMemory.RetainedBytesPerThread = TapeMemory.DefaultRetainedBytesPerThread;
        return (loss, Math.Max(0, kept), clock.Elapsed.TotalSeconds);
    }

    private static string TapeBytes(long bytes) => bytes >= 1 << 20 ? $"{bytes / 1048576.0:F1} MiB" : $"{bytes / 1024.0:F1} KiB";

    private static bool Same(double[] a, double[] b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (!a[i].Equals(b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
