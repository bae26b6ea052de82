using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit.Sdk;

namespace SourceDiff.Analyzers.Tests.Infrastructure;

/// <summary>
/// Checks that <typeparamref name="TAnalyzer"/> reports exactly the diagnostics marked in a source: same IDs, same spans,
/// nothing more. Sources get <see cref="TestCompilation.Prelude"/> in front and must compile.
/// </summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAsync(string markup) => VerifyAsync(markup, referenceRuntime: true);

    public static async Task VerifyAsync(string markup, bool referenceRuntime)
    {
        var analyzer = new TAnalyzer();
        var ownIds = analyzer.SupportedDiagnostics.Select(d => d.Id).ToHashSet();
        var defaultId = ownIds.Count == 1 ? ownIds.Single() : null;
        var prelude = referenceRuntime ? TestCompilation.Prelude : TestCompilation.Prelude.Replace("using SourceDiff;\n", "");
        var (source, expected) = Markup.Parse(prelude + markup, defaultId);

        var compilation = TestCompilation.Create(new[] { source }, referenceRuntime);
        AnalyzerRunner.AssertCompiles(compilation);
        var actual = (await AnalyzerRunner.RunAsync(compilation, analyzer))
            .Where(d => ownIds.Contains(d.Id))
            .Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceSpan))
            .ToList();

        var missing = expected.Except(actual).ToList();
        var unexpected = actual.Except(expected).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new XunitException(Describe(source, missing, unexpected));
        }
    }

    /// <summary>The analyzer's diagnostics for an unmarked source, for tests that read messages.</summary>
    public static async Task<IReadOnlyList<Diagnostic>> DiagnosticsAsync(string source)
    {
        var compilation = TestCompilation.Create(new[] { TestCompilation.Prelude + source });
        AnalyzerRunner.AssertCompiles(compilation);
        return (await AnalyzerRunner.RunAsync(compilation, new TAnalyzer())).OrderBy(d => d.Location.SourceSpan.Start).ToList();
    }

    private static string Describe(string source, List<ExpectedDiagnostic> missing, List<ExpectedDiagnostic> unexpected)
    {
        var text = SourceText.From(source);
        var message = new StringBuilder("Diagnostics differ from the markup.\n");
        foreach (var (title, list) in new[] { ("Expected but not reported", missing), ("Reported but not expected", unexpected) })
        {
            foreach (var diagnostic in list)
            {
                var line = text.Lines.GetLinePosition(diagnostic.Span.Start).Line;
                message.Append($"  {title}: {diagnostic.Id} at line {line + 1} on '{text.ToString(diagnostic.Span)}' in: {text.Lines[line].ToString().Trim()}\n");
            }
        }

        return message.ToString();
    }
}
