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

    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the compilation with generated sources and every diagnostic (generator and compiler).</summary>
    public static GeneratorResult Run(params string[] sources)
    {
        CSharpCompilation compilation = Compile(sources);
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        Assert.DoesNotContain(run.Results, r => r.Exception is not null);
        return new GeneratorResult(output, generatorDiagnostics, run);
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
