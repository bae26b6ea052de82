using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SourceDiff.CompilerServices;

/// <summary>
/// Vectorized element-wise updates that generated reverse sweeps call in place of scalar loops. Each element gets
/// exactly the scalar loop's operations (<c>y[k] += alpha * x[k]</c>: one product, one sum, both rounded), so the
/// results are bit-for-bit those of the loop.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Kernels
{
    /// <summary><c>y[k] += alpha * x[k]</c> for every k.</summary>
    public static void AddScaled(double alpha, ReadOnlySpan<double> x, Span<double> y) => AddScaledCore(alpha, x, y);

    /// <summary><c>y[k] += alpha * x[k]</c> for every k.</summary>
    public static void AddScaled(float alpha, ReadOnlySpan<float> x, Span<float> y) => AddScaledCore(alpha, x, y);

    /// <summary>
    /// <c>matrix[row, start + k]</c> for k below <paramref name="count"/>, as a span: a row of a matrix for
    /// <see cref="AddScaled(double, ReadOnlySpan{double}, Span{double})"/>. Checked against both dimensions, so it
    /// throws the <see cref="IndexOutOfRangeException"/> the elements' own indexing would.
    /// </summary>
    public static Span<T> Row<T>(T[,] matrix, int row, int start, int count)
        where T : unmanaged
    {
        int columns = matrix.GetLength(1);
        if ((uint)row >= (uint)matrix.GetLength(0) || (uint)start > (uint)columns || (uint)count > (uint)(columns - start))
        {
            throw new IndexOutOfRangeException();
        }

        ref T first = ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(matrix));
        return MemoryMarshal.CreateSpan(ref Unsafe.Add(ref first, (nint)row * columns + start), count);
    }

    // One body for both element types; the public overloads let a literal alpha (1) bind to the spans' type.
    private static void AddScaledCore<T>(T alpha, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, INumber<T>
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("The spans have different lengths.", nameof(y));
        }

        int k = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var scale = new Vector<T>(alpha);
            ref T xs = ref MemoryMarshal.GetReference(x);
            ref T ys = ref MemoryMarshal.GetReference(y);
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Vector<T> product = scale * Unsafe.As<T, Vector<T>>(ref Unsafe.Add(ref xs, k));
                ref Vector<T> target = ref Unsafe.As<T, Vector<T>>(ref Unsafe.Add(ref ys, k));
                target += product;
            }
        }

        for (; k < x.Length; k++)
        {
            y[k] += alpha * x[k];
        }
    }
}
