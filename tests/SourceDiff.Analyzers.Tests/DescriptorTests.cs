using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SourceDiff.Analyzers.Tests.Infrastructure;
using Xunit;

namespace SourceDiff.Analyzers.Tests;

/// <summary>The descriptors, the release tracking file and docs/diagnostics.md must agree, and severities must be configurable.</summary>
public class DescriptorTests
{
    public static IEnumerable<object[]> Descriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
            .Select(field => new object[] { ((DiagnosticDescriptor)field.GetValue(null)!).Id });

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Descriptor_is_documented_tracked_and_in_its_range(string id)
    {
        var descriptor = Descriptor(id);
        var expectedSeverity = id.StartsWith("SD1", StringComparison.Ordinal) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Info;
        Assert.Matches("^SD[12][0-9]{3}$", id);
        Assert.Equal(expectedSeverity, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        Assert.Contains("'{", descriptor.MessageFormat.ToString());
        Assert.Equal("https://github.com/sourcediff/sourcediff/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri);

        // GitHub's anchor for "## SD1001: Title" starts with "sd1001"; the heading must carry the descriptor's title.
        var docs = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        Assert.Contains($"## {id}: {descriptor.Title}", docs);

        var releases = File.ReadAllLines(Path.Combine(RepositoryRoot(), "src", "Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} | {descriptor.Title}", releases);
    }

    [Fact]
    public void Every_analyzer_reports_only_shared_descriptors_and_every_descriptor_has_an_analyzer()
    {
        var declared = Descriptors().Select(row => (string)row[0]).OrderBy(id => id).ToArray();
        var supported = AllAnalyzers.Create().SelectMany(a => a.SupportedDiagnostics).ToArray();

        Assert.Equal(declared, supported.Select(d => d.Id).OrderBy(id => id).ToArray());
        Assert.All(supported, d => Assert.Same(Descriptor(d.Id), d));
    }

    [Fact]
    public async Task Editorconfig_severity_applies()
    {
        const string editorConfig = "root = true\n[*.cs]\ndotnet_diagnostic.SD1001.severity = error\ndotnet_diagnostic.SD2002.severity = none\n";
        const string source = TestCompilation.Prelude + """
            public static class Model
            {
                public static double H;
                [Differentiable] public static double F(double x, [NoDerivative] double y) => x * H;
            }
            """;
        var compilation = CSharpCompilation.Create(
            "Configured",
            new[] { CSharpSyntaxTree.ParseText(source, TestCompilation.ParseOptions, "/project/Model.cs") },
            TestCompilation.FrameworkReferences.AddRange(TestCompilation.RuntimeReferences),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
                .WithSyntaxTreeOptionsProvider(new EditorConfigOptions(("/project/.editorconfig", editorConfig))));

        var diagnostics = await AnalyzerRunner.RunAsync(compilation, AllAnalyzers.Create().ToArray());

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("SD1001", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }

    private static DiagnosticDescriptor Descriptor(string id) =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => field.GetValue(null))
            .OfType<DiagnosticDescriptor>()
            .Single(d => d.Id == id);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SourceDiff.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SourceDiff.sln not found above " + AppContext.BaseDirectory);
    }
}
