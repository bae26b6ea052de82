using System;
using SourceDiff.Samples.Models;

namespace SourceDiff.Samples.Stories;

/// <summary>
/// User story 4 (NumPy, seeds/003): the Elman RNN whose hand-written BPTT used f'(State) instead of f'(Z_state), so
/// the checks of U, W and B_state failed. Here the backward pass is derived from the forward code.
/// </summary>
public static class Story4ElmanRnn
{
    public const int Batch = 3, Steps = 6, Inputs = 3, Hidden = 4, Outputs = 2;

    public static (ElmanRnn Model, double[][] Xs, double[][] Ys) Create(int seed = 4)
    {
        var random = new Random(seed);
        var model = new ElmanRnn(Inputs, Hidden, Outputs);
        SampleData.FillGaussian(random, model.U, 0.5);
        SampleData.FillGaussian(random, model.W, 0.5);
        SampleData.FillGaussian(random, model.V, 0.5);
        SampleData.FillGaussian(random, model.BState, 0.1);
        SampleData.FillGaussian(random, model.BOut, 0.1);
        var xs = new double[Batch * Steps][];
        var ys = new double[Batch * Steps][];
        for (int n = 0; n < xs.Length; n++)
        {
            xs[n] = new double[Inputs];
            SampleData.FillGaussian(random, xs[n]);
            ys[n] = new double[Outputs];
            for (int o = 0; o < Outputs; o++)
            {
                ys[n][o] = random.NextDouble();
            }
        }

        return (model, xs, ys);
    }

    public static void Run()
    {
        Console.WriteLine("== An Elman RNN (tanh state, sigmoid output, an output per step, MSE) ==");
        var (model, xs, ys) = Create();
        var gradient = new ElmanRnn.Gradient(model);
        double loss = model.LossGradient(xs, ys, Batch, Steps, gradient);
        Console.WriteLine($"   batch {Batch}, {Steps} steps, {Inputs} -> {Hidden} -> {Outputs}; loss {loss:F8}");
        Console.WriteLine($"   |dU| = {Norm(gradient.U):E4}  |dW| = {Norm(gradient.W):E4}  |dV| = {Norm(gradient.V):E4}  |dB_state| = {Norm(gradient.BState):E4}  |dB_out| = {Norm(gradient.BOut):E4}");
        var report = GradientCheck.Check(model, () => model.Loss(xs, ys, Batch, Steps),
            (ElmanRnn.Gradient g) => model.LossGradient(xs, ys, Batch, Steps, g));
        foreach (string line in report.ToString().Split('\n'))
        {
            Console.WriteLine("   " + line.TrimEnd('\r'));
        }

        Console.WriteLine();
    }

    private static double Norm(double[,] a)
    {
        double s = 0;
        foreach (double v in a) s += v * v;
        return Math.Sqrt(s);
    }

    private static double Norm(double[] a)
    {
        double s = 0;
        foreach (double v in a) s += v * v;
        return Math.Sqrt(s);
    }
}
