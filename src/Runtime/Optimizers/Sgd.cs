using System;
using System.Numerics;

namespace SourceDiff;

/// <summary>
/// Stochastic gradient descent with optional (heavy-ball or Nesterov) momentum and L2 weight decay, with the same
/// update rule as PyTorch's <c>torch.optim.SGD</c> without dampening:
/// <c>g ← ∇ + λ·p;  v ← μ·v + g;  p ← p − η·(nesterov ? g + μ·v : v)</c> (with μ = 0: <c>p ← p − η·g</c>).
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly double[][]? velocity;
    private double learningRate;

    /// <summary>Creates the optimizer for <paramref name="parameters"/>, allocating one velocity buffer per parameter buffer when momentum is used.</summary>
    /// <param name="parameters">The model whose parameters are updated.</param>
    /// <param name="learningRate">Step size η, finite and positive.</param>
    /// <param name="momentum">Momentum μ in [0, 1); 0 (default) for plain gradient descent.</param>
    /// <param name="weightDecay">L2 penalty λ ≥ 0 added to the gradient as λ·p; 0 by default.</param>
    /// <param name="nesterov">Use Nesterov momentum (requires momentum &gt; 0).</param>
    public Sgd(IParameterSet parameters, double learningRate, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters)
    {
        LearningRate = learningRate;
        Momentum = Fraction(momentum, nameof(momentum));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs momentum > 0.", nameof(nesterov));
        }

        Nesterov = nesterov;
        if (momentum > 0)
        {
            velocity = new double[BufferCount][];
            for (int b = 0; b < BufferCount; b++)
            {
                velocity[b] = new double[BufferLength(b)];
            }
        }
    }

    /// <summary>Step size η; may be changed between steps (learning-rate schedules).</summary>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = Positive(value, nameof(LearningRate));
    }

    /// <summary>Momentum μ.</summary>
    public double Momentum { get; }

    /// <summary>L2 weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        if (velocity is not null)
        {
            foreach (double[] v in velocity)
            {
                Array.Clear(v);
            }
        }
    }

    /// <inheritdoc/>
    protected override void Update<T>(int buffer, Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        double[]? v = velocity?[buffer];
        for (int i = 0; i < parameters.Length; i++)
        {
            double p = double.CreateTruncating(parameters[i]);
            double g = double.CreateTruncating(gradient[i]) + WeightDecay * p;
            if (v is not null)
            {
                v[i] = Momentum * v[i] + g;
                g = Nesterov ? g + Momentum * v[i] : v[i];
            }

            parameters[i] = T.CreateTruncating(p - learningRate * g);
        }
    }
}
