using MathNet.Numerics.LinearAlgebra;

namespace SourceDiff.Samples.Models;

/// <summary>
/// User story 3 again, written the way its author reached for MathNet.Numerics: the same sigmoid network as
/// <see cref="SigmoidNetwork"/> (<c>hidden = σ(W1·x)</c>, <c>o = σ(W2·hidden)</c>, loss <c>½·(expected − o)²</c>), with a
/// weight matrix and vector instead of arrays and loops. Its gradient is the same numbers.
/// </summary>
public partial class MatrixSigmoidNetwork
{
    /// <summary>Hidden-layer weights, hidden × inputs.</summary>
    public Matrix<double> W1;

    /// <summary>Output weights, one per hidden unit.</summary>
    public Vector<double> W2;

    public MatrixSigmoidNetwork(int inputs, int hidden)
    {
        W1 = Matrix<double>.Build.Dense(hidden, inputs);
        W2 = Vector<double>.Build.Dense(hidden);
    }

    /// <summary>σ of every element, written into <paramref name="result"/> (a differentiable method cannot return a vector).</summary>
    [Differentiable]
    public static void Sigmoid(Vector<double> z, Vector<double> result) => (1.0 / (1.0 + (-z).PointwiseExp())).CopyTo(result);

    [Differentiable]
    public double Output([NoDerivative] Vector<double> x)
    {
        Vector<double> hidden = Vector<double>.Build.Dense(W1.RowCount);
        Sigmoid(W1 * x, hidden);
        return SigmoidNetwork.Sigmoid(W2.DotProduct(hidden));
    }

    [Differentiable]
    public double Loss([NoDerivative] Vector<double> x, [NoDerivative] double expected)
    {
        double e = expected - Output(x);
        return 0.5 * e * e;
    }

    /// <summary>The loss summed over a batch, one example per row of <paramref name="inputs"/>.</summary>
    [Differentiable]
    public double BatchLoss([NoDerivative] Matrix<double> inputs, [NoDerivative] Vector<double> expected)
    {
        double loss = 0;
        for (int n = 0; n < inputs.RowCount; n++)
        {
            loss += Loss(inputs.Row(n), expected[n]);
        }

        return loss;
    }
}
