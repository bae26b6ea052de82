using SourceDiff.Samples.Models;
using System;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Tests.Stories;

/// <summary>Story 4: the Elman RNN (tanh state, sigmoid output, return_sequences, MSE), against finite differences.</summary>
public class Story4Tests
{
    private readonly ITestOutputHelper output;

    public Story4Tests(ITestOutputHelper output) => this.output = output;

    internal static (ElmanRnn Model, double[][] Xs, double[][] Ys) Create(int batch, int steps, int inputs, int hidden, int outputs, int seed)
    {
        var random = new Random(seed);
        var model = new ElmanRnn(inputs, hidden, outputs);
        StoryData.Fill(random, model.U, 0.5);
        StoryData.Fill(random, model.W, 0.5);
        StoryData.Fill(random, model.V, 0.5);
        StoryData.Fill(random, model.BState, 0.1);
        StoryData.Fill(random, model.BOut, 0.1);
        var xs = StoryData.Vectors(random, batch * steps, inputs);
        var ys = new double[batch * steps][];
        for (int n = 0; n < ys.Length; n++)
        {
            ys[n] = new double[outputs];
            for (int o = 0; o < outputs; o++) ys[n][o] = random.NextDouble();
        }

        return (model, xs, ys);
    }

    [Theory]
    [InlineData(3, 6, 3, 4, 2, 4)]
    [InlineData(1, 20, 2, 5, 1, 40)]
    [InlineData(4, 3, 1, 3, 3, 41)]
    public void GradientMatchesFiniteDifferences(int batch, int steps, int inputs, int hidden, int outputs, int seed)
    {
        var (model, xs, ys) = Create(batch, steps, inputs, hidden, outputs, seed);
        var report = GradientCheck.Check(model, () => model.Loss(xs, ys, batch, steps),
            (ElmanRnn.Gradient g) => model.LossGradient(xs, ys, batch, steps, g));
        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
    }

    [Fact]
    public void BStateMatchesPlainCentralDifferences()
    {
        // The parameters whose checks failed in the thread (U, W, B_state) are the ones that flow through the state;
        // an independent plain central difference, not the runtime checker, on B_state:
        var (model, xs, ys) = Create(1, 2, 2, 3, 1, 9);
        var gradient = new ElmanRnn.Gradient(model);
        model.LossGradient(xs, ys, 1, 2, gradient);
        var numeric = FiniteDifference(() => model.Loss(xs, ys, 1, 2), model.BState);
        for (int j = 0; j < numeric.Length; j++)
        {
            Assert.True(Math.Abs(numeric[j] - gradient.BState[j]) < 1e-9, $"BState[{j}]: {gradient.BState[j]} vs {numeric[j]}");
        }
    }

    [Fact]
    public void GradientLeavesTheStateThePrimalLeaves()
    {
        var (model, xs, ys) = Create(2, 5, 3, 4, 2, 12);
        var (reference, _, _) = Create(2, 5, 3, 4, 2, 12);
        reference.Loss(xs, ys, 2, 5);
        model.LossGradient(xs, ys, 2, 5, new ElmanRnn.Gradient(model));
        Assert.Equal(reference.State, model.State);
    }

    private static double[] FiniteDifference(Func<double> f, double[] x)
    {
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            const double h = 1e-5;
            x[i] = saved + h; double plus = f();
            x[i] = saved - h; double minus = f();
            x[i] = saved;
            result[i] = (plus - minus) / (2 * h);
        }

        return result;
    }
}
