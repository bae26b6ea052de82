using System;
using Xunit;

namespace SourceDiff.Tests.Models;

/// <summary>A recurrent cell used as a layer: its state S is overwritten by every Step.</summary>
public partial class StackCell
{
    public double[] W = { 0.6, -0.4 };
    public double B = 0.1;
    [State] public double S;
    public int Calls;

    [Differentiable]
    public double Step(double x)
    {
        S = Math.Tanh(W[0] * x + W[1] * S + B);
        return S;
    }
}

/// <summary>Layers reached through second names: a local bound to an element or a field, and foreach over the layers.</summary>
public partial class LayerStack
{
    public StackCell[] Layers = { new() { B = 0.2 }, new() { W = new[] { -0.5, 0.7 } }, new() { B = -0.1 } };
    public StackCell Head = new() { W = new[] { 0.9, 0.3 } };

    [Differentiable]
    public double LossThroughLocals([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double v = xs[t];
            for (int l = 0; l < Layers.Length; l++)
            {
                var layer = Layers[l];
                v = layer.Step(v) + 0.5 * v;
            }

            var head = Head;
            double e = head.Step(v) - ys[t] + 0.25 * head.S * head.B;
            loss += e * e;
        }

        return loss;
    }

    [Differentiable]
    public double LossThroughForeach([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double v = xs[t];
            foreach (var layer in Layers)
            {
                if (layer.Calls > 100)
                {
                    break;
                }

                v = layer.Step(v);
            }

            double e = Head.Step(v) - ys[t];
            loss += e * e;
        }

        return loss;
    }

    public double[] States() => new[] { Layers[0].S, Layers[1].S, Layers[2].S, Head.S };
}

public class LayerLocalTests
{
    private static readonly double[] Xs = { 0.3, -0.7, 1.1, 0.2, -0.4 };
    private static readonly double[] Ys = { 0.1, 0.2, -0.3, 0.4, 0.0 };

    /// <summary>Every model starts from the same non-zero state, so the state's adjoint matters.</summary>
    private static LayerStack Fresh()
    {
        var model = new LayerStack();
        model.Layers[1].S = 0.3;
        model.Head.S = -0.2;
        return model;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LayersNamedByLocalsOrForeachMatchFiniteDifferencesAndLeaveThePrimalsState(bool throughLocals)
    {
        Func<LayerStack, double> loss = throughLocals ? m => m.LossThroughLocals(Xs, Ys) : m => m.LossThroughForeach(Xs, Ys);
        LayerStack primal = Fresh();
        double expected = loss(primal);
        LayerStack model = Fresh();
        var gradient = new LayerStack.Gradient(model);
        double value = throughLocals ? model.LossThroughLocalsGradient(Xs, Ys, gradient) : model.LossThroughForeachGradient(Xs, Ys, gradient);
        Assert.Equal(expected, value);
        Assert.Equal(primal.States(), model.States());

        // Each parameter of each layer against central differences of that parameter alone, from the same start.
        const double h = 1e-6;
        for (int l = 0; l <= 3; l++)
        {
            StackCell.Gradient cellGradient = l < 3 ? gradient.Layers[l] : gradient.Head;
            for (int k = 0; k <= 2; k++)
            {
                double analytic = k < 2 ? cellGradient.W[k] : cellGradient.B;
                double Shifted(double by)
                {
                    LayerStack shifted = Fresh();
                    StackCell cell = l < 3 ? shifted.Layers[l] : shifted.Head;
                    if (k < 2) cell.W[k] += by;
                    else cell.B += by;
                    return loss(shifted);
                }

                double numeric = (Shifted(h) - Shifted(-h)) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic) <= 1e-6 * Math.Max(1, Math.Abs(numeric)), $"layer {l}, parameter {k}: analytic {analytic:R}, finite difference {numeric:R}");
            }
        }
    }
}
