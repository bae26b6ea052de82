using System;

namespace SourceDiff;

/// <summary>
/// A fixed, ordered list of named floating-point buffers: a model's trainable parameters, or a gradient of them.
/// Scalar fields appear as spans of length 1; a jagged array contributes one span per row (named <c>W[3]</c>).
/// Optimizers and the gradient checker work on any model through it, without reflection.
/// </summary>
public interface IParameterSet
{
    /// <summary>Number of buffers.</summary>
    int ParameterCount { get; }

    /// <summary>Name of buffer <paramref name="index"/>, e.g. <c>Wx</c>, <c>Out.V</c>, <c>W[2]</c>.</summary>
    string GetParameterName(int index);

    /// <summary>Whether buffer <paramref name="index"/> holds <c>float</c> (use <see cref="GetSingles"/>) rather than <c>double</c>.</summary>
    bool IsSingle(int index);

    /// <summary>Buffer <paramref name="index"/> when it holds <c>double</c>; throws <see cref="InvalidOperationException"/> otherwise.</summary>
    Span<double> GetDoubles(int index);

    /// <summary>Buffer <paramref name="index"/> when it holds <c>float</c>; throws <see cref="InvalidOperationException"/> otherwise.</summary>
    Span<float> GetSingles(int index);
}

/// <summary>A generated <c>Model.Gradient</c>: the gradient of a loss with respect to every parameter of a model.</summary>
public interface IGradient : IParameterSet
{
    /// <summary>Sets every entry to zero.</summary>
    void Clear();
}

/// <summary>
/// Implemented by the generated part of every model type (a type with <c>[Differentiable]</c> instance methods):
/// its trainable parameters, in the same order as its <c>Gradient</c>, and a snapshot of everything else the
/// differentiable methods may write (<c>[State]</c> fields, nested layers' state), so that a gradient check can start
/// every evaluation from the same state.
/// </summary>
public interface IDifferentiableModel : IParameterSet
{
    /// <summary>Copies every <c>[State]</c> field (deeply, including nested layers) into a new snapshot.</summary>
    object CaptureState();

    /// <summary>Restores a snapshot taken by <see cref="CaptureState"/> (copying into existing arrays where possible).</summary>
    void RestoreState(object snapshot);

    /// <summary>A zero gradient shaped like this model.</summary>
    IGradient CreateGradient();
}
