using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using SourceDiff.Generator;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>Every generator diagnostic is documented, linked, and listed in the release-tracking file.</summary>
public class DescriptorTests
{
    private static DiagnosticDescriptor[] Descriptors() =>
        typeof(DifferentiableGenerator).Assembly.GetType("SourceDiff.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();

    private static string RepositoryFile(string relative, [CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", relative));

    [Fact]
    public void EveryDescriptorIsDocumentedAndTracked()
    {
        string docs = File.ReadAllText(RepositoryFile("docs/diagnostics.md"));
        string releases = File.ReadAllText(RepositoryFile("src/Generator/AnalyzerReleases.Unshipped.md"));
        DiagnosticDescriptor[] descriptors = Descriptors();
        Assert.True(descriptors.Length >= 9);
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            // Errors are SD0xxx; the generator's one note (the tape a loop records) is SD2xxx, with the analyzers' notes.
            Assert.Equal(descriptor.Id.StartsWith("SD0", StringComparison.Ordinal) ? DiagnosticSeverity.Error : DiagnosticSeverity.Info, descriptor.DefaultSeverity);
            Assert.Matches("^SD[02][0-9]{3}$", descriptor.Id);
            Assert.EndsWith("#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri, StringComparison.Ordinal);
            Assert.Contains("<a id=\"" + descriptor.Id.ToLowerInvariant() + "\"></a>", docs, StringComparison.Ordinal);
            Assert.Contains("## " + descriptor.Id + ": " + descriptor.Title, docs, StringComparison.Ordinal);
            Assert.Contains(descriptor.Id + " | SourceDiff.Generator | " + descriptor.DefaultSeverity + " | " + descriptor.Title, releases, StringComparison.Ordinal);
        }
    }
}
