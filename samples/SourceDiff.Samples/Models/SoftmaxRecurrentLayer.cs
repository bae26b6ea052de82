using System;

namespace SourceDiff.Samples.Models;

/// <summary>
/// User story 2: the Lasagne recurrent layer with a softmax nonlinearity,
/// <c>h_t = softmax(x_t·W + h_{t-1}·W_rec + b)</c>, and categorical cross-entropy averaged over every step of every
/// sequence. <see cref="Loss"/> back-propagates through all time steps; <see cref="TruncatedLoss"/> asks, explicitly,
/// for what Lasagne's <c>gradient_steps=1</c> did silently.
/// </summary>
public partial class SoftmaxRecurrentLayer
{
    /// <summary>Input weights, features × classes.</summary>
    public double[,] W;

    /// <summary>Recurrent weights, classes × classes.</summary>
    public double[,] Wrec;

    /// <summary>Bias, one per class.</summary>
    public double[] B;

    /// <summary>Hidden state: the class probabilities of the last step.</summary>
    [State] public double[] H;

    public SoftmaxRecurrentLayer(int features, int classes)
    {
        W = new double[features, classes];
        Wrec = new double[classes, classes];
        B = new double[classes];
        H = new double[classes];
    }

    /// <summary>One step: overwrites <see cref="H"/> with softmax(x·W + H·Wrec + B).</summary>
    [Differentiable]
    public void Step([NoDerivative] double[] x)
    {
        int classes = B.Length;
        int features = x.Length;
        double[] z = new double[classes];
        double max = double.NegativeInfinity;
        for (int j = 0; j < classes; j++)
        {
            double s = B[j];
            for (int i = 0; i < features; i++)
            {
                s += x[i] * W[i, j];
            }

            for (int k = 0; k < classes; k++)
            {
                s += H[k] * Wrec[k, j];
            }

            z[j] = s;
            max = Math.Max(max, s);
        }

        double sum = 0;
        for (int j = 0; j < classes; j++)
        {
            z[j] = Math.Exp(z[j] - max);
            sum += z[j];
        }

        for (int j = 0; j < classes; j++)
        {
            H[j] = z[j] / sum;
        }
    }

    /// <summary>
    /// Mean categorical cross-entropy over <c>sequences × steps</c> labels; <c>xs[s * steps + t]</c> is the feature
    /// vector of step t of sequence s. Every sequence starts from a zero state. Full back-propagation through time.
    /// </summary>
    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] int[] labels, int sequences, int steps)
    {
        double total = 0;
        for (int s = 0; s < sequences; s++)
        {
            for (int k = 0; k < H.Length; k++)
            {
                H[k] = 0;
            }

            for (int t = 0; t < steps; t++)
            {
                int n = s * steps + t;
                Step(xs[n]);
                total -= Math.Log(H[labels[n]]);
            }
        }

        return total / (sequences * steps);
    }

    /// <summary>
    /// The same loss, with the gradient truncated to one step: the state each step reads is
    /// <see cref="Grad.Stop(double)"/>ped, so it is data, not a function of the parameters (Lasagne's gradient_steps=1).
    /// </summary>
    [Differentiable]
    public double TruncatedLoss([NoDerivative] double[][] xs, [NoDerivative] int[] labels, int sequences, int steps)
    {
        double total = 0;
        for (int s = 0; s < sequences; s++)
        {
            for (int k = 0; k < H.Length; k++)
            {
                H[k] = 0;
            }

            for (int t = 0; t < steps; t++)
            {
                int n = s * steps + t;
                for (int k = 0; k < H.Length; k++)
                {
                    H[k] = Grad.Stop(H[k]);
                }

                Step(xs[n]);
                total -= Math.Log(H[labels[n]]);
            }
        }

        return total / (sequences * steps);
    }
}
