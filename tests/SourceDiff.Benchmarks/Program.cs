using System;
using BenchmarkDotNet.Running;
using SourceDiff.Benchmarks;

// Speed targets live here, as ratios against a baseline measured in the same run:
//   dotnet run -c Release --project tests/SourceDiff.Benchmarks -- --filter '*'
// "long <steps> <primal|gradient|checkpointed>" runs one long-sequence gradient of issue 14's RNN in this process and
// prints its time and peak working set (run each in a fresh process).
// "check" compares the benchmarked generated gradients with the hand-written ones before timing them.
if (args is ["long", var stepsText, var mode])
{
    LongRnn.Measure(int.Parse(stepsText, System.Globalization.CultureInfo.InvariantCulture), mode);
    return;
}

if (args is ["check"])
{
    foreach (int steps in new[] { 0, 1, 1000, 100_000 })
    {
        Console.WriteLine($"LongRnn [Checkpoint] T={steps}: bit-for-bit equal to the plain gradient: {LongRnn.SameAsPlain(steps)}");
    }

    foreach (int hidden in new[] { 8, 32, 128, 256 })
    {
        Console.WriteLine($"ElmanFlat H={hidden}: largest relative difference {ElmanFlat.Disagreement(8, hidden, 100):E2}");
        Console.WriteLine($"ElmanModel H={hidden}: largest relative difference {ElmanModel.Disagreement(8, hidden, 100):E2}");
    }

    foreach (int hidden in new[] { 128, 256, 512 })
    {
        Console.WriteLine($"ElmanTensor (TensorPrimitives) H={hidden}: largest relative difference {ElmanTensor.Disagreement(8, hidden, 100):E2}");
        Console.WriteLine($"ElmanMathNet (MathNet.Numerics) H={hidden}: largest relative difference {ElmanMathNet.Disagreement(8, hidden, 100):E2}");
    }

    foreach (int hidden in new[] { 32, 128 })
    {
        Console.WriteLine($"Lstm H={hidden}: largest relative difference {LstmModel.Disagreement(8, hidden, 100):E2}");
    }

    // Story 2 has no hand-written adjoint: its full-size gradient is checked against finite differences instead.
    foreach ((string parameter, double generated, double finiteDifference) in SoftmaxRnn.FiniteDifferenceCheck(sequenceCount: 10, steps: 10_000))
    {
        double relative = Math.Abs(generated - finiteDifference) / Math.Max(1e-12, Math.Abs(finiteDifference));
        Console.WriteLine($"Story 2 (10 x 10^4 steps) d/d{parameter}: generated {generated:E10}, finite differences {finiteDifference:E10}, relative error {relative:E2}");
    }

#if TORCHSHARP_PEER
    foreach (int hidden in new[] { 8, 32, 128, 256 })
    {
        Console.WriteLine($"TorchSharp Elman H={hidden}: largest relative difference to the hand-written BPTT {TorchSharpElman.Disagreement(8, hidden, 100):E2}");
    }
#endif

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(RecurrenceBenchmarks).Assembly).Run(args);
