using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using SourceDiff.Verification.Tests.Harness;
using SourceDiff.Verification.Tests.Programs;

namespace SourceDiff.Verification.Tests.Properties;

public enum ProgramVerdict
{
    /// <summary>Every method matched at at least one point.</summary>
    Verified,

    /// <summary>Compiled, and nothing disagreed, but every point was skipped for some method.</summary>
    Unjudged,

    /// <summary>The generator reported SD0xxx errors: the promised alternative to a correct adjoint.</summary>
    Rejected,

    /// <summary>A silent wrong answer, a crash, or generated code that does not compile.</summary>
    Failed,
}

public sealed record ProgramResult(ProgramSpec Program, ProgramVerdict Verdict, ImmutableArray<string> RejectionIds, string Detail);

/// <summary>The verdict on one compiled subject (a program or a model).</summary>
public sealed record Judgement(ProgramVerdict Verdict, ImmutableArray<string> RejectionIds, string Detail)
{
    public static Judgement Failed(string detail) => new(ProgramVerdict.Failed, ImmutableArray<string>.Empty, detail);
}

/// <summary>What the batch verifier compiles and how it judges it: random programs, or random models.</summary>
public interface IBatchSubject<in T>
{
    /// <summary>
    /// The compilation unit of subject <paramref name="id"/>. Every type it declares is named <c>P{id}</c> or
    /// <c>Q{id}</c>, possibly followed by a capitalised suffix (<c>Q3Layer</c>), which is how diagnostics in generated
    /// files are attributed to their subject.
    /// </summary>
    string Source(T subject, int id);

    /// <summary>The file name of subject <paramref name="id"/>'s syntax tree.</summary>
    string FileName(int id);

    /// <summary>Judges a subject that compiled, with the generated code loaded.</summary>
    Judgement Judge(T subject, Assembly assembly, int id);
}

/// <summary>
/// Compiles many programs as one compilation (one class per program, one syntax tree each), runs the generator once,
/// and judges each program on its own. A problem that cannot be attributed to one program (a generator exception, a
/// diagnostic without a location) makes the batch fall back to compiling its programs one by one, so every failure
/// is pinned on the program that caused it.
/// </summary>
public static partial class BatchVerifier
{
    // Programs declare P{id}; models Q{id}, Q{id}Layer, Q{id}Base, Q{id}Ops.
    [GeneratedRegex(@"(?:^|[\\/.])[PQ](\d+)(?:[A-Z][A-Za-z]*)?\.")]
    private static partial Regex ProgramIdPattern();

    public static IReadOnlyList<ProgramResult> Run(IReadOnlyList<ProgramSpec> programs) =>
        Run(programs, ProgramBatch.Instance).Select((j, i) => new ProgramResult(programs[i], j.Verdict, j.RejectionIds, j.Detail)).ToList();

    public static IReadOnlyList<Judgement> Run<T>(IReadOnlyList<T> subjects, IBatchSubject<T> kind)
    {
        var results = new Judgement?[subjects.Count];
        var pending = Enumerable.Range(0, subjects.Count).ToList();

        // Each round compiles the pending programs; those with errors are judged and dropped, until one emit succeeds.
        while (pending.Count > 0)
        {
            List<SyntaxTree> trees = pending.Select(id => CompilerHarness.Parse(kind.Source(subjects[id], id), kind.FileName(id))).ToList();
            GeneratorOutcome outcome = CompilerHarness.RunGenerator(CompilerHarness.Compilation(trees));
            Diagnostic? crash = outcome.Diagnostics.FirstOrDefault(d => d.Id == "CS8785");
            if (outcome.Exception is not null || crash is not null)
            {
                string detail = "generator crashed (CS8785): " + (outcome.Exception?.ToString() ?? crash!.GetMessage());
                if (pending.Count == 1)
                {
                    results[pending[0]] = Judgement.Failed(detail);
                    break;
                }

                OneByOne(subjects, kind, pending, results);
                break;
            }

            var rejections = new Dictionary<int, SortedSet<string>>();
            bool unattributed = false;
            foreach (Diagnostic diagnostic in outcome.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                int? id = ProgramOf(diagnostic);
                if (id is null || !diagnostic.Id.StartsWith("SD0", StringComparison.Ordinal))
                {
                    unattributed = true;
                    continue;
                }

                if (!rejections.TryGetValue(id.Value, out SortedSet<string>? ids))
                {
                    rejections[id.Value] = ids = new SortedSet<string>(StringComparer.Ordinal);
                }

                ids.Add(diagnostic.Id);
            }

            if (unattributed && pending.Count > 1)
            {
                Console.WriteLine("batch falls back to one by one: " + string.Join("; ", outcome.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && (ProgramOf(d) is null || !d.Id.StartsWith("SD0", StringComparison.Ordinal))).Take(3)));
                OneByOne(subjects, kind, pending, results);
                break;
            }

            foreach ((int id, SortedSet<string> ids) in rejections)
            {
                string messages = string.Join(Environment.NewLine, outcome.Diagnostics.Where(d => ProgramOf(d) == id).Select(d => d.ToString()));
                results[id] = new Judgement(ProgramVerdict.Rejected, ids.ToImmutableArray(), messages);
            }

            (LoadedAssembly? loaded, ImmutableArray<Diagnostic> errors) = CompilerHarness.EmitAndLoad(outcome.Compilation);
            if (loaded is null)
            {
                var broken = new Dictionary<int, List<Diagnostic>>();
                foreach (Diagnostic error in errors)
                {
                    int? id = ProgramOf(error);
                    if (id is null)
                    {
                        throw new InvalidOperationException("compile error outside every program: " + error);
                    }

                    if (!broken.TryGetValue(id.Value, out List<Diagnostic>? list))
                    {
                        broken[id.Value] = list = new List<Diagnostic>();
                    }

                    list.Add(error);
                }

                foreach ((int id, List<Diagnostic> list) in broken)
                {
                    if (results[id] is null)
                    {
                        bool inUserCode = list.Any(d => d.Location.SourceTree?.FilePath == kind.FileName(id));
                        string what = inUserCode ? "the test's program does not compile (a bug of the program generator)" : "generated code does not compile";
                        results[id] = Judgement.Failed(what + ":" + Environment.NewLine + string.Join(Environment.NewLine, list.Take(5)));
                    }
                }

                pending = pending.Where(id => results[id] is null).ToList();
                continue;
            }

            using (loaded)
            {
                foreach (int id in pending.Where(id => results[id] is null))
                {
                    results[id] = kind.Judge(subjects[id], loaded.Assembly, id);
                }
            }
            break;
        }

        return results.Select((r, i) => r ?? throw new InvalidOperationException("program " + i + " was not judged")).ToList();
    }

    private static void OneByOne<T>(IReadOnlyList<T> subjects, IBatchSubject<T> kind, List<int> pending, Judgement?[] results)
    {
        foreach (int id in pending)
        {
            results[id] = Run(new[] { subjects[id] }, kind)[0];
        }
    }

    private static int? ProgramOf(Diagnostic diagnostic)
    {
        // The generator's diagnostics carry file-path locations (no SourceTree), so go through the mapped path.
        string? path = diagnostic.Location.SourceTree?.FilePath ?? diagnostic.Location.GetLineSpan().Path;
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        Match match = ProgramIdPattern().Match(path);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}

/// <summary>Random programs: every method's gradient and pullback against the reference twin's finite differences.</summary>
public sealed class ProgramBatch : IBatchSubject<ProgramSpec>
{
    public static ProgramBatch Instance { get; } = new();

    public string Source(ProgramSpec subject, int id) => ProgramPrinter.Print(subject, id);

    public string FileName(int id) => $"P{id}.cs";

    public Judgement Judge(ProgramSpec program, Assembly assembly, int id)
    {
        Type type = assembly.GetType(ProgramPrinter.Namespace + "." + ProgramPrinter.ClassName(id))!;
        bool everyMethodJudged = true;
        foreach (MethodSpec method in program.Methods)
        {
            var oracle = new GradientOracle(type, method, program.Rows ? 2 : 0, program.ArrayLength);
            bool matched = false;
            foreach (Point point in program.Points)
            {
                PointVerdict verdict;
                string detail;
                try
                {
                    verdict = oracle.Check(point, out detail);
                }
                catch (GeneratedCodeException exception)
                {
                    verdict = PointVerdict.Mismatch;
                    detail = exception.Message;
                }

                if (verdict == PointVerdict.Mismatch)
                {
                    return Judgement.Failed(detail + Environment.NewLine + "at " + ProgramPrinter.Describe(point));
                }

                matched |= verdict == PointVerdict.Matched;
            }

            everyMethodJudged &= matched;
        }

        return new Judgement(everyMethodJudged ? ProgramVerdict.Verified : ProgramVerdict.Unjudged, ImmutableArray<string>.Empty, "");
    }
}
