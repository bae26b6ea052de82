using System;

namespace SourceDiff.Runtime.Tests.Models;

/// <summary>
/// A <c>float</c> model, computed in float throughout: loss = mean over samples of (tanh(W·x + B) − y)². With
/// <see cref="ForgetMeanInBias"/> the bias gradient omits the 1/N of the mean (a wrong adjoint by a factor N).
/// </summary>
public sealed class FloatTanhRegression : IDifferentiableModel
{
    public float[] W;
    public float[] B = new float[1];

    public FloatTanhRegression(int features, int seed)
    {
        W = new float[features];
        var random = new Random(seed);
        for (int i = 0; i < features; i++)
        {
            W[i] = (float)(random.NextDouble() - 0.5);
        }

        B[0] = 0.1f;
    }

    public bool ForgetMeanInBias { get; set; }

    public float Loss(float[][] xs, float[] ys)
    {
        float loss = 0;
        for (int s = 0; s < xs.Length; s++)
        {
            float e = MathF.Tanh(Dot(xs[s]) + B[0]) - ys[s];
            loss += e * e;
        }

        return loss / xs.Length;
    }

    public float LossGradient(float[][] xs, float[] ys, Gradient gradient)
    {
        gradient.Clear();
        float loss = 0;
        float n = xs.Length;
        for (int s = 0; s < xs.Length; s++)
        {
            float y = MathF.Tanh(Dot(xs[s]) + B[0]);
            float e = y - ys[s];
            loss += e * e;
            float dz = 2 * e * (1 - y * y) / n;
            for (int i = 0; i < W.Length; i++)
            {
                gradient.W[i] += dz * xs[s][i];
            }

            gradient.B[0] += ForgetMeanInBias ? dz * n : dz;
        }

        return loss / n;
    }

    private float Dot(float[] x)
    {
        float z = 0;
        for (int i = 0; i < W.Length; i++)
        {
            z += W[i] * x[i];
        }

        return z;
    }

    public int ParameterCount => 2;

    public string GetParameterName(int index) => index == 0 ? "W" : "B";

    public bool IsSingle(int index) => true;

    public Span<double> GetDoubles(int index) => throw new InvalidOperationException("FloatTanhRegression holds floats.");

    public Span<float> GetSingles(int index) => index == 0 ? W : B;

    public object CaptureState() => Array.Empty<float>();

    public void RestoreState(object snapshot)
    {
    }

    public IGradient CreateGradient() => new Gradient(W.Length);

    public sealed class Gradient(int features) : IGradient
    {
        public float[] W = new float[features];
        public float[] B = new float[1];

        public int ParameterCount => 2;

        public string GetParameterName(int index) => index == 0 ? "W" : "B";

        public bool IsSingle(int index) => true;

        public Span<double> GetDoubles(int index) => throw new InvalidOperationException("holds floats");

        public Span<float> GetSingles(int index) => index == 0 ? W : B;

        public void Clear()
        {
            Array.Clear(W);
            Array.Clear(B);
        }
    }
}
