using System;
using System.Linq;
using SourceDiff.Runtime.Tests.Models;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>Checks through <see cref="IDifferentiableModel"/>: hidden state, exact restoration, float models, validation.</summary>
public class ModelGradientCheckTests
{
    private static readonly double[] Xs = [0.3, 2.5, -1.1, 0.7];
    private static readonly double[] Ys = [0.5, 1.0, 0.2, -0.4];

    [Fact]
    public void StoryOne_LinearLoss_GradientIsTheClosedFormAndPasses()
    {
        var rnn = new TinyRnn();
        double[] xs = [0.3, 2.5];
        double[] ys = [0.5, 1.0];

        GradientCheckReport report = GradientCheck.Check(
            rnn, () => rnn.LinearLoss(xs, ys), (TinyRnn.Gradient g) => rnn.LinearLossGradient(xs, ys, g));

        Assert.True(report.Passed, report.ToString());
        var gradient = new TinyRnn.Gradient();
        rnn.LinearLossGradient(xs, ys, gradient);
        Assert.Equal(0.3 + 2.5 + 0.001 * 0.3, gradient.Wx, 12);   // 2.8003, not Zygote's 2.8025
    }

    [Fact]
    public void HiddenState_LossThatDoesNotReset_PassesBecauseStateIsRestoredBeforeEveryEvaluation()
    {
        var rnn = new TinyRnn { H = 0.37, Wh = 0.6 };

        GradientCheckReport report = GradientCheck.Check(
            rnn, () => rnn.ContinuingLoss(Xs, Ys), (TinyRnn.Gradient g) => rnn.ContinuingLossGradient(Xs, Ys, g));

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(0.37, rnn.H);        // the state the caller left, not the state after the last evaluation
        Assert.Equal(0.5, rnn.Wx);
        Assert.Equal(0.6, rnn.Wh);
        Assert.Equal(0.85, rnn.B);
    }

    [Fact]
    public void HiddenState_WithoutRestore_TheSameCheckFails()
    {
        // Proves the previous test depends on the restore: the same model and loss, with RestoreState ignored, so each
        // evaluation starts from the H the previous one left (story 1's global h without the manual reset).
        var rnn = new TinyRnn { H = 0.37, Wh = 0.6 };
        var leaking = new StateLeakingModel(rnn);

        GradientCheckReport report = GradientCheck.Check(
            leaking, () => rnn.ContinuingLoss(Xs, Ys), (TinyRnn.Gradient g) => rnn.ContinuingLossGradient(Xs, Ys, g));

        Assert.False(report.Passed);
        Assert.Contains(report.Failures, f => f.Name == "value");   // even the returned value disagrees
    }

    [Fact]
    public void HiddenState_PrecomputedGradient_IsCheckedFromTheCurrentState()
    {
        var rnn = new TinyRnn { H = -0.2, Wh = 0.9 };
        object before = rnn.CaptureState();
        var gradient = new TinyRnn.Gradient();
        rnn.ContinuingLossGradient(Xs, Ys, gradient);
        rnn.RestoreState(before);          // the caller's job with this overload: the check starts from this state

        GradientCheckReport report = GradientCheck.Check(rnn, () => rnn.ContinuingLoss(Xs, Ys), gradient);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(-0.2, rnn.H);
    }

    [Fact]
    public void Check_RestoresParametersBitForBit()
    {
        var net = SigmoidNetwork.Random(3, 4, 2, seed: 9);
        net.W1[0] = 0.1;                   // 0.1 + h − h is not 0.1 in binary: restoring must copy, not undo
        net.B2[1] = 1e-300;
        double[][] before = [(double[])net.W1.Clone(), (double[])net.B1.Clone(), (double[])net.W2.Clone(), (double[])net.B2.Clone()];
        double[] x = [0.5, -0.25, 2];
        double[] y = [0.1, 0.9];

        GradientCheckReport report = GradientCheck.Check(
            net, () => net.Loss(x, y), (SigmoidNetwork.Gradient g) => net.LossGradient(x, y, g));

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(before[0], net.W1);
        Assert.Equal(before[1], net.B1);
        Assert.Equal(before[2], net.W2);
        Assert.Equal(before[3], net.B2);
        Assert.Equal(4 * (net.W1.Length + net.B1.Length + net.W2.Length + net.B2.Length) + 1, report.Evaluations);
    }

    [Fact]
    public void FloatModel_CorrectGradient_PassesWithDifferencesInDouble()
    {
        var model = new FloatTanhRegression(features: 6, seed: 4);
        (float[][] xs, float[] ys) = FloatData(6, samples: 20, seed: 5);
        float[] w = (float[])model.W.Clone();

        GradientCheckReport report = GradientCheck.Check(
            model, () => model.Loss(xs, ys), (FloatTanhRegression.Gradient g) => model.LossGradient(xs, ys, g));

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(w, model.W);
        Assert.True(report.Worst.All(e => e.Name == "value" || e.Step > 1e-3), "float coordinates use the float step");
    }

    [Fact]
    public void FloatModel_WrongBiasGradient_FailsAtTheBias()
    {
        var model = new FloatTanhRegression(features: 6, seed: 4) { ForgetMeanInBias = true };
        (float[][] xs, float[] ys) = FloatData(6, samples: 20, seed: 5);

        GradientCheckReport report = GradientCheck.Check(
            model, () => model.Loss(xs, ys), (FloatTanhRegression.Gradient g) => model.LossGradient(xs, ys, g));

        GradientCheckEntry failure = Assert.Single(report.Failures);
        Assert.Equal("B[0]", failure.Coordinate);
    }

    [Fact]
    public void MismatchedGradient_ThrowsNamingTheParameter_AndWritesNothing()
    {
        var net = SigmoidNetwork.Random(2, 3, 1, seed: 1);
        var other = SigmoidNetwork.Random(2, 4, 1, seed: 1);     // hidden size differs: W1 lengths differ
        double[] w1 = (double[])net.W1.Clone();
        bool evaluated = false;

        var thrown = Assert.Throws<ArgumentException>(() => GradientCheck.Check(
            net, () => { evaluated = true; return 0; }, new SigmoidNetwork.Gradient(other)));

        Assert.Equal("analyticGradient", thrown.ParamName);
        Assert.Contains("'W1' has length 8", thrown.Message);
        Assert.False(evaluated);
        Assert.Equal(w1, net.W1);
    }

    [Fact]
    public void GradientOfAnotherModelType_Throws()
    {
        var net = SigmoidNetwork.Random(2, 3, 1, seed: 1);

        var thrown = Assert.Throws<ArgumentException>(() => GradientCheck.Check(net, () => 0, new TinyRnn.Gradient()));

        Assert.Equal("analyticGradient", thrown.ParamName);
        Assert.Contains("3 parameter buffers", thrown.Message);
    }

    [Fact]
    public void LossThatThrows_StillRestoresParametersAndState()
    {
        var rnn = new TinyRnn { H = 0.25 };
        int calls = 0;

        Assert.Throws<InvalidOperationException>(() => GradientCheck.Check(
            rnn,
            () => ++calls == 3 ? throw new InvalidOperationException("boom") : rnn.ContinuingLoss(Xs, Ys),
            (TinyRnn.Gradient g) => rnn.ContinuingLossGradient(Xs, Ys, g)));

        Assert.Equal(0.5, rnn.Wx);
        Assert.Equal(0.25, rnn.H);
    }

    internal static (float[][] Xs, float[] Ys) FloatData(int features, int samples, int seed)
    {
        var random = new Random(seed);
        float[][] xs = Enumerable.Range(0, samples)
            .Select(_ => Enumerable.Range(0, features).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray())
            .ToArray();
        float[] ys = xs.Select(x => MathF.Tanh(0.7f * x[0] - 0.3f * x[1] + 0.2f)).ToArray();
        return (xs, ys);
    }
}
