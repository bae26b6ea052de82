using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace SourceDiff.Analyzers.Tests.Infrastructure;

/// <summary>
/// Feeds <c>.editorconfig</c> severities to a compilation built without MSBuild, the way the compiler does when it
/// reads the project's .editorconfig files: each tree gets the options of its path.
/// </summary>
public sealed class EditorConfigOptions : SyntaxTreeOptionsProvider
{
    private readonly AnalyzerConfigSet _configs;

    public EditorConfigOptions(params (string Path, string Text)[] editorConfigs) =>
        _configs = AnalyzerConfigSet.Create(editorConfigs.Select(config => AnalyzerConfig.Parse(config.Text, config.Path)).ToList());

    public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

    public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
        _configs.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

    public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
        _configs.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
}
