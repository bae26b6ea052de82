using System;

namespace SourceDiff.Benchmarks;

/// <summary>
/// An LSTM cell written as users write it (issue 10): per gate an input matrix W, a recurrent matrix U and a bias,
/// <c>[State]</c> hidden and cell vectors that <see cref="Step"/> overwrites, and a <see cref="Loss"/> that calls Step
/// in a loop with squared error against targets at every step.
/// </summary>
public partial class LstmModel
{
    public double[,] Wi, Wf, Wg, Wo;
    public double[,] Ui, Uf, Ug, Uo;
    public double[] Bi, Bf, Bg, Bo;
    [State] public double[] H;
    [State] public double[] C;

    public LstmModel(int inputs, int hidden)
    {
        Wi = new double[hidden, inputs];
        Wf = new double[hidden, inputs];
        Wg = new double[hidden, inputs];
        Wo = new double[hidden, inputs];
        Ui = new double[hidden, hidden];
        Uf = new double[hidden, hidden];
        Ug = new double[hidden, hidden];
        Uo = new double[hidden, hidden];
        Bi = new double[hidden];
        Bf = new double[hidden];
        Bg = new double[hidden];
        Bo = new double[hidden];
        H = new double[hidden];
        C = new double[hidden];
    }

    [Differentiable]
    public void Step([NoDerivative] double[] x)
    {
        int hidden = H.Length;
        double[] inputGate = new double[hidden];
        double[] forgetGate = new double[hidden];
        double[] candidate = new double[hidden];
        double[] outputGate = new double[hidden];
        for (int k = 0; k < hidden; k++)
        {
            double zi = Bi[k], zf = Bf[k], zg = Bg[k], zo = Bo[k];
            for (int j = 0; j < x.Length; j++)
            {
                zi += Wi[k, j] * x[j];
                zf += Wf[k, j] * x[j];
                zg += Wg[k, j] * x[j];
                zo += Wo[k, j] * x[j];
            }

            for (int j = 0; j < hidden; j++)
            {
                zi += Ui[k, j] * H[j];
                zf += Uf[k, j] * H[j];
                zg += Ug[k, j] * H[j];
                zo += Uo[k, j] * H[j];
            }

            inputGate[k] = 1 / (1 + Math.Exp(-zi));
            forgetGate[k] = 1 / (1 + Math.Exp(-zf));
            candidate[k] = Math.Tanh(zg);
            outputGate[k] = 1 / (1 + Math.Exp(-zo));
        }

        for (int k = 0; k < hidden; k++)
        {
            C[k] = forgetGate[k] * C[k] + inputGate[k] * candidate[k];
            H[k] = outputGate[k] * Math.Tanh(C[k]);
        }
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] double[][] ys)
    {
        for (int k = 0; k < H.Length; k++)
        {
            H[k] = 0;
            C[k] = 0;
        }

        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            Step(xs[t]);
            for (int k = 0; k < H.Length; k++)
            {
                double e = H[k] - ys[t][k];
                loss += e * e;
            }
        }

        return loss;
    }

    /// <summary>
    /// An expert's back-propagation through time for <see cref="Loss"/>: per step the four gate activations, the
    /// cell state, its tanh and the hidden state kept in flat arrays (7·H doubles), then one backward pass of scalar
    /// loops that takes every derivative from those values. Gradients are written into the arrays of the
    /// <paramref name="gradient"/> given (only as a holder of arrays); the model is left in the state <see cref="Loss"/> leaves.
    /// </summary>
    public double LossHandWritten(double[][] xs, double[][] ys, Gradient gradient)
    {
        int hidden = H.Length, inputs = Wi.GetLength(1), steps = xs.Length;
        double[,] dWi = gradient.Wi, dWf = gradient.Wf, dWg = gradient.Wg, dWo = gradient.Wo;
        double[,] dUi = gradient.Ui, dUf = gradient.Uf, dUg = gradient.Ug, dUo = gradient.Uo;
        double[] dBi = gradient.Bi, dBf = gradient.Bf, dBg = gradient.Bg, dBo = gradient.Bo;
        foreach (Array array in new Array[] { dWi, dWf, dWg, dWo, dUi, dUf, dUg, dUo, dBi, dBf, dBg, dBo })
        {
            Array.Clear(array);
        }

        // Step t's values sit at t * hidden (gates: four blocks of hidden at t * 4 * hidden); hs and cs hold one
        // more step in front, the zero initial state.
        double[] gates = new double[steps * 4 * hidden];
        double[] cellTanh = new double[steps * hidden];
        double[] hs = new double[(steps + 1) * hidden];
        double[] cs = new double[(steps + 1) * hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            double[] x = xs[t], y = ys[t];
            int previous = t * hidden, current = (t + 1) * hidden, gate = t * 4 * hidden;
            for (int k = 0; k < hidden; k++)
            {
                double zi = Bi[k], zf = Bf[k], zg = Bg[k], zo = Bo[k];
                for (int j = 0; j < inputs; j++)
                {
                    double xj = x[j];
                    zi += Wi[k, j] * xj;
                    zf += Wf[k, j] * xj;
                    zg += Wg[k, j] * xj;
                    zo += Wo[k, j] * xj;
                }

                for (int j = 0; j < hidden; j++)
                {
                    double hj = hs[previous + j];
                    zi += Ui[k, j] * hj;
                    zf += Uf[k, j] * hj;
                    zg += Ug[k, j] * hj;
                    zo += Uo[k, j] * hj;
                }

                double i = 1 / (1 + Math.Exp(-zi)), f = 1 / (1 + Math.Exp(-zf)), g = Math.Tanh(zg), o = 1 / (1 + Math.Exp(-zo));
                double c = f * cs[previous + k] + i * g;
                double tanhC = Math.Tanh(c);
                double h = o * tanhC;
                gates[gate + k] = i;
                gates[gate + hidden + k] = f;
                gates[gate + 2 * hidden + k] = g;
                gates[gate + 3 * hidden + k] = o;
                cs[current + k] = c;
                cellTanh[previous + k] = tanhC;
                hs[current + k] = h;
                double e = h - y[k];
                loss += e * e;
            }
        }

        // dh and dc: the loss's derivative by the state a step leaves, from all later steps.
        double[] dh = new double[hidden], dc = new double[hidden], dhPrevious = new double[hidden];
        for (int t = steps - 1; t >= 0; t--)
        {
            double[] x = xs[t], y = ys[t];
            int previous = t * hidden, current = (t + 1) * hidden, gate = t * 4 * hidden;
            Array.Clear(dhPrevious);
            for (int k = 0; k < hidden; k++)
            {
                double i = gates[gate + k], f = gates[gate + hidden + k], g = gates[gate + 2 * hidden + k], o = gates[gate + 3 * hidden + k];
                double tanhC = cellTanh[previous + k];
                double dH = dh[k] + 2 * (hs[current + k] - y[k]);
                double dC = dc[k] + dH * o * (1 - tanhC * tanhC);
                double dzi = dC * g * i * (1 - i);
                double dzf = dC * cs[previous + k] * f * (1 - f);
                double dzg = dC * i * (1 - g * g);
                double dzo = dH * tanhC * o * (1 - o);
                dc[k] = dC * f;
                dBi[k] += dzi;
                dBf[k] += dzf;
                dBg[k] += dzg;
                dBo[k] += dzo;
                for (int j = 0; j < inputs; j++)
                {
                    double xj = x[j];
                    dWi[k, j] += dzi * xj;
                    dWf[k, j] += dzf * xj;
                    dWg[k, j] += dzg * xj;
                    dWo[k, j] += dzo * xj;
                }

                for (int j = 0; j < hidden; j++)
                {
                    double hj = hs[previous + j];
                    dUi[k, j] += dzi * hj;
                    dUf[k, j] += dzf * hj;
                    dUg[k, j] += dzg * hj;
                    dUo[k, j] += dzo * hj;
                    dhPrevious[j] += Ui[k, j] * dzi + Uf[k, j] * dzf + Ug[k, j] * dzg + Uo[k, j] * dzo;
                }
            }

            (dh, dhPrevious) = (dhPrevious, dh);
        }

        Array.Copy(hs, steps * hidden, H, 0, hidden);
        Array.Copy(cs, steps * hidden, C, 0, hidden);
        return loss;
    }

    /// <summary>A model with the benchmarks' weights and data: T steps of the given number of inputs.</summary>
    public static (LstmModel Model, double[][] Xs, double[][] Ys) Create(int inputs, int hidden, int steps, int seed)
    {
        var random = new Random(seed);
        double Next(double scale) => Agreement.Uniform(random, scale);
        var model = new LstmModel(inputs, hidden);
        double recurrentScale = 1.0 / Math.Sqrt(hidden);
        foreach ((double[,] w, double[,] u, double[] b, double bias) in new[]
        {
            (model.Wi, model.Ui, model.Bi, 0.0), (model.Wf, model.Uf, model.Bf, 1.0),
            (model.Wg, model.Ug, model.Bg, 0.0), (model.Wo, model.Uo, model.Bo, 0.0),
        })
        {
            // The forget gate starts near open (bias 1), as LSTMs are usually initialised.
            for (int k = 0; k < hidden; k++)
            {
                b[k] = bias + Next(0.1);
                for (int j = 0; j < inputs; j++) w[k, j] = Next(0.3);
                for (int j = 0; j < hidden; j++) u[k, j] = Next(recurrentScale);
            }
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
        var hand = new Gradient(model);
        double handLoss = model.LossHandWritten(xs, ys, hand);
        double worst = Agreement.Relative(generatedLoss, handLoss);
        foreach ((double[,] a, double[,] b) in new[]
        {
            (generated.Wi, hand.Wi), (generated.Wf, hand.Wf), (generated.Wg, hand.Wg), (generated.Wo, hand.Wo),
            (generated.Ui, hand.Ui), (generated.Uf, hand.Uf), (generated.Ug, hand.Ug), (generated.Uo, hand.Uo),
        })
        {
            worst = Agreement.Worst(worst, a, b);
        }

        foreach ((double[] a, double[] b) in new[] { (generated.Bi, hand.Bi), (generated.Bf, hand.Bf), (generated.Bg, hand.Bg), (generated.Bo, hand.Bo) })
        {
            worst = Agreement.Worst(worst, a, b);
        }

        return worst;
    }
}
