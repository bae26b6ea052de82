using System.Linq;
using SourceDiff.Runtime.Tests.Models;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>Directional mode: ⟨∇f, v⟩ against the directional difference, at a cost independent of the size.</summary>
public class DirectionalGradientCheckTests
{
    private static readonly GradientCheckOptions Directional = GradientCheckOptions.Default with { Mode = GradientCheckMode.Directional };

    private static GradientCheckReport CheckNetwork(SigmoidNetwork net, GradientCheckOptions options)
    {
        double[] x = Enumerable.Range(0, net.Inputs).Select(i => 0.3 * i - 0.2).ToArray();
        double[] y = Enumerable.Range(0, net.Outputs).Select(k => k % 2 == 0 ? 1.0 : 0.0).ToArray();
        return GradientCheck.Check(net, () => net.Loss(x, y), (SigmoidNetwork.Gradient g) => net.LossGradient(x, y, g), options);
    }

    [Fact]
    public void CorrectGradient_Passes()
    {
        GradientCheckReport report = CheckNetwork(SigmoidNetwork.Random(5, 5, 1, seed: 2), Directional);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(8 + 1, report.CheckedCount);
    }

    [Theory]
    [InlineData(BackpropBug.DerivativeOfActivation)]
    [InlineData(BackpropBug.MissingOutputBias)]
    public void WrongAdjoint_Fails(BackpropBug bug)
    {
        SigmoidNetwork net = SigmoidNetwork.Random(5, 5, 1, seed: 2);
        net.Bug = bug;

        GradientCheckReport report = CheckNetwork(net, Directional);

        Assert.False(report.Passed);
        Assert.All(report.Failures, f => Assert.Equal("direction", f.Name));
        Assert.Contains("directional (8 directions, seed 12345)", report.ToString());
    }

    [Fact]
    public void Cost_DoesNotGrowWithTheNumberOfParameters()
    {
        GradientCheckReport small = CheckNetwork(SigmoidNetwork.Random(2, 2, 1, seed: 1), Directional);
        GradientCheckReport large = CheckNetwork(SigmoidNetwork.Random(40, 50, 10, seed: 1), Directional);

        Assert.True(small.Passed, small.ToString());
        Assert.True(large.Passed, large.ToString());
        Assert.Equal(small.Evaluations, large.Evaluations);
        Assert.Equal(4 * 8 + 1, large.Evaluations);     // 2 levels × 2 sides per direction, plus the value
    }

    [Fact]
    public void SameSeed_SameResult_OtherSeedOtherDirections()
    {
        SigmoidNetwork net = SigmoidNetwork.Random(3, 3, 2, seed: 4);

        GradientCheckReport first = CheckNetwork(net, Directional);
        GradientCheckReport again = CheckNetwork(net, Directional);
        GradientCheckReport other = CheckNetwork(net, Directional with { Seed = 99 });

        double[] Projections(GradientCheckReport r) => r.Worst.Where(e => e.Name == "direction").OrderBy(e => e.Index).Select(e => e.Analytic).ToArray();
        Assert.Equal(Projections(first), Projections(again));
        Assert.NotEqual(Projections(first), Projections(other));
    }

    [Fact]
    public void HiddenState_IsRestoredInDirectionalModeToo()
    {
        var rnn = new TinyRnn { H = 0.37, Wh = 0.6 };
        double[] xs = [0.3, 2.5, -1.1];
        double[] ys = [0.5, 1.0, 0.2];

        GradientCheckReport report = GradientCheck.Check(
            rnn, () => rnn.ContinuingLoss(xs, ys), (TinyRnn.Gradient g) => rnn.ContinuingLossGradient(xs, ys, g), Directional);
        GradientCheckReport leaking = GradientCheck.Check(
            new StateLeakingModel(rnn), () => rnn.ContinuingLoss(xs, ys), (TinyRnn.Gradient g) => rnn.ContinuingLossGradient(xs, ys, g), Directional);

        Assert.True(report.Passed, report.ToString());
        Assert.False(leaking.Passed);
    }

    [Fact]
    public void FloatModel_PassesAndCatchesTheWrongBias()
    {
        var model = new FloatTanhRegression(features: 30, seed: 8);
        (float[][] xs, float[] ys) = ModelGradientCheckTests.FloatData(30, samples: 50, seed: 9);

        GradientCheckReport good = GradientCheck.Check(
            model, () => model.Loss(xs, ys), (FloatTanhRegression.Gradient g) => model.LossGradient(xs, ys, g), Directional);
        model.ForgetMeanInBias = true;
        GradientCheckReport bad = GradientCheck.Check(
            model, () => model.Loss(xs, ys), (FloatTanhRegression.Gradient g) => model.LossGradient(xs, ys, g), Directional);

        Assert.True(good.Passed, good.ToString());
        Assert.False(bad.Passed);
    }
}
