using System;
using MathNet.Numerics.LinearAlgebra;
using SourceDiff.Samples.Models;

namespace SourceDiff.Samples.Stories;

/// <summary>
/// User story 3 (F#, seeds/002): the regression case that failed in the thread — constant input −0.2, expected output
/// 1.0, random weights — with a generated gradient (no delta rule written by hand) and the runtime's gradient checker
/// (a per-coordinate step with Richardson extrapolation, and an error metric that is sound near zero; the thread used
/// ε ≈ 0.99 and |a − b| / (|a| + |b|)). Then the same network written with MathNet.Numerics, as the thread's author
/// wrote it: gradient-checked, equal to the array version's gradient, and trained on a small batch with Adam.
/// </summary>
public static class Story3SigmoidNetwork
{
    public static SigmoidNetwork CreateRegressionCase(int seed = 3)
    {
        var random = new Random(seed);
        var network = new SigmoidNetwork(inputs: 5, hidden: 5);
        for (int j = 0; j < 5; j++)
        {
            for (int i = 0; i < 5; i++)
            {
                network.W1[j, i] = 1.0 - 2.0 * random.NextDouble();
            }

            network.W2[j] = 1.0 - 2.0 * random.NextDouble();
        }

        return network;
    }

    public static void Run()
    {
        Console.WriteLine("== A sigmoid network: no hand-written deltas, a sound gradient check ==");
        var network = CreateRegressionCase();
        double[] x = { -0.2, -0.2, -0.2, -0.2, -0.2 };
        const double expected = 1.0;
        var report = GradientCheck.Check(network, () => network.Loss(x, expected),
            (SigmoidNetwork.Gradient g) => network.LossGradient(x, expected, g));
        Console.WriteLine($"   regression case: input 5 x -0.2, expected 1.0, output {network.Output(x):F6}, loss {network.Loss(x, expected):E6}");
        foreach (string line in report.ToString().Split('\n'))
        {
            Console.WriteLine("   " + line.TrimEnd('\r'));
        }

        if (!report.Passed || !RunMathNet(network, x, expected))
        {
            Environment.ExitCode = 1;
        }

        Console.WriteLine();
    }

    /// <summary>The MathNet version of <paramref name="network"/>: same weights, same gradient, then a short training run.</summary>
    public static MatrixSigmoidNetwork ToMathNet(SigmoidNetwork network) =>
        new(inputs: network.W1.GetLength(1), hidden: network.W2.Length)
        {
            W1 = Matrix<double>.Build.DenseOfArray(network.W1),
            W2 = Vector<double>.Build.DenseOfArray(network.W2),
        };

    private static bool RunMathNet(SigmoidNetwork network, double[] x, double expected)
    {
        Console.WriteLine("   -- the same network with MathNet.Numerics (Matrix<double> W1, Vector<double> W2) --");
        MatrixSigmoidNetwork matrices = ToMathNet(network);
        Vector<double> input = Vector<double>.Build.DenseOfArray(x);
        var report = GradientCheck.Check(matrices, () => matrices.Loss(input, expected),
            (MatrixSigmoidNetwork.Gradient g) => matrices.LossGradient(input, expected, g));
        Console.WriteLine($"   gradient check of the MathNet network: {(report.Passed ? "PASSED" : "FAILED")} ({report.CheckedCount} comparisons)");

        var arrays = new SigmoidNetwork.Gradient(network);
        var mathNet = new MatrixSigmoidNetwork.Gradient(matrices);
        network.LossGradient(x, expected, arrays);
        matrices.LossGradient(input, expected, mathNet);
        double difference = (mathNet.W1 - Matrix<double>.Build.DenseOfArray(arrays.W1)).InfinityNorm()
            + (mathNet.W2 - Vector<double>.Build.DenseOfArray(arrays.W2)).InfinityNorm();
        Console.WriteLine($"   largest difference from the array version's gradient: {difference:E1}");

        // A batch of eight inputs around the failing case, each with its own target; Adam on the MathNet weights.
        var random = new Random(5);
        Matrix<double> inputs = Matrix<double>.Build.Dense(8, x.Length, (_, _) => -0.2 + 0.4 * (random.NextDouble() - 0.5));
        Vector<double> targets = Vector<double>.Build.Dense(8, n => n % 2 == 0 ? 0.9 : 0.6);
        var adam = new Adam(matrices, learningRate: 0.05);
        var gradient = new MatrixSigmoidNetwork.Gradient(matrices);
        double first = matrices.BatchLossGradient(inputs, targets, gradient);
        adam.Step(gradient);
        double last = first;
        for (int step = 2; step <= 300; step++)
        {
            last = matrices.BatchLossGradient(inputs, targets, gradient);
            adam.Step(gradient);
        }

        bool passed = report.Passed && difference < 1e-12 && last < 0.5 * first;
        Console.WriteLine($"   batch of 8, Adam, 300 steps: loss {first:E3} -> {last:E3}");
        Console.WriteLine($"   check: gradient check passed, same gradient as the arrays, loss at least halved: {(passed ? "PASSED" : "FAILED")}");
        return passed;
    }
}
