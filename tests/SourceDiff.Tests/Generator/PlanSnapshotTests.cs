using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>
/// Issue 9, item 3: the sweep plan of every story method (what each write records, which branches and loops are
/// recorded, what is saved and restored), dumped with <c>SourceDiffEmitPlan</c> and compared with its committed
/// <c>Snapshots/Plans/*.verified.txt</c>, beside the generated-code snapshots.
/// </summary>
public class PlanSnapshotTests
{
    private const string PlanHeader = "// Sweep plan of ";

    [Theory]
    [InlineData("Affine.cs", "Affine.F", "Affine.Loss", "SmallNetwork.F", "SmallNetwork.Loss")]
    [InlineData("SequencePredictor.cs", "Dense.Apply", "SequencePredictor.Step", "SequencePredictor.Loss")]
    [InlineData("SoftmaxRecurrentLayer.cs", "SoftmaxRecurrentLayer.Step", "SoftmaxRecurrentLayer.Loss", "SoftmaxRecurrentLayer.TruncatedLoss")]
    [InlineData("SigmoidNetwork.cs", "SigmoidNetwork.Output", "SigmoidNetwork.Loss")]
    [InlineData("ElmanRnn.cs", "ElmanRnn.Step", "ElmanRnn.Loss")]
    public void StoryMethods(string file, params string[] methods)
    {
        GeneratorResult result = GeneratorHarness.RunWith(new[] { ("SourceDiffEmitPlan", "true") }, Story(file));
        result.AssertCompiles();
        foreach (string method in methods)
        {
            Snapshot.Verify(Path.Combine("Plans", method), PlanOf(result.Generated(method + ".g.cs")), ".txt");
        }
    }

    [Fact]
    public void PlanIsOnlyWrittenWhenAskedFor()
    {
        GeneratorResult result = GeneratorHarness.Run(Story("ElmanRnn.cs"));
        Assert.DoesNotContain(PlanHeader, result.Generated("ElmanRnn.Step.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>The plan comment of a generated file, without its comment markers and indentation.</summary>
    private static string PlanOf(string generated)
    {
        string[] lines = generated.Replace("\r\n", "\n").Split('\n');
        int start = Array.FindIndex(lines, line => line.TrimStart().StartsWith(PlanHeader, StringComparison.Ordinal));
        Assert.True(start >= 0, "The generated file holds no sweep plan:\n" + generated);
        var plan = lines.Skip(start).Select(line => line.TrimStart()).TakeWhile(line => line.StartsWith("//", StringComparison.Ordinal));
        return string.Join("\n", plan.Select(line => line.Length > 2 ? line.Substring(3) : string.Empty)) + "\n";
    }

    private static string Story(string file, [CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "samples", "SourceDiff.Samples", "Models", file));
}
