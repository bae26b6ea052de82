using System;
using System.Diagnostics;
using SourceDiff.Samples.Stories;
using SourceDiff.Samples.Training;

// Usage: dotnet run --project samples/SourceDiff.Samples -c Release [story1|story2|story3|story4|story5|training|all]
var runs = new (string Name, Action Run)[]
{
    ("story1", Story1FluxRnn.Run),
    ("story2", Story2TruncatedBptt.Run),
    ("story3", Story3SigmoidNetwork.Run),
    ("story4", Story4ElmanRnn.Run),
    ("story5", Story5GradientAlgebra.Run),
    ("training", () => { if (!NextValueTraining.Run()) Environment.ExitCode = 1; }),
};

string choice = args.Length > 0 ? args[0].ToLowerInvariant() : "all";
var clock = Stopwatch.StartNew();
bool any = false;
foreach (var (name, run) in runs)
{
    if (choice == "all" || choice == name)
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
