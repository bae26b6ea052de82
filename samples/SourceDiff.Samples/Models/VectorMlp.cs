using System;
using System.Numerics.Tensors;

namespace SourceDiff.Samples.Models;

/// <summary>
/// A two-layer perceptron written with <see cref="TensorPrimitives"/>, as .NET model code is: rows of flattened weight
/// matrices as <c>AsSpan</c> views, a ReLU as <c>Max(h, 0, h)</c>, a softmax and cross-entropy. Its gradient is
/// generated like any other; the forward sweep runs these SIMD calls as written, the reverse sweep their vectorized
/// adjoints. The element type is spelled out (<c>Dot&lt;double&gt;</c>) because C# 12, which the snapshot tests
/// compile with, infers none from an array passed as a span.
/// </summary>
public partial class VectorMlp
{
    public readonly int Inputs, Hidden, Classes;

    /// <summary>Hidden weights, row-major Hidden × Inputs.</summary>
    public double[] W1;
    public double[] B1;

    /// <summary>Output weights, row-major Classes × Hidden.</summary>
    public double[] W2;
    public double[] B2;

    public VectorMlp(int inputs, int hidden, int classes)
    {
        (Inputs, Hidden, Classes) = (inputs, hidden, classes);
        W1 = new double[hidden * inputs];
        B1 = new double[hidden];
        W2 = new double[classes * hidden];
        B2 = new double[classes];
    }

    /// <summary>The cross-entropy of one example: −log softmax(W2·relu(W1·x + b1) + b2)[label].</summary>
    [Differentiable]
    public double ExampleLoss([NoDerivative] double[] x, int label)
    {
        double[] h = new double[Hidden];
        for (int i = 0; i < Hidden; i++)
        {
            h[i] = TensorPrimitives.Dot<double>(W1.AsSpan(i * Inputs, Inputs), x);
        }

        TensorPrimitives.Add<double>(h, B1, h);
        TensorPrimitives.Max<double>(h, 0.0, h);
        double[] p = new double[Classes];
        for (int k = 0; k < Classes; k++)
        {
            p[k] = TensorPrimitives.Dot<double>(W2.AsSpan(k * Hidden, Hidden), h);
        }

        TensorPrimitives.Add<double>(p, B2, p);
        TensorPrimitives.SoftMax<double>(p, p);
        return -Math.Log(p[label]);
    }

    /// <summary>The mean cross-entropy of a batch.</summary>
    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] int[] labels)
    {
        double loss = 0;
        for (int n = 0; n < xs.Length; n++)
        {
            loss += ExampleLoss(xs[n], labels[n]);
        }

        return loss / xs.Length;
    }

    /// <summary>The most probable class (no derivative needed: plain code).</summary>
    public int Predict(double[] x)
    {
        double[] h = new double[Hidden];
        for (int i = 0; i < Hidden; i++)
        {
            h[i] = TensorPrimitives.Dot<double>(W1.AsSpan(i * Inputs, Inputs), x) + B1[i];
        }

        TensorPrimitives.Max<double>(h, 0.0, h);
        double[] p = new double[Classes];
        for (int k = 0; k < Classes; k++)
        {
            p[k] = TensorPrimitives.Dot<double>(W2.AsSpan(k * Hidden, Hidden), h) + B2[k];
        }

        return TensorPrimitives.IndexOfMax<double>(p);
    }
}
