using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SourceDiff.Verification.Tests.Harness;
using SourceDiff.Verification.Tests.Properties;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Verification.Tests.Fuzzing;

/// <summary>
/// Issue 5, item 3: broken code is what an IDE feeds the generator and the analyzers on every keystroke. Whatever the
/// text, neither may throw (CS8785, AD0001), and where the user's own code compiles the generated code must compile
/// too.
/// </summary>
public sealed class GeneratorFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void SeedSourcesAreValid()
    {
        foreach ((string name, string source) in FuzzSources.All)
        {
            Verdict verdict = Check(source);
            Assert.True(verdict.UserCompiles, name + " does not compile: " + verdict.Detail);
            Assert.True(verdict.Problem is null, name + ": " + verdict.Problem);
            Assert.True(verdict.GeneratorErrors.IsEmpty, name + " is rejected: " + string.Join("; ", verdict.GeneratorErrors));
        }
    }

    /// <summary>
    /// Found by the fuzzer (CallsWithRef with the token <c>partial</c> deleted from <c>Helpers</c>): SD0004 is reported
    /// for <c>Square</c>, but the caller's generated code still calls <c>Helpers.Square_Forward</c> and
    /// <c>Square_Reverse</c>, which do not exist (CS0117 in generated code while the user's code compiles).
    /// </summary>
    [Fact]
    public void CalleeInANonPartialTypeLeavesTheCallerCompiling()
    {
        string source = FuzzSources.All.Single(s => s.Name == "CallsWithRef").Source
            .Replace("public static partial class Helpers", "public static class Helpers", StringComparison.Ordinal);
        Verdict verdict = Check(source);
        Assert.True(verdict.UserCompiles, verdict.Detail);
        Assert.True(verdict.Problem is null, verdict.Problem);
        Assert.Contains(verdict.GeneratorErrors, e => e.Contains("SD0004", StringComparison.Ordinal));
    }

    /// <remarks>
    /// Like the gradient property: variants are drawn with one CsCheck seed each (a fixed run seed at CI size, so CI is
    /// repeatable), checked on every core, and the first failure is handed to <c>Check.Sample</c> by its seed, which
    /// replays and shrinks it.
    /// </remarks>
    /// <summary>
    /// Found by a 40,000-variant fuzz run (LayersInFields with <c>partial</c> deleted from the layer <c>Dense</c>):
    /// SD0004 is reported for <c>Dense.Apply</c>, but <c>Rnn.Gradient</c> still declares a <c>Dense.Gradient</c> field and
    /// calls <c>Dense.CaptureWritableState</c>/<c>RestoreWritableState</c> (CS0426, CS1061 in Fuzz.Rnn.Gradient.g.cs).
    /// </summary>
    [Fact]
    public void LayerOfANonPartialTypeLeavesTheModelCompiling()
    {
        string source = FuzzSources.All.Single(s => s.Name == "LayersInFields").Source
            .Replace("public partial class Dense", "public class Dense", StringComparison.Ordinal);
        Verdict verdict = Check(source);
        Assert.True(verdict.UserCompiles, verdict.Detail);
        Assert.True(verdict.Problem is null, verdict.Problem);
        Assert.Contains(verdict.GeneratorErrors, e => e.Contains("SD0004", StringComparison.Ordinal));
    }

    [Fact]
    public void MutatedSourcesNeverCrashTheGeneratorOrAnalyzersNorBreakCompilingCode()
    {
        int variants = PropertySettings.FuzzVariants;
        ulong seed = PropertySettings.Seed(3_000, variants);
        var stopwatch = Stopwatch.StartNew();
        int compiling = 0;
        var failures = new ConcurrentBag<(int Index, string Seed)>();
        Parallel.For(0, variants, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var pcg = new PCG((uint)i, seed);
            string variantSeed = pcg.ToString();
            Verdict verdict = Check(SourceMutation.Gen.Generate(pcg, null, out _).Apply());
            if (verdict.UserCompiles)
            {
                Interlocked.Increment(ref compiling);
            }

            if (verdict.Problem is not null)
            {
                failures.Add((i, variantSeed));
            }
        });

        string summary = $"Fuzz variants: {variants} in {stopwatch.Elapsed.TotalSeconds:F1} s (seed {seed}), {compiling} of them still compiling; "
            + $"{failures.Count} failed; analyzers run: {CompilerHarness.Analyzers.Length} ({string.Join(", ", CompilerHarness.Analyzers.Select(a => a.GetType().Name))})";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        if (failures.IsEmpty)
        {
            return;
        }

        string first = failures.MinBy(f => f.Index).Seed;
        try
        {
            SourceMutation.Gen.Sample(
                mutation =>
                {
                    if (Check(mutation.Apply()).Problem is { } problem)
                    {
                        throw new GradientMismatchException(problem);
                    }
                },
                seed: first, iter: int.MaxValue, time: PropertySettings.ShrinkSeconds, threads: 1, print: mutation => mutation.ToString());
            Assert.Fail(summary + Environment.NewLine + "CsCheck could not reproduce the failure of seed " + first);
        }
        catch (CsCheckException exception)
        {
            Assert.Fail(summary + Environment.NewLine + exception.Message + Environment.NewLine + exception.InnerException?.Message);
        }
    }

    private sealed record Verdict(bool UserCompiles, ImmutableArray<string> GeneratorErrors, string? Problem, string Detail);

    /// <summary>Runs the generator and the analyzers on one text and says what, if anything, went wrong.</summary>
    private static Verdict Check(string source)
    {
        CSharpCompilation user = CompilerHarness.Compilation(new[] { CompilerHarness.Parse(source, "Fuzz.cs") }, "Fuzz");
        GeneratorOutcome outcome = CompilerHarness.RunGenerator(user);
        ImmutableArray<string> generatorErrors = outcome.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("SD", StringComparison.Ordinal))
            .Select(d => d.ToString()).ToImmutableArray();
        if (outcome.Exception is not null)
        {
            return new Verdict(false, generatorErrors, "the generator threw: " + outcome.Exception, "");
        }

        if (outcome.Diagnostics.FirstOrDefault(d => d.Id == "CS8785") is { } crash)
        {
            return new Verdict(false, generatorErrors, "CS8785: " + crash.GetMessage(), "");
        }

        string? analyzerProblem = RunAnalyzers(outcome.Compilation);
        if (analyzerProblem is not null)
        {
            return new Verdict(false, generatorErrors, analyzerProblem, "");
        }

        // Binding the output once answers both questions in the common case (the mutation broke the user's code);
        // the user's code alone is bound only when the generated files have errors, to tell whose they are.
        ImmutableArray<Diagnostic> errors = outcome.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        var generatedTrees = outcome.GeneratedTrees.ToHashSet();
        Diagnostic[] inGenerated = errors.Where(d => d.Location.SourceTree is { } tree && generatedTrees.Contains(tree)).ToArray();
        bool userCompiles;
        if (inGenerated.Length == 0)
        {
            userCompiles = errors.IsEmpty || !user.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
            if (userCompiles && !errors.IsEmpty)
            {
                return new Verdict(true, generatorErrors, "the user's code compiles alone but not with the generated code: " + errors[0], "");
            }
        }
        else
        {
            userCompiles = !user.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
            if (userCompiles)
            {
                string files = string.Join(Environment.NewLine, inGenerated.Take(5).Select(d => d.ToString()));
                return new Verdict(true, generatorErrors, "the user's code compiles, the generated code does not:" + Environment.NewLine + files, "");
            }
        }

        return new Verdict(userCompiles, generatorErrors, null, errors.FirstOrDefault()?.ToString() ?? "");
    }

    /// <summary>Every SourceDiff analyzer over the compilation; an AD0001 (analyzer exception) is a failure.</summary>
    private static string? RunAnalyzers(Compilation compilation)
    {
        if (CompilerHarness.Analyzers.IsEmpty)
        {
            return null;
        }

        var exceptions = new ConcurrentBag<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => exceptions.Add(analyzer.GetType().Name + ": " + exception),
            concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> diagnostics = compilation.WithAnalyzers(CompilerHarness.Analyzers, options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (diagnostics.FirstOrDefault(d => d.Id == "AD0001") is { } crash)
        {
            return "AD0001: " + crash.GetMessage();
        }

        return exceptions.IsEmpty ? null : "an analyzer threw: " + exceptions.First();
    }
}
