using System;

namespace SourceDiff.Benchmarks;

/// <summary>
/// The Elman RNN of <see cref="ElmanFlat"/> written as a model (issue 10, style b): <c>double[,]</c> weights, a
/// <c>[State]</c> hidden vector that <see cref="Step"/> overwrites, and a <see cref="Loss"/> that calls Step in a loop.
/// </summary>
public partial class ElmanModel
{
    public double[,] Wx;
    public double[,] Wh;
    public double[] B;
    [State] public double[] H;

    public ElmanModel(int inputs, int hidden)
    {
        Wx = new double[hidden, inputs];
        Wh = new double[hidden, hidden];
        B = new double[hidden];
        H = new double[hidden];
    }

    [Differentiable]
    public void Step([NoDerivative] double[] x)
    {
        int hidden = B.Length;
        double[] a = new double[hidden];
        for (int i = 0; i < hidden; i++)
        {
            double s = B[i];
            for (int j = 0; j < x.Length; j++)
            {
                s += Wx[i, j] * x[j];
            }

            for (int j = 0; j < hidden; j++)
            {
                s += Wh[i, j] * H[j];
            }

            a[i] = s;
        }

        for (int i = 0; i < hidden; i++)
        {
            H[i] = Math.Tanh(a[i]);
        }
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] double[][] ys)
    {
        for (int i = 0; i < H.Length; i++)
        {
            H[i] = 0;
        }

        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            Step(xs[t]);
            for (int i = 0; i < H.Length; i++)
            {
                double e = H[i] - ys[t][i];
                loss += e * e;
            }
        }

        return loss;
    }

    /// <summary>
    /// An expert's back-propagation through time for <see cref="Loss"/> over the same <c>double[,]</c> weights: the
    /// hidden states of every step kept, tanh reused from them. Gradients are written into the arrays given.
    /// </summary>
    public double LossHandWritten(double[][] xs, double[][] ys, double[,] dWx, double[,] dWh, double[] dB)
    {
        int hidden = B.Length, inputs = Wx.GetLength(1), steps = xs.Length;
        Array.Clear(dWx);
        Array.Clear(dWh);
        Array.Clear(dB);
        var hs = new double[steps + 1][];
        hs[0] = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            double[] previous = hs[t], current = new double[hidden], x = xs[t];
            for (int i = 0; i < hidden; i++)
            {
                double s = B[i];
                for (int j = 0; j < inputs; j++)
                {
                    s += Wx[i, j] * x[j];
                }

                for (int j = 0; j < hidden; j++)
                {
                    s += Wh[i, j] * previous[j];
                }

                current[i] = Math.Tanh(s);
            }

            for (int i = 0; i < hidden; i++)
            {
                double e = current[i] - ys[t][i];
                loss += e * e;
            }

            hs[t + 1] = current;
        }

        double[] dh = new double[hidden];
        double[] dPrevious = new double[hidden];
        for (int t = steps - 1; t >= 0; t--)
        {
            double[] previous = hs[t], current = hs[t + 1], x = xs[t];
            Array.Clear(dPrevious);
            for (int i = 0; i < hidden; i++)
            {
                double value = current[i];
                double dA = (dh[i] + 2 * (value - ys[t][i])) * (1 - value * value);
                dB[i] += dA;
                for (int j = 0; j < inputs; j++)
                {
                    dWx[i, j] += dA * x[j];
                }

                for (int j = 0; j < hidden; j++)
                {
                    dWh[i, j] += dA * previous[j];
                    dPrevious[j] += dA * Wh[i, j];
                }
            }

            (dh, dPrevious) = (dPrevious, dh);
        }

        Array.Copy(hs[steps], H, hidden);
        return loss;
    }

    /// <summary>A model with the benchmarks' weights and data: T steps of 8 inputs.</summary>
    public static (ElmanModel Model, double[][] Xs, double[][] Ys) Create(int inputs, int hidden, int steps, int seed)
    {
        var random = new Random(seed);
        double Next(double scale) => Agreement.Uniform(random, scale);
        var model = new ElmanModel(inputs, hidden);
        for (int i = 0; i < hidden; i++)
        {
            model.B[i] = Next(0.1);
            for (int j = 0; j < inputs; j++) model.Wx[i, j] = Next(0.3);
            for (int j = 0; j < hidden; j++) model.Wh[i, j] = Next(1.0 / Math.Sqrt(hidden));
        }

        double[][] xs = Agreement.Sequence(random, steps, inputs, 1);
        double[][] ys = Agreement.Sequence(random, steps, hidden, 0.5);
        return (model, xs, ys);
    }

    /// <summary>The largest relative difference between the generated and the hand-written gradient (run with "check").</summary>
    public static double Disagreement(int inputs, int hidden, int steps)
    {
        var (model, xs, ys) = Create(inputs, hidden, steps, seed: 7);
        var generated = new Gradient(model);
        double generatedLoss = model.LossGradient(xs, ys, generated);
        var dWx = new double[hidden, inputs];
        var dWh = new double[hidden, hidden];
        var dB = new double[hidden];
        double handLoss = model.LossHandWritten(xs, ys, dWx, dWh, dB);
        double worst = Agreement.Relative(generatedLoss, handLoss);
        worst = Agreement.Worst(worst, generated.B, dB);
        worst = Agreement.Worst(worst, generated.Wx, dWx);
        worst = Agreement.Worst(worst, generated.Wh, dWh);
        return worst;
    }
}
