using System;
using System.Diagnostics;
using SourceDiff.Samples.Stories;
using SourceDiff.Samples.Training;

// Usage: dotnet run --project samples/SourceDiff.Samples -c Release [hidden-state|softmax-bptt|sigmoid-network|elman|gradient-algebra|training|long-sequence|vector-training|all]
// (story1 … story5, the samples' earlier names, still work.)
var runs = new (string Name, string FormerName, Action Run)[]
{
    ("hidden-state", "story1", Story1FluxRnn.Run),
    ("softmax-bptt", "story2", Story2TruncatedBptt.Run),
    ("sigmoid-network", "story3", Story3SigmoidNetwork.Run),
    ("elman", "story4", Story4ElmanRnn.Run),
    ("gradient-algebra", "story5", Story5GradientAlgebra.Run),
    ("training", "training", () => { if (!NextValueTraining.Run()) Environment.ExitCode = 1; }),
    ("long-sequence", "long-sequence", LongSequence.Run),
    ("vector-training", "vector-training", () => { if (!VectorTraining.Run()) Environment.ExitCode = 1; }),
};

string choice = args.Length > 0 ? args[0].ToLowerInvariant() : "all";
var clock = Stopwatch.StartNew();
bool any = false;
foreach (var (name, formerName, run) in runs)
{
    if (choice == "all" || choice == name || choice == formerName)
    {
        run();
        any = true;
    }
}

if (!any)
{
    Console.Error.WriteLine($"Unknown sample '{args[0]}'. Choose one of: {string.Join(", ", Array.ConvertAll(runs, r => r.Name))}, all.");
    return 2;
}

Console.WriteLine($"SourceDiff samples done in {clock.Elapsed.TotalSeconds:F1} s.");
return Environment.ExitCode;
