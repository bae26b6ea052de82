// The consumer's own style, not the generated code's: models keep their parameters in public fields, and an
// executable's types are public so the generated members are externally visible and must be documented (CS1591).
// A pragma covers this file only, so the generated files are built under every rule.
#pragma warning disable CA1051, CA1062, CA1515

using System;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using SourceDiff;

namespace Consumer;

/// <summary>A static differentiable function.</summary>
public static partial class Losses
{
    /// <summary>A smooth loss of a weight vector and a scalar.</summary>
    /// <param name="w">The weights.</param>
    /// <param name="x">The scalar input.</param>
    /// <returns>The loss.</returns>
    [Differentiable]
    public static double Loss(double[] w, double x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += Math.Tanh(w[i] * x + i);
        }

        return s * s;
    }
}

/// <summary>A layer written with TensorPrimitives (explicit element types: C# 12 infers none from arrays).</summary>
public static partial class VectorLosses
{
    /// <summary>The squared norm of tanh(w ⊙ x + b).</summary>
    /// <param name="w">The weights.</param>
    /// <param name="b">The biases.</param>
    /// <param name="x">The input.</param>
    /// <returns>The loss.</returns>
    [Differentiable]
    public static double Loss(double[] w, double[] b, [NoDerivative] double[] x)
    {
        double[] h = new double[w.Length];
        TensorPrimitives.Multiply<double>(w, x, h);
        TensorPrimitives.Add<double>(h, b, h);
        TensorPrimitives.Tanh<double>(h, h);
        return TensorPrimitives.SumOfSquares<double>(h);
    }
}

/// <summary>A dense layer held by the model.</summary>
public partial class Dense
{
    /// <summary>The weights.</summary>
    public double[] Weights = [0.3, -0.2, 0.5];

    /// <summary>The bias.</summary>
    public double Bias = 0.1;

    /// <summary>Applies the layer to a scalar.</summary>
    /// <param name="x">The input.</param>
    /// <returns>The output.</returns>
    [Differentiable]
    public double Apply(double x)
    {
        double s = Bias;
        for (int i = 0; i < Weights.Length; i++)
        {
            s += Weights[i] * Math.Tanh(x * (i + 1));
        }

        return s;
    }
}

/// <summary>A recurrent model with hidden state and a layer.</summary>
public partial class TinyRnn
{
    /// <summary>Input weight.</summary>
    public double Wx = 0.5;

    /// <summary>Recurrent weight.</summary>
    public double Wh = 0.3;

    /// <summary>The hidden state.</summary>
    [State]
    public double H;

    /// <summary>The read-out layer.</summary>
    public Dense Out = new();

    /// <summary>One step.</summary>
    /// <param name="x">The input.</param>
    /// <returns>The prediction.</returns>
    [Differentiable]
    public double Step(double x)
    {
        H = Math.Tanh(Wx * x + Wh * H);
        return Out.Apply(H);
    }

    /// <summary>The loss over a sequence.</summary>
    /// <param name="xs">The inputs.</param>
    /// <param name="ys">The targets.</param>
    /// <returns>The loss.</returns>
    [Differentiable]
    public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        H = 0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }
}

/// <summary>A recurrent cell written with MathNet.Numerics matrices and vectors.</summary>
public partial class MatrixRnn
{
    /// <summary>Input weights.</summary>
    public Matrix<double> Wx = Matrix<double>.Build.Dense(3, 2, (i, j) => 0.1 * (i - j) + 0.2);

    /// <summary>Recurrent weights.</summary>
    public Matrix<double> Wh = Matrix<double>.Build.Dense(3, 3, (i, j) => i == j ? 0.5 : -0.1);

    /// <summary>Read-out weights.</summary>
    public Vector<double> V = Vector<double>.Build.Dense(3, i => 0.3 * i - 0.2);

    /// <summary>The hidden state.</summary>
    [State]
    public Vector<double> H = Vector<double>.Build.Dense(3);

    /// <summary>The loss over a sequence.</summary>
    /// <param name="xs">The inputs.</param>
    /// <param name="ys">The targets.</param>
    /// <returns>The loss.</returns>
    [Differentiable]
    public double Loss([NoDerivative] Vector<double>[] xs, [NoDerivative] double[] ys)
    {
        H = Vector<double>.Build.Dense(V.Count);
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            H = (Wx * xs[t] + Wh * H).PointwiseTanh();
            double e = V.DotProduct(H) - ys[t];
            loss += e * e;
        }

        return loss;
    }
}
