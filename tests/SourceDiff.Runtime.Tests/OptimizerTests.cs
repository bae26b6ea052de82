using System;
using System.Linq;
using SourceDiff.Runtime.Tests.Models;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>Sgd and Adam: exact update rules, convergence on real losses, float buffers, validation.</summary>
public class OptimizerTests
{
    private static double Train(LeastSquares model, Optimizer optimizer, int steps)
    {
        var gradient = new LeastSquares.Gradient(model.W.Length);
        for (int step = 0; step < steps; step++)
        {
            model.LossGradient(gradient);
            optimizer.Step(gradient);
        }

        return model.Loss();
    }

    [Fact]
    public void Sgd_ReducesLeastSquaresLossByOrdersOfMagnitude()
    {
        var model = new LeastSquares(samples: 100, features: 8, seed: 1);
        double initial = model.Loss();

        double final = Train(model, new Sgd(model, learningRate: 0.5), steps: 300);

        Assert.True(final < initial * 1e-4, $"initial {initial}, final {final}");
    }

    [Fact]
    public void SgdMomentum_BeatsPlainSgdOnAnIllConditionedProblem()
    {
        var plainModel = new LeastSquares(samples: 100, features: 8, seed: 2, conditioning: 30);
        var momentumModel = new LeastSquares(samples: 100, features: 8, seed: 2, conditioning: 30);

        double plain = Train(plainModel, new Sgd(plainModel, learningRate: 0.5), steps: 200);
        double momentum = Train(momentumModel, new Sgd(momentumModel, learningRate: 0.5, momentum: 0.9), steps: 200);

        Assert.True(momentum < plain / 10, $"plain {plain}, momentum {momentum}");
    }

    [Fact]
    public void Adam_ReducesLeastSquaresLoss()
    {
        var model = new LeastSquares(samples: 100, features: 8, seed: 3, conditioning: 30);
        double initial = model.Loss();

        double final = Train(model, new Adam(model, learningRate: 0.05), steps: 500);

        Assert.True(final < initial * 1e-4, $"initial {initial}, final {final}");
    }

    [Fact]
    public void Adam_TrainsTheSigmoidNetwork_ThroughEveryBuffer()
    {
        var net = SigmoidNetwork.Random(2, 4, 1, seed: 5);
        double[][] xs = [[0, 0], [0, 1], [1, 0], [1, 1]];
        double[][] ys = [[0.1], [0.9], [0.9], [0.1]];  // XOR
        var adam = new Adam(net, learningRate: 0.05);
        var gradient = new SigmoidNetwork.Gradient(net);
        var sum = new SigmoidNetwork.Gradient(net);
        double Loss() => xs.Select((x, s) => net.Loss(x, ys[s])).Sum();
        double initial = Loss();

        for (int step = 0; step < 2000; step++)
        {
            sum.Clear();
            for (int s = 0; s < xs.Length; s++)
            {
                net.LossGradient(xs[s], ys[s], gradient);
                for (int b = 0; b < gradient.ParameterCount; b++)
                {
                    Span<double> into = sum.GetDoubles(b);
                    Span<double> from = gradient.GetDoubles(b);
                    for (int i = 0; i < into.Length; i++)
                    {
                        into[i] += from[i];
                    }
                }
            }

            adam.Step(sum);
        }

        Assert.True(Loss() < initial / 20, $"initial {initial}, final {Loss()}");
        Assert.Equal(2000, adam.StepCount);
    }

    [Fact]
    public void Adam_ThreeSteps_MatchHandComputedValues()
    {
        // p₀ = 1, η = 0.1, β = (0.9, 0.999), ε = 1e-8, gradients 0.5, −0.25, 2; reference values computed with
        // 40-digit decimal arithmetic from the update rule in the class documentation.
        var p = new ParameterVector(("p", new[] { 1.0 }));
        var g = new ParameterVector(("p", new double[1]));
        var adam = new Adam(p, learningRate: 0.1);
        double[] expected = [0.90000000199999996, 0.87336629870784616, 0.80630153452915290];
        double[] gradients = [0.5, -0.25, 2];

        for (int t = 0; t < 3; t++)
        {
            g.Doubles(0)[0] = gradients[t];
            adam.Step(g);
            Assert.Equal(expected[t], p.Doubles(0)[0], 1e-15);
        }
    }

    [Fact]
    public void AdamW_DecaysWeightsDecoupledFromTheGradient()
    {
        // With a zero gradient the Adam term is 0/(0 + ε) = 0, so only the decay acts: p ← p·(1 − η·λ).
        var p = new ParameterVector(("p", new[] { 2.0 }));
        var adam = new Adam(p, learningRate: 0.1, weightDecay: 0.5);

        adam.Step(new ParameterVector(("p", new double[1])));

        Assert.Equal(2.0 * (1 - 0.05), p.Doubles(0)[0], 15);
    }

    [Fact]
    public void Sgd_MomentumAndWeightDecay_MatchHandComputedValues()
    {
        // g' = g + 0.01·p; v = 0.9·v + g'; p −= 0.1·v.  Step 1: g' = 1.02, v = 1.02, p = 1.898.
        // Step 2 (g = 0.5): g' = 0.51898, v = 1.43698, p = 1.754302.
        var p = new ParameterVector(("p", new[] { 2.0 }));
        var g = new ParameterVector(("p", new[] { 1.0 }));
        var sgd = new Sgd(p, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01);

        sgd.Step(g);
        Assert.Equal(1.898, p.Doubles(0)[0], 14);
        g.Doubles(0)[0] = 0.5;
        sgd.Step(g);
        Assert.Equal(1.754302, p.Doubles(0)[0], 14);
    }

    [Fact]
    public void Sgd_Nesterov_MatchesHandComputedValue()
    {
        // v = 1; step = g + μ·v = 1.9; p = 2 − 0.1·1.9.
        var p = new ParameterVector(("p", new[] { 2.0 }));
        var sgd = new Sgd(p, learningRate: 0.1, momentum: 0.9, nesterov: true);

        sgd.Step(new ParameterVector(("p", new[] { 1.0 })));

        Assert.Equal(1.81, p.Doubles(0)[0], 14);
    }

    [Fact]
    public void FloatBuffers_AreUpdatedInPlace_WithDoubleArithmetic()
    {
        var p = new ParameterVector(("w", new[] { 1f, -2f }), ("b", new[] { 0.5 }));
        var g = new ParameterVector(("w", new[] { 0.5f, 0.25f }), ("b", new[] { 1.0 }));

        new Sgd(p, learningRate: 0.1).Step(g);
        Assert.Equal([0.95f, -2.025f], p.Singles(0));
        Assert.Equal(0.4, p.Doubles(1)[0], 15);

        var adam = new Adam(p, learningRate: 0.1);
        adam.Step(g);
        Assert.Equal((float)((double)0.95f - 0.1 * 0.5 / (0.5 + 1e-8)), p.Singles(0)[0]);   // one rounding, from the float value
    }

    [Fact]
    public void FloatModel_TrainedWithAdam_ReducesItsLoss()
    {
        var model = new FloatTanhRegression(features: 4, seed: 2);
        (float[][] xs, float[] ys) = ModelGradientCheckTests.FloatData(4, samples: 64, seed: 3);
        var adam = new Adam(model, learningRate: 0.05);
        var gradient = new FloatTanhRegression.Gradient(4);
        float initial = model.Loss(xs, ys);

        for (int step = 0; step < 300; step++)
        {
            model.LossGradient(xs, ys, gradient);
            adam.Step(gradient);
        }

        Assert.True(model.Loss(xs, ys) < initial / 100, $"initial {initial}, final {model.Loss(xs, ys)}");
    }

    [Fact]
    public void Reset_ForgetsMomentsAndStepCount()
    {
        var p = new ParameterVector(("p", new[] { 1.0 }));
        var g = new ParameterVector(("p", new[] { 0.5 }));
        var adam = new Adam(p, learningRate: 0.1);
        adam.Step(g);
        adam.Step(g);

        adam.Reset();
        p.Doubles(0)[0] = 1.0;
        adam.Step(g);

        Assert.Equal(1, adam.StepCount);
        Assert.Equal(0.90000000199999996, p.Doubles(0)[0], 1e-15);
    }

    public static TheoryData<string, ParameterVector, string> MismatchedGradients => new()
    {
        { "count", new ParameterVector(("w", new double[2])), "1 parameter buffers; the model has 2" },
        { "name", new ParameterVector(("w", new double[2]), ("c", new float[1])), "buffer 1 is 'c'; the model's buffer 1 is 'b'" },
        { "length", new ParameterVector(("w", new double[3]), ("b", new float[1])), "'w' has length 3; the model's has 2" },
        { "precision", new ParameterVector(("w", new float[2]), ("b", new float[1])), "'w' holds float; the model's holds double" },
    };

    [Theory]
    [MemberData(nameof(MismatchedGradients))]
    public void MismatchedGradient_ThrowsNamingTheGradient_AndWritesNothing(string _, ParameterVector gradient, string message)
    {
        var p = new ParameterVector(("w", new[] { 1.0, 2.0 }), ("b", new[] { 3f }));
        foreach (Optimizer optimizer in new Optimizer[] { new Sgd(p, 0.1, momentum: 0.5), new Adam(p) })
        {
            var thrown = Assert.Throws<ArgumentException>(() => optimizer.Step(gradient));

            Assert.Equal("gradient", thrown.ParamName);
            Assert.Contains(message, thrown.Message);
            Assert.Equal(0, optimizer.StepCount);
        }

        Assert.Equal([1.0, 2.0], p.Doubles(0));
        Assert.Equal([3f], p.Singles(1));
    }

    [Fact]
    public void ParameterBufferResizedAfterConstruction_Throws()
    {
        var p = new ParameterVector(("w", new[] { 1.0, 2.0 }));
        var sgd = new Sgd(p, 0.1);
        p.Replace(0, new double[3]);

        Assert.Throws<InvalidOperationException>(() => sgd.Step(new ParameterVector(("w", new double[2]))));
    }

    [Fact]
    public void InvalidHyperparameters_Throw()
    {
        var p = new ParameterVector(("w", new double[1]));

        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(p, 0)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(p, 0.1, momentum: 1)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(p, 0.1, weightDecay: -1)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd(p, 0.1, nesterov: true)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(p, beta1: 1)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(p, beta2: -0.1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(p, epsilon: 0)).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(p, learningRate: double.NaN)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new Adam(null!));
    }
}
