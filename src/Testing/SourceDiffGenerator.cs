using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SourceDiff.Generator;

namespace SourceDiff.Testing;

/// <summary>
/// Runs the SourceDiff generator over C# sources the way the compiler does during a build, so that tests can look at
/// (and snapshot) the adjoints it generates without building a project.
/// </summary>
public static class SourceDiffGenerator
{
    /// <summary>The sources are parsed with the newest language version this compiler knows.</summary>
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>Runs the generator over source texts, compiled against the running framework and the SourceDiff runtime.</summary>
    /// <param name="sources">C# source texts, each a file of the user's project.</param>
    /// <returns>The generated files by hint name, the generator's diagnostics and the errors of the whole compilation.</returns>
    /// <exception cref="ArgumentException">A source is null.</exception>
    public static GeneratedCode Run(params string[] sources) => Run(sources, Array.Empty<Assembly>());

    /// <summary>Runs the generator over source texts.</summary>
    /// <param name="sources">C# source texts, each a file of the user's project.</param>
    /// <param name="references">
    /// Assemblies the sources use beyond the running framework and the SourceDiff runtime (for example the assembly that
    /// holds a type a model refers to: <c>typeof(MyData).Assembly</c>).
    /// </param>
    /// <returns>The generated files by hint name, the generator's diagnostics and the errors of the whole compilation.</returns>
    /// <exception cref="ArgumentException">A source or a reference is null, or a reference has no file on disk.</exception>
    public static GeneratedCode Run(IEnumerable<string> sources, IEnumerable<Assembly> references)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(references);
        var trees = new List<SyntaxTree>();
        foreach (string source in sources)
        {
            if (source is null)
            {
                throw new ArgumentException("A source text is null.", nameof(sources));
            }

            trees.Add(CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{trees.Count}.cs"));
        }

        return Run(trees, references);
    }

    /// <summary>Runs the generator over source files, for example the files that hold a project's models.</summary>
    /// <param name="paths">Paths of C# files; relative paths are relative to the current directory.</param>
    /// <param name="references">Assemblies the sources use beyond the running framework and the SourceDiff runtime.</param>
    /// <returns>The generated files by hint name, the generator's diagnostics and the errors of the whole compilation.</returns>
    /// <exception cref="ArgumentException">A path is null or names no file, or a reference is null or has no file on disk.</exception>
    public static GeneratedCode RunOnFiles(IEnumerable<string> paths, IEnumerable<Assembly>? references = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var trees = new List<SyntaxTree>();
        foreach (string path in paths)
        {
            if (path is null || !File.Exists(path))
            {
                throw new ArgumentException($"No C# file at '{path}' (current directory: {Environment.CurrentDirectory}).", nameof(paths));
            }

            string fullPath = Path.GetFullPath(path);
            trees.Add(CSharpSyntaxTree.ParseText(File.ReadAllText(fullPath), ParseOptions, path: fullPath));
        }

        return Run(trees, references ?? Array.Empty<Assembly>());
    }

    private static GeneratedCode Run(List<SyntaxTree> trees, IEnumerable<Assembly> references)
    {
        var compilation = CSharpCompilation.Create(
            "SourceDiffSnapshot",
            trees,
            MetadataReferences(references),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        GeneratorDriver driver = CSharpGeneratorDriver
            .Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation withGenerated, out ImmutableArray<Diagnostic> _);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        if (run.Exception is not null)
        {
            throw new InvalidOperationException("The SourceDiff generator failed: " + run.Exception.Message, run.Exception);
        }

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (GeneratedSourceResult source in run.GeneratedSources)
        {
            files.Add(source.HintName, source.SourceText.ToString());
        }

        ImmutableArray<Diagnostic> errors = withGenerated.GetDiagnostics()
            .Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error)
            .ToImmutableArray();
        return new GeneratedCode(files, run.Diagnostics, errors);
    }

    private static List<MetadataReference> MetadataReferences(IEnumerable<Assembly> references)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string framework)
        {
            paths.UnionWith(framework.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }

        paths.Add(typeof(DifferentiableAttribute).Assembly.Location);
        foreach (Assembly reference in references)
        {
            if (reference is null || string.IsNullOrEmpty(reference.Location))
            {
                throw new ArgumentException($"Reference '{reference?.FullName}' has no file on disk to compile against.", nameof(references));
            }

            paths.Add(reference.Location);
        }

        return paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToList();
    }
}
