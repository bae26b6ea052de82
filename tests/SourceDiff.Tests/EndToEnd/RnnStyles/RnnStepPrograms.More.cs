using System;
using System.Numerics.Tensors;
using SourceDiff;
using SourceDiff.Tests.EndToEnd.Static;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.RnnStyles;

public static partial class RnnStepPrograms
{
    /// <summary>A helper that writes a[j] for j != k and returns a value read from a[k].</summary>
    [Differentiable]
    public static double Neighbour(double[] a, int k, double v)
    {
        int j = (k + 1) % a.Length;
        a[j] = a[j] + v;
        return Math.Tanh(v + a[k] * a[j]);
    }

    /// <summary>The step's element written from a helper that writes the next element of next.</summary>
    [Differentiable]
    public static double HelperWritesNeighbour(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] = Neighbour(next, i, w[i] * h[(i + 1) % n] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>Compound write from a call that writes the target.</summary>
    [Differentiable]
    public static double CompoundFromCall(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                next[i] += Bump(next, i, w[i] * h[(i + 1) % n] + xs[t]);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>TensorPrimitives step: pre-activation by Dot, Tanh into next, CopyTo into h.</summary>
    [Differentiable]
    public static double TensorElman(double[] w, [NoDerivative] double[] xs, int n, int steps)
    {
        double[] h = new double[n];
        double[] pre = new double[n];
        double[] next = new double[n];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                pre[i] = TensorPrimitives.Dot(w.AsSpan(i * n, n), h) + w[n * n + i] * xs[t];
            }

            TensorPrimitives.Tanh(pre, next);
            next.CopyTo(h, 0);
            loss += TensorPrimitives.SumOfSquares(h);
        }

        return loss;
    }
}

public static partial class FloatPrograms
{
    [Differentiable]
    public static float ElmanCopy(float[] w, [NoDerivative] float[] xs, int n, int steps)
    {
        float[] h = new float[n];
        float[] next = new float[n];
        float loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                float a = w[n * n + i] * xs[t];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h[j];
                }

                next[i] = MathF.Tanh(a + 0.2f * next[i]);
            }

            Array.Copy(next, h, n);
            for (int i = 0; i < n; i++)
            {
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    [Differentiable]
    [Checkpoint(Snapshots = 2)]
    public static float ElmanHandCopyCheckpointed(float[] w, [NoDerivative] float[] xs, int n, int steps)
    {
        float[] h = new float[n];
        float[] next = new float[n];
        float loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                float a = w[n * n + i] * xs[t];
                for (int j = 0; j < n; j++)
                {
                    a += w[i * n + j] * h[j];
                }

                next[i] = MathF.Tanh(a);
            }

            for (int i = 0; i < n; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }
        }

        return loss;
    }
}

/// <summary>A model: [State] hidden array, Step using local scratch buffers, Loss calling Step.</summary>
public partial class ScratchRnn
{
    public double[] W = new double[9];
    public double[] U = new double[3];
    [State] public double[] H = new double[3];

    [Differentiable]
    public double Step(double x)
    {
        int n = H.Length;
        double[] pre = new double[n];
        double[] act = new double[n];
        for (int i = 0; i < n; i++)
        {
            double a = U[i] * x;
            for (int j = 0; j < n; j++)
            {
                a += W[i * n + j] * H[j];
            }

            pre[i] = a;
        }

        for (int k = 0; k < 2; k++)
        {
            for (int i = 0; i < n; i++)
            {
                act[i] = Math.Tanh(pre[i] + 0.5 * act[(i + 1) % n]);
            }

            for (int i = 0; i < n; i++)
            {
                pre[i] = act[i];
            }
        }

        double s = 0;
        for (int i = 0; i < n; i++)
        {
            H[i] = act[i];
            s += act[i] * act[i];
        }

        return s;
    }

    [Differentiable]
    public double Loss([NoDerivative] double[] xs)
    {
        Array.Clear(H);
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            loss += Step(xs[t]) * (t + 1);
        }

        return loss;
    }
}

public class MorePrograms
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 3)]
    [InlineData(2, 2)]
    [InlineData(3, 5)]
    public void FloatVersions(int n, int steps)
    {
        float[] w = Array.ConvertAll(Fd.Values(RnnStepPrograms.WLength(n), 3 + n), v => (float)v);
        float[] xs = Array.ConvertAll(Fd.Values(steps, 9), v => (float)v);
        var dW = new float[w.Length];
        float value = FloatPrograms.ElmanCopyGradient(w, xs, n, steps, dW);
        Assert.Equal(FloatPrograms.ElmanCopy(w, xs, n, steps), value);
        Fd.Vec("w", () => FloatPrograms.ElmanCopy(w, xs, n, steps), w, dW);
        var dW2 = new float[w.Length];
        float value2 = FloatPrograms.ElmanHandCopyCheckpointedGradient(w, xs, n, steps, dW2);
        Assert.Equal(FloatPrograms.ElmanHandCopyCheckpointed(w, xs, n, steps), value2);
        Fd.Vec("w", () => FloatPrograms.ElmanHandCopyCheckpointed(w, xs, n, steps), w, dW2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void ScratchModel(int steps)
    {
        double[] xs = Fd.Values(steps, 4);
        ScratchRnn Make()
        {
            var m = new ScratchRnn();
            Fd.Values(9, 1).CopyTo(m.W, 0);
            Fd.Values(3, 2).CopyTo(m.U, 0);
            return m;
        }

        ScratchRnn model = Make();
        var gradient = new ScratchRnn.Gradient(model);
        double value = model.LossGradient(xs, gradient);
        ScratchRnn reference = Make();
        Assert.Equal(reference.Loss(xs), value);
        Assert.Equal(reference.H, model.H);
        ScratchRnn probe = Make();
        Fd.Vec("W", () => probe.Loss(xs), probe.W, gradient.W);
        Fd.Vec("U", () => probe.Loss(xs), probe.U, gradient.U);
    }
}
