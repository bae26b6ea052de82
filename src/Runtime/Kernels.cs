using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SourceDiff;

/// <summary>
/// Vectorized element-wise updates that generated reverse sweeps call in place of scalar loops. Each element gets
/// exactly the scalar loop's operations (<c>y[k] += alpha * x[k]</c>: one product, one sum, both rounded), so the
/// results are bit-for-bit those of the loop.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Kernels
{
    /// <summary><c>y[k] += alpha * x[k]</c> for every k.</summary>
    public static void AddScaled(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("The spans have different lengths.", nameof(y));
        }

        int k = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var scale = new Vector<double>(alpha);
            ref double xs = ref MemoryMarshal.GetReference(x);
            ref double ys = ref MemoryMarshal.GetReference(y);
            for (; k <= x.Length - Vector<double>.Count; k += Vector<double>.Count)
            {
                Vector<double> product = scale * Unsafe.As<double, Vector<double>>(ref Unsafe.Add(ref xs, k));
                ref Vector<double> target = ref Unsafe.As<double, Vector<double>>(ref Unsafe.Add(ref ys, k));
                target += product;
            }
        }

        for (; k < x.Length; k++)
        {
            y[k] += alpha * x[k];
        }
    }

    /// <summary><c>y[k] += alpha * x[k]</c> for every k.</summary>
    public static void AddScaled(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("The spans have different lengths.", nameof(y));
        }

        int k = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var scale = new Vector<float>(alpha);
            ref float xs = ref MemoryMarshal.GetReference(x);
            ref float ys = ref MemoryMarshal.GetReference(y);
            for (; k <= x.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                Vector<float> product = scale * Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref xs, k));
                ref Vector<float> target = ref Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref ys, k));
                target += product;
            }
        }

        for (; k < x.Length; k++)
        {
            y[k] += alpha * x[k];
        }
    }
}
