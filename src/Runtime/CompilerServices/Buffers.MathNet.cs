using System;
using System.Diagnostics.CodeAnalysis;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace SourceDiff.CompilerServices;

// The array helpers' overloads for MathNet vectors and matrices, with the same semantics. Each is generic over the element
// type, and a Vector<T> or Matrix<T> parameter is more specific than the array helpers' unconstrained T, so a call with a
// Vector<T> or Matrix<T> argument binds here. (An argument typed DenseVector or DenseMatrix would bind to the array
// helpers instead: generated code passes Vector<T> and Matrix<T>.)
public static partial class Buffers
{
    /// <summary>Sets every element to zero, in place; nothing for null.</summary>
    public static void Clear<T>(Vector<T>? vector)
        where T : struct, IEquatable<T>, IFormattable => vector?.Clear();

    /// <summary>Sets every element to zero, in place; nothing for null.</summary>
    public static void Clear<T>(Matrix<T>? matrix)
        where T : struct, IEquatable<T>, IFormattable => matrix?.Clear();

    /// <summary>A new dense zero vector of the same length (null for null).</summary>
    [return: NotNullIfNotNull(nameof(vector))]
    public static Vector<T>? ZerosLike<T>(Vector<T>? vector)
        where T : struct, IEquatable<T>, IFormattable => vector is null ? null : Vector<T>.Build.Dense(vector.Count);

    /// <summary>A new dense zero matrix of the same shape (null for null).</summary>
    [return: NotNullIfNotNull(nameof(matrix))]
    public static Matrix<T>? ZerosLike<T>(Matrix<T>? matrix)
        where T : struct, IEquatable<T>, IFormattable => matrix is null ? null : Matrix<T>.Build.Dense(matrix.RowCount, matrix.ColumnCount);

    /// <summary>A dense deep copy (null for null): it shares no storage with <paramref name="vector"/>.</summary>
    [return: NotNullIfNotNull(nameof(vector))]
    public static Vector<T>? Copy<T>(Vector<T>? vector)
        where T : struct, IEquatable<T>, IFormattable => vector is null ? null : Vector<T>.Build.DenseOfVector(vector);

    /// <summary>A dense deep copy (null for null): it shares no storage with <paramref name="matrix"/>.</summary>
    [return: NotNullIfNotNull(nameof(matrix))]
    public static Matrix<T>? Copy<T>(Matrix<T>? matrix)
        where T : struct, IEquatable<T>, IFormattable => matrix is null ? null : Matrix<T>.Build.DenseOfMatrix(matrix);

    /// <summary>Copies the values of <paramref name="source"/> into <paramref name="target"/> (same length); nothing when either is null.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void CopyInto<T>(Vector<T>? source, Vector<T>? target)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (source is null || target is null)
        {
            return;
        }

        if (source.Count != target.Count)
        {
            throw new ArgumentException($"target has {target.Count} elements; source has {source.Count}.", nameof(target));
        }

        source.CopyTo(target);
    }

    /// <summary>Copies the values of <paramref name="source"/> into <paramref name="target"/> (same shape); nothing when either is null.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static void CopyInto<T>(Matrix<T>? source, Matrix<T>? target)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (source is null || target is null)
        {
            return;
        }

        if (source.RowCount != target.RowCount || source.ColumnCount != target.ColumnCount)
        {
            throw new ArgumentException($"target is {target.RowCount}×{target.ColumnCount}; source is {source.RowCount}×{source.ColumnCount}.", nameof(target));
        }

        source.CopyTo(target);
    }

    /// <summary>
    /// Puts a saved copy back into a field: into the existing vector when the lengths match (so references the caller holds
    /// stay valid), otherwise as a fresh dense copy (or null).
    /// </summary>
    public static void RestoreInto<T>(ref Vector<T>? field, Vector<T>? saved)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (field is not null && saved is not null && field.Count == saved.Count)
        {
            saved.CopyTo(field);
            return;
        }

        field = Copy(saved);
    }

    /// <summary>
    /// Puts a saved copy back into a field: into the existing matrix when the shapes match (so references the caller holds
    /// stay valid), otherwise as a fresh dense copy (or null).
    /// </summary>
    public static void RestoreInto<T>(ref Matrix<T>? field, Matrix<T>? saved)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (field is not null && saved is not null && field.RowCount == saved.RowCount && field.ColumnCount == saved.ColumnCount)
        {
            saved.CopyTo(field);
            return;
        }

        field = Copy(saved);
    }

    /// <summary>A span over a dense vector's elements (its storage itself: writes go into the vector).</summary>
    /// <exception cref="ArgumentException">The vector's storage is not dense.</exception>
    public static Span<T> AsSpan<T>(Vector<T> vector)
        where T : struct, IEquatable<T>, IFormattable
    {
        ArgumentNullException.ThrowIfNull(vector);
        return vector.Storage is DenseVectorStorage<T> dense
            ? dense.Data
            : throw new ArgumentException($"vector has {vector.Storage.GetType().Name.Split('`')[0]}; only a dense vector has a span of its elements.", nameof(vector));
    }

    /// <summary>A span over a dense matrix's elements in column-major order (its storage itself: writes go into the matrix).</summary>
    /// <exception cref="ArgumentException">The matrix's storage is not dense.</exception>
    public static Span<T> AsSpan<T>(Matrix<T> matrix)
        where T : struct, IEquatable<T>, IFormattable
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return matrix.Storage is DenseColumnMajorMatrixStorage<T> dense
            ? dense.Data
            : throw new ArgumentException($"matrix has {matrix.Storage.GetType().Name.Split('`')[0]}; only a dense matrix has a span of its elements.", nameof(matrix));
    }
}
