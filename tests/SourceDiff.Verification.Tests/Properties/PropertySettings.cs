using System;
using System.Globalization;
using SourceDiff.Verification.Tests.Programs;

namespace SourceDiff.Verification.Tests.Properties;

/// <summary>
/// How much the property tests run. CI uses the defaults; a long run is one environment variable away:
/// <c>SOURCEDIFF_PROPERTY_ITERATIONS=100000 dotnet test tests/SourceDiff.Verification.Tests</c>.
/// </summary>
public static class PropertySettings
{
    /// <summary>Random programs checked against finite differences (SOURCEDIFF_PROPERTY_ITERATIONS, default 2,000).</summary>
    public static int Programs => Int("SOURCEDIFF_PROPERTY_ITERATIONS", 2_000);

    /// <summary>
    /// Classes of issue 8 the main program property adds to the base generator (SOURCEDIFF_PROGRAM_FEATURES, e.g.
    /// <c>ArrayConditionals,LocalAliases</c> or <c>All</c>; default none, the base generator's programs).
    /// </summary>
    public static ProgramFeatures ProgramFeatures => ProgramGenerator.ParseFeatures(Environment.GetEnvironmentVariable("SOURCEDIFF_PROGRAM_FEATURES"));

    /// <summary>Random programs per class of <see cref="ProgramFeaturePropertyTests"/> (SOURCEDIFF_PROPERTY_ITERATIONS, default 500).</summary>
    public static int FeaturePrograms => Int("SOURCEDIFF_PROPERTY_ITERATIONS", FeatureProgramsDefault);

    public const int FeatureProgramsDefault = 500;

    /// <summary>
    /// Classes of issue 8 the base model property adds (SOURCEDIFF_MODEL_FEATURES, e.g. <c>ReadonlyFields,Inherited</c>
    /// or <c>All</c>; default none).
    /// </summary>
    public static ModelFeatures ModelFeatures => ModelGenerator.ParseFeatures(Environment.GetEnvironmentVariable("SOURCEDIFF_MODEL_FEATURES"));

    /// <summary>
    /// Random models of the base model property (SOURCEDIFF_MODEL_ITERATIONS, default 200). A model costs some five
    /// programs: the generator emits ~40 KB of C# for each (its Gradient types, sweeps and state snapshots).
    /// </summary>
    public static int Models => Int("SOURCEDIFF_MODEL_ITERATIONS", ModelsDefault);

    public const int ModelsDefault = 200;

    /// <summary>Random models per class of <see cref="Programs.ModelFeatures"/> (SOURCEDIFF_MODEL_ITERATIONS, default 100).</summary>
    public static int ClassModels => Int("SOURCEDIFF_MODEL_ITERATIONS", ClassModelsDefault);

    public const int ClassModelsDefault = 100;

    /// <summary>Mutated sources fed to the generator and analyzers (SOURCEDIFF_FUZZ_ITERATIONS, default 3,000).</summary>
    public static int FuzzVariants => Int("SOURCEDIFF_FUZZ_ITERATIONS", 3_000);

    /// <summary>
    /// Whether the generator runs with the to-be-recorded optimisations off (SOURCEDIFF_RECORD_ALL=true, as the MSBuild
    /// switch SourceDiffRecordAll): every overwritten value recorded, nothing recomputed, loops counted on the tape.
    /// CI runs the properties both ways; gradients must agree with the oracle either way.
    /// </summary>
    public static bool RecordAll => string.Equals(Environment.GetEnvironmentVariable("SOURCEDIFF_RECORD_ALL")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Programs per compilation (SOURCEDIFF_PROPERTY_BATCH, default 100).</summary>
    public static int BatchSize => Int("SOURCEDIFF_PROPERTY_BATCH", 100);

    /// <summary>Seconds CsCheck may spend shrinking a failing program (SOURCEDIFF_SHRINK_SECONDS, default 60).</summary>
    public static int ShrinkSeconds => Int("SOURCEDIFF_SHRINK_SECONDS", 60);

    /// <summary>
    /// The run's seed (SOURCEDIFF_PROPERTY_SEED). Unset, CI-sized runs use a fixed seed so CI is repeatable, and
    /// longer runs a fresh one; either way the seed is printed so any run can be replayed.
    /// </summary>
    public static ulong Seed(int defaultIterations, int iterations) =>
        Environment.GetEnvironmentVariable("SOURCEDIFF_PROPERTY_SEED") is { Length: > 0 } text
            ? ulong.Parse(text, CultureInfo.InvariantCulture)
            : iterations == defaultIterations ? 20_260_501UL : (ulong)Random.Shared.NextInt64();

    private static int Int(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
