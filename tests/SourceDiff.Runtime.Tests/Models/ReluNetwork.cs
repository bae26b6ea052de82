using System;

namespace SourceDiff.Runtime.Tests.Models;

/// <summary>
/// A small regression network that looks trained: <c>a = relu(W1·x + B1)</c>, <c>o = W2·a + B2</c>, loss
/// <c>½·Σ_s (o_s − y_s)²</c> over a fixed batch, with its backward pass written by hand (ReLU'(z) = 1 for z &gt; 0, else 0,
/// as the generator differentiates <c>z &gt; 0 ? z : 0</c>). <see cref="PlaceKink"/> puts one pre-activation a chosen
/// distance from ReLU's kink, as training leaves some of them.
/// </summary>
public sealed class ReluNetwork
{
    public const int Inputs = 2;
    public const int Hidden = 3;

    // Row-major W1[j, i]; values of the size training leaves, and a batch whose other pre-activations are far from 0.
    public double[] W1 = [0.83, -0.41, -0.57, 0.92, 0.36, 0.74];
    public double[] B1 = [0.12, -0.05, 0.21];
    public double[] W2 = [0.64, -0.88, 0.47];
    public double[] B2 = [0.03];

    public double[][] Xs = [[0.9, -0.6], [0.35, 0.8], [-0.7, 0.25], [0.5, 0.45]];
    public double[] Ys = [0.5, 0.1, -0.2, 0.3];

    /// <summary>Sets <c>B1[unit]</c> so that the pre-activation of <paramref name="unit"/> on sample <paramref name="sample"/> is <paramref name="z"/>.</summary>
    public void PlaceKink(int unit, int sample, double z) => B1[unit] = z - (Z(unit, Xs[sample]) - B1[unit]);

    public double PreActivation(int unit, int sample) => Z(unit, Xs[sample]);

    public double Loss()
    {
        double loss = 0;
        for (int s = 0; s < Xs.Length; s++)
        {
            double o = B2[0];
            for (int j = 0; j < Hidden; j++)
            {
                o += W2[j] * Relu(Z(j, Xs[s]));
            }

            loss += 0.5 * (o - Ys[s]) * (o - Ys[s]);
        }

        return loss;
    }

    /// <summary>Overwrites the gradient buffers with ∂Loss/∂(W1, B1, W2, B2) and returns the loss.</summary>
    public double LossGradient(double[] dW1, double[] dB1, double[] dW2, double[] dB2)
    {
        Array.Clear(dW1);
        Array.Clear(dB1);
        Array.Clear(dW2);
        Array.Clear(dB2);
        double loss = 0;
        var z = new double[Hidden];
        for (int s = 0; s < Xs.Length; s++)
        {
            double[] x = Xs[s];
            double o = B2[0];
            for (int j = 0; j < Hidden; j++)
            {
                z[j] = Z(j, x);
                o += W2[j] * Relu(z[j]);
            }

            double e = o - Ys[s];
            loss += 0.5 * e * e;
            dB2[0] += e;
            for (int j = 0; j < Hidden; j++)
            {
                dW2[j] += e * Relu(z[j]);
                double dz = z[j] > 0 ? e * W2[j] : 0;
                dB1[j] += dz;
                for (int i = 0; i < Inputs; i++)
                {
                    dW1[j * Inputs + i] += dz * x[i];
                }
            }
        }

        return loss;
    }

    private static double Relu(double z) => z > 0 ? z : 0;

    private double Z(int j, double[] x)
    {
        double z = B1[j];
        for (int i = 0; i < Inputs; i++)
        {
            z += W1[j * Inputs + i] * x[i];
        }

        return z;
    }
}
