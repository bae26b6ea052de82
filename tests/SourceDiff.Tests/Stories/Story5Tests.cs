using SourceDiff.Samples.Models;
using System;
using Xunit;

namespace SourceDiff.Tests.Stories;

/// <summary>Story 5: linear combinations of per-sample gradients with the generated gradient type's algebra.</summary>
public class Story5Tests
{
    private static SmallNetwork Network(out double[][] xs)
    {
        var random = new Random(5);
        var network = new SmallNetwork(inputs: 50, hidden: 20);
        StoryData.Fill(random, network.W, 0.2);
        StoryData.Fill(random, network.C, 0.1);
        StoryData.Fill(random, network.V, 0.3);
        network.D = 0.1;
        xs = StoryData.Vectors(random, 6, 50);
        return network;
    }

    [Fact]
    public void ThreadNumbers()
    {
        var f = new Affine();
        var g1 = new Affine.Gradient(f);
        var g2 = new Affine.Gradient(f);
        double p1 = f.FGradient(0.3, g1);
        double p2 = f.FGradient(1.5, g2);
        Affine.Gradient combined = 2 * p1 * g1 + 2 * p2 * g2;
        Assert.Equal(5.76, combined.M, 12);
        Assert.Equal(3.2, combined.B, 12);
        var full = new Affine.Gradient(f);
        f.LossGradient(new[] { 0.3, 1.5 }, full);
        Assert.Equal(full.M, combined.M, 12);
        Assert.Equal(full.B, combined.B, 12);
    }

    [Fact]
    public void OperatorCombinationEqualsTheWeightedFullBatchGradient()
    {
        var network = Network(out double[][] xs);
        var g1 = new SmallNetwork.Gradient(network);
        var g2 = new SmallNetwork.Gradient(network);
        double p1 = network.FGradient(xs[0], g1);
        double p2 = network.FGradient(xs[1], g2);
        SmallNetwork.Gradient combined = 2 * p1 * g1 + 2 * p2 * g2;
        var full = new SmallNetwork.Gradient(network);
        network.LossGradient(new[] { xs[0], xs[1] }, full);
        Assert.True(StoryData.MaxAbsDifference(combined, full) < 1e-12, $"max |difference| {StoryData.MaxAbsDifference(combined, full):E2}");
    }

    [Fact]
    public void AddScaledAccumulatesInPlace()
    {
        var network = Network(out double[][] xs);
        var sum = new SmallNetwork.Gradient(network);
        var perSample = new SmallNetwork.Gradient(network);
        foreach (double[] x in xs)
        {
            double prediction = network.FGradient(x, perSample);
            sum.AddScaled(2 * prediction, perSample);
        }

        var full = new SmallNetwork.Gradient(network);
        network.LossGradient(xs, full);
        Assert.True(StoryData.MaxAbsDifference(sum, full) < 1e-12, $"max |difference| {StoryData.MaxAbsDifference(sum, full):E2}");
    }

    [Fact]
    public void AlgebraIsConsistent()
    {
        var network = Network(out double[][] xs);
        var a = new SmallNetwork.Gradient(network);
        var b = new SmallNetwork.Gradient(network);
        network.FGradient(xs[0], a);
        network.FGradient(xs[1], b);

        Assert.Equal(0, ((a + b) - b - a).Norm(), 12);
        Assert.Equal(0, (a * 3.0 - 3.0 * a).Norm(), 15);
        Assert.Equal(Math.Sqrt(a.Dot(a)), a.Norm(), 12);
        Assert.Equal(a.Dot(b), b.Dot(a), 12);
        Assert.Equal((a + b).Dot(a), a.Dot(a) + b.Dot(a), 10);

        var copy = a.Copy();
        copy.AddScaled(-1, a);
        Assert.Equal(0, copy.Norm());
        Assert.NotEqual(0, a.Norm());                       // AddScaled on the copy left a alone

        var cleared = b.Copy();
        cleared.Clear();
        Assert.Equal(0, cleared.Norm());
        Assert.NotEqual(0, b.Norm());
    }

    [Fact]
    public void NaturalFormOfTheFullBatchLossMatchesFiniteDifferences()
    {
        var random = new Random(5);
        var network = new SmallNetworkNatural(inputs: 3, hidden: 2);
        StoryData.Fill(random, network.W, 0.2);
        StoryData.Fill(random, network.C, 0.1);
        StoryData.Fill(random, network.V, 0.3);
        network.D = 0.1;
        var xs = StoryData.Vectors(random, 2, 3);
        GradientCheck.Check(network, () => network.Loss(xs), (SmallNetworkNatural.Gradient g) => network.LossGradient(xs, g)).ThrowIfFailed();
    }
}
