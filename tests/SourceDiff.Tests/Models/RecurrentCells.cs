using System;

namespace SourceDiff.Tests.Models;

/// <summary>Shared activations, as users write them: static helpers called from instance methods.</summary>
public static partial class Activation
{
    [Differentiable] public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));
}

/// <summary>An LSTM cell written as a user would: weights as 2-D arrays, [State] h and c overwritten per step.</summary>
public partial class LstmCell
{
    public double[,] Wi, Wf, Wo, Wg;   // [hidden, input + hidden]
    public double[] Bi, Bf, Bo, Bg;
    [State] public double[] H;
    [State] public double[] C;

    public LstmCell(int input, int hidden, Random random)
    {
        Wi = Init(hidden, input + hidden, random);
        Wf = Init(hidden, input + hidden, random);
        Wo = Init(hidden, input + hidden, random);
        Wg = Init(hidden, input + hidden, random);
        Bi = new double[hidden];
        Bf = new double[hidden];
        Bo = new double[hidden];
        Bg = new double[hidden];
        for (int j = 0; j < hidden; j++) Bf[j] = 1.0;
        H = new double[hidden];
        C = new double[hidden];
    }

    private static double[,] Init(int rows, int columns, Random random)
    {
        var w = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                w[i, j] = (random.NextDouble() - 0.5) * 0.8;
        return w;
    }

    [Differentiable]
    public void Step(double[] x)
    {
        int n = H.Length;
        double[] hPrev = new double[n];
        for (int j = 0; j < n; j++) hPrev[j] = H[j];
        for (int j = 0; j < n; j++)
        {
            double zi = Bi[j], zf = Bf[j], zo = Bo[j], zg = Bg[j];
            for (int k = 0; k < x.Length; k++)
            {
                zi += Wi[j, k] * x[k];
                zf += Wf[j, k] * x[k];
                zo += Wo[j, k] * x[k];
                zg += Wg[j, k] * x[k];
            }

            for (int k = 0; k < n; k++)
            {
                zi += Wi[j, x.Length + k] * hPrev[k];
                zf += Wf[j, x.Length + k] * hPrev[k];
                zo += Wo[j, x.Length + k] * hPrev[k];
                zg += Wg[j, x.Length + k] * hPrev[k];
            }

            double i = Activation.Sigmoid(zi);
            double f = Activation.Sigmoid(zf);
            double o = Activation.Sigmoid(zo);
            double g = Math.Tanh(zg);
            C[j] = f * C[j] + i * g;
            H[j] = o * Math.Tanh(C[j]);
        }
    }
}

/// <summary>A GRU cell with vectors as jagged weight rows and ref hidden state instead of a field.</summary>
public partial class GruCell
{
    public double[][] Wz, Wr, Wh;   // rows of length input + hidden
    public double[] Bz, Br, Bh;

    public GruCell(int input, int hidden, Random random)
    {
        Wz = Rows(hidden, input + hidden, random);
        Wr = Rows(hidden, input + hidden, random);
        Wh = Rows(hidden, input + hidden, random);
        Bz = new double[hidden];
        Br = new double[hidden];
        Bh = new double[hidden];
    }

    private static double[][] Rows(int rows, int columns, Random random)
    {
        var w = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            w[i] = new double[columns];
            for (int j = 0; j < columns; j++) w[i][j] = (random.NextDouble() - 0.5) * 0.8;
        }

        return w;
    }

    [Differentiable]
    public void Step(double[] x, double[] h)
    {
        int n = h.Length;
        double[] r = new double[n];
        double[] z = new double[n];
        for (int j = 0; j < n; j++)
        {
            double sz = Bz[j], sr = Br[j];
            for (int k = 0; k < x.Length; k++) { sz += Wz[j][k] * x[k]; sr += Wr[j][k] * x[k]; }
            for (int k = 0; k < n; k++) { sz += Wz[j][x.Length + k] * h[k]; sr += Wr[j][x.Length + k] * h[k]; }
            z[j] = Activation.Sigmoid(sz);
            r[j] = Activation.Sigmoid(sr);
        }

        double[] candidate = new double[n];
        for (int j = 0; j < n; j++)
        {
            double s = Bh[j];
            for (int k = 0; k < x.Length; k++) s += Wh[j][k] * x[k];
            for (int k = 0; k < n; k++) s += Wh[j][x.Length + k] * r[k] * h[k];
            candidate[j] = Math.Tanh(s);
        }

        for (int j = 0; j < n; j++) h[j] = (1 - z[j]) * h[j] + z[j] * candidate[j];
    }
}

/// <summary>Stacked layers: an LSTM feeding a GRU feeding a linear read-out, with an MSE over the sequence.</summary>
public partial class StackedModel
{
    public LstmCell First;
    public GruCell Second;
    public double[] ReadOut;
    public double Bias;

    public StackedModel(int input, int hidden, Random random)
    {
        First = new LstmCell(input, hidden, random);
        Second = new GruCell(hidden, hidden, random);
        ReadOut = new double[hidden];
        for (int j = 0; j < hidden; j++) ReadOut[j] = random.NextDouble() - 0.5;
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] double[] targets)
    {
        int n = First.H.Length;
        for (int j = 0; j < n; j++) { First.H[j] = 0; First.C[j] = 0; }
        double[] h2 = new double[n];
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            First.Step(xs[t]);
            Second.Step(First.H, h2);
            double y = Bias;
            for (int j = 0; j < n; j++) y += ReadOut[j] * h2[j];
            double e = y - targets[t];
            loss += e * e;
        }

        return loss / xs.Length;
    }
}
