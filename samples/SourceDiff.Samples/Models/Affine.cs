namespace SourceDiff.Samples.Models;

/// <summary>User story 5 (seeds/004): the Zygote thread's <c>f(x) = m·x + b</c>, with 1×1 "matrices" as scalars.</summary>
public partial class Affine
{
    public double M = 2.0;
    public double B = -1.0;

    [Differentiable]
    public double F([NoDerivative] double x) => M * x + B;

    /// <summary>The thread's loss: <c>sum(f(x).^2)</c>.</summary>
    [Differentiable]
    public double Loss([NoDerivative] double[] inputs)
    {
        double loss = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            double f = F(inputs[i]);
            loss += f * f;
        }

        return loss;
    }
}

/// <summary>The gradient-algebra sample with "1000 parameters": a two-layer network <c>f(x) = v·tanh(W·x + c) + d</c>.</summary>
public partial class SmallNetwork
{
    public double[,] W;
    public double[] C;
    public double[] V;
    public double D;

    public SmallNetwork(int inputs, int hidden)
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

            y += V[j] * System.Math.Tanh(s);
        }

        return y;
    }

    /// <summary>The full-batch loss <c>Σ_i f(x_i)²</c>.</summary>
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
