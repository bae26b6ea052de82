using System;
using System.Linq;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Checkpoint;

/// <summary>A layer with its own [State], moved by every call.</summary>
public partial class LeakyAccumulator
{
    public double Gain = 0.8;
    [State] public double Sum;

    [Differentiable]
    public double Add(double v)
    {
        Sum = 0.9 * Sum + Gain * v;
        return Sum;
    }

    [Differentiable]
    public void Reset()
    {
        Sum = 0;
    }
}

/// <summary>
/// A time loop bounded by an int field that nothing the method runs writes, with calls in its body: counted, so it can
/// be checkpointed.
/// </summary>
public partial class AccumulatorStack
{
    public LeakyAccumulator[] Layers = { new() { Gain = 0.8 }, new() { Gain = 1.1 }, new() { Gain = 0.6 } };
    [NoDerivative] public int Steps = 25;

    [Differentiable, Checkpoint(Snapshots = 4)]
    public double Loss([NoDerivative] double[] xs)
    {
        // The layers' own state is written, so the array's length counts as changeable; a local fixes the count.
        int depth = Layers.Length;
        for (int l = 0; l < depth; l++)
        {
            Layers[l].Reset();
        }

        double loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            double v = xs[t % xs.Length];
            for (int l = 0; l < Layers.Length; l++)
            {
                v = Layers[l].Add(v);
            }

            loss += v * v;
        }

        return loss;
    }

    [Differentiable]
    public double PlainLoss([NoDerivative] double[] xs)
    {
        // The layers' own state is written, so the array's length counts as changeable; a local fixes the count.
        int depth = Layers.Length;
        for (int l = 0; l < depth; l++)
        {
            Layers[l].Reset();
        }

        double loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            double v = xs[t % xs.Length];
            for (int l = 0; l < Layers.Length; l++)
            {
                v = Layers[l].Add(v);
            }

            loss += v * v;
        }

        return loss;
    }
}

/// <summary>
/// A vector RNN whose Step overwrites a [State] array, read out through a stateful layer, with a step counter field the
/// loop writes; the same loss with and without [Checkpoint].
/// </summary>
public partial class CheckpointedRnn
{
    public double[] Wx;
    public double[] Wh;
    public double[] B;
    [State] public double[] H;
    public LeakyAccumulator Out = new();
    [NoDerivative] public int Calls;

    public CheckpointedRnn(int hidden)
    {
        Wx = Enumerable.Range(0, hidden).Select(i => 0.5 * Math.Cos(i + 1.0)).ToArray();
        Wh = Enumerable.Range(0, hidden * hidden).Select(i => 0.4 * Math.Sin(1.7 * i)).ToArray();
        B = Enumerable.Range(0, hidden).Select(i => 0.05 * i).ToArray();
        H = new double[hidden];
    }

    [Differentiable]
    public double Step(double x)
    {
        int n = H.Length;
        double[] next = new double[n];
        for (int j = 0; j < n; j++)
        {
            double s = Wx[j] * x + B[j];
            for (int k = 0; k < n; k++)
            {
                s += Wh[j * n + k] * H[k];
            }

            next[j] = Math.Tanh(s);
        }

        double mean = 0;
        for (int j = 0; j < n; j++)
        {
            H[j] = next[j];
            mean += next[j] / n;
        }

        return Out.Add(mean);
    }

    [Differentiable]
    public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        for (int k = 0; k < H.Length; k++)
        {
            H[k] = 0;
        }

        Out.Sum = 0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            Calls++;
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss / Math.Max(1, xs.Length);
    }

    [Differentiable, Checkpoint(Snapshots = 3)]
    public double CheckpointedLoss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        for (int k = 0; k < H.Length; k++)
        {
            H[k] = 0;
        }

        Out.Sum = 0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            Calls++;
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss / Math.Max(1, xs.Length);
    }

    // Continues from whatever state the model holds (no reset), with the default snapshot count.
    [Differentiable, Checkpoint]
    public double ContinuedLoss([NoDerivative] double[] xs)
    {
        double loss = 0;
        foreach (double x in xs)
        {
            double y = Step(x);
            loss += y * y;
        }

        return loss;
    }

    [Differentiable]
    public double ContinuedLossPlain([NoDerivative] double[] xs)
    {
        double loss = 0;
        foreach (double x in xs)
        {
            double y = Step(x);
            loss += y * y;
        }

        return loss;
    }
}

/// <summary>A struct model: its fields are snapshotted one by one (it has no generated snapshot members).</summary>
public partial struct CheckpointedStruct
{
    public double A, B;
    [State] public double H;

    [Differentiable, Checkpoint(Snapshots = 2)]
    public double Loss([NoDerivative] double[] xs)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            H = Math.Tanh(A * H + B * xs[t]);
            loss += H * H;
        }

        return loss;
    }

    [Differentiable]
    public double PlainLoss([NoDerivative] double[] xs)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            H = Math.Tanh(A * H + B * xs[t]);
            loss += H * H;
        }

        return loss;
    }
}

public class CheckpointModelTests
{
    [Fact]
    public void Loops_bounded_by_fields_nothing_writes_are_checkpointed()
    {
        (double[] xs, _) = Sequence(7);
        var plain = new AccumulatorStack();
        var plainGradient = new AccumulatorStack.Gradient(plain);
        double expected = plain.PlainLossGradient(xs, plainGradient);
        var model = new AccumulatorStack();
        var gradient = new AccumulatorStack.Gradient(model);
        double value = model.LossGradient(xs, gradient);
        Assert.Equal(expected, value);
        for (int l = 0; l < 3; l++)
        {
            Assert.Equal(plainGradient.Layers[l].Gain, gradient.Layers[l].Gain);
            Assert.Equal(plain.Layers[l].Sum, model.Layers[l].Sum);
        }

        GradientCheck.Check(model, () => model.Loss(xs), (AccumulatorStack.Gradient g) => model.LossGradient(xs, g)).ThrowIfFailed();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(40)]
    public void Struct_models_are_checkpointed_field_by_field(int steps)
    {
        (double[] xs, _) = Sequence(steps);
        var plain = new CheckpointedStruct { A = 0.7, B = 0.4, H = 0.1 };
        var plainGradient = new CheckpointedStruct.Gradient(plain);
        double expected = plain.PlainLossGradient(xs, plainGradient);
        var model = new CheckpointedStruct { A = 0.7, B = 0.4, H = 0.1 };
        var gradient = new CheckpointedStruct.Gradient(model);
        double value = model.LossGradient(xs, gradient);
        Assert.Equal(expected, value);
        Assert.Equal(plainGradient.A, gradient.A);
        Assert.Equal(plainGradient.B, gradient.B);
        Assert.Equal(plain.H, model.H);
    }

    private static (double[] Xs, double[] Ys) Sequence(int steps) =>
        (Enumerable.Range(0, steps).Select(t => Math.Sin(0.3 * t)).ToArray(), Enumerable.Range(0, steps).Select(t => 0.5 * Math.Cos(0.2 * t)).ToArray());

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(31)]
    public void Model_gradient_and_final_state_equal_the_uncheckpointed_ones(int steps)
    {
        (double[] xs, double[] ys) = Sequence(steps);
        var plain = new CheckpointedRnn(4);
        var plainGradient = new CheckpointedRnn.Gradient(plain);
        double expected = plain.LossGradient(xs, ys, plainGradient);

        var model = new CheckpointedRnn(4);
        var gradient = new CheckpointedRnn.Gradient(model);
        double value = model.CheckpointedLossGradient(xs, ys, gradient);

        Assert.Equal(expected, value);
        Assert.Equal(plainGradient.Wx, gradient.Wx);
        Assert.Equal(plainGradient.Wh, gradient.Wh);
        Assert.Equal(plainGradient.B, gradient.B);
        Assert.Equal(plainGradient.Out.Gain, gradient.Out.Gain);

        // The state is what the primal leaves: the gradient call ran the loop once as far as the caller can tell.
        var primal = new CheckpointedRnn(4);
        primal.CheckpointedLoss(xs, ys);
        Assert.Equal(primal.H, model.H);
        Assert.Equal(primal.Out.Sum, model.Out.Sum);
        Assert.Equal(primal.Calls, model.Calls);
    }

    [Fact]
    public void Model_checkpointed_gradient_matches_finite_differences()
    {
        (double[] xs, double[] ys) = Sequence(12);
        var model = new CheckpointedRnn(3);
        GradientCheck.Check(model, () => model.CheckpointedLoss(xs, ys), (CheckpointedRnn.Gradient g) => model.CheckpointedLossGradient(xs, ys, g)).ThrowIfFailed();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void A_loop_continuing_from_the_models_state_over_foreach(int steps)
    {
        (double[] xs, _) = Sequence(steps);
        var plain = new CheckpointedRnn(3);
        plain.ContinuedLossPlain(xs);
        var plainGradient = new CheckpointedRnn.Gradient(plain);
        double expected = plain.ContinuedLossPlainGradient(xs, plainGradient);

        var model = new CheckpointedRnn(3);
        model.ContinuedLoss(xs);
        var gradient = new CheckpointedRnn.Gradient(model);
        double value = model.ContinuedLossGradient(xs, gradient);

        Assert.Equal(expected, value);
        Assert.Equal(plainGradient.Wh, gradient.Wh);
        Assert.Equal(plainGradient.Out.Gain, gradient.Out.Gain);
        Assert.Equal(plain.H, model.H);
        Assert.Equal(plain.Out.Sum, model.Out.Sum);
        GradientCheck.Check(model, () => model.ContinuedLoss(xs), (CheckpointedRnn.Gradient g) => model.ContinuedLossGradient(xs, g)).ThrowIfFailed();
    }
}
