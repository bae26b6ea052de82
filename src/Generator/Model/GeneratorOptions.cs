using Microsoft.CodeAnalysis.Diagnostics;

namespace SourceDiff.Generator.Model;

/// <summary>Build settings of the generator, read from MSBuild properties the project makes visible to the compiler.</summary>
internal sealed record GeneratorOptions(bool RecordAll)
{
    public static readonly GeneratorOptions Default = new(RecordAll: false);

    /// <summary>
    /// <c>&lt;SourceDiffRecordAll&gt;true&lt;/SourceDiffRecordAll&gt;</c> turns the to-be-recorded optimisation off: every
    /// overwritten value is recorded, whether or not the reverse sweep reads it. Gradients must not change; tests
    /// compare both ways, as Clad does.
    /// </summary>
    public const string RecordAllProperty = "build_property.SourceDiffRecordAll";

    public static GeneratorOptions From(AnalyzerConfigOptions options) =>
        new(RecordAll: options.TryGetValue(RecordAllProperty, out string? value) && string.Equals(value?.Trim(), "true", System.StringComparison.OrdinalIgnoreCase));
}
