using System;
using SourceDiff.Tests.EndToEnd;
using Xunit;

namespace SourceDiff.Tests.Models;

public static partial class JaggedEnergy
{
    /// <summary>Σ_t Σ_i w[i]·xs[t][i]²: every row of xs and w differentiable.</summary>
    [Differentiable]
    public static double Energy(double[][] xs, double[] w)
    {
        double s = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                s += w[i] * xs[t][i] * xs[t][i];
            }
        }

        return s;
    }
}

/// <summary>An encoder/decoder pair whose weights a user may tie (Dec = Enc), with a [State] array and an unused layer.</summary>
public partial class TwoLayerCoder
{
    public double[] Enc = { 0.4, -0.2, 0.7 };
    public double[] Dec = { 0.3, 0.5, -0.6 };
    [State] public double[] H = new double[3];
    public UnusedLayer? Spare;

    [Differentiable]
    public double Loss(double[] x)
    {
        double loss = 0;
        for (int i = 0; i < x.Length; i++)
        {
            H[i] = Math.Tanh(Enc[i] * x[i]);
            double y = Dec[i] * H[i] - x[i];
            loss += y * y;
        }

        return loss;
    }
}

public partial class UnusedLayer
{
    public double[] V = { 1.0 };

    [Differentiable]
    public double Apply(double x) => V[0] * x;
}

/// <summary>Two layers of one type: sharing one object between the fields is tied weights at layer granularity.</summary>
public partial class PairOfLayers
{
    public UnusedLayer A = new();
    public UnusedLayer B = new();

    [Differentiable]
    public double Loss(double x) => A.Apply(x) * B.Apply(x);
}

/// <summary>Issue 8, items 4, 5 and 12: bad arguments and bad model fields throw before anything is written.</summary>
public class ArgumentValidationTests
{
    private static double[][] Rows() => new[] { new[] { 0.5, -1.0 }, new[] { 2.0, 0.3 }, new[] { -0.7, 1.1 } };

    private static double[][] Buffers(double fill = 9) => new[] { new[] { fill, fill }, new[] { fill, fill }, new[] { fill, fill } };

    [Fact]
    public void ValidJaggedCallMatchesFiniteDifferences()
    {
        double[][] xs = Rows();
        double[] w = { 0.8, -0.4 };
        double[][] dXs = Buffers();
        var dW = new double[2];
        double value = JaggedEnergy.EnergyGradient(xs, w, dXs, dW);
        Assert.Equal(JaggedEnergy.Energy(xs, w), value);
        FiniteDifferences.AssertGradient(() => JaggedEnergy.Energy(xs, w), w, dW, "w");
        for (int t = 0; t < xs.Length; t++)
        {
            FiniteDifferences.AssertGradient(() => JaggedEnergy.Energy(xs, w), xs[t], dXs[t], $"xs[{t}]");
        }
    }

    [Fact]
    public void TwoRowsOfAGradientBufferBeingOneArrayThrows()
    {
        double[][] xs = Rows();
        double[] w = { 0.8, -0.4 };
        double[][] dXs = Buffers();
        dXs[1] = dXs[0];
        var dW = new[] { 9.0, 9.0 };
        var e = Assert.Throws<ArgumentException>(() => JaggedEnergy.EnergyGradient(xs, w, dXs, dW));
        Assert.Equal("dXs", e.ParamName);
        Assert.Contains("dXs[1] is the same array as dXs[0]", e.Message);
        Assert.Equal(new[] { 9.0, 9.0 }, dXs[0]);
        Assert.Equal(new[] { 9.0, 9.0 }, dW);

        e = Assert.Throws<ArgumentException>(() => JaggedEnergy.EnergyPullback(xs, w, 1.0, dXs, dW));
        Assert.Equal("dXs", e.ParamName);
        Assert.Equal(new[] { 9.0, 9.0 }, dXs[0]);
    }

    [Fact]
    public void AGradientRowThatIsAnInputRowThrowsAndTheInputIsUntouched()
    {
        double[][] xs = Rows();
        double[] w = { 0.8, -0.4 };
        double[][] dXs = Buffers();
        dXs[2] = xs[2];
        var e = Assert.Throws<ArgumentException>(() => JaggedEnergy.EnergyGradient(xs, w, dXs, new double[2]));
        Assert.Equal("dXs", e.ParamName);
        Assert.Contains("dXs[2] is the same array as xs[2]", e.Message);
        Assert.Equal(new[] { -0.7, 1.1 }, xs[2]);
    }

    [Fact]
    public void ARowOfOneInputBeingAnotherInputThrows()
    {
        double[][] xs = Rows();
        double[] w = xs[0];
        var e = Assert.Throws<ArgumentException>(() => JaggedEnergy.EnergyGradient(xs, w, Buffers(), new double[2]));
        Assert.Equal("w", e.ParamName);
        Assert.Contains("w is the same array as xs[0]", e.Message);
    }

    [Fact]
    public void NullInputsAndRowsThrowArgumentNullExceptionBeforeAnythingIsWritten()
    {
        double[][] xs = Rows();
        double[] w = { 0.8, -0.4 };
        double[][] dXs = Buffers();
        var dW = new[] { 9.0, 9.0 };

        Assert.Equal("xs", Assert.Throws<ArgumentNullException>(() => JaggedEnergy.EnergyGradient(null!, w, dXs, dW)).ParamName);
        Assert.Equal("w", Assert.Throws<ArgumentNullException>(() => JaggedEnergy.EnergyGradient(xs, null!, dXs, dW)).ParamName);
        xs[1] = null!;
        var e = Assert.Throws<ArgumentNullException>(() => JaggedEnergy.EnergyGradient(xs, w, dXs, dW));
        Assert.Equal("xs", e.ParamName);
        Assert.Contains("xs[1] is null", e.Message);
        xs = Rows();
        dXs[1] = null!;
        e = Assert.Throws<ArgumentNullException>(() => JaggedEnergy.EnergyGradient(xs, w, dXs, dW));
        Assert.Equal("dXs[1]", e.ParamName);   // buffer shapes name the row, as they always have
        Assert.Equal(new[] { 9.0, 9.0 }, dXs[0]);
        Assert.Equal(new[] { 9.0, 9.0 }, dW);
    }

    [Fact]
    public void TiedWeightsThrowNamingBothFieldsBeforeAnythingIsWritten()
    {
        var model = new TwoLayerCoder();
        var gradient = new TwoLayerCoder.Gradient(model);
        model.Dec = model.Enc;
        Array.Fill(gradient.Enc, 7.0);
        model.H[0] = 0.25;
        double[] x = { 0.9, -0.3, 0.4 };
        var e = Assert.Throws<InvalidOperationException>(() => model.LossGradient(x, gradient, new double[3]));
        Assert.Contains("this.Dec is the same array as this.Enc", e.Message);
        Assert.Contains("tied weights", e.Message);
        Assert.Equal(new[] { 7.0, 7.0, 7.0 }, gradient.Enc);
        Assert.Equal(0.25, model.H[0]);
        Assert.Throws<InvalidOperationException>(() => model.LossPullback(x, 1.0, gradient, new double[3]));
    }

    [Fact]
    public void ASharedLayerObjectThrows()
    {
        var model = new PairOfLayers();
        var gradient = new PairOfLayers.Gradient(model);
        model.B = model.A;
        var e = Assert.Throws<InvalidOperationException>(() => model.LossGradient(0.5, gradient, out _));
        Assert.Contains("this.B is the same object as this.A", e.Message);

        model = new PairOfLayers();
        gradient = new PairOfLayers.Gradient(model);
        double value = model.LossGradient(0.5, gradient, out double dX);
        Assert.Equal(new PairOfLayers().Loss(0.5), value);
        Assert.Equal(2 * 0.5, dX, 14);   // d/dx (V·x)(V·x) with V = 1
    }

    [Fact]
    public void AGradientFieldThatIsTheModelsParameterThrowsAndTheParameterIsUntouched()
    {
        var model = new TwoLayerCoder();
        var gradient = new TwoLayerCoder.Gradient(model);
        gradient.Dec = model.Dec;
        double[] x = { 0.9, -0.3, 0.4 };
        var e = Assert.Throws<ArgumentException>(() => model.LossGradient(x, gradient, new double[3]));
        Assert.Equal("gradient", e.ParamName);
        Assert.Contains("gradient.Dec is the same array as this.Dec", e.Message);
        Assert.Equal(new[] { 0.3, 0.5, -0.6 }, model.Dec);

        gradient = new TwoLayerCoder.Gradient(model);
        gradient.Dec = gradient.Enc;
        e = Assert.Throws<ArgumentException>(() => model.LossGradient(x, gradient, new double[3]));
        Assert.Equal("gradient", e.ParamName);
        Assert.Contains("gradient.Dec is the same array as gradient.Enc", e.Message);
    }

    [Fact]
    public void ArgumentsThatAreTheModelsArraysThrow()
    {
        var model = new TwoLayerCoder();
        var gradient = new TwoLayerCoder.Gradient(model);
        double[] x = { 0.9, -0.3, 0.4 };
        var e = Assert.Throws<ArgumentException>(() => model.LossGradient(x, gradient, model.Enc));
        Assert.Equal("dX", e.ParamName);
        Assert.Equal(new[] { 0.4, -0.2, 0.7 }, model.Enc);
        e = Assert.Throws<ArgumentException>(() => model.LossGradient(model.Dec, gradient, new double[3]));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("x is the same array as this.Dec", e.Message);
    }

    [Fact]
    public void NullModelFieldsThrowNamingTheFieldAndNothingIsTouched()
    {
        var model = new TwoLayerCoder();
        var gradient = new TwoLayerCoder.Gradient(model);
        Array.Fill(gradient.Dec, 7.0);
        model.H[1] = 0.5;
        model.Enc = null!;
        double[] x = { 0.9, -0.3, 0.4 };
        var dX = new[] { 9.0, 9.0, 9.0 };
        var e = Assert.Throws<InvalidOperationException>(() => model.LossGradient(x, gradient, dX));
        Assert.Contains("TwoLayerCoder.Enc is null", e.Message);
        Assert.Equal(new[] { 7.0, 7.0, 7.0 }, gradient.Dec);
        Assert.Equal(new[] { 9.0, 9.0, 9.0 }, dX);
        Assert.Equal(0.5, model.H[1]);

        model = new TwoLayerCoder();
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => model.LossGradient(null!, gradient, dX)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentNullException>(() => model.LossGradient(x, null!, dX)).ParamName);
    }

    [Fact]
    public void AnUnusedNullLayerIsAllowedAndTheGradientIsRight()
    {
        var model = new TwoLayerCoder();
        Assert.Null(model.Spare);
        var gradient = new TwoLayerCoder.Gradient(model);
        double[] x = { 0.9, -0.3, 0.4 };
        var dX = new double[3];
        model.LossGradient(x, gradient, dX);
        FiniteDifferences.AssertGradient(() => new TwoLayerCoder { Enc = model.Enc, Dec = model.Dec }.Loss(x), model.Enc, gradient.Enc, "Enc");
        FiniteDifferences.AssertGradient(() => new TwoLayerCoder { Enc = model.Enc, Dec = model.Dec }.Loss(x), model.Dec, gradient.Dec, "Dec");
        FiniteDifferences.AssertGradient(() => new TwoLayerCoder().Loss(x), x, dX, "x");
    }
}
