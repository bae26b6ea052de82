using System;
using Xunit;

namespace SourceDiff.Tests.Models;

/// <summary>LSTM and GRU cells, stacked, against finite differences: the kind of model outside checks compile.</summary>
public class RecurrentCellTests
{
    private static (double[][] Xs, double[] Targets) Data(int steps, int input, int seed)
    {
        var random = new Random(seed);
        var xs = new double[steps][];
        var targets = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            xs[t] = new double[input];
            for (int k = 0; k < input; k++) xs[t][k] = random.NextDouble() * 2 - 1;
            targets[t] = Math.Sin(t * 0.7);
        }

        return (xs, targets);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void StackedLstmGruMatchesFiniteDifferences(int seed)
    {
        var model = new StackedModel(input: 2, hidden: 3, new Random(seed));
        (double[][] xs, double[] targets) = Data(steps: 7, input: 2, seed);
        GradientCheck.Check(model, () => model.Loss(xs, targets), (StackedModel.Gradient g) => model.LossGradient(xs, targets, g)).ThrowIfFailed();
    }

    [Fact]
    public void LayerGradientsAreNestedUnderTheirFieldNames()
    {
        var model = new StackedModel(input: 2, hidden: 3, new Random(4));
        (double[][] xs, double[] targets) = Data(steps: 5, input: 2, seed: 4);
        var gradient = new StackedModel.Gradient(model);
        model.LossGradient(xs, targets, gradient);
        Assert.Equal(model.First.Wi.GetLength(0), gradient.First.Wi.GetLength(0));
        Assert.Equal(model.Second.Wz.Length, gradient.Second.Wz.Length);

        // One entry checked by hand through an independent central difference.
        double saved = model.Second.Wz[1][2];
        double h = 1e-6;
        model.Second.Wz[1][2] = saved + h;
        double plus = model.Loss(xs, targets);
        model.Second.Wz[1][2] = saved - h;
        double minus = model.Loss(xs, targets);
        model.Second.Wz[1][2] = saved;
        Assert.Equal((plus - minus) / (2 * h), gradient.Second.Wz[1][2], 6);
    }

    [Fact]
    public void GruPullbackMapsTheAdjointOfTheFinalStateToTheInitialState()
    {
        var cell = new GruCell(input: 2, hidden: 3, new Random(5));
        double[] x = { 0.3, -0.8 };
        double[] h0 = { 0.1, -0.2, 0.4 };
        double[] weights = { 0.7, -1.1, 0.4 };

        // f(h0) = Σ weights·Step(x, h0): its gradient is the pullback of `weights` through the step.
        double F(double[] initial)
        {
            double[] h = (double[])initial.Clone();
            cell.Step(x, h);
            double sum = 0;
            for (int j = 0; j < h.Length; j++) sum += weights[j] * h[j];
            return sum;
        }

        double[] state = (double[])h0.Clone();
        double[] dH = (double[])weights.Clone();
        double[] dX = new double[2];
        var gradient = new GruCell.Gradient(cell);
        cell.StepPullback(x, state, gradient, dX, dH);

        double[] expectedFinal = (double[])h0.Clone();
        cell.Step(x, expectedFinal);
        Assert.Equal(expectedFinal, state);
        for (int j = 0; j < h0.Length; j++)
        {
            double[] plus = (double[])h0.Clone();
            double[] minus = (double[])h0.Clone();
            plus[j] += 1e-6;
            minus[j] -= 1e-6;
            Assert.Equal((F(plus) - F(minus)) / 2e-6, dH[j], 7);
        }
    }

    [Fact]
    public void LstmGradientLeavesTheStateThePrimalLeaves()
    {
        var model = new StackedModel(input: 2, hidden: 3, new Random(6));
        var reference = new StackedModel(input: 2, hidden: 3, new Random(6));
        (double[][] xs, double[] targets) = Data(steps: 4, input: 2, seed: 6);
        double loss = model.LossGradient(xs, targets, new StackedModel.Gradient(model));
        Assert.Equal(reference.Loss(xs, targets), loss);
        Assert.Equal(reference.First.H, model.First.H);
        Assert.Equal(reference.First.C, model.First.C);
    }
}
