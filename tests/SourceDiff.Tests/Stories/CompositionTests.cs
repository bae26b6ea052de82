using SourceDiff.Samples.Models;
using System;
using System.Linq;
using SourceDiff.Tests.Generator;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Tests.Stories;

/// <summary>
/// The compositions the story models use: a layer object held in a field (<c>gradient.Out.V</c>), a stateful layer
/// in a field, arrays of layers, hidden state as an array argument written in place, static helpers called from
/// instance methods; and a short training run with Adam.
/// </summary>
public class CompositionTests
{
    private readonly ITestOutputHelper output;

    public CompositionTests(ITestOutputHelper output) => this.output = output;

    private static SequencePredictor Predictor(int seed, int hidden = 5)
    {
        var random = new Random(seed);
        var model = new SequencePredictor(2, hidden, 2);
        StoryData.Fill(random, model.Wx, 0.5);
        StoryData.Fill(random, model.Wh, 0.5);
        StoryData.Fill(random, model.Bh, 0.1);
        StoryData.Fill(random, model.Out.V, 0.5);
        StoryData.Fill(random, model.Out.C, 0.1);
        return model;
    }

    [Fact]
    public void LayerInAFieldAndInPlaceHiddenStateMatchFiniteDifferences()
    {
        var model = Predictor(1);
        var random = new Random(2);
        var xs = StoryData.Vectors(random, 3 * 7, 2);
        var ys = StoryData.Vectors(random, 3 * 7, 2);
        var report = GradientCheck.Check(model, () => model.Loss(xs, ys, 3, 7), (SequencePredictor.Gradient g) => model.LossGradient(xs, ys, 3, 7, g));
        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
    }

    [Fact]
    public void GradientOfTheLayerFieldIsTheGradientOfTheLayersParameters()
    {
        var model = Predictor(3);
        var random = new Random(4);
        var xs = StoryData.Vectors(random, 10, 2);
        var ys = StoryData.Vectors(random, 10, 2);
        var gradient = new SequencePredictor.Gradient(model);
        model.LossGradient(xs, ys, 2, 5, gradient);
        Assert.Equal(model.Out.V.GetLength(0), gradient.Out.V.GetLength(0));
        Assert.Equal(model.Out.V.GetLength(1), gradient.Out.V.GetLength(1));
        for (int o = 0; o < 2; o++)
        {
            for (int j = 0; j < 5; j++)
            {
                double saved = model.Out.V[o, j];
                const double h = 1e-6;
                model.Out.V[o, j] = saved + h; double plus = model.Loss(xs, ys, 2, 5);
                model.Out.V[o, j] = saved - h; double minus = model.Loss(xs, ys, 2, 5);
                model.Out.V[o, j] = saved;
                Assert.True(Math.Abs((plus - minus) / (2 * h) - gradient.Out.V[o, j]) < 1e-8, $"Out.V[{o},{j}]");
            }
        }

        Assert.Contains("Out.V", Enumerable.Range(0, ((IParameterSet)gradient).ParameterCount).Select(((IParameterSet)gradient).GetParameterName));
    }

    [Fact]
    public void InPlaceStepPullbackTurnsFinalStateAdjointIntoInitialStateAdjoint()
    {
        // Step(x, h) writes h in place: its gradient takes nothing for h, and returns d(sum of final h)/d(initial h).
        var model = Predictor(5);
        double[] x = { 0.4, -0.3 };
        double[] h = { 0.1, -0.2, 0.3, 0.0, 0.5 };
        var gradient = new SequencePredictor.Gradient(model);
        var dH = new double[] { 1, 1, 1, 1, 1 };
        double[] h0 = (double[])h.Clone();
        model.StepPullback(x, h, gradient, dH);
        double[] expectedH = (double[])h0.Clone();
        model.Step(x, expectedH);
        Assert.Equal(expectedH, h);                           // same side effect as the primal
        for (int k = 0; k < 5; k++)
        {
            double Sum(double delta)
            {
                double[] hh = (double[])h0.Clone();
                hh[k] += delta;
                model.Step(x, hh);
                return hh.Sum();
            }

            Assert.True(Math.Abs((Sum(1e-6) - Sum(-1e-6)) / 2e-6 - dH[k]) < 1e-8, $"dH[{k}]");
        }
    }

    [Fact]
    public void StatefulLayerInAFieldMatchesFiniteDifferences()
    {
        var random = new Random(6);
        var model = new StatefulComposite(2, 4);
        StoryData.Fill(random, model.Cell.Wx, 0.5);
        StoryData.Fill(random, model.Cell.Wh, 0.5);
        StoryData.Fill(random, model.Cell.B, 0.1);
        StoryData.Fill(random, model.V, 0.5);
        model.C = 0.2;
        var xs = StoryData.Vectors(random, 9, 2);
        var ys = new double[9];
        StoryData.Fill(random, ys);
        var report = GradientCheck.Check(model, () => model.Loss(xs, ys), (StatefulComposite.Gradient g) => model.LossGradient(xs, ys, g));
        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
    }

    [Fact]
    public void ArrayOfLayersMatchesFiniteDifferences()
    {
        var random = new Random(7);
        var model = new DenseStack(3, 4, 4, 2);
        foreach (Dense layer in model.Layers)
        {
            StoryData.Fill(random, layer.V, 0.7);
            StoryData.Fill(random, layer.C, 0.1);
        }

        double[] x = { 0.5, -1.0, 0.25 };
        double[] y = { 0.3, -0.2 };
        var report = GradientCheck.Check(model, () => model.Loss(x, y), (DenseStack.Gradient g) => model.LossGradient(x, y, g));
        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
        var gradient = new DenseStack.Gradient(model);
        model.LossGradient(x, y, gradient);
        Assert.Equal(3, gradient.Layers.Length);
        Assert.Equal(model.Layers[1].V.Length, gradient.Layers[1].V.Length);
    }

    [Fact]
    public void LayerMethodGradientHasTheArgumentGradient()
    {
        var dense = new Dense(3, 2);
        StoryData.Fill(new Random(8), dense.V);
        double[] x = { 1.0, 2.0, 3.0 };
        var gradient = new Dense.Gradient(dense);
        var dX = new double[3];
        dense.ApplyGradient(x, 1, gradient, dX);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(dense.V[1, i], dX[i], 15);
            Assert.Equal(x[i], gradient.V[1, i], 15);
            Assert.Equal(0, gradient.V[0, i]);
        }

        Assert.Equal(1, gradient.C[1]);
    }

    [Fact]
    public void AdamTrainingOnGeneratedGradientsReducesTheLoss()
    {
        var random = new Random(9);
        var model = new SequencePredictor(1, 8, 1);
        StoryData.Fill(random, model.Wx, 0.5);
        StoryData.Fill(random, model.Wh, 0.3);
        StoryData.Fill(random, model.Out.V, 0.3);
        // One fixed batch of sine waves: predict the next value.
        const int batch = 4, steps = 20;
        var xs = new double[batch * steps][];
        var ys = new double[batch * steps][];
        for (int b = 0; b < batch; b++)
        {
            double phase = random.NextDouble() * 6.28;
            for (int t = 0; t < steps; t++)
            {
                xs[b * steps + t] = new[] { Math.Sin(0.3 * t + phase) };
                ys[b * steps + t] = new[] { Math.Sin(0.3 * (t + 1) + phase) };
            }
        }

        double initial = model.Loss(xs, ys, batch, steps);
        var adam = new Adam(model, 0.02);
        var gradient = new SequencePredictor.Gradient(model);
        for (int i = 0; i < 200; i++)
        {
            model.LossGradient(xs, ys, batch, steps, gradient);
            adam.Step(gradient);
        }

        double final = model.Loss(xs, ys, batch, steps);
        output.WriteLine($"{initial} -> {final}");
        Assert.True(final < 0.05 * initial, $"loss {initial} -> {final}");
    }

    private const string StopAssignedDirectly = """
        using SourceDiff;
        public static partial class Truncation
        {
            [Differentiable]
            public static double F(double x)
            {
                double y = Grad.Stop(x);
                return x * y;
            }
        }
        """;

    [Fact]
    public void GradStopAssignedDirectlyCompiles()
    {
        GeneratorHarness.Run(StopAssignedDirectly).AssertCompiles();
    }

    [Fact]
    public void GradStopInsideAnExpressionCompiles()
    {
        GeneratorHarness.Run(StopAssignedDirectly.Replace("double y = Grad.Stop(x);", "double y = 0.0 + Grad.Stop(x);")).AssertCompiles();
    }
}
