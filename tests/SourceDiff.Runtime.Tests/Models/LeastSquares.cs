using System;

namespace SourceDiff.Runtime.Tests.Models;

/// <summary>
/// Linear least squares as a model: parameters W (d) and B (1), loss = (1/2n)·Σ(A_s·W + B − b_s)². The data are made
/// from known weights plus no noise, so the minimum is 0 and progress is easy to measure.
/// </summary>
public sealed class LeastSquares : IDifferentiableModel
{
    private readonly double[][] a;
    private readonly double[] b;

    public double[] W;
    public double[] B = new double[1];

    public LeastSquares(int samples, int features, int seed, double conditioning = 1)
    {
        var random = new Random(seed);
        var truth = new double[features];
        for (int i = 0; i < features; i++)
        {
            truth[i] = 2 * random.NextDouble() - 1;
        }

        a = new double[samples][];
        b = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            a[s] = new double[features];
            for (int i = 0; i < features; i++)
            {
                // Feature i is scaled by conditioning^(i/(d−1)): a spread of curvatures that momentum helps with.
                double scale = features == 1 ? 1 : Math.Pow(conditioning, -(double)i / (features - 1));
                a[s][i] = scale * (2 * random.NextDouble() - 1);
                b[s] += a[s][i] * truth[i];
            }

            b[s] += 0.3;
        }

        W = new double[features];
    }

    public double Loss()
    {
        double loss = 0;
        for (int s = 0; s < b.Length; s++)
        {
            double r = Residual(s);
            loss += r * r;
        }

        return loss / (2 * b.Length);
    }

    public double LossGradient(Gradient gradient)
    {
        gradient.Clear();
        double loss = 0;
        for (int s = 0; s < b.Length; s++)
        {
            double r = Residual(s);
            loss += r * r;
            for (int i = 0; i < W.Length; i++)
            {
                gradient.W[i] += r * a[s][i] / b.Length;
            }

            gradient.B[0] += r / b.Length;
        }

        return loss / (2 * b.Length);
    }

    private double Residual(int s)
    {
        double r = B[0] - b[s];
        for (int i = 0; i < W.Length; i++)
        {
            r += a[s][i] * W[i];
        }

        return r;
    }

    public int ParameterCount => 2;

    public string GetParameterName(int index) => index == 0 ? "W" : "B";

    public bool IsSingle(int index) => false;

    public Span<double> GetDoubles(int index) => index == 0 ? W : B;

    public Span<float> GetSingles(int index) => throw new InvalidOperationException("LeastSquares holds doubles.");

    public object CaptureState() => Array.Empty<double>();

    public void RestoreState(object snapshot)
    {
    }

    public IGradient CreateGradient() => new Gradient(W.Length);

    public sealed class Gradient(int features) : IGradient
    {
        public double[] W = new double[features];
        public double[] B = new double[1];

        public int ParameterCount => 2;

        public string GetParameterName(int index) => index == 0 ? "W" : "B";

        public bool IsSingle(int index) => false;

        public Span<double> GetDoubles(int index) => index == 0 ? W : B;

        public Span<float> GetSingles(int index) => throw new InvalidOperationException("holds doubles");

        public void Clear()
        {
            Array.Clear(W);
            Array.Clear(B);
        }
    }
}
