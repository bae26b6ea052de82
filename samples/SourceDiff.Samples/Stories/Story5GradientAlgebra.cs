using System;
using SourceDiff.Samples.Models;

namespace SourceDiff.Samples.Stories;

/// <summary>
/// User story 5 (Zygote.Grads, seeds/004): per-sample gradients combined over every parameter at once,
/// <c>2·p1·g1 + 2·p2·g2</c>, with the generated gradient type's operators, and the same thing in place with AddScaled.
/// </summary>
public static class Story5GradientAlgebra
{
    public static void Run()
    {
        Console.WriteLine("== Linear combinations of gradients ==");
        var f = new Affine();
        double[] inputs = { 0.3, 1.5 };
        var g1 = new Affine.Gradient(f);
        var g2 = new Affine.Gradient(f);
        double p1 = f.FGradient(inputs[0], g1);
        double p2 = f.FGradient(inputs[1], g2);
        Affine.Gradient combined = 2 * p1 * g1 + 2 * p2 * g2;
        var full = new Affine.Gradient(f);
        f.LossGradient(inputs, full);
        Console.WriteLine($"   2*p1*g1 + 2*p2*g2:  dm = {combined.M:F10}, db = {combined.B:F10}   (thread: 5.76, 3.2)");
        Console.WriteLine($"   gradient of sum(f(x).^2): dm = {full.M:F10}, db = {full.B:F10}, |difference| = {(combined - full).Norm():E1}");

        // The same with many parameters: a 20x50 hidden layer (1000 weights) plus biases and read-out.
        var random = new Random(5);
        var network = new SmallNetwork(inputs: 50, hidden: 20);
        SampleData.FillGaussian(random, network.W, 0.2);
        SampleData.FillGaussian(random, network.C, 0.1);
        SampleData.FillGaussian(random, network.V, 0.3);
        network.D = 0.1;
        var xs = new double[8][];
        for (int n = 0; n < xs.Length; n++)
        {
            xs[n] = new double[50];
            SampleData.FillGaussian(random, xs[n]);
        }

        var sum = new SmallNetwork.Gradient(network);        // zeros shaped like the network
        var perSample = new SmallNetwork.Gradient(network);
        foreach (double[] x in xs)
        {
            double prediction = network.FGradient(x, perSample);
            sum.AddScaled(2 * prediction, perSample);         // in-place axpy over all 1041 parameters
        }

        var batch = new SmallNetwork.Gradient(network);
        network.LossGradient(xs, batch);
        Console.WriteLine($"   {xs.Length} samples, 1041 parameters: |sum_i 2 f_i g_i (AddScaled) - full-batch gradient| = {(sum - batch).Norm():E2} (|gradient| = {batch.Norm():E3})");
        Console.WriteLine();
    }
}
