using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SourceDiff.Generator;

namespace SourceDiff.Verification.Tests.Harness;

/// <summary>
/// Compiles C# in memory with the SourceDiff generator, the way a user's build would, and loads the result into a
/// collectible load context. Everything expensive and immutable (metadata references, options) is built once and
/// shared; callers batch many programs into one compilation, which is what makes thousands of programs affordable.
/// </summary>
public static class CompilerHarness
{
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilationOptions CompilationOptions { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        nullableContextOptions: NullableContextOptions.Enable,
        concurrentBuild: false); // batches already run in parallel; one thread each keeps the machine's 2 cores honest

    /// <summary>
    /// The framework (the trusted platform assemblies of this runtime's directory), SourceDiff.Runtime, System.Numerics.Tensors
    /// (a package, not part of the framework: the runtime's TensorKernels and programs calling TensorPrimitives need it),
    /// MathNet.Numerics (the runtime's MathNetKernels and programs of <see cref="Programs.ProgramFeatures.MathNetCalls"/>), and
    /// this test assembly (for <see cref="Programs.StopTape"/>).
    /// </summary>
    public static ImmutableArray<MetadataReference> References { get; } = LoadReferences();

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal))
            .Append(typeof(Grad).Assembly.Location)
            .Append(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location)
            .Append(typeof(MathNet.Numerics.LinearAlgebra.Vector<double>).Assembly.Location)
            .Append(typeof(CompilerHarness).Assembly.Location)
            .Distinct(StringComparer.Ordinal);
        return paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }

    public static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>
    /// A new compilation of <paramref name="trees"/>. Derived from one empty compilation so Roslyn reuses the symbols
    /// of the ~170 referenced assemblies instead of rebuilding them for every program.
    /// </summary>
    public static CSharpCompilation Compilation(IEnumerable<SyntaxTree> trees, string? name = null) =>
        Empty.WithAssemblyName(name ?? "Verify_" + Guid.NewGuid().ToString("N")).AddSyntaxTrees(trees);

    private static CSharpCompilation Empty { get; } = CreateEmpty();

    private static CSharpCompilation CreateEmpty()
    {
        CSharpCompilation empty = CSharpCompilation.Create("Empty", Array.Empty<SyntaxTree>(), References, CompilationOptions);
        _ = empty.GetTypeByMetadataName("SourceDiff.Grad"); // binds the references once, up front
        return empty;
    }

    /// <summary>Runs the SourceDiff generator; a generator exception is never swallowed.</summary>
    public static GeneratorOutcome RunGenerator(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new ISourceGenerator[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            optionsProvider: Properties.PropertySettings.RecordAll ? RecordAllOptions.Instance : null);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        Exception? exception = result.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
        return new GeneratorOutcome((CSharpCompilation)output, diagnostics, result.GeneratedTrees, exception);
    }

    /// <summary>The build property <c>SourceDiffRecordAll=true</c>, as MSBuild hands it to the generator.</summary>
    private sealed class RecordAllOptions : AnalyzerConfigOptionsProvider
    {
        public static readonly RecordAllOptions Instance = new();

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(("build_property.SourceDiffRecordAll", "true"));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.None;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.None;

        private sealed class Options(params (string Key, string Value)[] values) : AnalyzerConfigOptions
        {
            public static readonly Options None = new();

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
            {
                value = values.FirstOrDefault(pair => pair.Key == key).Value;
                return value is not null;
            }
        }
    }

    /// <summary>Emits and loads; returns the emit errors instead when there are any.</summary>
    public static (LoadedAssembly? Assembly, ImmutableArray<Diagnostic> Errors) EmitAndLoad(Compilation compilation)
    {
        using var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(stream);
        ImmutableArray<Diagnostic> errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        if (!result.Success)
        {
            return (null, errors);
        }

        stream.Position = 0;
        return (new LoadedAssembly(stream), errors);
    }

    /// <summary>
    /// An instance of every <see cref="DiagnosticAnalyzer"/> in SourceDiff.Analyzers, found by reflection so the tests
    /// pick up analyzers as they are written (the assembly is referenced, and loaded here by name). Its code fixes need
    /// Roslyn's Workspaces, which a compiler-only test does not load: types that fail to load are not analyzers anyway.
    /// </summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers => AnalyzerSet.All;

    private static class AnalyzerSet
    {
        public static readonly ImmutableArray<DiagnosticAnalyzer> All = Load();

        private static ImmutableArray<DiagnosticAnalyzer> Load()
        {
            Type?[] types;
            try
            {
                types = Assembly.Load("SourceDiff.Analyzers").GetTypes();
            }
            catch (ReflectionTypeLoadException exception)
            {
                types = exception.Types;
            }

            return types
                .Where(type => type is { IsAbstract: false } && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null)
                .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type!)!)
                .ToImmutableArray();
        }
    }
}

/// <summary>The compilation with generated sources, the generator's diagnostics, and any exception it threw.</summary>
public sealed record GeneratorOutcome(
    CSharpCompilation Compilation, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<SyntaxTree> GeneratedTrees, Exception? Exception);

/// <summary>An emitted assembly in its own collectible load context; dispose to unload it.</summary>
public sealed class LoadedAssembly : IDisposable
{
    private readonly Context context = new();

    public LoadedAssembly(Stream image)
    {
        Assembly = context.LoadFromStream(image);
    }

    public Assembly Assembly { get; }

    public void Dispose() => context.Unload();

    /// <summary>
    /// Resolves SourceDiff.Runtime and this test assembly to the instances already loaded, so that the generated code
    /// and the harness share one <c>Grad</c> and one <c>StopTape</c>.
    /// </summary>
    private sealed class Context() : AssemblyLoadContext("SourceDiff.Verification", isCollectible: true)
    {
        private static readonly Assembly[] Shared = { typeof(Grad).Assembly, typeof(LoadedAssembly).Assembly };

        protected override Assembly? Load(AssemblyName name) =>
            Shared.FirstOrDefault(assembly => AssemblyName.ReferenceMatchesDefinition(assembly.GetName(), name));
    }
}
