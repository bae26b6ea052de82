using System;

namespace SourceDiff.Benchmarks;

/// <summary>The story-1 recurrence of EXAMPLE.md, over a long sequence.</summary>
public static partial class FluxRnn
{
    [Differentiable]
    public static double SquaredLoss(double wx, double wh, double b, double h0, double[] x, [NoDerivative] double[] ystar)
    {
        double h = h0;
        double loss = 0;
        for (int t = 0; t < x.Length; t++)
        {
            h = wx * x[t] + wh * h + b;
            double e = h - ystar[t];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>EXAMPLE.md's expert adjoint, written by hand: the bar for generated code.</summary>
    public static double SquaredLossHandWritten(double wx, double wh, double b, double h0, double[] x, double[] ystar,
        out double dWx, out double dWh, out double dB, out double dH0, double[] dX)
    {
        if (dX.Length != x.Length) throw new ArgumentException("length", nameof(dX));
        dWx = 0; dWh = 0; dB = 0; dH0 = 0;
        Array.Clear(dX);
        var tape = Tape.Rent();
        double h = h0;
        double loss = 0;
        int t = 0;
        for (; t < x.Length; t++)
        {
            tape.PushDouble(h);
            h = wx * x[t] + wh * h + b;
            double e = h - ystar[t];
            loss += e * e;
        }

        double dLoss = 1;
        double dh = 0;
        for (t--; t >= 0; t--)
        {
            double hPrev = tape.PopDouble();
            double e = (wx * x[t] + wh * hPrev + b) - ystar[t];
            double dE = 2 * e * dLoss;
            dh += dE;
            dWx += dh * x[t];
            dX[t] += dh * wx;
            dWh += dh * hPrev;
            dB += dh;
            dh *= wh;
        }

        dH0 += dh;
        tape.Return();
        return loss;
    }
}

/// <summary>User story 2's recurrent softmax layer with cross-entropy, as a model with [State] hidden state.</summary>
public partial class SoftmaxRnn
{
    public double[,] W = new double[2, 2];
    public double[,] WRec = new double[2, 2];
    public double[] B = new double[2];
    [State] public double[] H = new double[2];

    [Differentiable]
    public double Step(double[] x, int label)
    {
        double z0 = x[0] * W[0, 0] + x[1] * W[1, 0] + H[0] * WRec[0, 0] + H[1] * WRec[1, 0] + B[0];
        double z1 = x[0] * W[0, 1] + x[1] * W[1, 1] + H[0] * WRec[0, 1] + H[1] * WRec[1, 1] + B[1];
        double m = Math.Max(z0, z1);
        double e0 = Math.Exp(z0 - m);
        double e1 = Math.Exp(z1 - m);
        double s = e0 + e1;
        H[0] = e0 / s;
        H[1] = e1 / s;
        return -Math.Log(H[label]);
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, int[] labels)
    {
        H[0] = 0;
        H[1] = 0;
        double total = 0;
        for (int t = 0; t < xs.Length; t++) total += Step(xs[t], labels[t]);
        return total / xs.Length;
    }
}
