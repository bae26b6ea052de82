using System.Linq;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>The SourceDiffRecordAll switch: the to-be-recorded optimisation off, every overwritten value recorded.</summary>
public class RecordAllTests
{
    private const string Source = """
        using System;
        using SourceDiff;
        namespace Samples;
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] w, double x)
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    double t = w[i] * x;
                    s += t * t;
                }

                return s;
            }
        }
        """;

    private static int Pushes(string generated) =>
        generated.Split('\n').Count(line => line.Contains("_tape.Push", System.StringComparison.Ordinal));

    [Fact]
    public void RecordAllRecordsEveryOverwrittenValue()
    {
        GeneratorResult optimised = GeneratorHarness.Run(Source);
        GeneratorResult recordAll = GeneratorHarness.RunWith(new[] { ("SourceDiffRecordAll", "true") }, Source);
        optimised.AssertCompiles();
        recordAll.AssertCompiles();
        string plain = optimised.Generated("C.F.g.cs");
        string all = recordAll.Generated("C.F.g.cs");

        // Optimised, the counted loop is replayed with no tape traffic; with RecordAll its trip count and the counter's
        // old values are recorded instead, and the overwritten s is pushed.
        Assert.Contains("for (i = w.Length - 1; i >= 0; i--)", plain);
        Assert.DoesNotContain("_tape.PushInt(", plain);
        Assert.Contains("_tape.PushInt(", all);
        Assert.DoesNotContain("i -= 1;", all);
        Assert.Contains("_tape.PushDouble(s);", all);
        Assert.True(Pushes(all) > Pushes(plain), $"{Pushes(all)} pushes with RecordAll, {Pushes(plain)} without");
    }

    [Theory]
    [InlineData("false")]
    [InlineData("False ")]
    [InlineData("")]
    public void AnythingButTrueKeepsTheOptimisation(string value)
    {
        string plain = GeneratorHarness.Run(Source).Generated("C.F.g.cs");
        Assert.Equal(plain, GeneratorHarness.RunWith(new[] { ("SourceDiffRecordAll", value) }, Source).Generated("C.F.g.cs"));
    }
}
