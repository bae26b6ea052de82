using System;
using SourceDiff.CompilerServices;

namespace SourceDiff.Benchmarks;

/// <summary>The story-1 recurrence of EXAMPLE.md, over a long sequence.</summary>
public static partial class FluxRnn
{
    [Differentiable]
    public static double SquaredLoss(double wx, double wh, double b, double h0, double[] x, [NoDerivative] double[] ystar)
    {
        double h = h0;
        double loss = 0;
        for (int t = 0; t < x.Length; t++)
        {
            h = wx * x[t] + wh * h + b;
            double e = h - ystar[t];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>EXAMPLE.md's expert adjoint, written by hand: the bar for generated code.</summary>
    public static double SquaredLossHandWritten(double wx, double wh, double b, double h0, double[] x, double[] ystar,
        out double dWx, out double dWh, out double dB, out double dH0, double[] dX)
    {
        if (dX.Length != x.Length) throw new ArgumentException("length", nameof(dX));
        dWx = 0; dWh = 0; dB = 0; dH0 = 0;
        Array.Clear(dX);
        var tape = Tape.Rent();
        double h = h0;
        double loss = 0;
        int t = 0;
        for (; t < x.Length; t++)
        {
            tape.PushDouble(h);
            h = wx * x[t] + wh * h + b;
            double e = h - ystar[t];
            loss += e * e;
        }

        double dLoss = 1;
        double dh = 0;
        for (t--; t >= 0; t--)
        {
            double hPrev = tape.PopDouble();
            double e = (wx * x[t] + wh * hPrev + b) - ystar[t];
            double dE = 2 * e * dLoss;
            dh += dE;
            dWx += dh * x[t];
            dX[t] += dh * wx;
            dWh += dh * hPrev;
            dB += dh;
            dh *= wh;
        }

        dH0 += dh;
        tape.Return();
        return loss;
    }
}

/// <summary>User story 2's recurrent softmax layer with cross-entropy, as a model with [State] hidden state.</summary>
public partial class SoftmaxRnn
{
    public double[,] W = new double[2, 2];
    public double[,] WRec = new double[2, 2];
    public double[] B = new double[2];
    [State] public double[] H = new double[2];

    [Differentiable]
    public double Step(double[] x, int label)
    {
        double z0 = x[0] * W[0, 0] + x[1] * W[1, 0] + H[0] * WRec[0, 0] + H[1] * WRec[1, 0] + B[0];
        double z1 = x[0] * W[0, 1] + x[1] * W[1, 1] + H[0] * WRec[0, 1] + H[1] * WRec[1, 1] + B[1];
        double m = Math.Max(z0, z1);
        double e0 = Math.Exp(z0 - m);
        double e1 = Math.Exp(z1 - m);
        double s = e0 + e1;
        H[0] = e0 / s;
        H[1] = e1 / s;
        return -Math.Log(H[label]);
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, int[] labels)
    {
        H[0] = 0;
        H[1] = 0;
        double total = 0;
        for (int t = 0; t < xs.Length; t++) total += Step(xs[t], labels[t]);
        return total / xs.Length;
    }

    /// <summary>Story 2 at full size: the cross-entropy averaged over every step of several sequences, each from a zero state.</summary>
    [Differentiable]
    public double SequencesLoss([NoDerivative] double[][][] sequences, int[][] labels)
    {
        double total = 0;
        int steps = 0;
        for (int s = 0; s < sequences.Length; s++)
        {
            H[0] = 0;
            H[1] = 0;
            for (int t = 0; t < sequences[s].Length; t++) total += Step(sequences[s][t], labels[s][t]);
            steps += sequences[s].Length;
        }

        return total / steps;
    }

    /// <summary>Story 2's data, uniform features in [-1, 1] and random labels, and a layer with random weights.</summary>
    public static (SoftmaxRnn Model, double[][][] Sequences, int[][] Labels) Create(int sequenceCount, int steps, int seed)
    {
        var random = new Random(seed);
        var model = new SoftmaxRnn();
        for (int i = 0; i < 2; i++)
        {
            model.B[i] = 0.1 * i;
            for (int j = 0; j < 2; j++)
            {
                model.W[i, j] = random.NextDouble() - 0.5;
                model.WRec[i, j] = random.NextDouble() - 0.5;
            }
        }

        var sequences = new double[sequenceCount][][];
        var labels = new int[sequenceCount][];
        for (int s = 0; s < sequenceCount; s++)
        {
            sequences[s] = new double[steps][];
            labels[s] = new int[steps];
            for (int t = 0; t < steps; t++)
            {
                sequences[s][t] = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
                labels[s][t] = random.Next(2);
            }
        }

        return (model, sequences, labels);
    }

    /// <summary>
    /// The generated gradient of <see cref="SequencesLoss"/> for a few parameters next to central differences with one
    /// Richardson step (run with "check").
    /// </summary>
    public static (string Parameter, double Generated, double FiniteDifference)[] FiniteDifferenceCheck(int sequenceCount, int steps)
    {
        var (model, sequences, labels) = Create(sequenceCount, steps, seed: 7);
        var gradient = new Gradient(model);
        model.SequencesLossGradient(sequences, labels, gradient);
        return new[]
        {
            ("W[0,1]", gradient.W[0, 1], Derivative(ref model.W[0, 1])),
            ("WRec[1,0]", gradient.WRec[1, 0], Derivative(ref model.WRec[1, 0])),
            ("B[1]", gradient.B[1], Derivative(ref model.B[1])),
        };

        double Derivative(ref double parameter)
        {
            double saved = parameter;
            var central = new double[2];
            for (int n = 0; n < 2; n++)
            {
                double step = n == 0 ? 1e-3 : 5e-4;
                parameter = saved + step;
                double plus = model.SequencesLoss(sequences, labels);
                parameter = saved - step;
                double minus = model.SequencesLoss(sequences, labels);
                central[n] = (plus - minus) / (2 * step);
            }

            parameter = saved;

            // Halving the step quarters the central difference's h² error term; this combination cancels it.
            return (4 * central[1] - central[0]) / 3;
        }
    }
}
