using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

public static partial class Floats
{
    [Differentiable]
    public static float ExpLog(float x, float y)
    {
        float a = MathF.Exp(0.5f * x) + MathF.Log(y * y + 1f);
        float b = MathF.Log10(y + 3f) + MathF.Log2(x + 3f) + MathF.Log(y + 3f, 2.5f);
        return a * b + MathF.Sqrt(x * x + 1f) + MathF.Cbrt(y + 3f);
    }

    [Differentiable]
    public static float Trig(float x, float y)
    {
        return MathF.Sin(x) * MathF.Cos(y) + MathF.Tan(0.5f * x) + MathF.Atan(y) + MathF.Atan2(y, x + 3f)
            + MathF.Asin(0.3f * x) + MathF.Acos(0.3f * y);
    }

    [Differentiable]
    public static float Hyperbolic(float x, float y)
    {
        return MathF.Tanh(x) * MathF.Sinh(y) + MathF.Cosh(0.5f * x) + MathF.Pow(y + 3f, x) + MathF.Abs(x - 5f) + MathF.Abs(y + 5f)
            + MathF.Max(x, y) * MathF.Min(x, 0.5f * y) + Math.Clamp(x, -0.5f, 0.5f) * y + MathF.FusedMultiplyAdd(x, y, x);
    }

    [Differentiable]
    public static float ArrayLoop(float[] w, float[] x, float b)
    {
        float s = 0f;
        for (int i = 0; i < w.Length; i++)
        {
            float z = w[i] * x[i] + b;
            s += z > 0f ? z * z : -0.1f * z;
        }

        return s / w.Length;
    }

    /// <summary>Casts float → double → float and to int.</summary>
    [Differentiable]
    public static double MixedCasts(float x, double y, float[] v)
    {
        double z = x * y;
        float back = (float)(z * z);
        int n = (int)(x * 4f);
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += (double)v[i] * back + n;
        }

        return s + (float)y * x;
    }

    [Differentiable]
    public static float FloatFromDouble(double[] w, float s)
    {
        double acc = 0;
        for (int i = 0; i < w.Length; i++)
        {
            acc += Math.Sin(w[i]) * s;
        }

        return (float)acc * s;
    }
}

/// <summary>Small learning problems written as static methods over flattened weight arrays.</summary>
public static partial class Models
{
    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>
    /// User story 4: Elman RNN. state_t = tanh(x_t·U + state_{t-1}·W + bState), out_t = sigmoid(state_t·V + bOut),
    /// mean squared error over the whole sequence. U is [hidden × inputs], W [hidden × hidden], V [outputs × hidden], row-major.
    /// </summary>
    [Differentiable]
    public static double ElmanLoss(double[] u, double[] w, double[] bState, double[] v, double[] bOut, double[] h0,
        [NoDerivative] double[][] xs, [NoDerivative] double[][] ys)
    {
        int hidden = bState.Length;
        int outputs = bOut.Length;
        int inputs = xs[0].Length;
        double[] state = new double[hidden];
        double[] next = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            state[j] = h0[j];
        }

        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double z = bState[j];
                for (int i = 0; i < inputs; i++)
                {
                    z += xs[t][i] * u[j * inputs + i];
                }

                for (int k = 0; k < hidden; k++)
                {
                    z += state[k] * w[j * hidden + k];
                }

                next[j] = Math.Tanh(z);
            }

            for (int j = 0; j < hidden; j++)
            {
                state[j] = next[j];
            }

            for (int o = 0; o < outputs; o++)
            {
                double zo = bOut[o];
                for (int j = 0; j < hidden; j++)
                {
                    zo += state[j] * v[o * hidden + j];
                }

                double output = 1 / (1 + Math.Exp(-zo));
                double e = output - ys[t][o];
                loss += e * e;
            }
        }

        return loss / (xs.Length * outputs);
    }

    [Differentiable]
    public static double SoftmaxCrossEntropy(double[] logits, int label)
    {
        double max = logits[0];
        for (int i = 1; i < logits.Length; i++)
        {
            max = Math.Max(max, logits[i]);
        }

        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            sum += Math.Exp(logits[i] - max);
        }

        return -(logits[label] - max - Math.Log(sum));
    }

    /// <summary>Batch softmax cross-entropy of a linear classifier: W is [classes × features].</summary>
    [Differentiable]
    public static double LinearSoftmaxLoss(double[] weights, double[] bias, [NoDerivative] double[][] xs, int[] labels)
    {
        int classes = bias.Length;
        double[] logits = new double[classes];
        double total = 0;
        for (int n = 0; n < xs.Length; n++)
        {
            double[] x = xs[n];
            for (int c = 0; c < classes; c++)
            {
                double z = bias[c];
                for (int f = 0; f < x.Length; f++)
                {
                    z += weights[c * x.Length + f] * x[f];
                }

                logits[c] = z;
            }

            total += SoftmaxCrossEntropy(logits, labels[n]);
        }

        return total / xs.Length;
    }

    [Differentiable]
    public static double LogisticLoss(double[] w, double b, double lambda, [NoDerivative] double[][] xs, [NoDerivative] double[] labels)
    {
        double loss = 0;
        for (int n = 0; n < xs.Length; n++)
        {
            double z = b;
            for (int i = 0; i < w.Length; i++)
            {
                z += w[i] * xs[n][i];
            }

            double p = 1 / (1 + Math.Exp(-z));
            loss -= labels[n] * Math.Log(p) + (1 - labels[n]) * Math.Log(1 - p);
        }

        double reg = 0;
        foreach (double wi in w)
        {
            reg += wi * wi;
        }

        return loss / xs.Length + 0.5 * lambda * reg;
    }

    /// <summary>One hidden tanh layer, linear output, squared error: w1 is [hidden × inputs].</summary>
    [Differentiable]
    public static double Mlp(double[] w1, double[] b1, double[] w2, double b2, [NoDerivative] double[] x, double target)
    {
        int hidden = b1.Length;
        double[] h = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            double z = b1[j];
            for (int i = 0; i < x.Length; i++)
            {
                z += w1[j * x.Length + i] * x[i];
            }

            h[j] = Math.Tanh(z);
        }

        double y = b2;
        for (int j = 0; j < hidden; j++)
        {
            y += w2[j] * h[j];
        }

        double e = y - target;
        return 0.5 * e * e;
    }
}

public class FloatAndModelTests
{
    private delegate float FloatGrad2(float x, float y, out float dX, out float dY);

    private static void CheckFloat2(Func<float, float, float> primal, FloatGrad2 gradient, float lo, float hi)
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            float x = (float)Fd.Uniform(random, lo, hi), y = (float)Fd.Uniform(random, lo, hi);
            float value = gradient(x, y, out float dX, out float dY);
            Assert.Equal(primal(x, y), value);
            Fd.FloatScalar("dX", v => primal(v, y), x, dX);
            Fd.FloatScalar("dY", v => primal(x, v), y, dY);
        }
    }

    [Fact] public void FloatExpLog() => CheckFloat2(Floats.ExpLog, Floats.ExpLogGradient, -1.5f, 1.5f);

    [Fact] public void FloatTrig() => CheckFloat2(Floats.Trig, Floats.TrigGradient, -1.2f, 1.2f);

    [Fact] public void FloatHyperbolicAndMinMax() => CheckFloat2(Floats.Hyperbolic, Floats.HyperbolicGradient, -1.5f, 1.5f);

    [Fact]
    public void FloatHyperbolicClampInside()
    {
        // Clamp's middle region (the random points mostly hit the clamped ones), with y < x for Max and 0.5y < x for Min.
        float value = Floats.HyperbolicGradient(0.2f, -0.3f, out float dX, out float dY);
        Assert.Equal(Floats.Hyperbolic(0.2f, -0.3f), value);
        Fd.FloatScalar("dX", v => Floats.Hyperbolic(v, -0.3f), 0.2f, dX);
        Fd.FloatScalar("dY", v => Floats.Hyperbolic(0.2f, v), -0.3f, dY);
    }

    [Fact]
    public void FloatArrays()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            float[] w = Fd.FloatVector(random, 5), x = Fd.FloatVector(random, 5);
            float b = (float)Fd.Uniform(random, -0.5, 0.5);
            float[] dW = new float[5], dX = new float[5];
            float value = Floats.ArrayLoopGradient(w, x, b, dW, dX, out float dB);
            Assert.Equal(Floats.ArrayLoop(w, x, b), value);
            Fd.Vec("dW", () => Floats.ArrayLoop(w, x, b), w, dW);
            Fd.Vec("dX", () => Floats.ArrayLoop(w, x, b), x, dX);
            Fd.FloatScalar("dB", v => Floats.ArrayLoop(w, x, v), b, dB);
        }
    }

    [Fact]
    public void MixedFloatDoubleCasts()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            float x = (float)Fd.Uniform(random, 0.1, 0.2);    // (int)(4x) stays 0: away from the jumps
            double y = Fd.Uniform(random, -1.5, 1.5);
            float[] v = Fd.FloatVector(random, 3);
            float[] dV = new float[3];
            double value = Floats.MixedCastsGradient(x, y, v, out float dX, out double dY, dV);
            Assert.Equal(Floats.MixedCasts(x, y, v), value);
            Fd.FloatScalar("dX", s => Floats.MixedCasts(s, y, v), x, dX);
            Fd.Scalar("dY", s => Floats.MixedCasts(x, s, v), y, dY, Fd.FloatTol, 1e-3);
            Fd.Vec("dV", () => Floats.MixedCasts(x, y, v), v, dV);
        }
    }

    [Fact]
    public void FloatResultFromDoubleInputs()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 4);
            float s = (float)Fd.Uniform(random, -2, 2);
            double[] dW = new double[4];
            float value = Floats.FloatFromDoubleGradient(w, s, dW, out float dS);
            Assert.Equal(Floats.FloatFromDouble(w, s), value);
            double[] probe = w;
            for (int i = 0; i < w.Length; i++)
            {
                double saved = w[i];
                w[i] = saved + 1e-3;
                double plus = Floats.FloatFromDouble(w, s);
                w[i] = saved - 1e-3;
                double minus = Floats.FloatFromDouble(w, s);
                w[i] = saved;
                Fd.Close((plus - minus) / 2e-3, dW[i], $"dW[{i}]", Fd.FloatTol);
            }

            Fd.FloatScalar("dS", v => Floats.FloatFromDouble(w, v), s, dS);
        }
    }

    [Fact]
    public void ElmanRnnStory4()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            const int inputs = 2, hidden = 3, outputs = 2, steps = 6;
            double[] u = Fd.Vector(random, hidden * inputs), w = Fd.Vector(random, hidden * hidden), bState = Fd.Vector(random, hidden);
            double[] v = Fd.Vector(random, outputs * hidden), bOut = Fd.Vector(random, outputs), h0 = Fd.Vector(random, hidden);
            double[][] xs = Fd.JaggedOf(random, steps, inputs), ys = Fd.JaggedOf(random, steps, outputs, 0, 1);
            double[] dU = new double[u.Length], dW = new double[w.Length], dBState = new double[hidden];
            double[] dV = new double[v.Length], dBOut = new double[outputs], dH0 = new double[hidden];
            double value = Models.ElmanLossGradient(u, w, bState, v, bOut, h0, xs, ys, dU, dW, dBState, dV, dBOut, dH0);
            double L() => Models.ElmanLoss(u, w, bState, v, bOut, h0, xs, ys);
            Assert.Equal(L(), value);
            Fd.Vec("dU", L, u, dU);
            Fd.Vec("dW", L, w, dW);
            Fd.Vec("dBState", L, bState, dBState);
            Fd.Vec("dV", L, v, dV);
            Fd.Vec("dBOut", L, bOut, dBOut);
            Fd.Vec("dH0", L, h0, dH0);
        }
    }

    [Fact]
    public void SoftmaxCrossEntropyWithMaxSubtraction()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] logits = Fd.Vector(random, 5, -4, 4);
            int label = seed % 5;
            double[] dLogits = new double[5];
            double value = Models.SoftmaxCrossEntropyGradient(logits, label, dLogits);
            Assert.Equal(Models.SoftmaxCrossEntropy(logits, label), value);
            Fd.Vec("dLogits", () => Models.SoftmaxCrossEntropy(logits, label), logits, dLogits);

            // Closed form: softmax - onehot.
            double max = double.NegativeInfinity, sum = 0;
            foreach (double z in logits) max = Math.Max(max, z);
            foreach (double z in logits) sum += Math.Exp(z - max);
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(Math.Exp(logits[i] - max) / sum - (i == label ? 1 : 0), dLogits[i], 10);
            }
        }

        // Large logits: the max-subtraction keeps value and gradient finite.
        double[] big = { 800, 805, 790 };
        double[] dBig = new double[3];
        double loss = Models.SoftmaxCrossEntropyGradient(big, 0, dBig);
        Assert.True(double.IsFinite(loss));
        Assert.All(dBig, d => Assert.True(double.IsFinite(d)));
    }

    [Fact]
    public void LinearSoftmaxClassifierBatch()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            const int classes = 3, features = 4, batch = 5;
            double[] weights = Fd.Vector(random, classes * features), bias = Fd.Vector(random, classes);
            double[][] xs = Fd.JaggedOf(random, batch, features);
            int[] labels = new int[batch];
            for (int n = 0; n < batch; n++)
            {
                labels[n] = random.Next(classes);
            }

            double[] dWeights = new double[weights.Length], dBias = new double[classes];
            double value = Models.LinearSoftmaxLossGradient(weights, bias, xs, labels, dWeights, dBias);
            double L() => Models.LinearSoftmaxLoss(weights, bias, xs, labels);
            Assert.Equal(L(), value);
            Fd.Vec("dWeights", L, weights, dWeights);
            Fd.Vec("dBias", L, bias, dBias);
        }
    }

    [Fact]
    public void LogisticRegression()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 3);
            double b = Fd.Uniform(random, -0.5, 0.5), lambda = Fd.Uniform(random, 0.01, 0.5);
            double[][] xs = Fd.JaggedOf(random, 8, 3, -2, 2);
            double[] labels = new double[8];
            for (int n = 0; n < 8; n++)
            {
                labels[n] = random.Next(2);
            }

            double[] dW = new double[3];
            double value = Models.LogisticLossGradient(w, b, lambda, xs, labels, dW, out double dB, out double dLambda);
            Assert.Equal(Models.LogisticLoss(w, b, lambda, xs, labels), value);
            Fd.Vec("dW", () => Models.LogisticLoss(w, b, lambda, xs, labels), w, dW);
            Fd.Scalar("dB", s => Models.LogisticLoss(w, s, lambda, xs, labels), b, dB);
            Fd.Scalar("dLambda", s => Models.LogisticLoss(w, b, s, xs, labels), lambda, dLambda);
        }
    }

    [Fact]
    public void MlpOneHiddenLayer()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            const int inputs = 3, hidden = 4;
            double[] w1 = Fd.Vector(random, hidden * inputs), b1 = Fd.Vector(random, hidden), w2 = Fd.Vector(random, hidden);
            double b2 = Fd.Uniform(random, -1, 1), target = Fd.Uniform(random, -1, 1);
            double[] x = Fd.Vector(random, inputs);
            double[] dW1 = new double[w1.Length], dB1 = new double[hidden], dW2 = new double[hidden];
            double value = Models.MlpGradient(w1, b1, w2, b2, x, target, dW1, dB1, dW2, out double dB2, out double dTarget);
            double L() => Models.Mlp(w1, b1, w2, b2, x, target);
            Assert.Equal(L(), value);
            Fd.Vec("dW1", L, w1, dW1);
            Fd.Vec("dB1", L, b1, dB1);
            Fd.Vec("dW2", L, w2, dW2);
            Fd.Scalar("dB2", s => Models.Mlp(w1, b1, w2, s, x, target), b2, dB2);
            Fd.Scalar("dTarget", s => Models.Mlp(w1, b1, w2, b2, x, s), target, dTarget);
        }
    }
}
