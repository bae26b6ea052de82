using BenchmarkDotNet.Running;

// Speed targets live here, as ratios against a baseline measured in the same run:
//   dotnet run -c Release --project tests/SourceDiff.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(SourceDiff.Benchmarks.RecurrenceBenchmarks).Assembly).Run(args);
