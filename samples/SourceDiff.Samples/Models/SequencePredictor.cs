using System;

namespace SourceDiff.Samples.Models;

/// <summary>A fully connected layer, <c>y = V·x + c</c>: a layer object other models hold in a field.</summary>
public partial class Dense
{
    public double[,] V;   // outputs × inputs
    public double[] C;    // outputs

    public Dense(int inputs, int outputs)
    {
        V = new double[outputs, inputs];
        C = new double[outputs];
    }

    [Differentiable]
    public double Apply(double[] x, int o)
    {
        double s = C[o];
        for (int i = 0; i < x.Length; i++)
        {
            s += V[o, i] * x[i];
        }

        return s;
    }
}

/// <summary>
/// The training sample's model: a tanh recurrent cell whose hidden state is a <c>ref</c>-style array argument written
/// in place (<see cref="Step"/>), and a <see cref="Dense"/> read-out layer held in a field (<c>gradient.Out.V</c> is
/// the gradient of <c>model.Out.V</c>). It predicts the next value of a sequence from the values so far.
/// </summary>
public partial class SequencePredictor
{
    public double[,] Wx;   // hidden × inputs
    public double[,] Wh;   // hidden × hidden
    public double[] Bh;    // hidden
    public Dense Out;

    public SequencePredictor(int inputs, int hidden, int outputs)
    {
        Wx = new double[hidden, inputs];
        Wh = new double[hidden, hidden];
        Bh = new double[hidden];
        Out = new Dense(hidden, outputs);
    }

    /// <summary>Overwrites the hidden state <paramref name="h"/> with tanh(Wx·x + Wh·h + Bh).</summary>
    [Differentiable]
    public void Step([NoDerivative] double[] x, double[] h)
    {
        int hidden = Bh.Length;
        double[] z = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            double s = Bh[j];
            for (int i = 0; i < x.Length; i++)
            {
                s += Wx[j, i] * x[i];
            }

            for (int k = 0; k < hidden; k++)
            {
                s += Wh[j, k] * h[k];
            }

            z[j] = s;
        }

        for (int j = 0; j < hidden; j++)
        {
            h[j] = Math.Tanh(z[j]);
        }
    }

    /// <summary>
    /// Mean squared error of one-step-ahead predictions over a batch of sequences: <c>xs[b * steps + t]</c> is the
    /// input at step t of sequence b and <c>ys[b * steps + t]</c> the value to predict.
    /// </summary>
    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] double[][] ys, int batch, int steps)
    {
        double[] h = new double[Bh.Length];
        double total = 0;
        int count = 0;
        for (int b = 0; b < batch; b++)
        {
            for (int k = 0; k < h.Length; k++)
            {
                h[k] = 0;
            }

            for (int t = 0; t < steps; t++)
            {
                int n = b * steps + t;
                Step(xs[n], h);
                for (int o = 0; o < ys[n].Length; o++)
                {
                    double e = Out.Apply(h, o) - ys[n][o];
                    total += e * e;
                    count++;
                }
            }
        }

        return total / count;
    }
}
