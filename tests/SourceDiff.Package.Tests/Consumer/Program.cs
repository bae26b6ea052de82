using System;
using MathNet.Numerics.LinearAlgebra;
using SourceDiff;

namespace Consumer;

internal static class Program
{
    private static int Main()
    {
        double[] w = [0.1, -0.4, 0.7];
        double[] dW = new double[w.Length];
        double x = 0.8;
        GradientCheckReport staticReport = GradientCheck.Check(
            () => Losses.Loss(w, x),
            () => Losses.LossGradient(w, x, dW, out _),
            GradientCheck.Input(w, dW));

        double[] v = [0.3, -0.6, 0.9], b = [0.1, 0.2, -0.1], input = [1.0, -0.5, 2.0];
        double[] dV = new double[v.Length], dB = new double[b.Length];
        GradientCheckReport vectorReport = GradientCheck.Check(
            () => VectorLosses.Loss(v, b, input),
            () => VectorLosses.LossGradient(v, b, input, dV, dB),
            GradientCheck.Input(v, dV),
            GradientCheck.Input(b, dB));

        var model = new TinyRnn();
        double[] xs = [0.5, -1.0, 0.25, 0.75];
        double[] ys = [0.1, 0.2, -0.3, 0.4];
        GradientCheckReport modelReport = GradientCheck.Check(
            model, () => model.Loss(xs, ys), (TinyRnn.Gradient gradient) => model.LossGradient(xs, ys, gradient));

        var matrixModel = new MatrixRnn();
        Vector<double>[] inputs = [Vector<double>.Build.Dense([0.5, -1.0]), Vector<double>.Build.Dense([0.25, 0.75]), Vector<double>.Build.Dense([-0.3, 0.2])];
        double[] targets = [0.1, -0.2, 0.3];
        GradientCheckReport matrixReport = GradientCheck.Check(
            matrixModel, () => matrixModel.Loss(inputs, targets), (MatrixRnn.Gradient gradient) => matrixModel.LossGradient(inputs, targets, gradient));

        Console.WriteLine(staticReport);
        Console.WriteLine(vectorReport);
        Console.WriteLine(modelReport);
        Console.WriteLine(matrixReport);
        return staticReport.Passed && vectorReport.Passed && modelReport.Passed && matrixReport.Passed ? 0 : 1;
    }
}
