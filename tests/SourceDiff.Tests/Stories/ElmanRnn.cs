using System;

namespace SourceDiff.Tests.Stories;

/// <summary>
/// User story 4 (seeds/003): the NumPy thread's Elman RNN, as a model class.
/// <code>
/// Z_state = X_t·U + State_{t-1}·W + B_state;   State_t = tanh(Z_state)
/// Z_out   = State_t·V + B_out;                  Out_t   = sigmoid(Z_out)
/// </code>
/// with <c>return_sequences</c> (every step's output is compared with its target) and mean squared error.
/// The thread's bug, <c>f'(State)</c> where <c>f'(Z_state)</c> belongs, cannot be written: there is no backward code.
/// </summary>
public partial class ElmanRnn
{
    public double[,] U;       // input × hidden
    public double[,] W;       // hidden × hidden
    public double[,] V;       // hidden × output
    public double[] BState;   // hidden
    public double[] BOut;     // output

    /// <summary>The hidden state, overwritten by every step.</summary>
    [State] public double[] State;

    public ElmanRnn(int inputs, int hidden, int outputs)
    {
        U = new double[inputs, hidden];
        W = new double[hidden, hidden];
        V = new double[hidden, outputs];
        BState = new double[hidden];
        BOut = new double[outputs];
        State = new double[hidden];
    }

    /// <summary>One time step: updates <see cref="State"/> and writes the step's output into <paramref name="output"/>.</summary>
    [Differentiable]
    public void Step([NoDerivative] double[] x, double[] output)
    {
        int hidden = BState.Length;
        double[] z = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            double s = BState[j];
            for (int i = 0; i < x.Length; i++)
            {
                s += x[i] * U[i, j];
            }

            for (int k = 0; k < hidden; k++)
            {
                s += State[k] * W[k, j];
            }

            z[j] = s;
        }

        for (int j = 0; j < hidden; j++)
        {
            State[j] = Math.Tanh(z[j]);
        }

        for (int o = 0; o < output.Length; o++)
        {
            double s = BOut[o];
            for (int j = 0; j < hidden; j++)
            {
                s += State[j] * V[j, o];
            }

            output[o] = 1.0 / (1.0 + Math.Exp(-s));
        }
    }

    /// <summary>
    /// Mean squared error over a batch of sequences, every step's output against its target (return_sequences);
    /// <c>xs[b * steps + t]</c> and <c>ys[b * steps + t]</c> are step t of sequence b. Each sequence starts from zeros.
    /// </summary>
    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] double[][] ys, int batch, int steps)
    {
        double[] output = new double[BOut.Length];
        double total = 0;
        int count = 0;
        for (int b = 0; b < batch; b++)
        {
            for (int k = 0; k < State.Length; k++)
            {
                State[k] = 0;
            }

            for (int t = 0; t < steps; t++)
            {
                int n = b * steps + t;
                Step(xs[n], output);
                for (int o = 0; o < output.Length; o++)
                {
                    double e = output[o] - ys[n][o];
                    total += e * e;
                    count++;
                }
            }
        }

        return total / count;
    }
}
