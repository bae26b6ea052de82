using System;
using Xunit;

namespace SourceDiff.Tests.Models;

/// <summary>A model whose parameters are auto-properties of every kind: settable, init, get-only with an initializer, arrays.</summary>
public partial class PropertyRegression
{
    public double Gain { get; set; } = 0.8;
    public double Offset { get; init; } = 0.1;
    public double Temperature { get; } = 1.3;
    public double[] Weights { get; } = { 0.4, -0.3, 0.25 };
    public double[] Bias { get; set; } = { 0.05 };
    [State] public double Last { get; set; }
    [NoDerivative] public double Fixed { get; set; } = 2.0;
    [State] public double[] Trace { get; set; } = new double[1];

    /// <summary>A computed integer property: read like a field's length.</summary>
    public int Inputs => Weights.Length;

    [Differentiable]
    public double Predict(double[] x)
    {
        double s = Bias[0] + Offset;
        for (int i = 0; i < Inputs; i++)
        {
            s += Weights[i] * x[i];
        }

        Trace[0] = 0.5 * Trace[0] + s;
        Last = Gain * Math.Tanh(s / Temperature) + Fixed * Last + 0.1 * Trace[0];
        return Last;
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] double[] ys)
    {
        Last = 0;
        Trace[0] = 0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Predict(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }
}

/// <summary>A positional record is a model too: its parameters are init properties.</summary>
public partial record Line(double Slope, double Intercept)
{
    [Differentiable]
    public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        double loss = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double e = Slope * xs[i] + Intercept - ys[i];
            loss += e * e;
        }

        return loss;
    }
}

public class PropertyModelTests
{
    private static readonly double[][] Xs = { new[] { 0.5, -1.0, 0.3 }, new[] { -0.2, 0.7, 1.1 }, new[] { 0.9, 0.1, -0.4 } };
    private static readonly double[] Ys = { 0.3, -0.1, 0.6 };

    [Fact]
    public void AutoPropertiesAreParametersLikeFields()
    {
        var model = new PropertyRegression { Offset = 0.15 };
        var gradient = new PropertyRegression.Gradient(model);
        double value = model.LossGradient(Xs, Ys, gradient);
        var primal = new PropertyRegression { Offset = 0.15 };
        Assert.Equal(primal.Loss(Xs, Ys), value);

        // The gradient call leaves the state the primal leaves, in the settable array property too.
        Assert.Equal(primal.Last, model.Last);
        Assert.Equal(primal.Trace, model.Trace);

        PropertyRegression Fresh(double gain, double offset) => new() { Gain = gain, Offset = offset };
        const double h = 1e-6;
        Assert.Equal((Fresh(0.8 + h, 0.15).Loss(Xs, Ys) - Fresh(0.8 - h, 0.15).Loss(Xs, Ys)) / (2 * h), gradient.Gain, 6);
        Assert.Equal((Fresh(0.8, 0.15 + h).Loss(Xs, Ys) - Fresh(0.8, 0.15 - h).Loss(Xs, Ys)) / (2 * h), gradient.Offset, 6);
        Assert.Equal(3, gradient.Weights.Length);
        Assert.Single(gradient.Bias);

        // Temperature (get-only) and the arrays through the model's parameter table, which the checker perturbs in place.
        GradientCheck.Check(model, () => model.Loss(Xs, Ys), (PropertyRegression.Gradient g) => model.LossGradient(Xs, Ys, g)).ThrowIfFailed();
    }

    [Fact]
    public void PropertyParametersAreListedAndWritableThroughTheParameterSet()
    {
        var model = new PropertyRegression();
        IParameterSet set = model;
        var names = new System.Collections.Generic.List<string>();
        for (int i = 0; i < set.ParameterCount; i++)
        {
            names.Add(set.GetParameterName(i));
        }

        Assert.Equal(new[] { "Gain", "Offset", "Temperature", "Weights", "Bias" }, names);
        set.GetDoubles(2)[0] = 2.5;   // an optimizer's step writes the get-only property's storage
        Assert.Equal(2.5, model.Temperature);
        set.GetDoubles(1)[0] = -0.5;
        Assert.Equal(-0.5, model.Offset);
    }

    [Fact]
    public void APositionalRecordIsAModel()
    {
        double[] xs = { 0, 1, 2, 3 }, ys = { 1.1, 2.9, 5.2, 6.8 };
        var line = new Line(1.5, 0.5);
        var gradient = new Line.Gradient(line);
        line.LossGradient(xs, ys, gradient);

        const double h = 1e-6;
        Assert.Equal((new Line(1.5 + h, 0.5).Loss(xs, ys) - new Line(1.5 - h, 0.5).Loss(xs, ys)) / (2 * h), gradient.Slope, 6);
        Assert.Equal((new Line(1.5, 0.5 + h).Loss(xs, ys) - new Line(1.5, 0.5 - h).Loss(xs, ys)) / (2 * h), gradient.Intercept, 6);
        GradientCheck.Check(line, () => line.Loss(xs, ys), (Line.Gradient g) => line.LossGradient(xs, ys, g)).ThrowIfFailed();
    }
}

/// <summary>A layer whose parameters are properties.</summary>
public partial class PropertyDense
{
    public double[] W { get; set; } = { 0.3, -0.6 };
    public double Bias { get; set; } = 0.05;

    [Differentiable]
    public double Forward(double[] x)
    {
        double s = Bias;
        for (int i = 0; i < W.Length; i++)
        {
            s += W[i] * x[i];
        }

        return Math.Tanh(s);
    }
}

/// <summary>A plain base holding a parameter as an auto-property.</summary>
public abstract class ScaledBase
{
    public double Scaling { get; set; } = 1.4;
}

/// <summary>A layer held in a get-only property, whose property parameter is also read directly; an inherited property parameter.</summary>
public partial class PropertyNetwork : ScaledBase
{
    public PropertyDense Hidden { get; } = new();

    [Differentiable]
    public double Loss([NoDerivative] double[] x, double target)
    {
        double e = Scaling * Hidden.Forward(x) + 0.5 * Hidden.Bias - target;
        return e * e;
    }
}

public class PropertyLayerTests
{
    [Fact]
    public void LayerInAPropertyAndAnInheritedPropertyParameter()
    {
        double[] x = { 0.7, -0.4 };
        var model = new PropertyNetwork();
        var gradient = new PropertyNetwork.Gradient(model);
        double value = model.LossGradient(x, 0.3, gradient, out double dTarget);
        Assert.Equal(new PropertyNetwork().Loss(x, 0.3), value);
        Assert.Equal(2, gradient.Hidden.W.Length);

        const double h = 1e-6;
        double Loss(double bias) => new PropertyNetwork { Hidden = { Bias = bias } }.Loss(x, 0.3);
        Assert.Equal((Loss(0.05 + h) - Loss(0.05 - h)) / (2 * h), gradient.Hidden.Bias, 6);
        Assert.Equal((new PropertyNetwork { Scaling = 1.4 + h }.Loss(x, 0.3) - new PropertyNetwork { Scaling = 1.4 - h }.Loss(x, 0.3)) / (2 * h), gradient.Scaling, 6);
        GradientCheck.Check(model, () => model.Loss(x, 0.3), (PropertyNetwork.Gradient g) => model.LossGradient(x, 0.3, g, out _)).ThrowIfFailed();
    }
}

/// <summary>A layer whose parameters are fields, held in a get-only property whose fields are also read directly.</summary>
public partial class FieldDense
{
    public double W = 0.6, Bias = 0.2;

    [Differentiable]
    public double Forward(double x) => Math.Tanh(W * x + Bias);
}

public partial class FieldLayerInProperty
{
    public double Scaling = 1.5;

    public FieldDense Hidden { get; } = new();

    [Differentiable]
    public double Loss(double x) => Scaling * Hidden.Forward(x) + Hidden.Bias * Hidden.W;
}

public class FieldLayerInPropertyTests
{
    [Fact]
    public void FieldsOfALayerHeldInAPropertyAreReadAsItsParameters()
    {
        var model = new FieldLayerInProperty();
        var gradient = new FieldLayerInProperty.Gradient(model);
        double value = model.LossGradient(0.8, gradient, out double dx);
        Assert.Equal(new FieldLayerInProperty().Loss(0.8), value);

        const double h = 1e-6;
        Assert.Equal((new FieldLayerInProperty().Loss(0.8 + h) - new FieldLayerInProperty().Loss(0.8 - h)) / (2 * h), dx, 6);
        double ByBias(double b) => new FieldLayerInProperty { Hidden = { Bias = b } }.Loss(0.8);
        double ByW(double w) => new FieldLayerInProperty { Hidden = { W = w } }.Loss(0.8);
        Assert.Equal((ByBias(0.2 + h) - ByBias(0.2 - h)) / (2 * h), gradient.Hidden.Bias, 6);
        Assert.Equal((ByW(0.6 + h) - ByW(0.6 - h)) / (2 * h), gradient.Hidden.W, 6);
    }
}

/// <summary>A recurrent cell whose hidden state its Step overwrites.</summary>
public partial class StatefulCell
{
    public double W, U;

    [State]
    public double H;

    public StatefulCell(double w, double u)
    {
        W = w;
        U = u;
    }

    [Differentiable]
    public double Step(double x)
    {
        H = Math.Tanh(W * x + U * H);
        return H;
    }
}

/// <summary>Layers that cannot be reassigned (a get-only property, a readonly field) still have their state written.</summary>
public partial class UnassignableLayers
{
    public StatefulCell Top { get; } = new(0.9, 0.1);

    public readonly StatefulCell Bottom = new(-0.4, 0.7);

    [Differentiable]
    public double Loss(double x) => Top.Step(Bottom.Step(x)) + Top.Step(x);
}

public class UnassignableLayerTests
{
    [Fact]
    public void AfterAGradientCallTheLayersHoldTheStateThePlainCallLeaves()
    {
        var model = new UnassignableLayers();
        var gradient = new UnassignableLayers.Gradient(model);
        double value = model.LossGradient(0.5, gradient, out double dx);
        var plain = new UnassignableLayers();
        Assert.Equal(plain.Loss(0.5), value);
        Assert.Equal(plain.Top.H, model.Top.H);
        Assert.Equal(plain.Bottom.H, model.Bottom.H);
        Assert.NotEqual(0, model.Top.H);

        const double h = 1e-6;
        Assert.Equal((new UnassignableLayers().Loss(0.5 + h) - new UnassignableLayers().Loss(0.5 - h)) / (2 * h), dx, 6);
        double ByTopW(double w) => new UnassignableLayers { Top = { W = w } }.Loss(0.5);
        Assert.Equal((ByTopW(0.9 + h) - ByTopW(0.9 - h)) / (2 * h), gradient.Top.W, 6);
    }
}
