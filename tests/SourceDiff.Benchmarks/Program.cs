using BenchmarkDotNet.Running;

// Speed targets live here, as ratios against a baseline measured in the same run:
//   dotnet run -c Release --project tests/SourceDiff.Benchmarks -- --filter '*'
// "check" compares the benchmarked generated gradients with the hand-written ones before timing them.
if (args is ["check"])
{
    foreach (int hidden in new[] { 8, 32, 128 })
    {
        System.Console.WriteLine($"ElmanFlat H={hidden}: largest relative difference {SourceDiff.Benchmarks.ElmanFlat.Disagreement(8, hidden, 100):E2}");
        System.Console.WriteLine($"ElmanModel H={hidden}: largest relative difference {SourceDiff.Benchmarks.ElmanModel.Disagreement(8, hidden, 100):E2}");
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(SourceDiff.Benchmarks.RecurrenceBenchmarks).Assembly).Run(args);
