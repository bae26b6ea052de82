namespace SourceDiff.Samples.Models;

/// <summary>User story 1, exactly as DESIGN.md writes it: a Step that overwrites [State] H, called in a loop by a loss.</summary>
public partial class TinyRnn
{
    public double Wx = 0.5, Wh = 0.001, B = 0.85;
    [State] public double H;

    [Differentiable] public double Step(double x) { H = Wx * x + Wh * H + B; return H; }

    [Differentiable] public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        H = 0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++) { double e = Step(xs[t]) - ys[t]; loss += e * e; }
        return loss;
    }

    [Differentiable] public double LinearLoss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
    {
        H = 0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++) { loss += Step(xs[t]) - ys[t]; }
        return loss;
    }
}
