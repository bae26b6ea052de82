using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Aliasing;

/// <summary>A model whose loss reads one of two parameter arrays, chosen by ?:.</summary>
public partial class TwoHeads
{
    public double[] A = { 0.4, -0.9, 1.3 };
    public double[] B = { -0.2, 0.6, 0.8 };

    [Differentiable]
    public double Loss([NoDerivative] double[] x, bool useA)
    {
        double[] head = useA ? A : B;
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += head[i] * x[i];
        }

        return Math.Tanh(s) + (useA ? B : A)[0] * s;
    }
}

/// <summary>One tanh RNN layer of a stack; it writes its new hidden state into <c>h</c>.</summary>
public partial class StackedCell
{
    public double[,] Wx;
    public double[,] Wh;
    public double[] Bias;

    public StackedCell(int inputs, int hidden, Random random)
    {
        Wx = new double[hidden, inputs];
        Wh = new double[hidden, hidden];
        Bias = new double[hidden];
        for (int i = 0; i < hidden; i++)
        {
            Bias[i] = random.NextDouble() - 0.5;
            for (int j = 0; j < inputs; j++)
            {
                Wx[i, j] = random.NextDouble() - 0.5;
            }

            for (int j = 0; j < hidden; j++)
            {
                Wh[i, j] = random.NextDouble() - 0.5;
            }
        }
    }

    [Differentiable]
    public void Step(double[] x, double[] h)
    {
        int hidden = Bias.Length;
        double[] z = new double[hidden];
        for (int i = 0; i < hidden; i++)
        {
            double s = Bias[i];
            for (int j = 0; j < x.Length; j++)
            {
                s += Wx[i, j] * x[j];
            }

            for (int j = 0; j < hidden; j++)
            {
                s += Wh[i, j] * h[j];
            }

            z[i] = s;
        }

        for (int i = 0; i < hidden; i++)
        {
            h[i] = Math.Tanh(z[i]);
        }
    }
}

/// <summary>A stacked RNN: layer l reads the input (l = 0) or the hidden state of layer l - 1, chosen by ?:.</summary>
public partial class StackedRnn
{
    public StackedCell[] Layers;
    [State] public double[][] Hs;
    public double[] Readout;

    public StackedRnn(int inputs, int hidden, int depth, int seed)
    {
        var random = new Random(seed);
        Layers = new StackedCell[depth];
        Hs = new double[depth][];
        for (int l = 0; l < depth; l++)
        {
            Layers[l] = new StackedCell(l == 0 ? inputs : hidden, hidden, random);
            Hs[l] = new double[hidden];
        }

        Readout = new double[hidden];
        for (int i = 0; i < hidden; i++)
        {
            Readout[i] = random.NextDouble() - 0.5;
        }
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] double[] ys)
    {
        for (int l = 0; l < Hs.Length; l++)
        {
            for (int i = 0; i < Hs[l].Length; i++)
            {
                Hs[l][i] = 0;
            }
        }

        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double[] x = xs[t];
            for (int l = 0; l < Layers.Length; l++)
            {
                Layers[l].Step(l == 0 ? x : Hs[l - 1], Hs[l]);
            }

            double y = 0;
            double[] top = Hs[Hs.Length - 1];
            for (int i = 0; i < top.Length; i++)
            {
                y += Readout[i] * top[i];
            }

            double e = y - ys[t];
            loss += e * e;
        }

        return loss;
    }
}

public class ModelAliasTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ParameterFieldChosenByConditional(bool useA)
    {
        var model = new TwoHeads();
        double[] x = { 0.5, 1.5, -0.7 };
        GradientCheck.Check(model, () => model.Loss(x, useA), (TwoHeads.Gradient g) => model.LossGradient(x, useA, g)).ThrowIfFailed();
        var gradient = new TwoHeads.Gradient(model);
        model.LossGradient(x, useA, gradient);
        Assert.Contains(useA ? gradient.A : gradient.B, g => g != 0);
    }

    [Fact]
    public void StackedRnnOverAnArrayOfLayers()
    {
        var model = new StackedRnn(inputs: 2, hidden: 3, depth: 3, seed: 5);
        var random = new Random(11);
        double[][] xs = new double[6][];
        double[] ys = new double[6];
        for (int t = 0; t < xs.Length; t++)
        {
            xs[t] = new[] { random.NextDouble() - 0.5, random.NextDouble() - 0.5 };
            ys[t] = random.NextDouble() - 0.5;
        }

        var gradient = new StackedRnn.Gradient(model);
        double loss = model.LossGradient(xs, ys, gradient);
        double[] finalTop = (double[])model.Hs[2].Clone();
        Assert.Equal(model.Loss(xs, ys), loss);
        Assert.Equal(finalTop, model.Hs[2]);

        GradientCheck.Check(model, () => model.Loss(xs, ys), (StackedRnn.Gradient g) => model.LossGradient(xs, ys, g)).ThrowIfFailed();
        for (int l = 0; l < 3; l++)
        {
            Assert.Contains(gradient.Layers[l].Wx.Cast<double>(), g => g != 0);
            Assert.Contains(gradient.Layers[l].Wh.Cast<double>(), g => g != 0);
        }
    }
}

internal static class MatrixEnumeration
{
    public static System.Collections.Generic.IEnumerable<T> Cast<T>(this T[,] matrix)
    {
        foreach (T value in matrix)
        {
            yield return value;
        }
    }
}

/// <summary>Double buffering by swapping two [State] array fields: a caller holding a buffer must see what the primal does.</summary>
public partial class SwappingBuffers
{
    public double W = 0.5;
    [State] public double[] H = { 1.0, -0.5 };
    [State] public double[] Next = { 0.0, 0.0 };

    [Differentiable]
    public double Step(double x)
    {
        for (int i = 0; i < H.Length; i++)
        {
            Next[i] = Math.Tanh(W * H[i] + x);
        }

        double[] t = H;
        H = Next;
        Next = t;
        return H[0] + 2 * H[1];
    }

    [Differentiable]
    public double Replace(double x)
    {
        H[0] = x * W;
        H = new double[] { H[0] * 2, W };
        return H[0] + H[1];
    }
}

public class SwappedStateTests
{
    [Fact]
    public void GradientLeavesTheArraysThePrimalLeaves()
    {
        var primal = new SwappingBuffers();
        double[] heldPrimal = primal.H;
        primal.Step(0.3);

        var model = new SwappingBuffers();
        double[] held = model.H, heldNext = model.Next;
        var gradient = new SwappingBuffers.Gradient(model);
        model.StepGradient(0.3, gradient, out double dx);

        Assert.Same(heldNext, model.H);
        Assert.Same(held, model.Next);
        Assert.Equal(primal.H, model.H);
        Assert.Equal(primal.Next, model.Next);
        Assert.Equal(heldPrimal, held);
        EndToEnd.Static.Fd.Scalar("dx", x => new SwappingBuffers().Step(x), 0.3, dx);
    }

    [Fact]
    public void AnArrayReplacedByTheMethodKeepsWhatThePrimalWroteIntoIt()
    {
        var primal = new SwappingBuffers();
        double[] heldPrimal = primal.H;
        primal.Replace(0.8);

        var model = new SwappingBuffers();
        double[] held = model.H;
        model.ReplaceGradient(0.8, new SwappingBuffers.Gradient(model), out double dx);
        Assert.Equal(heldPrimal, held);
        Assert.Equal(primal.H, model.H);
        Assert.NotSame(held, model.H);
        EndToEnd.Static.Fd.Scalar("dx", x => new SwappingBuffers().Replace(x), 0.8, dx);
    }
}
