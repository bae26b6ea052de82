using Microsoft.CodeAnalysis.Diagnostics;

namespace SourceDiff.Generator.Model;

/// <summary>Build settings of the generator, read from MSBuild properties the project makes visible to the compiler.</summary>
internal sealed record GeneratorOptions(bool RecordAll, bool EmitPlan = false)
{
    public static readonly GeneratorOptions Default = new(RecordAll: false);

    /// <summary>
    /// <c>&lt;SourceDiffRecordAll&gt;true&lt;/SourceDiffRecordAll&gt;</c> turns the to-be-recorded optimisation off: every
    /// overwritten value is recorded, whether or not the reverse sweep reads it. Gradients must not change; tests
    /// compare both ways, as Clad does.
    /// </summary>
    public const string RecordAllProperty = "build_property.SourceDiffRecordAll";

    /// <summary>
    /// <c>&lt;SourceDiffEmitPlan&gt;true&lt;/SourceDiffEmitPlan&gt;</c> writes each method's sweep plan (what each statement
    /// records, which loops and branches are counted, what is saved and restored) as a comment into its generated file.
    /// </summary>
    public const string EmitPlanProperty = "build_property.SourceDiffEmitPlan";

    public static GeneratorOptions From(AnalyzerConfigOptions options) =>
        new(RecordAll: IsTrue(options, RecordAllProperty), EmitPlan: IsTrue(options, EmitPlanProperty));

    private static bool IsTrue(AnalyzerConfigOptions options, string property) =>
        options.TryGetValue(property, out string? value) && string.Equals(value?.Trim(), "true", System.StringComparison.OrdinalIgnoreCase);
}
