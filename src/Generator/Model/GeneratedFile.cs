using SourceDiff.Generator.Diagnostics;

namespace SourceDiff.Generator.Model;

/// <summary>The output for one method: a source file (or none) and the diagnostics to report.</summary>
internal sealed record GeneratedFile(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
