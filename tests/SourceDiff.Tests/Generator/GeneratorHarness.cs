using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SourceDiff.Generator;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>Runs the SourceDiff generator over in-memory sources, the way the compiler does.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string paths = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return paths.Split(Path.PathSeparator)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location))
            .ToImmutableArray();
    });

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "UserCode",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A driver; <paramref name="buildProperties"/> are MSBuild properties the project makes visible (<c>SourceDiffRecordAll</c>).</summary>
    public static GeneratorDriver Driver(params (string Name, string Value)[] buildProperties) =>
        CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            optionsProvider: new BuildProperties(buildProperties),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the compilation with generated sources and every diagnostic (generator and compiler).</summary>
    public static GeneratorResult Run(params string[] sources) => RunWith(Array.Empty<(string, string)>(), sources);

    /// <summary>The generator's own named steps (Roslyn's internal ones re-run on any new compilation object).</summary>
    public static readonly string[] TrackedSteps = { "Methods", "CustomDerivatives", "Options", "MethodOutputs", "ModelTypes" };

    /// <summary>
    /// Runs the driver again on the same sources parsed afresh (new syntax trees, so every transform runs again):
    /// every tracked step must be cached or unchanged, so the models are equatable whatever the test's source (the
    /// NetEscapades.EnumGenerators discipline).
    /// </summary>
    private static void AssertRerunIsCached(GeneratorDriver driver, CSharpCompilation reparsed)
    {
        GeneratorRunResult rerun = driver.RunGenerators(reparsed).GetRunResult().Results.Single();
        foreach ((string step, ImmutableArray<IncrementalGeneratorRunStep> runs) in rerun.TrackedSteps.Where(step => TrackedSteps.Contains(step.Key)))
        {
            foreach (IncrementalGeneratorRunStep stepRun in runs)
            {
                foreach ((object _, IncrementalStepRunReason reason) in stepRun.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Rerun on an identical compilation: step {step} was {reason}.");
                }
            }
        }
    }

    public static GeneratorResult RunWith((string Name, string Value)[] buildProperties, params string[] sources)
    {
        CSharpCompilation compilation = Compile(sources);
        GeneratorDriver driver = Driver(buildProperties).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        Assert.DoesNotContain(run.Results, r => r.Exception is not null);
        AssertRerunIsCached(driver, Compile(sources));
        return new GeneratorResult(output, generatorDiagnostics, run);
    }
}

/// <summary>Global analyzer-config options as the SDK passes MSBuild properties: <c>build_property.Name</c>.</summary>
internal sealed class BuildProperties : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
{
    private readonly Options global;

    public BuildProperties((string Name, string Value)[] properties) =>
        global = new Options(properties.ToDictionary(p => "build_property." + p.Name, p => p.Value));

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions => global;

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(Dictionary<string, string> values) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

internal sealed record GeneratorResult(Compilation Compilation, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Run)
{
    public IEnumerable<Diagnostic> CompilerErrors => Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);

    public string Generated(string hintNameSuffix)
    {
        GeneratedSourceResult source = Run.Results.SelectMany(r => r.GeneratedSources).SingleOrDefault(s => s.HintName.EndsWith(hintNameSuffix, StringComparison.Ordinal));
        Assert.True(source.SourceText is not null, $"No generated file ends with {hintNameSuffix}; generated: {string.Join(", ", Run.Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName))}");
        return source.SourceText!.ToString();
    }

    /// <summary>Fails with every error when the user code plus generated code does not compile cleanly.</summary>
    public void AssertCompiles()
    {
        var errors = CompilerErrors.Concat(GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)).ToList();
        Assert.True(errors.Count == 0, "Errors:\n" + string.Join("\n", errors.Select(e => e.ToString())));
    }
}
