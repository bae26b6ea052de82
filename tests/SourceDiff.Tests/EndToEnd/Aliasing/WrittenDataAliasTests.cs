using System;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Aliasing;

/// <summary>
/// [NoDerivative] data that is storage the method writes would change under the method with values that depend on the
/// parameters, while its derivative is dropped: a gradient call refuses it (ArgumentException naming the data) before
/// it writes anything, for array and MathNet arguments and for [State] fields alike.
/// </summary>
public static partial class WrittenData
{
    [Differentiable]
    public static double Smooth(double[] h, double w, [NoDerivative] double[] x)
    {
        for (int i = 0; i < h.Length; i++)
        {
            h[i] = Math.Tanh(w * h[i]) + x[i];
        }

        return h[0] + x[1];
    }
}

public partial class WrittenState
{
    public Matrix<double> W = Matrix<double>.Build.Dense(2, 2, (i, j) => i == j ? 0.8 : 0.3);
    [State] public Vector<double> H = Vector<double>.Build.Dense(2, i => 0.5 + i);
    [State] public double[] Trace = { 0.1, 0.2 };

    [Differentiable]
    public double Step([NoDerivative] Vector<double> x)
    {
        W.Multiply(H, H);
        return H.DotProduct(x) + x.Sum();
    }

    [Differentiable]
    public double Record([NoDerivative] double[] x)
    {
        Trace[0] = W[0, 0] * Trace[1];
        return Trace[0] * x[0];
    }
}

public class WrittenDataAliasTests
{
    [Fact]
    public void StaticDataThatIsAWrittenArgumentIsRefused()
    {
        double[] h = { 0.3, -0.2 };
        double[] dH = { 9, 9 };

        var error = Assert.Throws<ArgumentException>(() => WrittenData.SmoothGradient(h, 0.7, h, dH, out _));

        Assert.Equal("x", error.ParamName);
        Assert.Equal(new[] { 0.3, -0.2 }, h);
        Assert.Equal(new double[] { 9, 9 }, dH);
        WrittenData.SmoothGradient(h, 0.7, new[] { 0.3, -0.2 }, dH, out _);
    }

    [Fact]
    public void ModelDataThatIsAWrittenStateFieldIsRefused()
    {
        var model = new WrittenState();
        var gradient = new WrittenState.Gradient(model);
        Vector<double> before = model.H.Clone();

        var vector = Assert.Throws<ArgumentException>(() => model.StepGradient(model.H, gradient));
        var sharing = Assert.Throws<ArgumentException>(() => model.StepGradient(Vector<double>.Build.Dense(model.H.AsArray()), gradient));
        var array = Assert.Throws<ArgumentException>(() => model.RecordGradient(model.Trace, gradient));

        Assert.Equal("x", vector.ParamName);
        Assert.Equal("x", sharing.ParamName);
        Assert.Equal("x", array.ParamName);
        Assert.Contains("this.H", vector.Message);
        Assert.Equal(before, model.H);
        Assert.Equal(new[] { 0.1, 0.2 }, model.Trace);

        // Distinct data is fine, and a method that does not write H may read it as data.
        model.StepGradient(model.H.Clone(), gradient);
        model.RecordGradient(model.H.ToArray(), gradient);
    }
}
