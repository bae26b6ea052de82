using System;
using SourceDiff.Samples.Models;

namespace SourceDiff.Samples.Stories;

/// <summary>
/// User story 3 (F#, seeds/002): the regression case that failed in the thread — constant input −0.2, expected output
/// 1.0, random weights — with a generated gradient (no delta rule written by hand) and the runtime's gradient checker
/// (a per-coordinate step with Richardson extrapolation, and an error metric that is sound near zero; the thread used
/// ε ≈ 0.99 and |a − b| / (|a| + |b|)).
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

        Console.WriteLine();
    }
}
