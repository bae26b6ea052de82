using SourceDiff.Samples.Models;
using System;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Tests.Stories;

/// <summary>Story 3: the sigmoid network without hand-written deltas, including the thread's failing regression case.</summary>
public class Story3Tests
{
    private readonly ITestOutputHelper output;

    public Story3Tests(ITestOutputHelper output) => this.output = output;

    private static SigmoidNetwork Random(int inputs, int hidden, int seed)
    {
        var random = new Random(seed);
        var network = new SigmoidNetwork(inputs, hidden);
        for (int j = 0; j < hidden; j++)
        {
            for (int i = 0; i < inputs; i++) network.W1[j, i] = 1.0 - 2.0 * random.NextDouble();
            network.W2[j] = 1.0 - 2.0 * random.NextDouble();
        }

        return network;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RegressionCaseConstantInputPassesTheGradientCheck(int seed)
    {
        var network = Random(5, 5, seed);
        double[] x = { -0.2, -0.2, -0.2, -0.2, -0.2 };
        var report = GradientCheck.Check(network, () => network.Loss(x, 1.0), (SigmoidNetwork.Gradient g) => network.LossGradient(x, 1.0, g));
        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
    }

    [Fact]
    public void RandomCasesPassTheGradientCheck()
    {
        var random = new Random(33);
        for (int trial = 0; trial < 5; trial++)
        {
            var network = Random(10, 3, 100 + trial);
            var x = new double[10];
            for (int i = 0; i < x.Length; i++) x[i] = 1.0 - 2.0 * random.NextDouble();
            double expected = 1.0 - 2.0 * random.NextDouble();
            GradientCheck.Check(network, () => network.Loss(x, expected), (SigmoidNetwork.Gradient g) => network.LossGradient(x, expected, g)).ThrowIfFailed();
        }
    }

    [Fact]
    public void EqualsTheTextbookDeltaRule()
    {
        var network = Random(5, 5, 7);
        double[] x = { -0.2, -0.2, -0.2, -0.2, -0.2 };
        var gradient = new SigmoidNetwork.Gradient(network);
        network.LossGradient(x, 1.0, gradient);

        // The delta rule, written once here as the reference.
        var a = new double[5];
        double z = 0;
        for (int j = 0; j < 5; j++)
        {
            double s = 0;
            for (int i = 0; i < 5; i++) s += network.W1[j, i] * x[i];
            a[j] = 1 / (1 + Math.Exp(-s));
            z += network.W2[j] * a[j];
        }

        double o = 1 / (1 + Math.Exp(-z));
        double deltaOut = (o - 1.0) * o * (1 - o);
        for (int j = 0; j < 5; j++)
        {
            Assert.Equal(deltaOut * a[j], gradient.W2[j], 14);
            double deltaHidden = deltaOut * network.W2[j] * a[j] * (1 - a[j]);
            for (int i = 0; i < 5; i++) Assert.Equal(deltaHidden * x[i], gradient.W1[j, i], 14);
        }
    }

    [Fact]
    public void StaticHelperCalledFromInstanceMethodsHasItsOwnGradient()
    {
        double value = SigmoidNetwork.SigmoidGradient(0.3, out double dZ);
        Assert.Equal(1 / (1 + Math.Exp(-0.3)), value, 15);
        Assert.Equal(value * (1 - value), dZ, 14);
    }
}
