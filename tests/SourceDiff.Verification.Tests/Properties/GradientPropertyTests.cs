using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CsCheck;
using SourceDiff.Verification.Tests.Programs;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Verification.Tests.Properties;

/// <summary>
/// Issue 5, item 2: every random program either gets a gradient that matches finite differences, or is rejected at
/// compile time with an SD0xxx diagnostic. Never a silent wrong gradient.
/// </summary>
/// <remarks>
/// Two phases, because a compilation per program would make thousands of programs unaffordable. Screening: programs
/// are drawn from <see cref="ProgramGenerator"/> with one CsCheck seed each and checked in batches of
/// <see cref="PropertySettings.BatchSize"/> per compilation, on every core. Shrinking: the smallest failing program's
/// seed is handed to <c>Check.Sample</c>, which replays it and then shrinks it one compilation at a time; the failure
/// message shows the minimal program (add it to <see cref="RegressionTests"/>).
/// </remarks>
public sealed class GradientPropertyTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomProgramsMatchFiniteDifferencesOrAreRejected()
    {
        int count = PropertySettings.Programs;
        ulong seed = PropertySettings.Seed(2_000, count);
        var stopwatch = Stopwatch.StartNew();

        var seeds = new string[count];
        var programs = new ProgramSpec[count];
        for (int i = 0; i < count; i++)
        {
            var pcg = new PCG((uint)i, seed);
            seeds[i] = pcg.ToString();
            programs[i] = ProgramGenerator.Instance.Generate(pcg, null, out _);
        }

        int batchSize = PropertySettings.BatchSize;
        var batches = Enumerable.Range(0, (count + batchSize - 1) / batchSize).ToList();
        var results = new ProgramResult[count];
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, batch =>
        {
            int start = batch * batchSize;
            ProgramSpec[] slice = programs.Skip(start).Take(batchSize).ToArray();
            IReadOnlyList<ProgramResult> judged = BatchVerifier.Run(slice);
            for (int i = 0; i < judged.Count; i++)
            {
                results[start + i] = judged[i];
            }
        });

        string summary = Summarize(results, seed, stopwatch.Elapsed);
        output.WriteLine(summary);
        Console.WriteLine(summary);

        int[] failed = Enumerable.Range(0, count).Where(i => results[i].Verdict == ProgramVerdict.Failed).ToArray();
        if (failed.Length == 0)
        {
            return;
        }

        int smallest = failed.MinBy(i => ProgramPrinter.PrintPrimal(programs[i]).Length);
        var message = new StringBuilder();
        message.AppendLine(summary);
        message.AppendLine($"{failed.Length} program(s) failed. Smallest, as generated (seed {seeds[smallest]}):");
        message.AppendLine(ProgramPrinter.PrintPrimal(programs[smallest]));
        message.AppendLine(results[smallest].Detail);
        message.AppendLine();
        message.AppendLine("Every failure, in one line each:");
        foreach (int i in failed.Take(30))
        {
            message.AppendLine($"  [{seeds[i]}] {results[i].Detail.Split('\n')[0].Trim()}");
        }

        message.AppendLine();
        message.AppendLine(Shrink(seeds[smallest]));
        Assert.Fail(message.ToString());
    }

    /// <summary>Replays a failing program by its seed under CsCheck, which shrinks it; returns CsCheck's report.</summary>
    public static string Shrink(string seed)
    {
        try
        {
            ProgramGenerator.Instance.Sample(
                program =>
                {
                    ProgramResult result = BatchVerifier.Run(new[] { program })[0];
                    if (result.Verdict == ProgramVerdict.Failed)
                    {
                        throw new GradientMismatchException(result.Detail);
                    }
                },
                seed: seed, iter: int.MaxValue, time: PropertySettings.ShrinkSeconds, threads: 1,
                print: ProgramPrinter.PrintPrimal);
            return "CsCheck could not reproduce the failure from its seed.";
        }
        catch (Exception exception)
        {
            // CsCheck's message holds the seed and the minimal program; its inner exception says what went wrong.
            return "Shrunk by CsCheck:" + Environment.NewLine + exception.Message + Environment.NewLine
                + (exception.InnerException?.Message ?? "");
        }
    }

    private static string Summarize(ProgramResult[] results, ulong seed, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine($"Random programs: {results.Length} in {elapsed.TotalSeconds:F1} s (seed {seed}, SOURCEDIFF_PROPERTY_SEED to replay)");
        foreach (IGrouping<ProgramVerdict, ProgramResult> group in results.GroupBy(r => r.Verdict).OrderBy(g => g.Key))
        {
            text.AppendLine($"  {group.Key}: {group.Count()}");
        }

        var byId = results.SelectMany(r => r.RejectionIds).GroupBy(id => id).OrderBy(g => g.Key);
        text.AppendLine("  rejections by diagnostic: " + string.Join(", ", byId.Select(g => $"{g.Key} × {g.Count()}")));
        foreach (IGrouping<string, string> group in byId)
        {
            // One example per ID, so a reader can tell a documented limitation from a false rejection.
            ProgramResult example = results.First(r => r.RejectionIds.Contains(group.Key));
            string line = example.Detail.Split('\n').First(l => l.Contains(group.Key, StringComparison.Ordinal)).Trim();
            text.AppendLine($"    e.g. {line}");
        }
        return text.ToString();
    }
}

/// <summary>A generated gradient disagreed with the oracle (or the generated code failed).</summary>
public sealed class GradientMismatchException(string message) : Exception(message);
