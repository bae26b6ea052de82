using System;
using System.Diagnostics;
using SourceDiff.Samples.Models;
using SourceDiff.Samples.Stories;

namespace SourceDiff.Samples.Training;

/// <summary>
/// A training run of a model written with TensorPrimitives: <see cref="VectorMlp"/> learns to tell the three arms of a
/// noisy spiral apart, with Adam, after a gradient check of its generated gradient against finite differences.
/// </summary>
public static class VectorTraining
{
    public const int Hidden = 32, Classes = 3, Batch = 64, Iterations = 600;

    /// <summary>Points of a three-armed spiral in the plane, labelled by arm.</summary>
    public static (double[][] Xs, int[] Labels) MakeSpiral(Random random, int count)
    {
        var xs = new double[count][];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            int arm = random.Next(Classes);
            double r = random.NextDouble();
            double angle = 4.0 * r + 2 * Math.PI * arm / Classes + 0.2 * SampleData.Gaussian(random);
            xs[n] = new[] { r * Math.Cos(angle), r * Math.Sin(angle) };
            labels[n] = arm;
        }

        return (xs, labels);
    }

    public static VectorMlp CreateModel(Random random)
    {
        var model = new VectorMlp(2, Hidden, Classes);
        SampleData.FillGaussian(random, model.W1, Math.Sqrt(2.0 / 2));
        SampleData.FillGaussian(random, model.W2, Math.Sqrt(2.0 / Hidden));
        return model;
    }

    public static double Accuracy(VectorMlp model, double[][] xs, int[] labels)
    {
        int correct = 0;
        for (int n = 0; n < xs.Length; n++)
        {
            correct += model.Predict(xs[n]) == labels[n] ? 1 : 0;
        }

        return (double)correct / xs.Length;
    }

    public static bool Run()
    {
        Console.WriteLine("== Vector training: a TensorPrimitives MLP (ReLU, softmax) learns a three-armed spiral (Adam) ==");
        var random = new Random(7);
        var model = CreateModel(random);
        var (testXs, testLabels) = MakeSpiral(random, 1000);

        // The generated gradient of the SIMD code against central finite differences, before training.
        var (checkXs, checkLabels) = MakeSpiral(random, 8);
        GradientCheckReport check = GradientCheck.Check(model, () => model.Loss(checkXs, checkLabels), (VectorMlp.Gradient g) => model.LossGradient(checkXs, checkLabels, g));
        Console.WriteLine($"   gradient check of the TensorPrimitives model: {(check.Passed ? "PASSED" : "FAILED")} ({check.CheckedCount} parameters checked)");

        double before = Accuracy(model, testXs, testLabels);
        var adam = new Adam(model, learningRate: 0.01);
        var gradient = new VectorMlp.Gradient(model);
        var clock = Stopwatch.StartNew();
        for (int step = 1; step <= Iterations; step++)
        {
            var (xs, labels) = MakeSpiral(random, Batch);
            double loss = model.LossGradient(xs, labels, gradient);
            adam.Step(gradient);
            if (step == 1 || step % 100 == 0)
            {
                Console.WriteLine($"   step {step,4}  loss {loss:F4}  elapsed {clock.Elapsed.TotalSeconds:F2} s");
            }
        }

        double after = Accuracy(model, testXs, testLabels);
        bool learned = check.Passed && after > 0.85;
        Console.WriteLine($"   held-out accuracy {before:P1} before training, {after:P1} after (chance {1.0 / Classes:P1})");
        Console.WriteLine($"   check: gradient check passed and held-out accuracy > 85%: {(learned ? "PASSED" : "FAILED")}");
        Console.WriteLine();
        return learned;
    }
}
