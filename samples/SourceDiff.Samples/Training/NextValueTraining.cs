using System;
using System.Diagnostics;
using SourceDiff.Samples.Models;
using SourceDiff.Samples.Stories;

namespace SourceDiff.Samples.Training;

/// <summary>
/// A real training run: a tanh RNN with a dense read-out learns to predict the next value of noisy sine waves of
/// random phase and frequency, with Adam and gradient clipping, from gradients generated at compile time.
/// </summary>
public static class NextValueTraining
{
    public const int Hidden = 16, Steps = 40, Batch = 16, Iterations = 400;
    public const double Noise = 0.05;

    /// <summary>A batch of sequences: input x_t = sin(ω t + φ) + noise, target x_{t+1} (without noise).</summary>
    public static (double[][] Xs, double[][] Ys) MakeBatch(Random random, int batch, int steps)
    {
        var xs = new double[batch * steps][];
        var ys = new double[batch * steps][];
        for (int b = 0; b < batch; b++)
        {
            double omega = 0.15 + 0.25 * random.NextDouble();
            double phi = 2 * Math.PI * random.NextDouble();
            for (int t = 0; t < steps; t++)
            {
                xs[b * steps + t] = new[] { Math.Sin(omega * t + phi) + Noise * SampleData.Gaussian(random) };
                ys[b * steps + t] = new[] { Math.Sin(omega * (t + 1) + phi) };
            }
        }

        return (xs, ys);
    }

    /// <summary>The error of always predicting "the next value equals this one", a baseline to beat.</summary>
    public static double PersistenceLoss(double[][] xs, double[][] ys)
    {
        double s = 0;
        for (int n = 0; n < xs.Length; n++)
        {
            double e = xs[n][0] - ys[n][0];
            s += e * e;
        }

        return s / xs.Length;
    }

    public static SequencePredictor CreateModel(Random random)
    {
        var model = new SequencePredictor(1, Hidden, 1);
        SampleData.FillGaussian(random, model.Wx, 0.5);
        SampleData.FillGaussian(random, model.Wh, 1.0 / Math.Sqrt(Hidden));
        SampleData.FillGaussian(random, model.Out.V, 1.0 / Math.Sqrt(Hidden));
        return model;
    }

    public static bool Run()
    {
        Console.WriteLine("== Training: a tanh RNN + dense read-out predicting the next value of noisy sine waves (Adam) ==");
        var random = new Random(42);
        var model = CreateModel(random);
        var (testXs, testYs) = MakeBatch(random, 64, Steps);
        double initial = model.Loss(testXs, testYs, 64, Steps);
        double baseline = PersistenceLoss(testXs, testYs);
        Console.WriteLine($"   hidden {Hidden}, {Steps} steps x {Batch} sequences per batch; held-out loss before training {initial:F5}; 'repeat the last value' baseline {baseline:F5}");

        var adam = new Adam(model, learningRate: 0.01);
        var gradient = new SequencePredictor.Gradient(model);
        var clock = Stopwatch.StartNew();
        double smoothed = double.NaN;
        for (int step = 1; step <= Iterations; step++)
        {
            var (xs, ys) = MakeBatch(random, Batch, Steps);
            double loss = model.LossGradient(xs, ys, Batch, Steps, gradient);
            GradientClipping.ClipByGlobalNorm(gradient, 1.0);
            adam.Step(gradient);
            smoothed = double.IsNaN(smoothed) ? loss : 0.9 * smoothed + 0.1 * loss;
            if (step == 1 || step % 50 == 0)
            {
                Console.WriteLine($"   step {step,4}  loss {loss:F5}  (smoothed {smoothed:F5})  elapsed {clock.Elapsed.TotalSeconds:F2} s");
            }
        }

        double final = model.Loss(testXs, testYs, 64, Steps);
        bool learned = final < 0.25 * baseline && final < 0.1 * initial;
        Console.WriteLine($"   held-out loss after training {final:F5} (before {initial:F5}, baseline {baseline:F5}, noise floor ~{Noise * Noise:F5})");
        Console.WriteLine($"   check: held-out loss < 1/4 of the baseline and < 1/10 of the initial loss: {(learned ? "PASSED" : "FAILED")}");
        Console.WriteLine();
        return learned;
    }
}
