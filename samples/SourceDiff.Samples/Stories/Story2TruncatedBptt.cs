using System;
using System.Diagnostics;
using SourceDiff.Samples.Models;

namespace SourceDiff.Samples.Stories;

/// <summary>
/// User story 2 (Theano/Lasagne, seeds/001): a softmax recurrent layer with cross-entropy over 10 sequences × 10⁴ steps.
/// Lasagne's <c>gradient_steps=1</c> silently truncated back-propagation through time; SourceDiff back-propagates
/// through every step unless the code says <c>Grad.Stop</c>, and then the truncation is in the source for all to see.
/// </summary>
public static class Story2TruncatedBptt
{
    public const int Sequences = 10, Steps = 10_000, Features = 2, Classes = 2;

    /// <summary>The story's data and a layer with random input weights and a non-zero recurrent matrix.</summary>
    public static (SoftmaxRecurrentLayer Layer, double[][] Xs, int[] Labels) Create(int sequences, int steps, int seed = 2017)
    {
        var random = new Random(seed);
        var xs = new double[sequences * steps][];
        var labels = new int[sequences * steps];
        for (int n = 0; n < xs.Length; n++)
        {
            xs[n] = new double[Features];
            SampleData.FillGaussian(random, xs[n]);
            labels[n] = random.Next(Classes);
        }

        var layer = new SoftmaxRecurrentLayer(Features, Classes);
        SampleData.FillGaussian(random, layer.W);
        SampleData.FillGaussian(random, layer.Wrec, 0.5);
        SampleData.FillGaussian(random, layer.B, 0.1);
        return (layer, xs, labels);
    }

    /// <summary>
    /// The one-step-truncated gradient computed by hand, the way gradient_steps=1 defines it: every step's state
    /// h_{t-1} is data, so each step contributes only through its own softmax: dz_t = (p_t − onehot(y_t)) / N.
    /// </summary>
    public static SoftmaxRecurrentLayer.Gradient TruncatedByHand(SoftmaxRecurrentLayer layer, double[][] xs, int[] labels, int sequences, int steps)
    {
        var g = new SoftmaxRecurrentLayer.Gradient(layer);
        int classes = layer.B.Length;
        double count = sequences * steps;
        var h = new double[classes];
        var p = new double[classes];
        for (int s = 0; s < sequences; s++)
        {
            Array.Clear(h);
            for (int t = 0; t < steps; t++)
            {
                int n = s * steps + t;
                double max = double.NegativeInfinity;
                for (int j = 0; j < classes; j++)
                {
                    double z = layer.B[j];
                    for (int i = 0; i < xs[n].Length; i++) z += xs[n][i] * layer.W[i, j];
                    for (int k = 0; k < classes; k++) z += h[k] * layer.Wrec[k, j];
                    p[j] = z;
                    max = Math.Max(max, z);
                }

                double sum = 0;
                for (int j = 0; j < classes; j++) { p[j] = Math.Exp(p[j] - max); sum += p[j]; }
                for (int j = 0; j < classes; j++) p[j] /= sum;
                for (int j = 0; j < classes; j++)
                {
                    double dz = (p[j] - (labels[n] == j ? 1.0 : 0.0)) / count;
                    g.B[j] += dz;
                    for (int i = 0; i < xs[n].Length; i++) g.W[i, j] += xs[n][i] * dz;
                    for (int k = 0; k < classes; k++) g.Wrec[k, j] += h[k] * dz;
                }

                Array.Copy(p, h, classes);
            }
        }

        return g;
    }

    public static void Run()
    {
        Console.WriteLine("== A softmax recurrent layer: full BPTT vs explicit one-step truncation ==");
        Console.WriteLine($"   {Sequences} sequences x {Steps} steps x {Features} features x {Classes} classes, Wrec != 0");
        var (layer, xs, labels) = Create(Sequences, Steps);

        var full = new SoftmaxRecurrentLayer.Gradient(layer);
        double loss = layer.LossGradient(xs, labels, Sequences, Steps, full);
        var truncated = new SoftmaxRecurrentLayer.Gradient(layer);
        layer.TruncatedLossGradient(xs, labels, Sequences, Steps, truncated);
        var byHand = TruncatedByHand(layer, xs, labels, Sequences, Steps);
        Console.WriteLine($"   loss = {loss:F6}");
        Console.WriteLine("   parameter      full BPTT        Grad.Stop (1 step)   difference");
        PrintRows("W", full.W, truncated.W);
        PrintRows("Wrec", full.Wrec, truncated.Wrec);
        for (int j = 0; j < Classes; j++)
        {
            PrintRow($"B[{j}]", full.B[j], truncated.B[j]);
        }

        var gap = full - truncated;
        Console.WriteLine($"   |full - truncated| = {gap.Norm():E3}   (|full| = {full.Norm():E3})");
        Console.WriteLine($"   |Grad.Stop gradient - hand-computed truncated gradient| = {(truncated - byHand).Norm():E3}");
        Console.WriteLine("   (Lasagne's gradient_steps=1 was silent, and Theano kept only the last step's backward pass: 1.8e-5 vs 0.24;");
        Console.WriteLine("    here truncation exists only where the source says Grad.Stop, as TruncatedLoss does.)");

        var check = GradientCheck.Check(layer, () => layer.Loss(xs, labels, Sequences, Steps),
            (SoftmaxRecurrentLayer.Gradient g) => layer.LossGradient(xs, labels, Sequences, Steps, g),
            new GradientCheckOptions { Mode = GradientCheckMode.Directional, Directions = 4 });
        Console.WriteLine($"   full BPTT vs finite differences (directional, full size): {(check.Passed ? "passed" : "FAILED")}, max error {check.MaxError:E2}");

        double ratio = MeasureRatio(layer, xs, labels, Sequences, Steps, out double primalMs, out double gradientMs);
        Console.WriteLine($"   time: primal {primalMs:F2} ms, gradient {gradientMs:F2} ms (median of 9) -> gradient/primal = {ratio:F2}");
        Console.WriteLine();
    }

    /// <summary>Median wall-clock time of Loss and of LossGradient after warm-up, and their ratio.</summary>
    public static double MeasureRatio(SoftmaxRecurrentLayer layer, double[][] xs, int[] labels, int sequences, int steps,
        out double primalMs, out double gradientMs, int repetitions = 9)
    {
        var g = new SoftmaxRecurrentLayer.Gradient(layer);
        for (int i = 0; i < 3; i++)
        {
            layer.Loss(xs, labels, sequences, steps);
            layer.LossGradient(xs, labels, sequences, steps, g);
        }

        var primal = new double[repetitions];
        var gradient = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            long start = Stopwatch.GetTimestamp();
            layer.Loss(xs, labels, sequences, steps);
            primal[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            layer.LossGradient(xs, labels, sequences, steps, g);
            gradient[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        primalMs = SampleData.Median(primal);
        gradientMs = SampleData.Median(gradient);
        return gradientMs / primalMs;
    }

    private static void PrintRows(string name, double[,] full, double[,] truncated)
    {
        for (int i = 0; i < full.GetLength(0); i++)
        {
            for (int j = 0; j < full.GetLength(1); j++)
            {
                PrintRow($"{name}[{i},{j}]", full[i, j], truncated[i, j]);
            }
        }
    }

    private static void PrintRow(string name, double full, double truncated) =>
        Console.WriteLine($"   {name,-12} {full,16:E6} {truncated,18:E6} {full - truncated,16:E6}");
}
