using System;

namespace SourceDiff.Tests.Stories;

/// <summary>
/// User story 3 (seeds/002): the F# thread's fully connected sigmoid network, without a single hand-written delta:
/// <c>hidden = σ(W1·x)</c>, <c>o = σ(W2·hidden)</c> (no biases, as in the thread), loss <c>½·(expected − o)²</c>.
/// </summary>
public partial class SigmoidNetwork
{
    /// <summary>Hidden-layer weights, hidden × inputs.</summary>
    public double[,] W1;

    /// <summary>Output weights, one per hidden unit.</summary>
    public double[] W2;

    public SigmoidNetwork(int inputs, int hidden)
    {
        W1 = new double[hidden, inputs];
        W2 = new double[hidden];
    }

    /// <summary>A static helper called from the instance methods; its pullback is generated too.</summary>
    [Differentiable]
    public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

    [Differentiable]
    public double Output([NoDerivative] double[] x)
    {
        double z = 0;
        for (int j = 0; j < W2.Length; j++)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                s += W1[j, i] * x[i];
            }

            z += W2[j] * Sigmoid(s);
        }

        return Sigmoid(z);
    }

    [Differentiable]
    public double Loss([NoDerivative] double[] x, [NoDerivative] double expected)
    {
        double e = expected - Output(x);
        return 0.5 * e * e;
    }
}
