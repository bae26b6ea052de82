using System;
using System.Numerics;

namespace SourceDiff;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with bias correction, and optional decoupled weight decay (AdamW, Loshchilov &amp; Hutter):
/// <code>
/// m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
/// p ← p − η·λ·p − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
/// </code>
/// the same rule as PyTorch's <c>torch.optim.Adam</c> (λ = 0) and <c>AdamW</c>. Moments are kept in double, also for
/// <c>float</c> buffers, so that small squared gradients do not underflow.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly double[][] first;
    private readonly double[][] second;
    private double learningRate;

    /// <summary>Creates the optimizer for <paramref name="parameters"/>, allocating both moment buffers once.</summary>
    /// <param name="parameters">The model whose parameters are updated.</param>
    /// <param name="learningRate">Step size η, finite and positive; default 1e-3.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1); default 0.9.</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1); default 0.999.</param>
    /// <param name="epsilon">Added to the denominator for stability, finite and positive; default 1e-8.</param>
    /// <param name="weightDecay">Decoupled weight decay λ ≥ 0 (AdamW); default 0.</param>
    public Adam(IParameterSet parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
        : base(parameters)
    {
        LearningRate = learningRate;
        Beta1 = Fraction(beta1, nameof(beta1));
        Beta2 = Fraction(beta2, nameof(beta2));
        Epsilon = Positive(epsilon, nameof(epsilon));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        first = new double[BufferCount][];
        second = new double[BufferCount][];
        for (int b = 0; b < BufferCount; b++)
        {
            first[b] = new double[BufferLength(b)];
            second[b] = new double[BufferLength(b)];
        }
    }

    /// <summary>Step size η; may be changed between steps (learning-rate schedules).</summary>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = Positive(value, nameof(LearningRate));
    }

    /// <summary>Decay β₁ of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay β₂ of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Stability term ε.</summary>
    public double Epsilon { get; }

    /// <summary>Decoupled weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        for (int b = 0; b < first.Length; b++)
        {
            Array.Clear(first[b]);
            Array.Clear(second[b]);
        }
    }

    /// <inheritdoc/>
    protected override void Update<T>(int buffer, Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        double[] m = first[buffer];
        double[] v = second[buffer];
        double correction1 = 1 - Math.Pow(Beta1, StepCount);
        double correction2 = 1 - Math.Pow(Beta2, StepCount);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = double.CreateTruncating(gradient[i]);
            double p = double.CreateTruncating(parameters[i]);
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            double mHat = m[i] / correction1;
            double vHat = v[i] / correction2;
            p -= learningRate * WeightDecay * p;
            parameters[i] = T.CreateTruncating(p - learningRate * mHat / (Math.Sqrt(vHat) + Epsilon));
        }
    }
}
