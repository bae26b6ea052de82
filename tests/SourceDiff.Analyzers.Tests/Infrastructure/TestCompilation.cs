using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SourceDiff.Analyzers.Tests.Infrastructure;

/// <summary>In-memory compilations of test sources against the framework and, unless asked not to, the SourceDiff runtime.</summary>
public static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly ImmutableArray<MetadataReference> FrameworkReferences = LoadFrameworkReferences();

    public static readonly MetadataReference RuntimeReference =
        MetadataReference.CreateFromFile(typeof(SourceDiff.DifferentiableAttribute).Assembly.Location);

    /// <summary>
    /// MathNet.Numerics, which the runtime's package brings to every consumer (its helpers have MathNet overloads, so
    /// generated code binds against them); System.Numerics.Tensors comes with the framework references' System.* set.
    /// </summary>
    public static readonly MetadataReference MathNetReference =
        MetadataReference.CreateFromFile(typeof(MathNet.Numerics.LinearAlgebra.Vector<double>).Assembly.Location);

    /// <summary>The runtime with the package dependencies a consumer compiles against.</summary>
    public static readonly ImmutableArray<MetadataReference> RuntimeReferences = ImmutableArray.Create(RuntimeReference, MathNetReference);

    /// <summary>Usings every test source gets, as a user's project with implicit usings would.</summary>
    public const string Prelude = "using System;\nusing System.Linq;\nusing System.Collections.Generic;\nusing System.Threading.Tasks;\nusing SourceDiff;\n";

    public static CSharpCompilation Create(IEnumerable<string> sources, bool referenceRuntime = true) =>
        CSharpCompilation.Create(
            "TestAssembly",
            sources.Select((text, index) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: $"Test{index}.cs")),
            referenceRuntime ? FrameworkReferences.AddRange(RuntimeReferences) : FrameworkReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        // The test host's own dependencies (xunit, the runtime) are left out: test sources see the framework only.
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return trusted
            .Where(path => Path.GetFileName(path) is var name
                && (name.StartsWith("System.", StringComparison.Ordinal) || name is "System.dll" or "netstandard.dll" or "mscorlib.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
