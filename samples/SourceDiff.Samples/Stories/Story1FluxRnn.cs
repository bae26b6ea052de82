using System;
using SourceDiff.Samples.Models;

namespace SourceDiff.Samples.Stories;

/// <summary>
/// User story 1 (Flux, seeds/000): a 1→1 RNN whose Step overwrites its hidden state, called in a loop by the loss.
/// Zygote returned dL/dWx = 2.8025 (x1 + x2 + Wh·x2: the stateful calls replayed in the wrong order); the truth is
/// x1 + x2 + Wh·x1 = 2.8003.
/// </summary>
public static class Story1FluxRnn
{
    public static readonly double[] Xs = { 0.3, 2.5 };
    public static readonly double[] Ys = { 0.5, 1.0 };

    public static void Run()
    {
        Console.WriteLine("== A recurrent network whose Step overwrites [State] hidden state ==");
        var model = new TinyRnn();
        var gradient = new TinyRnn.Gradient(model);

        model.LinearLossGradient(Xs, Ys, gradient);
        double closedForm = Xs[0] + Xs[1] + model.Wh * Xs[0];
        double zygote = Xs[0] + Xs[1] + model.Wh * Xs[1];
        Console.WriteLine($"   L = sum(y_t - y*_t)         dL/dWx = {gradient.Wx:F10}");
        Console.WriteLine($"   closed form x1 + x2 + Wh*x1        = {closedForm:F10}   (difference {Math.Abs(gradient.Wx - closedForm):E1})");
        Console.WriteLine($"   what Zygote returned (x1+x2+Wh*x2) = {zygote:F10}");

        double loss = model.LossGradient(Xs, Ys, gradient);
        Console.WriteLine($"   L = sum(y_t - y*_t)^2 = {loss:F8}: dWx = {gradient.Wx:F8}, dWh = {gradient.Wh:F8}, dB = {gradient.B:F8}");
        var report = GradientCheck.Check(model, () => model.Loss(Xs, Ys), (TinyRnn.Gradient g) => model.LossGradient(Xs, Ys, g));
        Console.WriteLine($"   squared loss vs finite differences: {(report.Passed ? "passed" : "FAILED")}, max error {report.MaxError:E2}");

        // No global to reset by hand: a thousand more gradient calls give the same numbers.
        var again = new TinyRnn.Gradient(model);
        double drift = 0;
        for (int i = 0; i < 1000; i++)
        {
            model.LossGradient(Xs, Ys, again);
            drift = Math.Max(drift, (again - gradient).Norm());
        }

        Console.WriteLine($"   after 1000 more gradient calls, largest change in the gradient: {drift:E1}");
        Console.WriteLine();
    }
}
