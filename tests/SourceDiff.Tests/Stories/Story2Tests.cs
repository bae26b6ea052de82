using SourceDiff.Samples.Models;
using System;
using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Tests.Stories;

/// <summary>
/// Story 2: the softmax recurrent layer with cross-entropy. Full BPTT equals finite differences; the explicit
/// one-step truncation with Grad.Stop equals the truncated gradient computed by hand and by finite differences of a
/// loss in which every step's previous state is data.
/// </summary>
public class Story2Tests
{
    private const int Features = 2, Classes = 2;
    private readonly ITestOutputHelper output;

    public Story2Tests(ITestOutputHelper output) => this.output = output;

    internal static (SoftmaxRecurrentLayer Layer, double[][] Xs, int[] Labels) Create(int sequences, int steps, double recurrentScale = 0.5, int seed = 2017)
    {
        var random = new Random(seed);
        var xs = StoryData.Vectors(random, sequences * steps, Features);
        var labels = new int[sequences * steps];
        for (int n = 0; n < labels.Length; n++)
        {
            labels[n] = random.Next(Classes);
        }

        var layer = new SoftmaxRecurrentLayer(Features, Classes);
        StoryData.Fill(random, layer.W);
        StoryData.Fill(random, layer.Wrec, recurrentScale);
        StoryData.Fill(random, layer.B, 0.1);
        return (layer, xs, labels);
    }

    /// <summary>The primal's states: states[n] is the state step n reads (h_{t-1}), recorded without any AD.</summary>
    private static double[][] StatesRead(SoftmaxRecurrentLayer layer, double[][] xs, int sequences, int steps)
    {
        var states = new double[xs.Length][];
        for (int s = 0; s < sequences; s++)
        {
            Array.Clear(layer.H);
            for (int t = 0; t < steps; t++)
            {
                states[s * steps + t] = (double[])layer.H.Clone();
                layer.Step(xs[s * steps + t]);
            }
        }

        return states;
    }

    /// <summary>The loss with every step's previous state replaced by recorded data: its gradient is the one-step-truncated one.</summary>
    private static double LossWithFrozenStates(SoftmaxRecurrentLayer layer, double[][] xs, int[] labels, double[][] states)
    {
        double total = 0;
        for (int n = 0; n < xs.Length; n++)
        {
            Array.Copy(states[n], layer.H, Classes);
            layer.Step(xs[n]);
            total -= Math.Log(layer.H[labels[n]]);
        }

        return total / xs.Length;
    }

    private static SoftmaxRecurrentLayer.Gradient TruncatedByHand(SoftmaxRecurrentLayer layer, double[][] xs, int[] labels, double[][] states)
    {
        var g = new SoftmaxRecurrentLayer.Gradient(layer);
        var p = new double[Classes];
        for (int n = 0; n < xs.Length; n++)
        {
            double[] h = states[n];
            double max = double.NegativeInfinity;
            for (int j = 0; j < Classes; j++)
            {
                double z = layer.B[j];
                for (int i = 0; i < Features; i++) z += xs[n][i] * layer.W[i, j];
                for (int k = 0; k < Classes; k++) z += h[k] * layer.Wrec[k, j];
                p[j] = z;
                max = Math.Max(max, z);
            }

            double sum = 0;
            for (int j = 0; j < Classes; j++) { p[j] = Math.Exp(p[j] - max); sum += p[j]; }
            for (int j = 0; j < Classes; j++)
            {
                double dz = (p[j] / sum - (labels[n] == j ? 1.0 : 0.0)) / xs.Length;
                g.B[j] += dz;
                for (int i = 0; i < Features; i++) g.W[i, j] += xs[n][i] * dz;
                for (int k = 0; k < Classes; k++) g.Wrec[k, j] += h[k] * dz;
            }
        }

        return g;
    }

    [Fact]
    public void FullBpttMatchesFiniteDifferencesOnEveryParameter()
    {
        var (layer, xs, labels) = Create(sequences: 3, steps: 40);
        var report = GradientCheck.Check(layer, () => layer.Loss(xs, labels, 3, 40),
            (SoftmaxRecurrentLayer.Gradient g) => layer.LossGradient(xs, labels, 3, 40, g));
        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
    }

    [Fact]
    public void FullBpttMatchesFiniteDifferencesAtTheStorySize()
    {
        var (layer, xs, labels) = Create(sequences: 10, steps: 10_000);
        var clock = Stopwatch.StartNew();
        var report = GradientCheck.Check(layer, () => layer.Loss(xs, labels, 10, 10_000),
            (SoftmaxRecurrentLayer.Gradient g) => layer.LossGradient(xs, labels, 10, 10_000, g),
            new GradientCheckOptions { Mode = GradientCheckMode.Directional, Directions = 4 });
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F2} s");
        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
    }

    [Fact]
    public void GradStopGivesTheOneStepTruncatedGradient()
    {
        var (layer, xs, labels) = Create(sequences: 3, steps: 40);
        var truncated = new SoftmaxRecurrentLayer.Gradient(layer);
        double loss = layer.TruncatedLossGradient(xs, labels, 3, 40, truncated);
        Assert.Equal(layer.Loss(xs, labels, 3, 40), loss, 14);

        double[][] states = StatesRead(layer, xs, 3, 40);
        var byHand = TruncatedByHand(layer, xs, labels, states);
        Assert.True(StoryData.MaxAbsDifference(truncated, byHand) < 1e-14, $"Grad.Stop vs hand: {StoryData.MaxAbsDifference(truncated, byHand):E2}");

        // And against finite differences of the loss whose previous states are data.
        var report = GradientCheck.Check(layer, () => LossWithFrozenStates(layer, xs, labels, states), truncated);
        output.WriteLine(report.ToString());
        report.ThrowIfFailed();

        // It is not the full gradient: with a non-zero recurrent matrix, truncation changes every parameter's gradient.
        var full = new SoftmaxRecurrentLayer.Gradient(layer);
        layer.LossGradient(xs, labels, 3, 40, full);
        Assert.True((full - truncated).Norm() > 1e-4 * full.Norm(), "truncation should change the gradient when Wrec != 0");
    }

    [Fact]
    public void GradStopChangesNothingWhenTheRecurrentMatrixIsZero()
    {
        // The thread's set-up: Wrec = 0, so the recurrent net equals the feed-forward one and so must their gradients.
        var (layer, xs, labels) = Create(sequences: 3, steps: 40, recurrentScale: 0.0);
        var full = new SoftmaxRecurrentLayer.Gradient(layer);
        var truncated = new SoftmaxRecurrentLayer.Gradient(layer);
        layer.LossGradient(xs, labels, 3, 40, full);
        layer.TruncatedLossGradient(xs, labels, 3, 40, truncated);
        Assert.True(StoryData.MaxAbsDifference(full, truncated) < 1e-15);
    }

    [Fact]
    public void GradientLeavesTheLayerAsThePrimalDoes()
    {
        var (layer, xs, labels) = Create(sequences: 2, steps: 25);
        var (reference, _, _) = Create(sequences: 2, steps: 25);
        reference.Loss(xs, labels, 2, 25);
        layer.LossGradient(xs, labels, 2, 25, new SoftmaxRecurrentLayer.Gradient(layer));
        Assert.Equal(reference.H, layer.H);
        Assert.Equal(reference.W, layer.W);
    }
}
