using System;
using SourceDiff.Verification.Tests.Programs;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Verification.Tests.Properties;

/// <summary>
/// Issue 5, item 2: every random program either gets a gradient that matches finite differences, or is rejected at
/// compile time with an SD0xxx diagnostic. Never a silent wrong gradient.
/// </summary>
/// <remarks>
/// Two phases, because a compilation per program would make thousands of programs unaffordable (see
/// <see cref="PropertyRunner"/>): screening in batches of <see cref="PropertySettings.BatchSize"/> per compilation on
/// every core, then shrinking the smallest failure from its seed with CsCheck; the failure message shows the minimal
/// program (add it to <see cref="RegressionTests"/>). The programs are those of the base generator unless
/// <c>SOURCEDIFF_PROGRAM_FEATURES</c> adds classes of issue 8 (<see cref="ProgramFeatures"/>; each class also has a
/// property of its own in <see cref="ProgramFeaturePropertyTests"/>).
/// </remarks>
public sealed class GradientPropertyTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomProgramsMatchFiniteDifferencesOrAreRejected()
    {
        ProgramFeatures features = PropertySettings.ProgramFeatures;
        int count = PropertySettings.Programs;
        PropertyRunner.Check(output, Subject(features), count, PropertySettings.Seed(2_000, count));
    }

    /// <summary>The property over programs of <paramref name="features"/>.</summary>
    public static PropertySubject<ProgramSpec> Subject(ProgramFeatures features) => new(
        features == ProgramFeatures.None ? "Random programs" : $"Random programs ({features})",
        features == ProgramFeatures.None ? ProgramGenerator.Instance : new ProgramGenerator(features),
        programs => BatchVerifier.Run(programs, ProgramBatch.Instance),
        ProgramPrinter.PrintPrimal,
        program => SpecCode.Of(program));
}

/// <summary>A generated gradient disagreed with the oracle (or the generated code failed).</summary>
public sealed class GradientMismatchException(string message) : Exception(message);
