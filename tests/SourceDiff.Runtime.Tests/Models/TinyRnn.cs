using System;
using System.Runtime.InteropServices;

namespace SourceDiff.Runtime.Tests.Models;

/// <summary>
/// User story 1's RNN as DESIGN.md writes it: scalar parameters Wx, Wh, B and hidden state H (a [State] field),
/// <c>H = Wx·x + Wh·H + B</c>. Scalar fields are exposed as one-element spans over the fields themselves, as generated
/// code does. <see cref="ContinuingLoss"/> deliberately does not reset H, so each call starts where the last one ended.
/// </summary>
public sealed class TinyRnn : IDifferentiableModel
{
    public double Wx = 0.5, Wh = 0.001, B = 0.85;
    public double H;   // [State]

    public double Step(double x)
    {
        H = Wx * x + Wh * H + B;
        return H;
    }

    /// <summary>Story 1's linear loss Σ(h_t − y_t), starting from H = 0.</summary>
    public double LinearLoss(double[] xs, double[] ys)
    {
        H = 0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            loss += Step(xs[t]) - ys[t];
        }

        return loss;
    }

    /// <summary>Σ(h_t − y_t)² starting from the current H, which it leaves at the last h_t.</summary>
    public double ContinuingLoss(double[] xs, double[] ys)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }

    public double LinearLossGradient(double[] xs, double[] ys, Gradient gradient)
    {
        H = 0;
        return Backpropagate(xs, ys, gradient, squared: false);
    }

    public double ContinuingLossGradient(double[] xs, double[] ys, Gradient gradient) =>
        Backpropagate(xs, ys, gradient, squared: true);

    // Full back-propagation through time from the current H; leaves H where the primal leaves it.
    private double Backpropagate(double[] xs, double[] ys, Gradient gradient, bool squared)
    {
        gradient.Clear();
        var before = new double[xs.Length];
        var errors = new double[xs.Length];
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            before[t] = H;
            errors[t] = Step(xs[t]) - ys[t];
            loss += squared ? errors[t] * errors[t] : errors[t];
        }

        double dH = 0;
        for (int t = xs.Length - 1; t >= 0; t--)
        {
            dH += squared ? 2 * errors[t] : 1;
            gradient.Wx += dH * xs[t];
            gradient.Wh += dH * before[t];
            gradient.B += dH;
            dH *= Wh;
        }

        return loss;
    }

    public int ParameterCount => 3;

    public string GetParameterName(int index) => Names[index];

    public bool IsSingle(int index) => false;

    public Span<double> GetDoubles(int index) => index switch
    {
        0 => MemoryMarshal.CreateSpan(ref Wx, 1),
        1 => MemoryMarshal.CreateSpan(ref Wh, 1),
        2 => MemoryMarshal.CreateSpan(ref B, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public Span<float> GetSingles(int index) => throw new InvalidOperationException("TinyRnn holds doubles.");

    public object CaptureState() => H;

    public void RestoreState(object snapshot) => H = (double)snapshot;

    public IGradient CreateGradient() => new Gradient();

    private static readonly string[] Names = ["Wx", "Wh", "B"];

    public sealed class Gradient : IGradient
    {
        public double Wx, Wh, B;

        public int ParameterCount => 3;

        public string GetParameterName(int index) => Names[index];

        public bool IsSingle(int index) => false;

        public Span<double> GetDoubles(int index) => index switch
        {
            0 => MemoryMarshal.CreateSpan(ref Wx, 1),
            1 => MemoryMarshal.CreateSpan(ref Wh, 1),
            2 => MemoryMarshal.CreateSpan(ref B, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public Span<float> GetSingles(int index) => throw new InvalidOperationException("TinyRnn holds doubles.");

        public void Clear() => Wx = Wh = B = 0;
    }
}

/// <summary>
/// Wraps a model but ignores <see cref="RestoreState"/>: what the checker would see if it did not restore hidden state
/// before each evaluation (the story-1 user's situation without a manual reset).
/// </summary>
public sealed class StateLeakingModel(IDifferentiableModel inner) : IDifferentiableModel
{
    public int ParameterCount => inner.ParameterCount;

    public string GetParameterName(int index) => inner.GetParameterName(index);

    public bool IsSingle(int index) => inner.IsSingle(index);

    public Span<double> GetDoubles(int index) => inner.GetDoubles(index);

    public Span<float> GetSingles(int index) => inner.GetSingles(index);

    public object CaptureState() => inner.CaptureState();

    public void RestoreState(object snapshot)
    {
    }

    public IGradient CreateGradient() => inner.CreateGradient();
}
