using SourceDiff.Samples.Models;
using System;

namespace SourceDiff.Tests.Stories;

/// <summary>Story 5's network written the natural way, <c>double f = F(x);</c>: a call assigned straight to a local in a loop.</summary>
public partial class SmallNetworkNatural
{
    public double[,] W;
    public double[] C;
    public double[] V;
    public double D;

    public SmallNetworkNatural(int inputs, int hidden)
    {
        W = new double[hidden, inputs];
        C = new double[hidden];
        V = new double[hidden];
    }

    [Differentiable]
    public double F([NoDerivative] double[] x)
    {
        double y = D;
        for (int j = 0; j < V.Length; j++)
        {
            double s = C[j];
            for (int i = 0; i < x.Length; i++)
            {
                s += W[j, i] * x[i];
            }

            y += V[j] * Math.Tanh(s);
        }

        return y;
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][] xs)
    {
        double loss = 0;
        for (int n = 0; n < xs.Length; n++)
        {
            double f = F(xs[n]);
            loss += f * f;
        }

        return loss;
    }
}

/// <summary>A recurrent cell that keeps its own hidden state in a [State] field.</summary>
public partial class StatefulCell
{
    public double[,] Wx;   // hidden × inputs
    public double[,] Wh;   // hidden × hidden
    public double[] B;
    [State] public double[] H;

    public StatefulCell(int inputs, int hidden)
    {
        Wx = new double[hidden, inputs];
        Wh = new double[hidden, hidden];
        B = new double[hidden];
        H = new double[hidden];
    }

    [Differentiable]
    public void Reset()
    {
        for (int k = 0; k < H.Length; k++)
        {
            H[k] = 0;
        }
    }

    /// <summary>Overwrites H with tanh(Wx·x + Wh·H + B) and returns H[0] (so callers can use it as a value).</summary>
    [Differentiable]
    public double Step([NoDerivative] double[] x)
    {
        int hidden = B.Length;
        double[] z = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            double s = B[j];
            for (int i = 0; i < x.Length; i++)
            {
                s += Wx[j, i] * x[i];
            }

            for (int k = 0; k < hidden; k++)
            {
                s += Wh[j, k] * H[k];
            }

            z[j] = s;
        }

        for (int j = 0; j < hidden; j++)
        {
            H[j] = Math.Tanh(z[j]);
        }

        return H[0];
    }

    /// <summary>A read-out of the state through a differentiable method, so other objects need not read the field.</summary>
    [Differentiable]
    public double ReadOut(double[] v)
    {
        double s = 0;
        for (int k = 0; k < H.Length; k++)
        {
            s += v[k] * H[k];
        }

        return s;
    }
}

/// <summary>A model holding a stateful layer and a parameter vector of its own; both kinds of field are differentiated.</summary>
public partial class StatefulComposite
{
    public StatefulCell Cell;
    public double[] V;
    public double C;

    public StatefulComposite(int inputs, int hidden)
    {
        Cell = new StatefulCell(inputs, hidden);
        V = new double[hidden];
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] double[] ys)
    {
        Cell.Reset();
        double total = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            Cell.Step(xs[t]);
            double e = Cell.ReadOut(V) + C - ys[t];
            total += e * e;
        }

        return total;
    }
}

/// <summary>An array of layers: a stack of dense layers applied one after another (tanh between them).</summary>
public partial class DenseStack
{
    public Dense[] Layers;

    /// <summary>Layer widths (integers are not parameters). Kept here because reading <c>Layers[l].C.Length</c> is SD0001.</summary>
    public int[] Widths;

    public DenseStack(params int[] widths)
    {
        Widths = widths;
        Layers = new Dense[widths.Length - 1];
        for (int l = 0; l < Layers.Length; l++)
        {
            Layers[l] = new Dense(widths[l], widths[l + 1]);
        }
    }

    [Differentiable]
    public double Loss([NoDerivative] double[] x, [NoDerivative] double[] y)
    {
        double[] a = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            a[i] = x[i];
        }

        for (int l = 0; l < Layers.Length; l++)
        {
            int outputs = Widths[l + 1];
            double[] next = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                next[o] = Math.Tanh(Layers[l].Apply(a, o));
            }

            a = next;
        }

        double loss = 0;
        for (int o = 0; o < a.Length; o++)
        {
            double e = a[o] - y[o];
            loss += e * e;
        }

        return loss;
    }
}
