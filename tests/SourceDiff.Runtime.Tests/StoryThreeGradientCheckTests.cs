using System;
using System.Linq;
using SourceDiff.Runtime.Tests.Models;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// User story 3: a hand-written delta rule checked against numerical gradients. The thread's random cases passed, its
/// "regression" case (constant input −0.2, expected 1.0, random weights) failed because of the check itself (a step
/// of 0.99 and a relative distance that breaks near zero). With a sound check, the correct backprop passes every case
/// and a wrong one fails, naming the wrong coordinates.
/// </summary>
public class StoryThreeGradientCheckTests
{
    private static double[] Uniform(Random random, int length, double scale = 1) =>
        Enumerable.Range(0, length).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();

    private static GradientCheckReport CheckStatic(double[] w1, double[] w2, double[] x, double expected)
    {
        var dW1 = new double[w1.Length];
        var dW2 = new double[w2.Length];
        var dX = new double[x.Length];
        double dExpected = 0;
        return GradientCheck.Check(
            () => StoryThreeNetwork.Loss(w1, w2, x, expected),
            () => StoryThreeNetwork.LossGradient(w1, w2, x, expected, dW1, dW2, dX, out dExpected),
            GradientCheck.Input(w1, dW1),
            GradientCheck.Input(w2, dW2),
            GradientCheck.Input(x, dX),
            GradientCheck.Scalar("expected", () => expected, v => expected = v, () => dExpected));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RegressionCase_ConstantInputMinusPointTwo_Passes(int seed)
    {
        // The thread's "regression 1": 5 inputs of −0.2, 5 hidden units, 1 output, expected 1.0, random weights.
        var random = new Random(seed);
        double[] w1 = Uniform(random, 25);
        double[] w2 = Uniform(random, 5);
        double[] x = Enumerable.Repeat(-0.2, 5).ToArray();

        GradientCheckReport report = CheckStatic(w1, w2, x, expected: 1.0);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(25 + 5 + 5 + 1 + 1, report.CheckedCount);   // every coordinate and the returned value
    }

    [Theory]
    [InlineData(11, 1, 1)]
    [InlineData(12, 10, 3)]
    [InlineData(13, 4, 7)]
    [InlineData(14, 2, 2)]
    public void RandomCases_Pass(int seed, int inputs, int hidden)
    {
        var random = new Random(seed);
        GradientCheckReport report = CheckStatic(
            Uniform(random, hidden * inputs), Uniform(random, hidden), Uniform(random, inputs), Uniform(random, 1)[0]);

        Assert.True(report.Passed, report.ToString());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    public void SaturatedNetwork_LargeWeights_Passes(int seed)
    {
        // Weights up to ±30 saturate the sigmoids: many gradient entries are 1e-10 or smaller, where a relative
        // distance is noise; the absolute floor keeps them from failing, the relative term still checks the rest.
        var random = new Random(seed);
        double[] w1 = Uniform(random, 25, scale: 30);
        double[] w2 = Uniform(random, 5, scale: 30);
        double[] x = Enumerable.Repeat(-0.2, 5).ToArray();

        GradientCheckReport report = CheckStatic(w1, w2, x, expected: 1.0);

        Assert.True(report.Passed, report.ToString());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(6)]
    public void SaturatedNetwork_HasNearZeroGradientsThatTheThreadsMetricRejects(int seed)
    {
        // Guards the test above: these saturated cases really have gradients near zero (1e-27 and below) on which the
        // thread's metric |a − n| / (|a| + |n|) ≤ 0.1, with its step of 0.99, fails although the backprop is right.
        var random = new Random(seed);
        double[] w1 = Uniform(random, 25, scale: 30);
        double[] w2 = Uniform(random, 5, scale: 30);
        double[] x = Enumerable.Repeat(-0.2, 5).ToArray();
        var dW1 = new double[25];
        StoryThreeNetwork.LossGradient(w1, w2, x, 1.0, dW1, new double[5], new double[5], out _);

        int rejected = 0;
        for (int i = 0; i < w1.Length; i++)
        {
            double saved = w1[i];
            const double epsilon = 0.99399;
            w1[i] = saved + epsilon;
            double plus = StoryThreeNetwork.Loss(w1, w2, x, 1.0);
            w1[i] = saved - epsilon;
            double minus = StoryThreeNetwork.Loss(w1, w2, x, 1.0);
            w1[i] = saved;
            double numeric = (plus - minus) / (2 * epsilon);
            double distance = Math.Abs(dW1[i] - numeric) / (Math.Abs(dW1[i]) + Math.Abs(numeric));
            if (!(distance <= 0.1))
            {
                rejected++;
            }
        }

        Assert.True(rejected > 0, "the thread's check accepted every coordinate; this case no longer shows the story");
    }

    [Fact]
    public void Model_RegressionCaseWithBiases_Passes()
    {
        var net = SigmoidNetwork.Random(5, 5, 1, seed: 7);
        double[] x = Enumerable.Repeat(-0.2, 5).ToArray();
        double[] y = [1.0];

        GradientCheckReport report = GradientCheck.Check(
            net, () => net.Loss(x, y), (SigmoidNetwork.Gradient g) => net.LossGradient(x, y, g));

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void StoryFourBug_DerivativeOfActivation_FailsAndNamesOnlyHiddenLayerCoordinates()
    {
        var net = SigmoidNetwork.Random(2, 2, 1, seed: 3);
        net.Bug = BackpropBug.DerivativeOfActivation;
        double[] x = [0.4, -0.7];
        double[] y = [1.0];

        GradientCheckReport report = GradientCheck.Check(
            net, () => net.Loss(x, y), (SigmoidNetwork.Gradient g) => net.LossGradient(x, y, g));

        Assert.False(report.Passed);
        // W1 and B1 use the wrong slope; W2, B2 are right and must not be blamed.
        string[] failed = report.Failures.Select(f => f.Coordinate).ToArray();
        Assert.Equal(["W1[0]", "W1[1]", "W1[2]", "W1[3]", "B1[0]", "B1[1]"], failed);
        Assert.Contains("W1[", report.ToString());
        Assert.Contains("FAILED", report.ToString());
    }

    [Fact]
    public void MissingTerm_OutputBias_FailsAtExactlyThatCoordinate()
    {
        var net = SigmoidNetwork.Random(2, 2, 1, seed: 5);
        net.Bug = BackpropBug.MissingOutputBias;
        double[] x = [0.4, -0.7];
        double[] y = [1.0];

        GradientCheckReport report = GradientCheck.Check(
            net, () => net.Loss(x, y), (SigmoidNetwork.Gradient g) => net.LossGradient(x, y, g));

        GradientCheckEntry failure = Assert.Single(report.Failures);
        Assert.Equal("B2", failure.Name);
        Assert.Equal(0, failure.Index);
        Assert.Equal(0, failure.Analytic);
        Assert.True(Math.Abs(failure.Numeric) > 1e-3, report.ToString());
        Assert.Same(failure, report.Worst[0]);
        GradientCheckException thrown = Assert.Throws<GradientCheckException>(report.ThrowIfFailed);
        Assert.Contains("B2[0]", thrown.Message);
    }
}
