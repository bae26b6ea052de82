using System;

namespace SourceDiff.Runtime.Tests.Models;

/// <summary>
/// The network of user story 3's thread, as a static method with the signature the generator gives static methods:
/// <c>hidden = σ(W1·x)</c> (no biases), <c>o = σ(w2·hidden)</c>, loss <c>½·(expected − o)²</c>. The adjoint below is
/// the thread's delta rule, extended to the input and the target so every kind of argument is exercised.
/// </summary>
public static class StoryThreeNetwork
{
    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    public static double Loss(double[] w1, double[] w2, double[] x, double expected)
    {
        int hidden = w2.Length;
        int inputs = x.Length;
        double z = 0;
        for (int j = 0; j < hidden; j++)
        {
            double s = 0;
            for (int i = 0; i < inputs; i++)
            {
                s += w1[j * inputs + i] * x[i];
            }

            z += w2[j] * Sigmoid(s);
        }

        double o = Sigmoid(z);
        return 0.5 * (expected - o) * (expected - o);
    }

    /// <summary>Returns Loss; overwrites dW1, dW2, dX; sets dExpected.</summary>
    public static double LossGradient(double[] w1, double[] w2, double[] x, double expected,
        double[] dW1, double[] dW2, double[] dX, out double dExpected)
    {
        int hidden = w2.Length;
        int inputs = x.Length;
        var a = new double[hidden];
        double z = 0;
        for (int j = 0; j < hidden; j++)
        {
            double s = 0;
            for (int i = 0; i < inputs; i++)
            {
                s += w1[j * inputs + i] * x[i];
            }

            a[j] = Sigmoid(s);
            z += w2[j] * a[j];
        }

        double o = Sigmoid(z);
        dExpected = expected - o;
        double deltaOut = (o - expected) * o * (1 - o);
        Array.Clear(dX);
        for (int j = 0; j < hidden; j++)
        {
            dW2[j] = deltaOut * a[j];
            double deltaHidden = deltaOut * w2[j] * a[j] * (1 - a[j]);
            for (int i = 0; i < inputs; i++)
            {
                dW1[j * inputs + i] = deltaHidden * x[i];
                dX[i] += deltaHidden * w1[j * inputs + i];
            }
        }

        return 0.5 * (expected - o) * (expected - o);
    }
}
