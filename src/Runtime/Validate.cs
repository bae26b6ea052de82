using System;
using System.ComponentModel;

namespace SourceDiff;

/// <summary>
/// Argument checks the generated <c>…Gradient</c> and <c>…Pullback</c> methods run before they write anything,
/// so bad input leaves the caller's data untouched.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class Validate
{
    /// <summary>Throws unless <paramref name="buffer"/> has the shape of <paramref name="shape"/> (length, rank, every dimension, and every row of a jagged array).</summary>
    public static void SameShape(Array? buffer, string bufferName, Array? shape, string shapeName)
    {
        if (shape is null)
        {
            return;
        }

        if (buffer is null)
        {
            throw new ArgumentNullException(bufferName, $"{bufferName} is null; it must have the shape of {shapeName}.");
        }

        if (buffer.Rank != shape.Rank)
        {
            throw new ArgumentException($"{bufferName} has rank {buffer.Rank}; {shapeName} has rank {shape.Rank}.", bufferName);
        }

        for (int dimension = 0; dimension < shape.Rank; dimension++)
        {
            if (buffer.GetLength(dimension) != shape.GetLength(dimension))
            {
                string message = shape.Rank == 1
                    ? $"{bufferName} has length {buffer.Length}; {shapeName} has {shape.Length}."
                    : $"{bufferName} has length {buffer.GetLength(dimension)} in dimension {dimension}; {shapeName} has {shape.GetLength(dimension)}.";
                throw new ArgumentException(message, bufferName);
            }
        }

        if (shape is Array[] rows && buffer is Array[] bufferRows)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                SameShape(bufferRows[i], $"{bufferName}[{i}]", rows[i], $"{shapeName}[{i}]");
            }
        }
    }

    /// <summary>Throws unless a span buffer has the length of its input.</summary>
    public static void SameLength(int bufferLength, string bufferName, int length, string inputName)
    {
        if (bufferLength != length)
        {
            throw new ArgumentException($"{bufferName} has length {bufferLength}; {inputName} has {length}.", bufferName);
        }
    }

    /// <summary>
    /// Throws when two differentiable arrays (or two gradient buffers, or an input and a gradient buffer) are the same
    /// object: their adjoints would be summed into one buffer and the result would be wrong without any sign.
    /// </summary>
    public static void NotAliased(object? first, string firstName, object? second, string secondName)
    {
        if (first is not null && ReferenceEquals(first, second))
        {
            throw new ArgumentException($"{secondName} is the same array as {firstName}; pass distinct arrays.", secondName);
        }
    }

    /// <summary>Throws when a gradient object is missing.</summary>
    public static void NotNull(object? value, string name)
    {
        if (value is null)
        {
            throw new ArgumentNullException(name);
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for <paramref name="parameterName"/> unless a gradient's buffer has the
    /// shape of the model's field (models can be resized after their gradient was created).
    /// </summary>
    public static void GradientShape(Array? buffer, Array? field, string fieldName, string parameterName)
    {
        try
        {
            SameShape(buffer, fieldName, field, fieldName);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"{parameterName} does not match the model: {exception.Message.Split(" (Parameter")[0]} Create it with new Gradient(model) after resizing.", parameterName, exception);
        }
    }

    /// <summary>Throws when two span (or array) arguments share memory: one would receive the other's adjoint.</summary>
    public static void NotOverlapping(ReadOnlySpan<double> first, string firstName, ReadOnlySpan<double> second, string secondName)
    {
        if (!first.IsEmpty && first.Overlaps(second))
        {
            throw new ArgumentException($"{secondName} overlaps {firstName}; pass distinct memory.", secondName);
        }
    }

    /// <inheritdoc cref="NotOverlapping(ReadOnlySpan{double}, string, ReadOnlySpan{double}, string)"/>
    public static void NotOverlapping(ReadOnlySpan<float> first, string firstName, ReadOnlySpan<float> second, string secondName)
    {
        if (!first.IsEmpty && first.Overlaps(second))
        {
            throw new ArgumentException($"{secondName} overlaps {firstName}; pass distinct memory.", secondName);
        }
    }
}
