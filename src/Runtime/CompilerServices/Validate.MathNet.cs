using System;
using MathNet.Numerics.LinearAlgebra;

namespace SourceDiff.CompilerServices;

// The argument checks' overloads for MathNet vectors and matrices, with the array checks' semantics, plus one of their
// own: a gradient buffer (and an argument the sweeps read) must have dense storage, which the gradient kernels work on.
public static partial class Validate
{
    /// <summary>
    /// Throws unless <paramref name="buffer"/> is a dense vector of <paramref name="shape"/>'s length; nothing when
    /// <paramref name="shape"/> is null. The parameter named is the buffer.
    /// </summary>
    public static void SameShape<T>(Vector<T>? buffer, string bufferName, Vector<T>? shape, string shapeName)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (shape is null)
        {
            return;
        }

        if (buffer is null)
        {
            throw new ArgumentNullException(bufferName, $"{bufferName} is null; it must have the shape of {shapeName}.");
        }

        if (buffer.Count != shape.Count)
        {
            throw new ArgumentException($"{bufferName} has length {buffer.Count}; {shapeName} has {shape.Count}.", bufferName);
        }

        RequireDense(buffer, bufferName);
    }

    /// <summary>
    /// Throws unless <paramref name="buffer"/> is a dense matrix of <paramref name="shape"/>'s shape; nothing when
    /// <paramref name="shape"/> is null. The parameter named is the buffer.
    /// </summary>
    public static void SameShape<T>(Matrix<T>? buffer, string bufferName, Matrix<T>? shape, string shapeName)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (shape is null)
        {
            return;
        }

        if (buffer is null)
        {
            throw new ArgumentNullException(bufferName, $"{bufferName} is null; it must have the shape of {shapeName}.");
        }

        if (buffer.RowCount != shape.RowCount || buffer.ColumnCount != shape.ColumnCount)
        {
            throw new ArgumentException($"{bufferName} is {buffer.RowCount}×{buffer.ColumnCount}; {shapeName} is {shape.RowCount}×{shape.ColumnCount}.", bufferName);
        }

        RequireDense(buffer, bufferName);
    }

    /// <summary>
    /// Throws <see cref="ArgumentNullException"/> naming <paramref name="name"/> when a vector argument is null, and
    /// <see cref="ArgumentException"/> when it is not dense: the sweeps would fail on it only after the gradient buffers
    /// and the model were touched.
    /// </summary>
    public static void NotNullDeep<T>(Vector<T>? vector, string name)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (vector is null)
        {
            throw new ArgumentNullException(name);
        }

        RequireDense(vector, name);
    }

    /// <summary>The matrix overload of <see cref="NotNullDeep{T}(Vector{T}, string)"/>.</summary>
    public static void NotNullDeep<T>(Matrix<T>? matrix, string name)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (matrix is null)
        {
            throw new ArgumentNullException(name);
        }

        RequireDense(matrix, name);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for <paramref name="parameterName"/> unless a gradient's vector has the length
    /// of the model's field and is dense (models can be resized after their gradient was created).
    /// </summary>
    public static void GradientShape<T>(Vector<T>? buffer, Vector<T>? field, string fieldName, string parameterName)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (field is not null && !IsDense(field))
        {
            // The model's own field, not an argument: as for a null field, the model is in a state no gradient can take.
            throw new InvalidOperationException($"The model's {fieldName} has {field.Storage.GetType().Name.Split('`')[0]}; differentiable MathNet code needs dense storage (Build.Dense or DenseOfArray).");
        }

        // Every gradient call runs this: the names are built only for the message of a mismatch.
        if (field is null || (buffer is not null && buffer.Count == field.Count && IsDense(buffer)))
        {
            return;
        }

        try
        {
            SameShape(buffer, parameterName + "." + fieldName, field, "the model's " + fieldName);
        }
        catch (ArgumentException exception)
        {
            throw GradientMismatch(exception, parameterName);
        }
    }

    /// <summary>The matrix overload of <see cref="GradientShape{T}(Vector{T}, Vector{T}, string, string)"/>.</summary>
    public static void GradientShape<T>(Matrix<T>? buffer, Matrix<T>? field, string fieldName, string parameterName)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (field is not null && !IsDense(field))
        {
            // The model's own field, not an argument: as for a null field, the model is in a state no gradient can take.
            throw new InvalidOperationException($"The model's {fieldName} has {field.Storage.GetType().Name.Split('`')[0]}; differentiable MathNet code needs dense storage (Build.Dense or DenseOfArray).");
        }

        // Every gradient call runs this: the names are built only for the message of a mismatch.
        if (field is null || (buffer is not null && buffer.RowCount == field.RowCount && buffer.ColumnCount == field.ColumnCount && IsDense(buffer)))
        {
            return;
        }

        try
        {
            SameShape(buffer, parameterName + "." + fieldName, field, "the model's " + fieldName);
        }
        catch (ArgumentException exception)
        {
            throw GradientMismatch(exception, parameterName);
        }
    }

    // The array overload's wording: the inner message without its "(Parameter …)" suffix.
    private static ArgumentException GradientMismatch(ArgumentException exception, string parameterName) =>
        new($"{parameterName} does not match the model: {exception.Message.Split(" (Parameter")[0]} Create it with new Gradient(model) after resizing.", parameterName, exception);

    /// <summary>What a value's elements live in: a dense MathNet vector's or matrix's array, or the value itself.</summary>
    private static object StorageOf(object value) => value switch
    {
        Vector<double> { Storage: MathNet.Numerics.LinearAlgebra.Storage.DenseVectorStorage<double> dense } => dense.Data,
        Vector<float> { Storage: MathNet.Numerics.LinearAlgebra.Storage.DenseVectorStorage<float> dense } => dense.Data,
        Matrix<double> { Storage: MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double> dense } => dense.Data,
        Matrix<float> { Storage: MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<float> dense } => dense.Data,
        _ => value,
    };

    private static bool IsDense<T>(Vector<T> vector)
        where T : struct, IEquatable<T>, IFormattable => vector.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseVectorStorage<T>;

    private static bool IsDense<T>(Matrix<T> matrix)
        where T : struct, IEquatable<T>, IFormattable => matrix.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<T>;

    private static void RequireDense<T>(Vector<T> vector, string name)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (vector.Storage is not MathNet.Numerics.LinearAlgebra.Storage.DenseVectorStorage<T>)
        {
            throw new ArgumentException($"{name} has {vector.Storage.GetType().Name.Split('`')[0]}; differentiable MathNet code needs a dense vector (Vector<T>.Build.Dense or DenseOfArray).", name);
        }
    }

    private static void RequireDense<T>(Matrix<T> matrix, string name)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (matrix.Storage is not MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<T>)
        {
            throw new ArgumentException($"{name} has {matrix.Storage.GetType().Name.Split('`')[0]}; differentiable MathNet code needs a dense matrix (Matrix<T>.Build.Dense or DenseOfArray).", name);
        }
    }
}
