using System;
using System.Numerics;
using SourceDiff.Checking;

namespace SourceDiff;

/// <summary>
/// A first-order optimizer that updates a model's parameters in place through <see cref="IParameterSet"/>, with no
/// reflection. Per-buffer state (moments) is allocated once, at construction; a step allocates nothing.
/// </summary>
public abstract class Optimizer
{
    private readonly ParameterLayout layout;

    /// <summary>Reads the parameter layout (names, precisions, lengths) that every gradient must match.</summary>
    /// <param name="parameters">The model (any <see cref="IDifferentiableModel"/>) whose buffers this optimizer updates.</param>
    protected Optimizer(IParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        layout = ParameterLayout.Of(parameters);
    }

    /// <summary>The parameters being optimized.</summary>
    public IParameterSet Parameters { get; }

    /// <summary>Number of steps taken so far (the <c>t</c> of Adam's bias correction).</summary>
    public long StepCount { get; private set; }

    /// <summary>Number of parameter buffers.</summary>
    protected int BufferCount => layout.Count;

    /// <summary>Length of parameter buffer <paramref name="buffer"/>, for allocating state.</summary>
    protected int BufferLength(int buffer) => layout.Length(buffer);

    /// <summary>
    /// Updates every parameter from <paramref name="gradient"/> (the gradient of the loss to minimize).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The gradient's buffers differ from the parameters' in count, names, precisions or lengths; nothing is written.
    /// </exception>
    /// <exception cref="InvalidOperationException">A parameter buffer changed length since this optimizer was created.</exception>
    public void Step(IGradient gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        layout.EnsureMatches(gradient, nameof(gradient), "the gradient", "the model");
        EnsureParametersUnchanged();
        StepCount++;
        for (int b = 0; b < layout.Count; b++)
        {
            if (layout.IsSingle(b))
            {
                Update(b, Parameters.GetSingles(b), gradient.GetSingles(b));
            }
            else
            {
                Update(b, Parameters.GetDoubles(b), gradient.GetDoubles(b));
            }
        }
    }

    /// <summary>Forgets all state (moments, step count), as if newly created.</summary>
    public virtual void Reset() => StepCount = 0;

    /// <summary>
    /// Updates one buffer in place. Implementations compute in double whatever <typeparamref name="T"/> is, so a
    /// <c>float</c> model gets the same update rounded once.
    /// </summary>
    /// <param name="buffer">Index of the buffer, for its state.</param>
    /// <param name="parameters">The parameter values to update.</param>
    /// <param name="gradient">The gradient, same length.</param>
    protected abstract void Update<T>(int buffer, Span<T> parameters, ReadOnlySpan<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>;

    private void EnsureParametersUnchanged()
    {
        for (int b = 0; b < layout.Count; b++)
        {
            int length = layout.IsSingle(b) ? Parameters.GetSingles(b).Length : Parameters.GetDoubles(b).Length;
            if (length != layout.Length(b))
            {
                throw new InvalidOperationException(
                    $"Parameter buffer '{layout.Name(b)}' now has length {length}; this optimizer was created for {layout.Length(b)}.");
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is finite and positive.</summary>
    private protected static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and positive.");

    /// <summary>Throws unless <paramref name="value"/> is finite and non-negative.</summary>
    private protected static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");

    /// <summary>Throws unless <paramref name="value"/> is in [0, 1).</summary>
    private protected static double Fraction(double value, string name) =>
        value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
}
