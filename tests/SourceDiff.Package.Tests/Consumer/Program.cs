using System;
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

        var model = new TinyRnn();
        double[] xs = [0.5, -1.0, 0.25, 0.75];
        double[] ys = [0.1, 0.2, -0.3, 0.4];
        GradientCheckReport modelReport = GradientCheck.Check(
            model, () => model.Loss(xs, ys), (TinyRnn.Gradient gradient) => model.LossGradient(xs, ys, gradient));

        Console.WriteLine(staticReport);
        Console.WriteLine(modelReport);
        return staticReport.Passed && modelReport.Passed ? 0 : 1;
    }
}
