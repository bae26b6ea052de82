using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace SourceDiff.CompilerServices;

/// <summary>
/// The adjoints of the MathNet.Numerics vector and matrix operations that differentiable code may call: the generator
/// lowers <c>W * x</c>, <c>v.PointwiseTanh()</c>, <c>a.DotProduct(b)</c>… to <c>Op</c> here, with the <c>Op_Forward</c>
/// and <c>Op_Reverse</c> sweeps. Element-wise operations run <see cref="TensorKernels{T}"/> over the dense backing arrays;
/// products run MathNet's own kernels, forward and reverse, so a user's linear-algebra provider serves both sweeps.
/// </summary>
/// <remarks>
/// <para>
/// The calling convention is <see cref="TensorKernels{T}"/>'s, with <see cref="Vector{T}"/> and <see cref="Matrix{T}"/>
/// in place of spans. <c>Op</c> takes the operation's parameters; the destination is always an existing vector or matrix
/// of the result's exact shape (it is never reallocated). <c>Op_Forward</c> takes them, then the tape, then one adjoint per
/// vector, matrix or span parameter in order, the destination's included (unused: they keep the sweeps' parameter lists
/// alike); it records the destination's old contents, then writes it. <c>Op_Reverse</c> takes them, then the tape, then
/// the result's adjoint for a reduction, then one adjoint per parameter in order: a nullable vector or matrix for a vector
/// or matrix (null: the data carries no derivative and is skipped; a null destination adjoint means the output's adjoint
/// is zero), a span for a span (empty: none), <c>ref T</c> for a scalar, and nothing for an <see cref="int"/> (an index
/// carries no derivative, so it has no slot in either sweep).
/// </para>
/// <para>
/// The destination may be exactly an input (<c>x.PointwiseTanh(x)</c>, <c>W.Multiply(x, x)</c> for a square W), and then its
/// adjoint is exactly that input's adjoint. So every reverse sweep takes the same order: move the output's adjoint into
/// scratch and zero it; use the output while the destination still holds it; restore the destination (an overwritten
/// input then holds its forward value again); add each input's contribution into its adjoint. A product's contributions
/// read only primal values and the moved adjoint, never another adjoint, so each may be added as soon as it is computed.
/// </para>
/// <para>
/// Every vector and matrix must have dense storage (<see cref="DenseVectorStorage{T}"/>,
/// <see cref="DenseColumnMajorMatrixStorage{T}"/>): the sweeps work on the backing arrays. Anything else, or a shape that
/// does not fit, throws <see cref="ArgumentException"/> naming the parameter before anything is written or recorded.
/// Reductions write no destination, so their forward sweeps record nothing and their reverse sweeps recompute what they
/// need from the inputs, which hold their forward values again by then.
/// </para>
/// <para>
/// Scratch comes from a per-thread cache of exact-size blocks, each with its MathNet view built once, so a sweep in steady
/// state allocates nothing of its own. (MathNet's managed linear-algebra provider allocates a row and a column copy inside
/// each product it runs, in the primal as much as in these sweeps.)
/// </para>
/// </remarks>
/// <typeparam name="T"><see cref="double"/> or <see cref="float"/> (the element types both MathNet and the tape support).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class MathNetKernels<T>
    where T : struct, System.Numerics.IFloatingPointIeee754<T>
{
    /// <summary>The backing array of a dense vector; throws for null or any other storage.</summary>
    private static T[] Data(Vector<T> vector, string name)
    {
        ArgumentNullException.ThrowIfNull(vector, name);
        return vector.Storage is DenseVectorStorage<T> dense ? dense.Data : throw NotDense(name, "vector", vector.Storage.GetType());
    }

    /// <summary>The column-major backing array of a dense matrix; throws for null or any other storage.</summary>
    private static T[] Data(Matrix<T> matrix, string name)
    {
        ArgumentNullException.ThrowIfNull(matrix, name);
        return matrix.Storage is DenseColumnMajorMatrixStorage<T> dense ? dense.Data : throw NotDense(name, "matrix", matrix.Storage.GetType());
    }

    /// <summary>An adjoint's backing array (null for none), after checking it is dense and has <paramref name="count"/> elements.</summary>
    private static T[]? AdjointData(Vector<T>? adjoint, string name, int count)
    {
        if (adjoint is null)
        {
            return null;
        }

        RequireCount(adjoint, name, count, "the shape of its primal");
        return Data(adjoint, name);
    }

    /// <summary>An adjoint's backing array (null for none), after checking it is dense and <paramref name="rows"/>×<paramref name="columns"/>.</summary>
    private static T[]? AdjointData(Matrix<T>? adjoint, string name, int rows, int columns)
    {
        if (adjoint is null)
        {
            return null;
        }

        RequireShape(adjoint, name, rows, columns, "the shape of its primal");
        return Data(adjoint, name);
    }

    private static ArgumentException NotDense(string name, string kind, Type storage) =>
        new($"{name} has {storage.Name.Split('`')[0]}; differentiable MathNet code needs a dense {kind} (built with Build.Dense or Build.DenseOf…), " +
            "whose backing array the gradient kernels read and write.", name);

    /// <summary>
    /// Throws unless <paramref name="vector"/> has <paramref name="count"/> elements. <paramref name="why"/> is a constant
    /// (<c>"a's column count"</c>): the message is formatted only when it throws, so a check allocates nothing.
    /// </summary>
    private static void RequireCount(Vector<T> vector, string name, int count, string why)
    {
        if (vector.Count != count)
        {
            throw new ArgumentException($"{name} has {vector.Count} elements; it needs {count} ({why}). A destination is never reallocated.", name);
        }
    }

    /// <summary>Throws unless <paramref name="matrix"/> is <paramref name="rows"/>×<paramref name="columns"/> (see <see cref="RequireCount"/>).</summary>
    private static void RequireShape(Matrix<T> matrix, string name, int rows, int columns, string why)
    {
        if (matrix.RowCount != rows || matrix.ColumnCount != columns)
        {
            throw new ArgumentException($"{name} is {matrix.RowCount}×{matrix.ColumnCount}; it needs {rows}×{columns} ({why}). A destination is never reallocated.", name);
        }
    }

    /// <summary>Records what the operation is about to overwrite.</summary>
    private static void Save(T[] destination, Tape tape) => tape.PushRange<T>(destination);

    /// <summary>Puts back what <see cref="Save"/> recorded.</summary>
    private static void Restore(T[] destination, Tape tape) => tape.PopRange<T>(destination);

    /// <summary>
    /// Moves the output's adjoint into a scratch block (a vector of <paramref name="rows"/> elements when
    /// <paramref name="columns"/> is <see cref="VectorShape"/>, else a matrix) and zeroes it. The lease is empty when there
    /// is no adjoint or it is exactly zero: then nothing flows back, as generated scalar code skips a zero adjoint (so that
    /// 0 · ∞ does not become NaN), and the reverse sweep only restores the destination.
    /// </summary>
    private static Lease TakeAdjoint(Span<T> adjoint, int rows, int columns)
    {
        if (adjoint.IsEmpty || TensorPrimitives.MaxMagnitude<T>(adjoint) == T.Zero)
        {
            return default;
        }

        Lease g = Rent(rows, columns);
        adjoint.CopyTo(g.Data);
        adjoint.Clear();
        return g;
    }

    /// <summary><c>adjoint += values</c>, element by element over the whole of <paramref name="adjoint"/>.</summary>
    private static void AddInto(Span<T> adjoint, ReadOnlySpan<T> values) => TensorPrimitives.Add(adjoint, values, adjoint);

    /// <summary>
    /// <c>into += u vᵀ</c> for a column-major <paramref name="into"/> of <c>u.Length</c> rows: a rank-1 update column by
    /// column, in place in the existing adjoint's storage (no outer-product matrix is built).
    /// </summary>
    /// <summary>
    /// <c>into += Aᵀ g</c> for the column-major <paramref name="a"/> with <paramref name="rows"/> rows: one contiguous,
    /// vectorized dot product per column, with no scratch. (MathNet's managed TransposeThisAndMultiply runs scalar loops
    /// and allocates; the forward sweeps still run MathNet's own products, so the primal's value is unchanged.)
    /// </summary>
    private static void AddTransposeTimes(T[] a, int rows, ReadOnlySpan<T> g, Span<T> into)
    {
        for (int j = 0; j < into.Length; j++)
        {
            into[j] += TensorPrimitives.Dot(new ReadOnlySpan<T>(a, j * rows, rows), g.Slice(0, rows));
        }
    }

    /// <summary><c>into += A g</c> for the column-major <paramref name="a"/>: a sum of its columns scaled by g's elements.</summary>
    private static void AddTimes(T[] a, int rows, ReadOnlySpan<T> g, Span<T> into)
    {
        Span<T> target = into.Slice(0, rows);
        for (int j = 0; j < g.Length; j++)
        {
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(a, j * rows, rows), g[j], target, target);
        }
    }

    private static void AddOuterProduct(T[] into, ReadOnlySpan<T> u, ReadOnlySpan<T> v)
    {
        int rows = u.Length;
        for (int j = 0; j < v.Length; j++)
        {
            Span<T> column = into.AsSpan(j * rows, rows);
            TensorPrimitives.MultiplyAdd(u, v[j], column, column);
        }
    }

    /// <summary>The <c>columns</c> of a scratch block that is a vector.</summary>
    private const int VectorShape = -1;

    /// <summary>A scratch block of the given shape from this thread's cache (a new one when none is free).</summary>
    private static Lease Rent(int rows, int columns)
    {
        if (free is { } blocks && blocks.TryGetValue((rows, columns), out Stack<Block>? stack) && stack.TryPop(out Block? block))
        {
            freeBytes -= block.Bytes;
            return new Lease(block);
        }

        return new Lease(new Block(rows, columns));
    }

    /// <summary>
    /// Keeps a block for this thread's next call, within <see cref="TapeMemory.RetainedBytesPerThread"/>: when it would not
    /// fit, the cache is emptied first (the shapes in use changed), and a block larger than the whole budget is dropped.
    /// </summary>
    private static void Release(Block block)
    {
        long budget = TapeMemory.RetainedBytesPerThread;
        Dictionary<(int, int), Stack<Block>> blocks = free ??= new Dictionary<(int, int), Stack<Block>>();
        if (freeBytes + block.Bytes > budget)
        {
            blocks.Clear();
            freeBytes = 0;
            if (block.Bytes > budget)
            {
                return;
            }
        }

        if (!blocks.TryGetValue((block.Rows, block.Columns), out Stack<Block>? stack))
        {
            blocks[(block.Rows, block.Columns)] = stack = new Stack<Block>();
        }

        stack.Push(block);
        freeBytes += block.Bytes;
    }

    // Per thread, so no locking; per closed type (double, float), as static fields of a generic class are.
    [ThreadStatic]
    private static Dictionary<(int Rows, int Columns), Stack<Block>>? free;

    [ThreadStatic]
    private static long freeBytes;

    /// <summary>
    /// Scratch of an exact shape with its MathNet view. Exact, not pooled arrays: <c>Vector&lt;T&gt;.Build.Dense(T[])</c> binds
    /// an array as a vector of the array's whole length and MathNet's providers check lengths exactly, so
    /// <see cref="System.Buffers.ArrayPool{T}"/>'s rounded-up arrays cannot stand for a vector or matrix. A block is cached
    /// per thread, keyed by shape, with its view, so that neither is allocated again in steady state.
    /// </summary>
    private sealed class Block
    {
        private Vector<T>? vector;
        private Matrix<T>? matrix;

        public Block(int rows, int columns)
        {
            Rows = rows;
            Columns = columns;
            Data = new T[columns == VectorShape ? rows : checked(rows * columns)];
        }

        public int Rows { get; }

        /// <summary>The number of columns, or <see cref="VectorShape"/> for a vector.</summary>
        public int Columns { get; }

        public T[] Data { get; }

        public long Bytes => (long)Data.Length * Unsafe.SizeOf<T>();

        public Vector<T> Vector => vector ??= Vector<T>.Build.Dense(Data);

        public Matrix<T> Matrix => matrix ??= Matrix<T>.Build.Dense(Rows, Columns, Data);
    }

    /// <summary>A block in use; <c>using</c> gives it back to the cache. The default lease holds none.</summary>
    private readonly ref struct Lease
    {
        private readonly Block? block;

        public Lease(Block block) => this.block = block;

        public bool IsEmpty => block is null;

        public T[] Data => block!.Data;

        public Vector<T> Vector => block!.Vector;

        public Matrix<T> Matrix => block!.Matrix;

        public void Dispose()
        {
            if (block is not null)
            {
                Release(block);
            }
        }
    }
}
