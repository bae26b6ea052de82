using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Verification.Tests.Properties;

/// <summary>A property over random subjects (programs or models): how to draw, verify in batches, and print them.</summary>
/// <param name="Title">Names the run in its summary: "Random programs", "Random models (ReadonlyFields)".</param>
/// <param name="Verify">Judges a batch with one compilation (<see cref="BatchVerifier"/>).</param>
/// <param name="Print">What a reader of a failure wants to see: the C# of the subject.</param>
/// <param name="Code">The subject as C# that constructs its AST, for <see cref="RegressionTests"/>.</param>
public sealed record PropertySubject<T>(
    string Title, Gen<T> Gen, Func<IReadOnlyList<T>, IReadOnlyList<Judgement>> Verify, Func<T, string> Print, Func<T, string> Code);

/// <summary>
/// Runs a property in the two phases of <see cref="GradientPropertyTests"/>. Screening: subjects are drawn with one
/// CsCheck seed each and checked in batches of <see cref="PropertySettings.BatchSize"/> per compilation, on every core.
/// Shrinking: the smallest failing subject's seed is handed to <c>Check.Sample</c>, which replays it and shrinks it one
/// compilation at a time; the failure message shows the minimal subject, as C# and as the AST to paste into
/// <see cref="RegressionTests"/>.
/// </summary>
public static class PropertyRunner
{
    public static void Check<T>(ITestOutputHelper output, PropertySubject<T> subject, int count, ulong seed)
    {
        var stopwatch = Stopwatch.StartNew();
        var seeds = new string[count];
        var specs = new T[count];
        for (int i = 0; i < count; i++)
        {
            var pcg = new PCG((uint)i, seed);
            seeds[i] = pcg.ToString();
            specs[i] = subject.Gen.Generate(pcg, null, out _);
        }

        int batchSize = PropertySettings.BatchSize;
        var batches = Enumerable.Range(0, (count + batchSize - 1) / batchSize).ToList();
        var results = new Judgement[count];
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, batch =>
        {
            int start = batch * batchSize;
            T[] slice = specs.Skip(start).Take(batchSize).ToArray();
            IReadOnlyList<Judgement> judged = subject.Verify(slice);
            for (int i = 0; i < judged.Count; i++)
            {
                results[start + i] = judged[i];
            }
        });

        string summary = Summarize(subject.Title, results, seed, stopwatch.Elapsed);
        output.WriteLine(summary);
        Console.WriteLine(summary);

        int[] failed = Enumerable.Range(0, count).Where(i => results[i].Verdict == ProgramVerdict.Failed).ToArray();
        if (failed.Length == 0)
        {
            return;
        }

        int smallest = failed.MinBy(i => subject.Print(specs[i]).Length);
        var message = new StringBuilder();
        message.AppendLine(summary);
        message.AppendLine($"{failed.Length} subject(s) failed. Smallest, as generated (seed {seeds[smallest]}):");
        message.AppendLine(subject.Print(specs[smallest]));
        message.AppendLine(results[smallest].Detail);
        message.AppendLine();
        message.AppendLine("Every failure, in one line each:");
        foreach (int i in failed.Take(30))
        {
            message.AppendLine($"  [{seeds[i]}] {results[i].Detail.Split('\n')[0].Trim()}");
        }

        message.AppendLine();
        message.AppendLine(Shrink(subject, seeds[smallest]));
        Assert.Fail(message.ToString());
    }

    /// <summary>Replays a failing subject by its seed under CsCheck, which shrinks it; returns CsCheck's report.</summary>
    public static string Shrink<T>(PropertySubject<T> subject, string seed)
    {
        try
        {
            subject.Gen.Sample(
                spec =>
                {
                    Judgement result = subject.Verify(new[] { spec })[0];
                    if (result.Verdict == ProgramVerdict.Failed)
                    {
                        throw new GradientMismatchException(result.Detail);
                    }
                },
                seed: seed, iter: int.MaxValue, time: PropertySettings.ShrinkSeconds, threads: 1,
                print: spec => subject.Print(spec) + Environment.NewLine + "// as a regression test:" + Environment.NewLine + subject.Code(spec));
            return "CsCheck could not reproduce the failure from its seed.";
        }
        catch (Exception exception)
        {
            // CsCheck's message holds the seed and the minimal subject; its inner exception says what went wrong.
            return "Shrunk by CsCheck:" + Environment.NewLine + exception.Message + Environment.NewLine
                + (exception.InnerException?.Message ?? "");
        }
    }

    public static string Summarize(string title, IReadOnlyList<Judgement> results, ulong seed, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        string recordAll = PropertySettings.RecordAll ? ", SourceDiffRecordAll" : string.Empty;
        text.AppendLine($"{title}: {results.Count} in {elapsed.TotalSeconds:F1} s (seed {seed}, SOURCEDIFF_PROPERTY_SEED to replay{recordAll})");
        foreach (IGrouping<ProgramVerdict, Judgement> group in results.GroupBy(r => r.Verdict).OrderBy(g => g.Key))
        {
            text.AppendLine($"  {group.Key}: {group.Count()}");
        }

        var byId = results.SelectMany(r => r.RejectionIds).GroupBy(id => id).OrderBy(g => g.Key);
        text.AppendLine("  rejections by diagnostic: " + string.Join(", ", byId.Select(g => $"{g.Key} × {g.Count()}")));
        foreach (IGrouping<string, string> group in byId)
        {
            // One example per ID, so a reader can tell a documented limitation from a false rejection.
            Judgement example = results.First(r => r.RejectionIds.Contains(group.Key));
            string line = example.Detail.Split('\n').First(l => l.Contains(group.Key, StringComparison.Ordinal)).Trim();
            text.AppendLine($"    e.g. {line}");
        }

        var failures = results.Where(r => r.Verdict == ProgramVerdict.Failed).GroupBy(r => FailureKind(r.Detail)).OrderByDescending(g => g.Count());
        foreach (IGrouping<string, Judgement> group in failures)
        {
            text.AppendLine($"  failed × {group.Count()}: {group.Key}");
        }

        return text.ToString();
    }

    /// <summary>A failure's kind, for the summary: its first line with numbers and names of locals blurred.</summary>
    private static string FailureKind(string detail)
    {
        string[] lines = detail.Split('\n');
        string first = lines[0].Trim();
        if (first.EndsWith(':') && lines.Length > 1)
        {
            // "generated code does not compile:" then "…/Verify.P3.M0.g.cs(61,17): error CS0266: …"
            int error = lines[1].IndexOf("error ", StringComparison.Ordinal);
            first += " " + (error >= 0 ? lines[1][error..] : lines[1]).Trim();
        }

        first = System.Text.RegularExpressions.Regex.Replace(first, @"-?\d+(\.\d+)?(E[-+]?\d+)?", "#");
        return first.Length > 140 ? first[..140] + "…" : first;
    }
}
