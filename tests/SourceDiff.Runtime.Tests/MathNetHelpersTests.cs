using System;
using MathNet.Numerics.LinearAlgebra;
using SourceDiff.CompilerServices;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// The MathNet overloads of <see cref="Buffers"/>, <see cref="Validate"/> and <see cref="Tape.CopyOf{T}(Vector{T})"/>: their
/// semantics, and that a call with a <see cref="Vector{T}"/> or <see cref="Matrix{T}"/> argument binds to them rather than
/// to the generic array helpers (which would cast the vector to <see cref="Array"/> and throw).
/// </summary>
public sealed class MathNetHelpersTests
{
    private static Vector<double> V(params double[] values) => Vector<double>.Build.Dense(values);

    private static Matrix<double> M(int rows, int columns) => Matrix<double>.Build.Dense(rows, columns, (i, j) => 10 * i + j + 1);

    [Fact]
    public void Clear_zeroes_in_place_and_ignores_null()
    {
        Vector<double> v = V(1, 2, 3);
        Matrix<double> m = M(2, 3);
        Buffers.Clear(v);
        Buffers.Clear(m);
        Assert.Equal(new double[3], v.ToArray());
        Assert.Equal(new double[6], m.AsColumnMajorArray());
        Buffers.Clear((Vector<double>?)null);
        Buffers.Clear((Matrix<float>?)null);
    }

    [Fact]
    public void ZerosLike_binds_to_the_MathNet_overloads_and_makes_dense_zeros_of_the_same_shape()
    {
        Vector<double> v = V(1, 2, 3);
        Matrix<float> m = Matrix<float>.Build.Dense(3, 5, 2f);

        // Overload resolution: without these overloads, ZerosLike<T>(T) would take the vector and cast it to Array.
        Vector<double> zeros = Buffers.ZerosLike(v);
        Matrix<float> matrixZeros = Buffers.ZerosLike(m);

        Assert.Equal(new double[3], zeros.ToArray());
        Assert.True(zeros.Storage.IsDense);
        Assert.NotSame(v, zeros);
        Assert.Equal((3, 5), (matrixZeros.RowCount, matrixZeros.ColumnCount));
        Assert.Equal(new float[15], matrixZeros.AsColumnMajorArray());
        Assert.Null(Buffers.ZerosLike((Vector<double>?)null));
        Assert.Null(Buffers.ZerosLike((Matrix<double>?)null));

        // A sparse vector gets dense zeros: gradient buffers are dense.
        Assert.True(Buffers.ZerosLike(Vector<double>.Build.Sparse(4)).Storage.IsDense);
    }

    [Fact]
    public void Copy_is_deep_and_dense()
    {
        Vector<double> v = V(1, 2, 3);
        Matrix<double> m = M(3, 2);
        Vector<double> copy = Buffers.Copy(v);
        Matrix<double> matrixCopy = Buffers.Copy(m);
        v[0] = 99;
        m[0, 0] = 99;
        Assert.Equal(new double[] { 1, 2, 3 }, copy.ToArray());
        Assert.Equal(1, matrixCopy[0, 0]);
        Assert.Equal(M(3, 2), matrixCopy);
        Assert.True(Buffers.Copy(Vector<double>.Build.SparseOfArray(new double[] { 0, 5 })).Storage.IsDense);
        Assert.Null(Buffers.Copy((Vector<double>?)null));
    }

    [Fact]
    public void CopyInto_copies_values_and_refuses_another_shape()
    {
        Vector<double> target = V(0, 0, 0);
        Buffers.CopyInto(V(1, 2, 3), target);
        Assert.Equal(new double[] { 1, 2, 3 }, target.ToArray());
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => Buffers.CopyInto(V(1, 2), target)).ParamName);

        Matrix<double> matrixTarget = Matrix<double>.Build.Dense(2, 3);
        Buffers.CopyInto(M(2, 3), matrixTarget);
        Assert.Equal(M(2, 3), matrixTarget);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => Buffers.CopyInto(M(3, 2), matrixTarget)).ParamName);

        Buffers.CopyInto(null, target);
        Buffers.CopyInto(V(5, 5, 5), null);
        Assert.Equal(new double[] { 1, 2, 3 }, target.ToArray());
    }

    [Fact]
    public void RestoreInto_copies_into_the_existing_object_when_the_shape_matches_and_replaces_it_otherwise()
    {
        Vector<double>? field = V(0, 0, 0);
        Vector<double> held = field;
        Vector<double> saved = V(1, 2, 3);
        Buffers.RestoreInto(ref field, saved);
        Assert.Same(held, field);
        Assert.Equal(new double[] { 1, 2, 3 }, held.ToArray());

        Buffers.RestoreInto(ref field, V(4, 5));
        Assert.NotSame(held, field);
        Assert.Equal(new double[] { 4, 5 }, field!.ToArray());
        Vector<double> replaced = field;
        Buffers.RestoreInto(ref field, null);
        Assert.Null(field);
        Assert.Equal(new double[] { 4, 5 }, replaced.ToArray());

        Matrix<double>? matrixField = Matrix<double>.Build.Dense(2, 3);
        Matrix<double> heldMatrix = matrixField;
        Buffers.RestoreInto(ref matrixField, M(2, 3));
        Assert.Same(heldMatrix, matrixField);
        Assert.Equal(M(2, 3), heldMatrix);
        Matrix<double> savedMatrix = M(3, 2);
        Buffers.RestoreInto(ref matrixField, savedMatrix);
        Assert.NotSame(heldMatrix, matrixField);
        Assert.NotSame(savedMatrix, matrixField);   // a copy: the saved one may be recycled by the tape
        Assert.Equal(savedMatrix, matrixField);
    }

    [Fact]
    public void AsSpan_is_the_dense_storage_itself_and_refuses_sparse()
    {
        Vector<double> v = V(1, 2, 3);
        Buffers.AsSpan(v)[1] = 20;
        Assert.Equal(20, v[1]);

        Matrix<double> m = M(2, 3);
        Span<double> columnMajor = Buffers.AsSpan(m);
        Assert.Equal(new double[] { 1, 11, 2, 12, 3, 13 }, columnMajor.ToArray());
        columnMajor[1] = -1;
        Assert.Equal(-1, m[1, 0]);

        Assert.Equal("vector", Assert.Throws<ArgumentException>(() => Buffers.AsSpan(Vector<double>.Build.Sparse(3))).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => Buffers.AsSpan(Matrix<double>.Build.Sparse(2, 2))).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => Buffers.AsSpan(Matrix<double>.Build.DiagonalIdentity(2))).ParamName);
    }

    [Fact]
    public void SameShape_checks_length_or_shape_null_and_density()
    {
        Validate.SameShape(V(1, 2), "dX", V(3, 4), "x");
        Validate.SameShape(null, "dX", (Vector<double>?)null, "x");
        Assert.Equal("dX", Assert.Throws<ArgumentNullException>(() => Validate.SameShape(null, "dX", V(1), "x")).ParamName);
        ArgumentException length = Assert.Throws<ArgumentException>(() => Validate.SameShape(V(1, 2), "dX", V(1, 2, 3), "x"));
        Assert.Equal("dX", length.ParamName);
        Assert.StartsWith("dX has length 2; x has 3.", length.Message);
        Assert.Equal("dX", Assert.Throws<ArgumentException>(() => Validate.SameShape(Vector<double>.Build.Sparse(2), "dX", V(1, 2), "x")).ParamName);

        Validate.SameShape(M(2, 3), "dW", M(2, 3), "W");
        ArgumentException shape = Assert.Throws<ArgumentException>(() => Validate.SameShape(M(3, 2), "dW", M(2, 3), "W"));
        Assert.Equal("dW", shape.ParamName);
        Assert.StartsWith("dW is 3×2; W is 2×3.", shape.Message);
        Assert.Equal("dW", Assert.Throws<ArgumentNullException>(() => Validate.SameShape(null, "dW", M(1, 1), "W")).ParamName);
        Assert.Equal("dW", Assert.Throws<ArgumentException>(() => Validate.SameShape(Matrix<double>.Build.Sparse(2, 3), "dW", M(2, 3), "W")).ParamName);
    }

    [Fact]
    public void NotNullDeep_refuses_null_and_storage_that_is_not_dense()
    {
        Validate.NotNullDeep(V(1), "x");
        Validate.NotNullDeep(M(1, 1), "w");
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Validate.NotNullDeep((Vector<double>?)null, "x")).ParamName);
        Assert.Equal("w", Assert.Throws<ArgumentNullException>(() => Validate.NotNullDeep((Matrix<double>?)null, "w")).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Validate.NotNullDeep(Vector<double>.Build.Sparse(2), "x")).ParamName);
        Assert.Equal("w", Assert.Throws<ArgumentException>(() => Validate.NotNullDeep(Matrix<double>.Build.DiagonalIdentity(2), "w")).ParamName);
    }

    [Fact]
    public void GradientShape_names_the_gradient_parameter_as_the_array_overload_does()
    {
        Validate.GradientShape(V(0, 0), V(1, 2), "Bias", "gradient");
        Validate.GradientShape(M(2, 3), M(2, 3), "Weights", "gradient");
        ArgumentException vector = Assert.Throws<ArgumentException>(() => Validate.GradientShape(V(0), V(1, 2), "Bias", "gradient"));
        Assert.Equal("gradient", vector.ParamName);
        Assert.StartsWith("gradient does not match the model: gradient.Bias has length 1; the model's Bias has 2. Create it with new Gradient(model) after resizing.", vector.Message);
        ArgumentException matrix = Assert.Throws<ArgumentException>(() => Validate.GradientShape(M(3, 2), M(2, 3), "Weights", "gradient"));
        Assert.Equal("gradient", matrix.ParamName);
        Assert.Contains("gradient.Weights is 3×2; the model's Weights is 2×3.", matrix.Message);
        InvalidOperationException sparse = Assert.Throws<InvalidOperationException>(() => Validate.GradientShape(M(2, 3), Matrix<double>.Build.Sparse(2, 3), "Weights", "gradient"));
        Assert.StartsWith("The model's Weights has SparseCompressedRowMatrixStorage", sparse.Message);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => Validate.GradientShape((Matrix<double>?)null, M(2, 3), "Weights", "gradient")).ParamName);

        // The array overload words it the same way.
        ArgumentException array = Assert.Throws<ArgumentException>(() => Validate.GradientShape(new double[1], new double[2], "Bias", "gradient"));
        Assert.StartsWith("gradient does not match the model: gradient.Bias has length 1; the model's Bias has 2.", array.Message);
    }

    [Fact]
    public void Tape_CopyOf_copies_and_recycles_the_copy_and_its_view_across_calls()
    {
        Vector<double> v = V(1, 2, 3);
        Matrix<double> m = M(3, 5);

        Tape tape = Tape.Rent();
        Vector<double> copy = tape.CopyOf(v);
        Matrix<double> matrixCopy = tape.CopyOf(m);
        Assert.NotSame(v, copy);
        Assert.Equal(v, copy);
        Assert.Equal(m, matrixCopy);
        v[0] = 99;
        Assert.Equal(1, copy[0]);
        Assert.Null(tape.CopyOf((Vector<double>?)null));
        tape.Return();

        // Steady state: the next call gets the same storage and the same view back, and allocates nothing.
        tape = Tape.Rent();
        Vector<double> again = tape.CopyOf(v);
        Matrix<double> matrixAgain = tape.CopyOf(m);
        tape.Return();
        Assert.Same(copy, again);
        Assert.Same(matrixCopy, matrixAgain);
        Assert.Equal(99, again[0]);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            tape = Tape.Rent();
            tape.CopyOf(v);
            tape.CopyOf(m);
            tape.Return();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        // A pooled array of the same size that served another shape gets a view of the right shape.
        tape = Tape.Rent();
        Matrix<double> transposedShape = tape.CopyOf(M(5, 3));
        Assert.Equal((5, 3), (transposedShape.RowCount, transposedShape.ColumnCount));
        Assert.Equal(M(5, 3), transposedShape);
        tape.Return();

        // Storage that is not dense: a fresh dense copy.
        tape = Tape.Rent();
        Vector<double> sparse = Vector<double>.Build.SparseOfArray(new double[] { 0, 4, 0 });
        Vector<double> denseCopy = tape.CopyOf(sparse);
        Assert.True(denseCopy.Storage.IsDense);
        Assert.Equal(sparse, denseCopy);
        tape.Return();
    }
}
