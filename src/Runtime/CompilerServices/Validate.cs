using System;
using System.ComponentModel;

namespace SourceDiff.CompilerServices;

/// <summary>
/// Argument checks the generated <c>…Gradient</c> and <c>…Pullback</c> methods run before they write anything,
/// so bad input leaves the caller's data untouched.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class Validate
{
    /// <summary>
    /// Throws unless <paramref name="buffer"/> has the shape of <paramref name="shape"/> (length, rank, every dimension,
    /// and every row of a jagged array); the parameter named is the buffer, or its row (<c>dXs[2]</c>).
    /// </summary>
    public static void SameShape(Array? buffer, string bufferName, Array? shape, string shapeName)
    {
        if (shape is null)
        {
            return;
        }

        // Rows are compared without building their names; a name is made only for the message of a mismatch.
        if (FirstMismatch(buffer, shape) is { } mismatch)
        {
            string at = mismatch.Path;
            if (mismatch.Buffer is null)
            {
                throw new ArgumentNullException(bufferName + at, $"{bufferName}{at} is null; it must have the shape of {shapeName}{at}.");
            }

            string message = mismatch.Buffer.Rank != mismatch.Shape.Rank
                ? $"{bufferName}{at} has rank {mismatch.Buffer.Rank}; {shapeName}{at} has rank {mismatch.Shape.Rank}."
                : mismatch.Shape.Rank == 1
                    ? $"{bufferName}{at} has length {mismatch.Buffer.Length}; {shapeName}{at} has {mismatch.Shape.Length}."
                    : $"{bufferName}{at} has length {mismatch.Buffer.GetLength(mismatch.Dimension)} in dimension {mismatch.Dimension}; {shapeName}{at} has {mismatch.Shape.GetLength(mismatch.Dimension)}.";
            throw new ArgumentException(message, bufferName + at);
        }
    }

    private sealed record Mismatch(Array? Buffer, Array Shape, int Dimension, string Path);

    private static Mismatch? FirstMismatch(Array? buffer, Array shape)
    {
        if (buffer is null)
        {
            return new Mismatch(null, shape, 0, string.Empty);
        }

        if (buffer.Rank != shape.Rank)
        {
            return new Mismatch(buffer, shape, 0, string.Empty);
        }

        for (int dimension = 0; dimension < shape.Rank; dimension++)
        {
            if (buffer.GetLength(dimension) != shape.GetLength(dimension))
            {
                return new Mismatch(buffer, shape, dimension, string.Empty);
            }
        }

        if (shape is Array[] rows && buffer is Array[] bufferRows)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i] is { } row && FirstMismatch(bufferRows[i], row) is { } inner)
                {
                    return inner with { Path = "[" + i + "]" + inner.Path };
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Throws <see cref="ArgumentNullException"/> naming <paramref name="name"/> when an array argument, or any row of a
    /// jagged one, is null: the sweeps would fail on it only after the gradient buffers and the model were touched.
    /// </summary>
    public static void NotNullDeep(Array? array, string name)
    {
        if (array is null)
        {
            throw new ArgumentNullException(name);
        }

        if (FirstNullRow(array) is { } row)
        {
            throw new ArgumentNullException(name, $"{name}{row} is null.");
        }
    }

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> naming the model's field when an array or layer field that its
    /// differentiable methods use is null (or has a null row or element).
    /// </summary>
    public static void FieldNotNull(object? value, string fieldName)
    {
        string? row = value is null ? string.Empty : value is Array[] rows ? FirstNullRow(rows) : value is object[] layers ? FirstNullElement(layers) : null;
        if (row is not null)
        {
            throw new InvalidOperationException($"The model's field {fieldName}{row} is null, and its differentiable methods use it: assign it before computing a gradient.");
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for <paramref name="parameterName"/> when a gradient's layer (or array of
    /// layers) does not match the model's: null, or of another length.
    /// </summary>
    public static void GradientLayer(object? gradientLayer, object model, string fieldName, string parameterName)
    {
        bool matches = gradientLayer is not null;
        if (matches && model is object?[] modelLayers)
        {
            // An array of layers: one gradient per layer the model holds.
            matches = gradientLayer is object?[] layers && layers.Length == modelLayers.Length;
            for (int i = 0; matches && i < modelLayers.Length; i++)
            {
                matches = modelLayers[i] is null || ((object?[])gradientLayer!)[i] is not null;
            }
        }

        if (!matches)
        {
            throw new ArgumentException($"{parameterName}.{fieldName} does not match the model's {fieldName}. Create it with new Gradient(model) after changing the model's layers.", parameterName);
        }
    }

    /// <summary>Where the first null row of a jagged array is, as <c>[i]</c> or <c>[i][j]</c>; null when there is none.</summary>
    private static string? FirstNullRow(Array array)
    {
        if (array is not Array[] rows)
        {
            return null;
        }

        bool rowsHaveRows = RowsMayHaveRows(rows);
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null)
            {
                return "[" + i + "]";
            }

            if (rowsHaveRows && FirstNullRow(rows[i]) is { } inner)
            {
                return "[" + i + "]" + inner;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the rows of a jagged array can be jagged themselves (<c>double[][][]</c>): decided once from its type, so
    /// the walks over a large <c>double[][]</c> make no type test per row.
    /// </summary>
    internal static bool RowsMayHaveRows(Array[] rows)
    {
        Type? rowElement = rows.GetType().GetElementType()?.GetElementType();
        return rowElement is null || rowElement.IsArray || rowElement == typeof(object) || rowElement == typeof(Array);
    }

    /// <summary>Where the first null element of an array of objects (layers) is, as <c>[i]</c>; null when there is none.</summary>
    private static string? FirstNullElement(object?[] items)
    {
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i] is null)
            {
                return "[" + i + "]";
            }
        }

        return null;
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

    /// <summary>
    /// Throws when [NoDerivative] data is (or shares rows or storage with) storage the method writes: the data would
    /// change while the method runs, to values that depend on the parameters, and its derivative would be dropped.
    /// </summary>
    public static void NotWrittenThrough(object? data, string dataName, object? written, string writtenName)
    {
        if (data is not null && written is not null && SharesStorage(data, written))
        {
            throw new ArgumentException(
                $"{dataName} is the same storage as {writtenName}, which the method writes: [NoDerivative] data must not change while the method runs (its new values would depend on the parameters, with no derivative). Pass a copy.",
                dataName);
        }
    }

    private static bool SharesStorage(object data, object written)
    {
        object dataStorage = StorageOf(data);
        object writtenStorage = StorageOf(written);
        if (ReferenceEquals(dataStorage, writtenStorage))
        {
            return true;
        }

        if (dataStorage is Array[] dataRows)
        {
            if (!RowsMayHaveRows(dataRows) && writtenStorage is not Array[])
            {
                // Rows of numbers against a flat array (the common case: a training set against the hidden state): a
                // reference comparison per row.
                foreach (Array row in dataRows)
                {
                    if (ReferenceEquals(row, writtenStorage))
                    {
                        return true;
                    }
                }

                return false;
            }

            foreach (Array row in dataRows)
            {
                if (row is not null && SharesStorage(row, written))
                {
                    return true;
                }
            }
        }

        if (writtenStorage is Array[] writtenRows)
        {
            foreach (Array row in writtenRows)
            {
                if (row is not null && SharesStorage(dataStorage, row))
                {
                    return true;
                }
            }
        }

        return false;
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
        // Every gradient call runs this: the names are built only for the message of a mismatch.
        if (field is null || FirstMismatch(buffer, field) is null)
        {
            return;
        }

        try
        {
            SameShape(buffer, parameterName + "." + fieldName, field, "the model's " + fieldName);
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
