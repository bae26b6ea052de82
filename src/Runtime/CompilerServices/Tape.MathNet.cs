using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace SourceDiff.CompilerServices;

// CopyOf for MathNet vectors and matrices: what a gradient call saves of a model's vector and matrix fields and of its
// arguments. Like the array overload, the copy lives until the tape is returned and is recycled by the next call.
public sealed partial class Tape
{
    /// <summary>
    /// A dense copy of <paramref name="vector"/> that lives until this tape is returned. Its backing array comes from the
    /// same pool as the array copies (sized exactly, counted in the retained-memory budget), and the vector bound to that
    /// array is kept with it, so a gradient call in steady state allocates nothing for the copy. A vector that is not
    /// dense is copied afresh into a new dense vector (there is no array of its to recycle).
    /// </summary>
    [return: NotNullIfNotNull(nameof(vector))]
    public Vector<T>? CopyOf<T>(Vector<T>? vector)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (vector is null)
        {
            return null;
        }

        if (vector.Storage is not DenseVectorStorage<T> dense)
        {
            return Buffers.Copy(vector);
        }

        var data = (T[])CopyOfArray(dense.Data);
        ConditionalWeakTable<T[], Vector<T>> views = MathNetViews<T>.Vectors;
        if (!views.TryGetValue(data, out Vector<T>? copy))
        {
            copy = Vector<T>.Build.Dense(data);
            views.AddOrUpdate(data, copy);
        }

        return copy;
    }

    /// <summary>
    /// A dense copy of <paramref name="matrix"/> that lives until this tape is returned, recycled as
    /// <see cref="CopyOf{T}(Vector{T})"/> describes (a pooled array that served another shape of the same size gets a new
    /// view). A matrix that is not dense is copied afresh into a new dense matrix.
    /// </summary>
    [return: NotNullIfNotNull(nameof(matrix))]
    public Matrix<T>? CopyOf<T>(Matrix<T>? matrix)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (matrix is null)
        {
            return null;
        }

        if (matrix.Storage is not DenseColumnMajorMatrixStorage<T> dense)
        {
            return Buffers.Copy(matrix);
        }

        var data = (T[])CopyOfArray(dense.Data);
        ConditionalWeakTable<T[], Matrix<T>> views = MathNetViews<T>.Matrices;
        if (!views.TryGetValue(data, out Matrix<T>? copy) || copy.RowCount != matrix.RowCount || copy.ColumnCount != matrix.ColumnCount)
        {
            copy = Matrix<T>.Build.Dense(matrix.RowCount, matrix.ColumnCount, data);
            views.AddOrUpdate(data, copy);
        }

        return copy;
    }

    /// <summary>
    /// The vector or matrix bound to each pooled copy array, kept as long as the array lives (weakly: an array the pool
    /// drops takes its view with it), so that a recycled array does not need a new view.
    /// </summary>
    private static class MathNetViews<T>
        where T : struct, IEquatable<T>, IFormattable
    {
        public static readonly ConditionalWeakTable<T[], Vector<T>> Vectors = new();

        public static readonly ConditionalWeakTable<T[], Matrix<T>> Matrices = new();
    }
}
