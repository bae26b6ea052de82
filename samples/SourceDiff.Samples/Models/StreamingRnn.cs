using System;

namespace SourceDiff.Samples.Models;

/// <summary>
/// A tanh RNN over a long stream (issue 14's model, smaller): its loss as written, and the same loss under
/// [Checkpoint], which recomputes iterations from snapshots instead of recording every one.
/// </summary>
public partial class StreamingRnn
{
    public double[] Wx;
    public double[] Wh;
    public double[] B;
    public double[] V;

    /// <summary>The hidden state, overwritten by every step.</summary>
    [State] public double[] H;

    public StreamingRnn(int hidden)
    {
        Wx = new double[hidden];
        Wh = new double[hidden * hidden];
        B = new double[hidden];
        V = new double[hidden];
        H = new double[hidden];
        for (int i = 0; i < hidden; i++)
        {
            Wx[i] = 0.5 * Math.Cos(i + 1.0);
            B[i] = 0.01 * i;
            V[i] = Math.Cos(0.3 * i) / hidden;
            for (int j = 0; j < hidden; j++)
            {
                Wh[i * hidden + j] = 0.3 * Math.Sin(1.7 * (i * hidden + j)) / Math.Sqrt(hidden);
            }
        }
    }

    [Differentiable]
    public double Step(double x)
    {
        int n = H.Length;
        double[] next = new double[n];
        for (int j = 0; j < n; j++)
        {
            double s = B[j] + Wx[j] * x;
            for (int k = 0; k < n; k++)
            {
                s += Wh[j * n + k] * H[k];
            }

            next[j] = Math.Tanh(s);
        }

        double y = 0;
        for (int j = 0; j < n; j++)
        {
            H[j] = next[j];
            y += V[j] * next[j];
        }

        return y;
    }

    /// <summary>Squared error of every step's output: the tape grows with the stream.</summary>
    [Differentiable]
    public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>The same loss; its gradient holds one step of tape and about √(2T) copies of <see cref="H"/>.</summary>
    [Differentiable, Checkpoint]
    public double CheckpointedLoss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }
}
