using System;
using System.Numerics.Tensors;

namespace SourceDiff.CompilerServices;

// Element-wise functions and element-wise Max and Min. Where the derivative is cheaper from the output (Exp, Sqrt,
// Tanh, Sigmoid, SoftMax, Reciprocal) the reverse sweep uses it before it restores the destination; the others
// restore first and recompute from the input.
public static partial class TensorKernels<T>
{
    private static readonly T Half = T.One / (T.One + T.One);

    /// <summary><c>TensorPrimitives.Abs(x, destination)</c>.</summary>
    public static void Abs(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Abs(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Abs(x, destination)</c>.</summary>
    public static void Abs_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Abs(x, destination);
    }

    /// <summary>
    /// dx += g ⊙ sign(x), with the subgradient 0 at 0 that the generator takes for <c>Math.Abs</c> (a NaN input does not
    /// throw: see <see cref="Sign"/>); zeroes g and restores the destination.
    /// </summary>
    public static void Abs_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        Sign(x, s.F);
        AddProductInto(s, dX, s.G, s.F);
    }

    /// <summary><c>TensorPrimitives.Exp(x, destination)</c>.</summary>
    public static void Exp(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Exp(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Exp(x, destination)</c>.</summary>
    public static void Exp_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Exp(x, destination);
    }

    /// <summary>dx += g ⊙ y (y = exp x, the output); zeroes g and restores the destination.</summary>
    public static void Exp_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        AddProductInto(s, dX, s.G, destination.Slice(0, n));
        Restore(destination, n, tape);
    }

    /// <summary><c>TensorPrimitives.Log(x, destination)</c>.</summary>
    public static void Log(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Log(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Log(x, destination)</c>.</summary>
    public static void Log_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Log(x, destination);
    }

    /// <summary>dx += g / x; zeroes g and restores the destination.</summary>
    public static void Log_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        Span<T> g = s.G;
        TensorPrimitives.Divide(g, x, g);
        AddInto(s, dX, g);
    }

    /// <summary><c>TensorPrimitives.Sqrt(x, destination)</c>.</summary>
    public static void Sqrt(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Sqrt(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Sqrt(x, destination)</c>.</summary>
    public static void Sqrt_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Sqrt(x, destination);
    }

    /// <summary>dx += (g / y) / 2 (y = √x, the output); zeroes g and restores the destination.</summary>
    public static void Sqrt_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Span<T> g = s.G;
        TensorPrimitives.Divide(g, destination.Slice(0, n), g);
        Restore(destination, n, tape);
        AddProductInto(s, dX, g, Half);
    }

    /// <summary><c>TensorPrimitives.Tanh(x, destination)</c>.</summary>
    public static void Tanh(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Tanh(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Tanh(x, destination)</c>.</summary>
    public static void Tanh_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Tanh(x, destination);
    }

    /// <summary>dx += g ⊙ (1 − y²) (y = tanh x, the output); zeroes g and restores the destination.</summary>
    public static void Tanh_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        ReadOnlySpan<T> y = destination.Slice(0, n);
        Span<T> slope = s.F;
        TensorPrimitives.Multiply(y, y, slope);
        TensorPrimitives.Subtract(T.One, slope, slope);
        AddProductInto(s, dX, s.G, slope);
        Restore(destination, n, tape);
    }

    /// <summary><c>TensorPrimitives.Sigmoid(x, destination)</c>.</summary>
    public static void Sigmoid(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Sigmoid(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Sigmoid(x, destination)</c>.</summary>
    public static void Sigmoid_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Sigmoid(x, destination);
    }

    /// <summary>dx += g ⊙ y ⊙ (1 − y) (y = σ(x), the output); zeroes g and restores the destination.</summary>
    public static void Sigmoid_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        ReadOnlySpan<T> y = destination.Slice(0, n);
        Span<T> slope = s.F;
        TensorPrimitives.Subtract(T.One, y, slope);
        TensorPrimitives.Multiply(slope, y, slope);
        AddProductInto(s, dX, s.G, slope);
        Restore(destination, n, tape);
    }

    /// <summary>
    /// <c>TensorPrimitives.SoftMax(x, destination)</c>, <c>destination[i] = exp(x[i]) / Σ exp(x)</c>, with a destination of
    /// exactly <c>x.Length</c> elements (see <see cref="RequireExactSoftMaxDestination"/>).
    /// </summary>
    public static void SoftMax(ReadOnlySpan<T> x, Span<T> destination)
    {
        RequireExactSoftMaxDestination(x, destination);
        TensorPrimitives.SoftMax(x, destination);
    }

    /// <summary>Records the destination's old contents, then runs <see cref="SoftMax(ReadOnlySpan{T}, Span{T})"/>.</summary>
    public static void SoftMax_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        RequireExactSoftMaxDestination(x, destination);
        Save(destination, x.Length, tape);
        TensorPrimitives.SoftMax(x, destination);
    }

    /// <summary>
    /// System.Numerics.Tensors 10.0 writes and normalizes the whole of a destination longer than x, so the user's own
    /// call would depend on the old contents past x: a gradient would silently disagree with it. Both throw instead.
    /// </summary>
    private static void RequireExactSoftMaxDestination(ReadOnlySpan<T> x, Span<T> destination)
    {
        if (destination.Length > x.Length)
        {
            throw new ArgumentException(
                $"TensorPrimitives.SoftMax in differentiable code needs a destination of exactly x.Length ({x.Length}) elements; it has {destination.Length}. " +
                "System.Numerics.Tensors normalizes the whole of a longer destination, so the result would depend on its old contents: pass destination.Slice(0, x.Length).",
                nameof(destination));
        }
    }

    /// <summary>dx += y ⊙ (g − g · y) (y = softmax x, the output); zeroes g and restores the destination.</summary>
    public static void SoftMax_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        ReadOnlySpan<T> y = destination.Slice(0, n);
        Span<T> g = s.G;
        TensorPrimitives.Subtract(g, TensorPrimitives.Dot<T>(g, y), g);
        AddProductInto(s, dX, g, y);
        Restore(destination, n, tape);
    }

    /// <summary><c>TensorPrimitives.Sinh(x, destination)</c>.</summary>
    public static void Sinh(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Sinh(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Sinh(x, destination)</c>.</summary>
    public static void Sinh_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Sinh(x, destination);
    }

    /// <summary>dx += g ⊙ cosh x; zeroes g and restores the destination.</summary>
    public static void Sinh_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        TensorPrimitives.Cosh(x, s.F);
        AddProductInto(s, dX, s.G, s.F);
    }

    /// <summary><c>TensorPrimitives.Cosh(x, destination)</c>.</summary>
    public static void Cosh(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Cosh(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Cosh(x, destination)</c>.</summary>
    public static void Cosh_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Cosh(x, destination);
    }

    /// <summary>dx += g ⊙ sinh x; zeroes g and restores the destination.</summary>
    public static void Cosh_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        TensorPrimitives.Sinh(x, s.F);
        AddProductInto(s, dX, s.G, s.F);
    }

    /// <summary><c>TensorPrimitives.Sin(x, destination)</c>.</summary>
    public static void Sin(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Sin(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Sin(x, destination)</c>.</summary>
    public static void Sin_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Sin(x, destination);
    }

    /// <summary>dx += g ⊙ cos x; zeroes g and restores the destination.</summary>
    public static void Sin_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        TensorPrimitives.Cos(x, s.F);
        AddProductInto(s, dX, s.G, s.F);
    }

    /// <summary><c>TensorPrimitives.Cos(x, destination)</c>.</summary>
    public static void Cos(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Cos(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Cos(x, destination)</c>.</summary>
    public static void Cos_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Cos(x, destination);
    }

    /// <summary>dx -= g ⊙ sin x; zeroes g and restores the destination.</summary>
    public static void Cos_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        Span<T> g = s.G;
        TensorPrimitives.Sin(x, s.F);
        TensorPrimitives.Multiply(g, s.F, g);
        SubtractInto(s, dX, g);
    }

    /// <summary><c>TensorPrimitives.Reciprocal(x, destination)</c>.</summary>
    public static void Reciprocal(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Reciprocal(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Reciprocal(x, destination)</c>.</summary>
    public static void Reciprocal_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Reciprocal(x, destination);
    }

    /// <summary>dx -= g ⊙ y ⊙ y (y = 1 / x, the output); zeroes g and restores the destination.</summary>
    public static void Reciprocal_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        ReadOnlySpan<T> y = destination.Slice(0, n);
        Span<T> g = s.G;
        TensorPrimitives.Multiply(g, y, g);
        TensorPrimitives.Multiply(g, y, g);
        Restore(destination, n, tape);
        SubtractInto(s, dX, g);
    }

    /// <summary><c>TensorPrimitives.Max(x, y, destination)</c>, element-wise.</summary>
    public static void Max(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Max(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Max(x, y, destination)</c>.</summary>
    public static void Max_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Max(x, y, destination);
    }

    /// <summary>
    /// dx += g where x &gt;= y (the first argument wins ties, as for <c>Math.Max</c>), dy += g elsewhere; zeroes g and
    /// restores the destination.
    /// </summary>
    public static void Max_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        TensorPrimitives.Max(x, y, s.F);
        Split(s, x, dX, dY);
    }

    /// <summary><c>TensorPrimitives.Max(x, y, destination)</c> with a scalar <paramref name="y"/> (<c>Max(x, 0, d)</c> is ReLU).</summary>
    public static void Max(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Max(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Max(x, y, destination)</c>.</summary>
    public static void Max_Forward(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Max(x, y, destination);
    }

    /// <summary>
    /// dx += g where x &gt;= y (the first argument wins ties, as for <c>Math.Max</c>), dy += the sum of g elsewhere;
    /// zeroes g and restores the destination.
    /// </summary>
    public static void Max_Reverse(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, ref T dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        TensorPrimitives.Max(x, y, s.F);
        dY += Split(s, x, dX);
    }

    /// <summary><c>TensorPrimitives.Min(x, y, destination)</c>, element-wise.</summary>
    public static void Min(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Min(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Min(x, y, destination)</c>.</summary>
    public static void Min_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Min(x, y, destination);
    }

    /// <summary>
    /// dx += g where x &lt;= y (the first argument wins ties, as for <c>Math.Min</c>), dy += g elsewhere; zeroes g and
    /// restores the destination.
    /// </summary>
    public static void Min_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        TensorPrimitives.Min(x, y, s.F);
        Split(s, x, dX, dY);
    }

    /// <summary><c>TensorPrimitives.Min(x, y, destination)</c> with a scalar <paramref name="y"/>.</summary>
    public static void Min(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Min(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Min(x, y, destination)</c>.</summary>
    public static void Min_Forward(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Min(x, y, destination);
    }

    /// <summary>
    /// dx += g where x &lt;= y (the first argument wins ties, as for <c>Math.Min</c>), dy += the sum of g elsewhere;
    /// zeroes g and restores the destination.
    /// </summary>
    public static void Min_Reverse(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, ref T dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        TensorPrimitives.Min(x, y, s.F);
        dY += Split(s, x, dX);
    }

    /// <summary>
    /// Max's and Min's reverse, once <c>s.F</c> holds the result recomputed from the restored inputs (the same pass a copy
    /// of the output would be, and right in the in-place case too): dx += g where the result is x, dy += g elsewhere.
    /// g splits exactly into the two parts, so each adjoint gets its own share with no rounding.
    /// </summary>
    private static void Split(in Scratch s, ReadOnlySpan<T> x, Span<T> dX, Span<T> dY)
    {
        Span<T> g = s.G, toX = s.F;
        FirstWins(toX, x, toX);
        TensorPrimitives.Multiply(g, toX, toX);
        TensorPrimitives.Subtract(g, toX, g);
        AddInto(s, dX, toX);
        AddInto(s, dY, g);
    }

    /// <summary><see cref="Split(in Scratch, ReadOnlySpan{T}, Span{T}, Span{T})"/> with a scalar y: returns y's share.</summary>
    private static T Split(in Scratch s, ReadOnlySpan<T> x, Span<T> dX)
    {
        Span<T> g = s.G, toX = s.F;
        FirstWins(toX, x, toX);
        TensorPrimitives.Multiply(g, toX, toX);
        TensorPrimitives.Subtract(g, toX, g);
        AddInto(s, dX, toX);
        return TensorPrimitives.Sum<T>(g);
    }
}
