using System;
using System.Numerics.Tensors;

namespace SourceDiff.Tests.EndToEnd.Tensors;

/// <summary>
/// Every TensorPrimitives operation with a built-in adjoint, written as users write them: over whole arrays, AsSpan
/// views, slices and span locals, in place and into scratch arrays. Each ends in <see cref="Weigh"/>, so every output
/// element gets a different adjoint. Inputs are nine elements: past a vector's width, with a remainder.
/// </summary>
public static partial class TensorStatics
{
    /// <summary>A smooth scalar of every element, each weighted differently.</summary>
    [Differentiable]
    public static double Weigh(double[] d)
    {
        double sum = 0;
        for (int i = 0; i < d.Length; i++)
        {
            sum += (0.3 * i - 1) * d[i] + 0.25 * d[i] * d[i];
        }

        return sum;
    }

    [Differentiable]
    public static double AddSpans(double[] a, double[] b, double s)
    {
        double[] d = new double[a.Length];
        TensorPrimitives.Add(a, b, d);
        TensorPrimitives.Add(d, s, d);
        return Weigh(d);
    }

    [Differentiable]
    public static double SubtractViews(double[] a, double[] b, double s)
    {
        int n = a.Length - 2;
        double[] d = new double[a.Length];
        TensorPrimitives.Subtract(a.AsSpan(1, n), b.AsSpan(0, n), d.AsSpan(2, n));
        TensorPrimitives.Subtract(d.AsSpan(0, 4), s, d.AsSpan(0, 4));
        TensorPrimitives.Subtract(s * s, b.AsSpan(5), d.AsSpan(5));
        return Weigh(d);
    }

    [Differentiable]
    public static double MultiplyInPlace(double[] a, double[] b, double s)
    {
        double[] d = new double[a.Length];
        TensorPrimitives.Multiply(a, b, d);
        TensorPrimitives.Multiply(d, d, d);
        TensorPrimitives.Multiply(d, s, d);
        return Weigh(d);
    }

    [Differentiable]
    public static double DivideSpans(double[] a, double[] b, double s)
    {
        double[] d = new double[a.Length];
        double[] positive = new double[b.Length];
        TensorPrimitives.Exp(b, positive);
        TensorPrimitives.Divide(a, positive, d);
        TensorPrimitives.Divide(d, 1 + s * s, d);
        TensorPrimitives.Divide(s, positive.AsSpan(0, 3), d.AsSpan(6, 3));
        return Weigh(d);
    }

    [Differentiable]
    public static double FusedMultiplyAdds(double[] a, double[] b, double s)
    {
        double[] d = new double[a.Length];
        double[] e = new double[a.Length];
        TensorPrimitives.MultiplyAdd(a, b, a, d);
        TensorPrimitives.MultiplyAdd(d, b, s, e);
        TensorPrimitives.MultiplyAdd(e, s, a, d);
        TensorPrimitives.AddMultiply(a, b, d, e);
        TensorPrimitives.AddMultiply(e, d, s, e);
        TensorPrimitives.AddMultiply(e, s, b, d);
        return Weigh(d) + Weigh(e);
    }

    [Differentiable]
    public static double ElementFunctions(double[] a, double[] b, double s)
    {
        double[] d = new double[a.Length];
        double total = 0;
        TensorPrimitives.Negate(a, d);
        total += Weigh(d);
        TensorPrimitives.Exp(d, d);
        total += Weigh(d);
        TensorPrimitives.Log(d, d);
        total += Weigh(d);
        TensorPrimitives.Tanh(b, d);
        total += Weigh(d);
        TensorPrimitives.Sigmoid(a, d);
        total += Weigh(d);
        TensorPrimitives.Sqrt(d, d);
        total += Weigh(d);
        TensorPrimitives.Reciprocal(d, d);
        total += Weigh(d);
        TensorPrimitives.Sinh(b, d);
        total += Weigh(d);
        TensorPrimitives.Cosh(b, d);
        total += Weigh(d);
        TensorPrimitives.Sin(a, d);
        total += Weigh(d);
        TensorPrimitives.Cos(a, d);
        total += Weigh(d);
        TensorPrimitives.Abs(b, d);
        return total + s * Weigh(d);
    }

    [Differentiable]
    public static double SoftMaxCrossEntropy(double[] a, double[] b, double s)
    {
        double[] p = new double[a.Length];
        TensorPrimitives.Multiply(a, s, p);
        TensorPrimitives.SoftMax(p, p);
        TensorPrimitives.Log(p, p);
        return -TensorPrimitives.Dot(p, b);
    }

    [Differentiable]
    public static double ElementMaxMin(double[] a, double[] b, double s)
    {
        double[] d = new double[a.Length];
        TensorPrimitives.Max(a, b, d);
        TensorPrimitives.Max(d, s, d);
        TensorPrimitives.Min(d, a.AsSpan(), d);
        TensorPrimitives.Min(d.AsSpan(0, 5), -s, d.AsSpan(0, 5));
        return Weigh(d);
    }

    [Differentiable]
    public static double Reductions(double[] a, double[] b, double s)
    {
        ReadOnlySpan<double> head = a.AsSpan(0, 6);
        double value = TensorPrimitives.Sum(head) * s;
        value += TensorPrimitives.SumOfSquares(b);
        value += TensorPrimitives.SumOfMagnitudes(a) * 0.5;
        value += TensorPrimitives.Norm(a.AsSpan(2)) * TensorPrimitives.Dot(a, b);
        value += TensorPrimitives.Distance(a, b);
        value += TensorPrimitives.Max(a) - 2 * TensorPrimitives.Min(b.AsSpan(1, 7));
        value += TensorPrimitives.CosineSimilarity(head, b.AsSpan(3, 6));
        return value;
    }

    /// <summary>IndexOfMax (no derivative) picks an element whose log-probability is differentiated.</summary>
    [Differentiable]
    public static double LogOfLargest(double[] a, double[] b, double s)
    {
        double[] p = new double[a.Length];
        TensorPrimitives.Multiply(a, s, p);
        TensorPrimitives.SoftMax(p, p);
        int k = TensorPrimitives.IndexOfMax(p.AsSpan(1, p.Length - 1)) + 1;
        return Math.Log(p[k]) + b[k] * p[0];
    }

    /// <summary>A span parameter, sliced, as the destination and an input.</summary>
    [Differentiable]
    public static void ScaleTail(Span<double> values, double scale)
    {
        Span<double> tail = values.Slice(3);
        TensorPrimitives.Multiply(tail, scale, tail);
        TensorPrimitives.Tanh(values.Slice(0, 3), values.Slice(0, 3));
    }

    [Differentiable]
    public static double CallsThroughSpans(double[] a, double[] b, double s)
    {
        double[] d = (double[])a.Clone();
        ScaleTail(d, s);
        TensorPrimitives.Add(d, b, d);
        return Weigh(d);
    }

    /// <summary>A two-layer perceptron: rows of a flattened weight matrix as views, tanh in place, a softmax output.</summary>
    [Differentiable]
    public static double Perceptron(double[] w1, double[] b1, double[] w2, [NoDerivative] double[] x, [NoDerivative] double[] target)
    {
        int hidden = b1.Length;
        int inputs = x.Length;
        int outputs = target.Length;
        double[] h = new double[hidden];
        for (int i = 0; i < hidden; i++)
        {
            h[i] = TensorPrimitives.Dot(w1.AsSpan(i * inputs, inputs), x);
        }

        TensorPrimitives.Add(h, b1, h);
        TensorPrimitives.Tanh(h, h);
        double[] o = new double[outputs];
        for (int k = 0; k < outputs; k++)
        {
            o[k] = TensorPrimitives.Dot(w2.AsSpan(k * hidden, hidden), h);
        }

        TensorPrimitives.SoftMax(o, o);
        TensorPrimitives.Log(o, o);
        return -TensorPrimitives.Dot(o, target);
    }

    /// <summary>An Elman RNN over a sequence: the hidden state overwritten in place every step, a squared error per step.</summary>
    [Differentiable]
    public static double Elman(double[] wx, double[] wh, double[] b, [NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        int n = b.Length;
        double[] h = new double[n];
        double[] pre = new double[n];
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            for (int i = 0; i < n; i++)
            {
                pre[i] = TensorPrimitives.Dot(wh.AsSpan(i * n, n), h);
            }

            TensorPrimitives.MultiplyAdd(wx, xs[t], pre, pre);
            TensorPrimitives.Add(pre, b, pre);
            TensorPrimitives.Tanh(pre, h);
            double e = TensorPrimitives.Sum(h) - ys[t];
            loss += e * e;
        }

        return loss;
    }

    [Differentiable]
    [Checkpoint(Snapshots = 2)]
    public static double ElmanCheckpointed(double[] wx, double[] wh, double[] b, [NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        int n = b.Length;
        double[] h = new double[n];
        double[] pre = new double[n];
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            for (int i = 0; i < n; i++)
            {
                pre[i] = TensorPrimitives.Dot(wh.AsSpan(i * n, n), h);
            }

            TensorPrimitives.MultiplyAdd(wx, xs[t], pre, pre);
            TensorPrimitives.Add(pre, b, pre);
            TensorPrimitives.Tanh(pre, h);
            double e = TensorPrimitives.Sum(h) - ys[t];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>Data normalised in a [NoDerivative] buffer: a kernel with no differentiable input needs no adjoint.</summary>
    [Differentiable]
    public static double NormalisedData(double[] w, [NoDerivative] double[] x, [NoDerivative] double[] scratch)
    {
        TensorPrimitives.Multiply(x, 1 / TensorPrimitives.Norm(x), scratch);
        double value = TensorPrimitives.Dot(w, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        return value * TensorPrimitives.Dot(w, scratch);
    }

    [Differentiable]
    public static float FloatLayer(float[] w, float[] b, [NoDerivative] float[] x)
    {
        int n = b.Length;
        float[] h = new float[n];
        for (int i = 0; i < n; i++)
        {
            h[i] = TensorPrimitives.Dot(w.AsSpan(i * x.Length, x.Length), x);
        }

        TensorPrimitives.Add(h, b, h);
        TensorPrimitives.Sigmoid(h, h);
        TensorPrimitives.Multiply(h, h, h);
        return TensorPrimitives.Sum(h) + TensorPrimitives.Norm(b);
    }

    [Differentiable]
    public static double DoubleLayer(double[] w, double[] b, [NoDerivative] double[] x)
    {
        int n = b.Length;
        double[] h = new double[n];
        for (int i = 0; i < n; i++)
        {
            h[i] = TensorPrimitives.Dot(w.AsSpan(i * x.Length, x.Length), x);
        }

        TensorPrimitives.Add(h, b, h);
        TensorPrimitives.Sigmoid(h, h);
        TensorPrimitives.Multiply(h, h, h);
        return TensorPrimitives.Sum(h) + TensorPrimitives.Norm(b);
    }
}

/// <summary>
/// Scalar arguments that read what the same call writes (found by a new-user trial): the call must get, in its reverse
/// sweep too, the value it was given, not the one it left.
/// </summary>
public static partial class ArgumentsTheCallWrites
{
    [Differentiable]
    public static double ScaleByFirst(double[] a)
    {
        double[] b = (double[])a.Clone();
        TensorPrimitives.Multiply(b, b[0], b);
        TensorPrimitives.Divide(b, b[b.Length - 1] + 1, b);
        return TensorPrimitives.Sum(b) + b[0];
    }

    [Differentiable]
    public static void Scale(double[] v, double s)
    {
        for (int i = 0; i < v.Length; i++)
        {
            v[i] *= s;
        }
    }

    [Differentiable]
    public static double CalleeScaleByFirst(double[] a)
    {
        double[] b = (double[])a.Clone();
        Scale(b, b[0]);
        Scale(b, Math.Exp(b[1]));
        return b[0] + 2 * b[1] + b[2];
    }
}

public partial class FeedsItsState
{
    public double W = 0.7;
    [State] public double H = 0.3;

    [Differentiable]
    public double Step(double x)
    {
        H = Math.Tanh(W * x + 0.5 * H);
        return H;
    }

    [Differentiable]
    public double Loss(double x0)
    {
        H = x0;
        double s = 0;
        for (int t = 0; t < 3; t++)
        {
            s += Step(H * H);
        }

        return s;
    }
}
