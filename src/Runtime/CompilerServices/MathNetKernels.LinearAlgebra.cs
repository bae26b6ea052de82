using System;
using MathNet.Numerics.LinearAlgebra;

namespace SourceDiff.CompilerServices;

// Products, transposes, outer products and copies of rows, columns and arrays. The forward sweeps call MathNet's own
// in-place overloads (so the primal is bit for bit the user's call, on the user's linear-algebra provider); the reverse
// sweeps compute each input's contribution with MathNet's products into scratch and add it, and do the rank-1 updates
// (dA += g xᵀ) column by column in the existing adjoint's storage. G (g) is the output's adjoint, moved into scratch.
public static partial class MathNetKernels<T>
{
    // ---- y = A x ----

    /// <summary><c>a.Multiply(x, destination)</c>: <c>destination = A x</c> (MathNet's <c>a * x</c>).</summary>
    public static void Multiply(Matrix<T> a, Vector<T> x, Vector<T> destination)
    {
        CheckMultiply(a, x, destination);
        a.Multiply(x, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>a.Multiply(x, destination)</c>.</summary>
    public static void Multiply_Forward(Matrix<T> a, Vector<T> x, Vector<T> destination, Tape tape, Matrix<T>? dA, Vector<T>? dX, Vector<T>? dDestination)
    {
        Save(CheckMultiply(a, x, destination), tape);
        a.Multiply(x, destination);
    }

    /// <summary>dA += g xᵀ, dx += Aᵀ g; zeroes g and restores the destination (x may be the destination).</summary>
    public static void Multiply_Reverse(Matrix<T> a, Vector<T> x, Vector<T> destination, Tape tape, Matrix<T>? dA, Vector<T>? dX, Vector<T>? dDestination)
    {
        T[] y = CheckMultiply(a, x, destination);
        T[]? da = AdjointData(dA, nameof(dA), a.RowCount, a.ColumnCount);
        T[]? dx = AdjointData(dX, nameof(dX), x.Count);
        using Lease g = TakeAdjoint(AdjointData(dDestination, nameof(dDestination), y.Length), y.Length, VectorShape);
        Restore(y, tape);
        if (g.IsEmpty)
        {
            return;
        }

        if (da is not null)
        {
            AddOuterProduct(da, g.Data, Data(x, nameof(x)));
        }

        if (dx is not null)
        {
            AddTransposeTimes(Data(a, nameof(a)), a.RowCount, g.Data, dx);
        }
    }

    private static T[] CheckMultiply(Matrix<T> a, Vector<T> x, Vector<T> destination)
    {
        Data(a, nameof(a));
        Data(x, nameof(x));
        T[] y = Data(destination, nameof(destination));
        RequireCount(x, nameof(x), a.ColumnCount, "a's column count");
        RequireCount(destination, nameof(destination), a.RowCount, "a's row count");
        return y;
    }

    // ---- y = xᵀ A ----

    /// <summary><c>a.LeftMultiply(x, destination)</c>: <c>destination = xᵀ A</c> = Aᵀ x (MathNet's <c>x * a</c>).</summary>
    public static void Multiply(Vector<T> x, Matrix<T> a, Vector<T> destination)
    {
        CheckTransposeThisAndMultiply(a, x, destination);
        a.LeftMultiply(x, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>a.LeftMultiply(x, destination)</c>.</summary>
    public static void Multiply_Forward(Vector<T> x, Matrix<T> a, Vector<T> destination, Tape tape, Vector<T>? dX, Matrix<T>? dA, Vector<T>? dDestination)
    {
        Save(CheckTransposeThisAndMultiply(a, x, destination), tape);
        a.LeftMultiply(x, destination);
    }

    /// <summary>dx += A g, dA += x gᵀ; zeroes g and restores the destination (x may be the destination).</summary>
    public static void Multiply_Reverse(Vector<T> x, Matrix<T> a, Vector<T> destination, Tape tape, Vector<T>? dX, Matrix<T>? dA, Vector<T>? dDestination) =>
        TransposeThisAndMultiplyReverse(a, x, destination, tape, dA, dX, dDestination);

    // ---- y = Aᵀ x ----

    /// <summary><c>a.TransposeThisAndMultiply(x, destination)</c>: <c>destination = Aᵀ x</c>.</summary>
    public static void TransposeThisAndMultiply(Matrix<T> a, Vector<T> x, Vector<T> destination)
    {
        CheckTransposeThisAndMultiply(a, x, destination);
        a.TransposeThisAndMultiply(x, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>a.TransposeThisAndMultiply(x, destination)</c>.</summary>
    public static void TransposeThisAndMultiply_Forward(Matrix<T> a, Vector<T> x, Vector<T> destination, Tape tape, Matrix<T>? dA, Vector<T>? dX, Vector<T>? dDestination)
    {
        Save(CheckTransposeThisAndMultiply(a, x, destination), tape);
        a.TransposeThisAndMultiply(x, destination);
    }

    /// <summary>dA += x gᵀ, dx += A g; zeroes g and restores the destination (x may be the destination).</summary>
    public static void TransposeThisAndMultiply_Reverse(Matrix<T> a, Vector<T> x, Vector<T> destination, Tape tape, Matrix<T>? dA, Vector<T>? dX, Vector<T>? dDestination) =>
        TransposeThisAndMultiplyReverse(a, x, destination, tape, dA, dX, dDestination);

    private static void TransposeThisAndMultiplyReverse(Matrix<T> a, Vector<T> x, Vector<T> destination, Tape tape, Matrix<T>? dA, Vector<T>? dX, Vector<T>? dDestination)
    {
        T[] y = CheckTransposeThisAndMultiply(a, x, destination);
        T[]? da = AdjointData(dA, nameof(dA), a.RowCount, a.ColumnCount);
        T[]? dx = AdjointData(dX, nameof(dX), x.Count);
        using Lease g = TakeAdjoint(AdjointData(dDestination, nameof(dDestination), y.Length), y.Length, VectorShape);
        Restore(y, tape);
        if (g.IsEmpty)
        {
            return;
        }

        if (da is not null)
        {
            AddOuterProduct(da, Data(x, nameof(x)), g.Data);
        }

        if (dx is not null)
        {
            AddTimes(Data(a, nameof(a)), a.RowCount, g.Data, dx);
        }
    }

    private static T[] CheckTransposeThisAndMultiply(Matrix<T> a, Vector<T> x, Vector<T> destination)
    {
        Data(a, nameof(a));
        Data(x, nameof(x));
        T[] y = Data(destination, nameof(destination));
        RequireCount(x, nameof(x), a.RowCount, "a's row count");
        RequireCount(destination, nameof(destination), a.ColumnCount, "a's column count");
        return y;
    }

    // ---- C = A B ----

    /// <summary><c>a.Multiply(b, destination)</c>: <c>destination = A B</c> (MathNet's <c>a * b</c>).</summary>
    public static void Multiply(Matrix<T> a, Matrix<T> b, Matrix<T> destination)
    {
        CheckProduct(a, b, destination, a.RowCount, a.ColumnCount, b.RowCount, b.ColumnCount, "a's column count", "a's row count × b's column count");
        a.Multiply(b, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>a.Multiply(b, destination)</c>.</summary>
    public static void Multiply_Forward(Matrix<T> a, Matrix<T> b, Matrix<T> destination, Tape tape, Matrix<T>? dA, Matrix<T>? dB, Matrix<T>? dDestination)
    {
        Save(CheckProduct(a, b, destination, a.RowCount, a.ColumnCount, b.RowCount, b.ColumnCount, "a's column count", "a's row count × b's column count"), tape);
        a.Multiply(b, destination);
    }

    /// <summary>dA += G Bᵀ, dB += Aᵀ G; zeroes G and restores the destination (a or b may be the destination).</summary>
    public static void Multiply_Reverse(Matrix<T> a, Matrix<T> b, Matrix<T> destination, Tape tape, Matrix<T>? dA, Matrix<T>? dB, Matrix<T>? dDestination)
    {
        T[] c = CheckProduct(a, b, destination, a.RowCount, a.ColumnCount, b.RowCount, b.ColumnCount, "a's column count", "a's row count × b's column count");
        T[]? da = AdjointData(dA, nameof(dA), a.RowCount, a.ColumnCount);
        T[]? db = AdjointData(dB, nameof(dB), b.RowCount, b.ColumnCount);
        using Lease g = TakeAdjoint(AdjointData(dDestination, nameof(dDestination), destination.RowCount, destination.ColumnCount), destination.RowCount, destination.ColumnCount);
        Restore(c, tape);
        if (g.IsEmpty)
        {
            return;
        }

        if (da is not null)
        {
            using Lease product = Rent(a.RowCount, a.ColumnCount);
            g.Matrix.TransposeAndMultiply(b, product.Matrix);
            AddInto(da, product.Data);
        }

        if (db is not null)
        {
            using Lease product = Rent(b.RowCount, b.ColumnCount);
            a.TransposeThisAndMultiply(g.Matrix, product.Matrix);
            AddInto(db, product.Data);
        }
    }

    // ---- C = Aᵀ B ----

    /// <summary><c>a.TransposeThisAndMultiply(b, destination)</c>: <c>destination = Aᵀ B</c>.</summary>
    public static void TransposeThisAndMultiply(Matrix<T> a, Matrix<T> b, Matrix<T> destination)
    {
        CheckProduct(a, b, destination, a.ColumnCount, a.RowCount, b.RowCount, b.ColumnCount, "a's row count", "a's column count × b's column count");
        a.TransposeThisAndMultiply(b, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>a.TransposeThisAndMultiply(b, destination)</c>.</summary>
    public static void TransposeThisAndMultiply_Forward(Matrix<T> a, Matrix<T> b, Matrix<T> destination, Tape tape, Matrix<T>? dA, Matrix<T>? dB, Matrix<T>? dDestination)
    {
        Save(CheckProduct(a, b, destination, a.ColumnCount, a.RowCount, b.RowCount, b.ColumnCount, "a's row count", "a's column count × b's column count"), tape);
        a.TransposeThisAndMultiply(b, destination);
    }

    /// <summary>dA += B Gᵀ, dB += A G; zeroes G and restores the destination (a or b may be the destination).</summary>
    public static void TransposeThisAndMultiply_Reverse(Matrix<T> a, Matrix<T> b, Matrix<T> destination, Tape tape, Matrix<T>? dA, Matrix<T>? dB, Matrix<T>? dDestination)
    {
        T[] c = CheckProduct(a, b, destination, a.ColumnCount, a.RowCount, b.RowCount, b.ColumnCount, "a's row count", "a's column count × b's column count");
        T[]? da = AdjointData(dA, nameof(dA), a.RowCount, a.ColumnCount);
        T[]? db = AdjointData(dB, nameof(dB), b.RowCount, b.ColumnCount);
        using Lease g = TakeAdjoint(AdjointData(dDestination, nameof(dDestination), destination.RowCount, destination.ColumnCount), destination.RowCount, destination.ColumnCount);
        Restore(c, tape);
        if (g.IsEmpty)
        {
            return;
        }

        if (da is not null)
        {
            using Lease product = Rent(a.RowCount, a.ColumnCount);
            b.TransposeAndMultiply(g.Matrix, product.Matrix);
            AddInto(da, product.Data);
        }

        if (db is not null)
        {
            using Lease product = Rent(b.RowCount, b.ColumnCount);
            a.Multiply(g.Matrix, product.Matrix);
            AddInto(db, product.Data);
        }
    }

    // ---- C = A Bᵀ ----

    /// <summary><c>a.TransposeAndMultiply(b, destination)</c>: <c>destination = A Bᵀ</c>.</summary>
    public static void TransposeAndMultiply(Matrix<T> a, Matrix<T> b, Matrix<T> destination)
    {
        CheckProduct(a, b, destination, a.RowCount, a.ColumnCount, b.ColumnCount, b.RowCount, "a's column count", "a's row count × b's row count");
        a.TransposeAndMultiply(b, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>a.TransposeAndMultiply(b, destination)</c>.</summary>
    public static void TransposeAndMultiply_Forward(Matrix<T> a, Matrix<T> b, Matrix<T> destination, Tape tape, Matrix<T>? dA, Matrix<T>? dB, Matrix<T>? dDestination)
    {
        Save(CheckProduct(a, b, destination, a.RowCount, a.ColumnCount, b.ColumnCount, b.RowCount, "a's column count", "a's row count × b's row count"), tape);
        a.TransposeAndMultiply(b, destination);
    }

    /// <summary>dA += G B, dB += Gᵀ A; zeroes G and restores the destination (a or b may be the destination).</summary>
    public static void TransposeAndMultiply_Reverse(Matrix<T> a, Matrix<T> b, Matrix<T> destination, Tape tape, Matrix<T>? dA, Matrix<T>? dB, Matrix<T>? dDestination)
    {
        T[] c = CheckProduct(a, b, destination, a.RowCount, a.ColumnCount, b.ColumnCount, b.RowCount, "a's column count", "a's row count × b's row count");
        T[]? da = AdjointData(dA, nameof(dA), a.RowCount, a.ColumnCount);
        T[]? db = AdjointData(dB, nameof(dB), b.RowCount, b.ColumnCount);
        using Lease g = TakeAdjoint(AdjointData(dDestination, nameof(dDestination), destination.RowCount, destination.ColumnCount), destination.RowCount, destination.ColumnCount);
        Restore(c, tape);
        if (g.IsEmpty)
        {
            return;
        }

        if (da is not null)
        {
            using Lease product = Rent(a.RowCount, a.ColumnCount);
            g.Matrix.Multiply(b, product.Matrix);
            AddInto(da, product.Data);
        }

        if (db is not null)
        {
            using Lease product = Rent(b.RowCount, b.ColumnCount);
            g.Matrix.TransposeThisAndMultiply(a, product.Matrix);
            AddInto(db, product.Data);
        }
    }

    /// <summary>
    /// The checks of a product op(A) op(B) whose left factor is <paramref name="leftRows"/>×<paramref name="inner"/> and
    /// right factor <paramref name="rightInner"/>×<paramref name="rightColumns"/> (after the transposes); returns the
    /// destination's backing array. <paramref name="innerWhy"/> and <paramref name="shapeWhy"/> are constants for the messages.
    /// </summary>
    private static T[] CheckProduct(Matrix<T> a, Matrix<T> b, Matrix<T> destination, int leftRows, int inner, int rightInner, int rightColumns,
        string innerWhy, string shapeWhy)
    {
        Data(a, nameof(a));
        Data(b, nameof(b));
        T[] c = Data(destination, nameof(destination));
        if (rightInner != inner)
        {
            throw new ArgumentException($"b is {b.RowCount}×{b.ColumnCount}, and a is {a.RowCount}×{a.ColumnCount}: their inner dimensions differ ({innerWhy} is {inner}, b's is {rightInner}).", nameof(b));
        }

        RequireShape(destination, nameof(destination), leftRows, rightColumns, shapeWhy);
        return c;
    }

    // ---- C = Aᵀ ----

    /// <summary><c>a.Transpose(destination)</c>: <c>destination = Aᵀ</c>. The destination may not be <paramref name="a"/>.</summary>
    public static void Transpose(Matrix<T> a, Matrix<T> destination)
    {
        CheckTranspose(a, destination);
        a.Transpose(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>a.Transpose(destination)</c>.</summary>
    public static void Transpose_Forward(Matrix<T> a, Matrix<T> destination, Tape tape, Matrix<T>? dA, Matrix<T>? dDestination)
    {
        Save(CheckTranspose(a, destination), tape);
        a.Transpose(destination);
    }

    /// <summary>dA += Gᵀ; zeroes G and restores the destination.</summary>
    public static void Transpose_Reverse(Matrix<T> a, Matrix<T> destination, Tape tape, Matrix<T>? dA, Matrix<T>? dDestination)
    {
        T[] c = CheckTranspose(a, destination);
        T[]? da = AdjointData(dA, nameof(dA), a.RowCount, a.ColumnCount);
        using Lease g = TakeAdjoint(AdjointData(dDestination, nameof(dDestination), destination.RowCount, destination.ColumnCount), destination.RowCount, destination.ColumnCount);
        Restore(c, tape);
        if (g.IsEmpty || da is null)
        {
            return;
        }

        using Lease transposed = Rent(a.RowCount, a.ColumnCount);
        g.Matrix.Transpose(transposed.Matrix);
        AddInto(da, transposed.Data);
    }

    /// <summary>
    /// MathNet's <c>Transpose(result)</c> writes the result while it reads the matrix, so <c>a.Transpose(a)</c> gives neither
    /// Aᵀ nor A: a gradient would silently disagree with the user's own call, so both refuse it.
    /// </summary>
    private static T[] CheckTranspose(Matrix<T> a, Matrix<T> destination)
    {
        Data(a, nameof(a));
        T[] c = Data(destination, nameof(destination));
        if (ReferenceEquals(a, destination))
        {
            throw new ArgumentException("a.Transpose(a) in differentiable code: MathNet overwrites the matrix while it reads it, so the result is not the transpose. Use a.Transpose() (a new matrix) or another destination.", nameof(destination));
        }

        RequireShape(destination, nameof(destination), a.ColumnCount, a.RowCount, "the transpose of a");
        return c;
    }

    // ---- C = u vᵀ ----

    /// <summary><c>u.OuterProduct(v, destination)</c>: <c>destination = u vᵀ</c>.</summary>
    public static void OuterProduct(Vector<T> u, Vector<T> v, Matrix<T> destination)
    {
        CheckOuterProduct(u, v, destination);
        u.OuterProduct(v, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>u.OuterProduct(v, destination)</c>.</summary>
    public static void OuterProduct_Forward(Vector<T> u, Vector<T> v, Matrix<T> destination, Tape tape, Vector<T>? dU, Vector<T>? dV, Matrix<T>? dDestination)
    {
        Save(CheckOuterProduct(u, v, destination), tape);
        u.OuterProduct(v, destination);
    }

    /// <summary>du += G v, dv += Gᵀ u; zeroes G and restores the destination.</summary>
    public static void OuterProduct_Reverse(Vector<T> u, Vector<T> v, Matrix<T> destination, Tape tape, Vector<T>? dU, Vector<T>? dV, Matrix<T>? dDestination)
    {
        T[] c = CheckOuterProduct(u, v, destination);
        T[]? du = AdjointData(dU, nameof(dU), u.Count);
        T[]? dv = AdjointData(dV, nameof(dV), v.Count);
        using Lease g = TakeAdjoint(AdjointData(dDestination, nameof(dDestination), destination.RowCount, destination.ColumnCount), destination.RowCount, destination.ColumnCount);
        Restore(c, tape);
        if (g.IsEmpty)
        {
            return;
        }

        if (du is not null)
        {
            using Lease product = Rent(u.Count, VectorShape);
            g.Matrix.Multiply(v, product.Vector);
            AddInto(du, product.Data);
        }

        if (dv is not null)
        {
            using Lease product = Rent(v.Count, VectorShape);
            g.Matrix.TransposeThisAndMultiply(u, product.Vector);
            AddInto(dv, product.Data);
        }
    }

    private static T[] CheckOuterProduct(Vector<T> u, Vector<T> v, Matrix<T> destination)
    {
        Data(u, nameof(u));
        Data(v, nameof(v));
        T[] c = Data(destination, nameof(destination));
        RequireShape(destination, nameof(destination), u.Count, v.Count, "u's count × v's count");
        return c;
    }

    // ---- y = A[index, :] and y = A[:, index] ----

    /// <summary><c>a.Row(index, destination)</c>: a copy of row <paramref name="index"/>.</summary>
    public static void Row(Matrix<T> a, int index, Vector<T> destination)
    {
        CheckRow(a, index, destination);
        a.Row(index, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>a.Row(index, destination)</c>.</summary>
    public static void Row_Forward(Matrix<T> a, int index, Vector<T> destination, Tape tape, Matrix<T>? dA, Vector<T>? dDestination)
    {
        Save(CheckRow(a, index, destination), tape);
        a.Row(index, destination);
    }

    /// <summary>dA[index, j] += g[j]; zeroes g and restores the destination.</summary>
    public static void Row_Reverse(Matrix<T> a, int index, Vector<T> destination, Tape tape, Matrix<T>? dA, Vector<T>? dDestination)
    {
        T[] y = CheckRow(a, index, destination);
        T[]? da = AdjointData(dA, nameof(dA), a.RowCount, a.ColumnCount);
        using Lease g = TakeAdjoint(AdjointData(dDestination, nameof(dDestination), y.Length), y.Length, VectorShape);
        Restore(y, tape);
        if (g.IsEmpty || da is null)
        {
            return;
        }

        // A row is strided in column-major storage: one element per column.
        T[] row = g.Data;
        for (int j = 0, at = index; j < row.Length; j++, at += a.RowCount)
        {
            da[at] += row[j];
        }
    }

    private static T[] CheckRow(Matrix<T> a, int index, Vector<T> destination)
    {
        Data(a, nameof(a));
        T[] y = Data(destination, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, a.RowCount);
        RequireCount(destination, nameof(destination), a.ColumnCount, "a's column count");
        return y;
    }

    /// <summary><c>a.Column(index, destination)</c>: a copy of column <paramref name="index"/>.</summary>
    public static void Column(Matrix<T> a, int index, Vector<T> destination)
    {
        CheckColumn(a, index, destination);
        a.Column(index, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>a.Column(index, destination)</c>.</summary>
    public static void Column_Forward(Matrix<T> a, int index, Vector<T> destination, Tape tape, Matrix<T>? dA, Vector<T>? dDestination)
    {
        Save(CheckColumn(a, index, destination), tape);
        a.Column(index, destination);
    }

    /// <summary>dA[:, index] += g; zeroes g and restores the destination.</summary>
    public static void Column_Reverse(Matrix<T> a, int index, Vector<T> destination, Tape tape, Matrix<T>? dA, Vector<T>? dDestination)
    {
        T[] y = CheckColumn(a, index, destination);
        T[]? da = AdjointData(dA, nameof(dA), a.RowCount, a.ColumnCount);
        using Lease g = TakeAdjoint(AdjointData(dDestination, nameof(dDestination), y.Length), y.Length, VectorShape);
        Restore(y, tape);
        if (!g.IsEmpty && da is not null)
        {
            AddInto(da.AsSpan(index * a.RowCount, a.RowCount), g.Data);
        }
    }

    private static T[] CheckColumn(Matrix<T> a, int index, Vector<T> destination)
    {
        Data(a, nameof(a));
        T[] y = Data(destination, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, a.ColumnCount);
        RequireCount(destination, nameof(destination), a.RowCount, "a's row count");
        return y;
    }

    // ---- y = a copy of a span ----

    /// <summary>
    /// Copies <paramref name="values"/> into <paramref name="destination"/>: the generator lowers
    /// <c>Vector&lt;T&gt;.Build.DenseOfArray(array)</c> to a new vector filled by this.
    /// </summary>
    public static void DenseOfArray(ReadOnlySpan<T> values, Vector<T> destination) => values.CopyTo(CheckDenseOfArray(values, destination));

    /// <summary>Records the destination's old contents, then copies <paramref name="values"/> into it.</summary>
    public static void DenseOfArray_Forward(ReadOnlySpan<T> values, Vector<T> destination, Tape tape, Span<T> dValues, Vector<T>? dDestination) =>
        CopyForward(values, CheckDenseOfArray(values, destination), tape);

    /// <summary>dvalues += g (over its first <c>values.Length</c> elements; empty: none); zeroes g and restores the destination.</summary>
    public static void DenseOfArray_Reverse(ReadOnlySpan<T> values, Vector<T> destination, Tape tape, Span<T> dValues, Vector<T>? dDestination)
    {
        T[] y = CheckDenseOfArray(values, destination);
        if (!dValues.IsEmpty && dValues.Length < values.Length)
        {
            throw new ArgumentException($"dValues has {dValues.Length} elements; values has {values.Length}.", nameof(dValues));
        }

        CopyReverse(values, y, tape, dValues.IsEmpty ? default : dValues.Slice(0, values.Length), AdjointData(dDestination, nameof(dDestination), y.Length));
    }

    private static T[] CheckDenseOfArray(ReadOnlySpan<T> values, Vector<T> destination)
    {
        T[] y = Data(destination, nameof(destination));
        if (values.Length != y.Length)
        {
            throw new ArgumentException($"destination has {y.Length} elements; values has {values.Length}. A destination is never reallocated.", nameof(destination));
        }

        return y;
    }
}
