using System;

namespace SourceDiff.Benchmarks;

/// <summary>
/// An Elman RNN written as users write it (issue 10, style a): a static method over flattened weight arrays with
/// inner-product loops, h_t = tanh(Wx·x_t + Wh·h_{t-1} + b), squared error against targets at every step.
/// </summary>
public static partial class ElmanFlat
{
    [Differentiable]
    public static double Loss(double[] wx, double[] wh, double[] b, [NoDerivative] double[] xs, [NoDerivative] double[] ys, int inputs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                double a = b[i];
                for (int j = 0; j < inputs; j++)
                {
                    a += wx[i * inputs + j] * xs[t * inputs + j];
                }

                for (int j = 0; j < hidden; j++)
                {
                    a += wh[i * hidden + j] * h[j];
                }

                next[i] = Math.Tanh(a);
            }

            for (int i = 0; i < hidden; i++)
            {
                h[i] = next[i];
                double e = h[i] - ys[t * hidden + i];
                loss += e * e;
            }
        }

        return loss;
    }

    /// <summary>
    /// An expert's back-propagation through time for <see cref="Loss"/>: the hidden states of every step kept in one
    /// array, then one backward pass that reuses tanh from them. Gradients accumulate into the buffers given.
    /// </summary>
    public static double LossHandWritten(double[] wx, double[] wh, double[] b, double[] xs, double[] ys, int inputs, int hidden, int steps,
        double[] dWx, double[] dWh, double[] dB)
    {
        Array.Clear(dWx);
        Array.Clear(dWh);
        Array.Clear(dB);
        double[] hs = new double[(steps + 1) * hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            int previous = t * hidden, current = (t + 1) * hidden;
            for (int i = 0; i < hidden; i++)
            {
                double a = b[i];
                for (int j = 0; j < inputs; j++)
                {
                    a += wx[i * inputs + j] * xs[t * inputs + j];
                }

                for (int j = 0; j < hidden; j++)
                {
                    a += wh[i * hidden + j] * hs[previous + j];
                }

                hs[current + i] = Math.Tanh(a);
            }

            for (int i = 0; i < hidden; i++)
            {
                double e = hs[current + i] - ys[t * hidden + i];
                loss += e * e;
            }
        }

        double[] dh = new double[hidden];
        double[] dPrevious = new double[hidden];
        for (int t = steps - 1; t >= 0; t--)
        {
            int previous = t * hidden, current = (t + 1) * hidden;
            Array.Clear(dPrevious);
            for (int i = 0; i < hidden; i++)
            {
                double value = hs[current + i];
                double dA = (dh[i] + 2 * (value - ys[t * hidden + i])) * (1 - value * value);
                dB[i] += dA;
                for (int j = 0; j < inputs; j++)
                {
                    dWx[i * inputs + j] += dA * xs[t * inputs + j];
                }

                for (int j = 0; j < hidden; j++)
                {
                    dWh[i * hidden + j] += dA * hs[previous + j];
                    dPrevious[j] += dA * wh[i * hidden + j];
                }
            }

            (dh, dPrevious) = (dPrevious, dh);
        }

        return loss;
    }

    /// <summary>
    /// The benchmarks' weights and data, flattened row-major. Recurrent weights are scaled by 1/√H so that gradients
    /// through T steps neither explode nor vanish (unscaled, the gradient at H = 256 reaches 1e20 and a one-ulp change of
    /// one weight changes it by 1e5 relative, so no two summation orders could agree).
    /// </summary>
    public static (double[] Wx, double[] Wh, double[] B, double[] Xs, double[] Ys) Create(int inputs, int hidden, int steps, int seed)
    {
        var random = new Random(seed);
        double[] Fill(int n, double scale)
        {
            var values = new double[n];
            for (int i = 0; i < n; i++) values[i] = Agreement.Uniform(random, scale);
            return values;
        }

        double[] wx = Fill(hidden * inputs, 0.3);
        double[] wh = Fill(hidden * hidden, 1.0 / Math.Sqrt(hidden));
        double[] b = Fill(hidden, 0.1);
        double[] xs = Fill(steps * inputs, 1);
        double[] ys = Fill(steps * hidden, 0.5);
        return (wx, wh, b, xs, ys);
    }

    /// <summary>The largest relative difference between the generated and the hand-written gradient (run with "check").</summary>
    public static double Disagreement(int inputs, int hidden, int steps)
    {
        var (wx, wh, b, xs, ys) = Create(inputs, hidden, steps, seed: 7);
        double[] g1 = new double[wx.Length], g2 = new double[wh.Length], g3 = new double[b.Length];
        double[] h1 = new double[wx.Length], h2 = new double[wh.Length], h3 = new double[b.Length];
        double generated = LossGradient(wx, wh, b, xs, ys, inputs, hidden, steps, g1, g2, g3);
        double hand = LossHandWritten(wx, wh, b, xs, ys, inputs, hidden, steps, h1, h2, h3);
        double worst = Agreement.Relative(generated, hand);
        foreach ((double[] a, double[] c) in new[] { (g1, h1), (g2, h2), (g3, h3) }) worst = Agreement.Worst(worst, a, c);
        return worst;
    }
}
