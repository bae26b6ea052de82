using System;
using System.Numerics.Tensors;

namespace SourceDiff.CompilerServices;

// Element-wise arithmetic: Add, Subtract, Multiply, Divide, MultiplyAdd, AddMultiply, Negate. None needs its output,
// so each reverse sweep restores the destination first and then works from the inputs' forward values.
public static partial class TensorKernels<T>
{
    /// <summary><c>TensorPrimitives.Add(x, y, destination)</c>.</summary>
    public static void Add(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Add(x, y, destination)</c>.</summary>
    public static void Add_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Add(x, y, destination);
    }

    /// <summary>dx += g, dy += g; zeroes g and restores the destination.</summary>
    public static void Add_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        AddInto(s, dX, s.G);
        AddInto(s, dY, s.G);
    }

    /// <summary><c>TensorPrimitives.Add(x, y, destination)</c> with a scalar <paramref name="y"/>.</summary>
    public static void Add(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Add(x, y, destination)</c>.</summary>
    public static void Add_Forward(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Add(x, y, destination);
    }

    /// <summary>dx += g, dy += Σ g; zeroes g and restores the destination.</summary>
    public static void Add_Reverse(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, ref T dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        AddInto(s, dX, s.G);
        dY += TensorPrimitives.Sum<T>(s.G);
    }

    /// <summary><c>TensorPrimitives.Subtract(x, y, destination)</c>.</summary>
    public static void Subtract(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Subtract(x, y, destination)</c>.</summary>
    public static void Subtract_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Subtract(x, y, destination);
    }

    /// <summary>dx += g, dy -= g; zeroes g and restores the destination.</summary>
    public static void Subtract_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        AddInto(s, dX, s.G);
        SubtractInto(s, dY, s.G);
    }

    /// <summary><c>TensorPrimitives.Subtract(x, y, destination)</c> with a scalar <paramref name="y"/>.</summary>
    public static void Subtract(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Subtract(x, y, destination)</c>.</summary>
    public static void Subtract_Forward(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Subtract(x, y, destination);
    }

    /// <summary>dx += g, dy -= Σ g; zeroes g and restores the destination.</summary>
    public static void Subtract_Reverse(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, ref T dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        AddInto(s, dX, s.G);
        dY -= TensorPrimitives.Sum<T>(s.G);
    }

    /// <summary><c>TensorPrimitives.Subtract(x, y, destination)</c> with a scalar <paramref name="x"/>.</summary>
    public static void Subtract(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Subtract(x, y, destination)</c>.</summary>
    public static void Subtract_Forward(T x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dY, Span<T> dDestination)
    {
        Save(destination, y.Length, tape);
        TensorPrimitives.Subtract(x, y, destination);
    }

    /// <summary>dx += Σ g, dy -= g; zeroes g and restores the destination.</summary>
    public static void Subtract_Reverse(T x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, ref T dX, Span<T> dY, Span<T> dDestination)
    {
        int n = y.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        dX += TensorPrimitives.Sum<T>(s.G);
        SubtractInto(s, dY, s.G);
    }

    /// <summary><c>TensorPrimitives.Multiply(x, y, destination)</c>.</summary>
    public static void Multiply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Multiply(x, y, destination)</c>.</summary>
    public static void Multiply_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Multiply(x, y, destination);
    }

    /// <summary>dx += g ⊙ y, dy += g ⊙ x; zeroes g and restores the destination.</summary>
    public static void Multiply_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        AddProductInto(s, dX, s.G, y);
        AddProductInto(s, dY, s.G, x);
    }

    /// <summary><c>TensorPrimitives.Multiply(x, y, destination)</c> with a scalar <paramref name="y"/>.</summary>
    public static void Multiply(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Multiply(x, y, destination)</c>.</summary>
    public static void Multiply_Forward(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Multiply(x, y, destination);
    }

    /// <summary>dx += g y, dy += g · x; zeroes g and restores the destination.</summary>
    public static void Multiply_Reverse(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, ref T dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        AddProductInto(s, dX, s.G, y);
        dY += TensorPrimitives.Dot<T>(s.G, x);
    }

    /// <summary><c>TensorPrimitives.Divide(x, y, destination)</c>.</summary>
    public static void Divide(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Divide(x, y, destination)</c>.</summary>
    public static void Divide_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Divide(x, y, destination);
    }

    /// <summary>
    /// dx += g / y, dy -= (g / y) ⊙ x / y; zeroes g and restores the destination. From the inputs, not the output: y
    /// may be the destination.
    /// </summary>
    public static void Divide_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        Span<T> g = s.G;
        TensorPrimitives.Divide(g, y, g);
        AddInto(s, dX, g);
        TensorPrimitives.Multiply(g, x, g);
        TensorPrimitives.Divide(g, y, g);
        SubtractInto(s, dY, g);
    }

    /// <summary><c>TensorPrimitives.Divide(x, y, destination)</c> with a scalar <paramref name="y"/>.</summary>
    public static void Divide(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Divide(x, y, destination)</c>.</summary>
    public static void Divide_Forward(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Divide(x, y, destination);
    }

    /// <summary>dx += g / y, dy -= ((g / y) · x) / y; zeroes g and restores the destination.</summary>
    public static void Divide_Reverse(ReadOnlySpan<T> x, T y, Span<T> destination, Tape tape, Span<T> dX, ref T dY, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        Span<T> g = s.G;
        TensorPrimitives.Divide(g, y, g);
        AddInto(s, dX, g);
        dY -= TensorPrimitives.Dot<T>(g, x) / y;
    }

    /// <summary><c>TensorPrimitives.Divide(x, y, destination)</c> with a scalar <paramref name="x"/>.</summary>
    public static void Divide(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Divide(x, y, destination)</c>.</summary>
    public static void Divide_Forward(T x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, Span<T> dY, Span<T> dDestination)
    {
        Save(destination, y.Length, tape);
        TensorPrimitives.Divide(x, y, destination);
    }

    /// <summary>dx += Σ g / y, dy -= x (g / y) / y; zeroes g and restores the destination.</summary>
    public static void Divide_Reverse(T x, ReadOnlySpan<T> y, Span<T> destination, Tape tape, ref T dX, Span<T> dY, Span<T> dDestination)
    {
        int n = y.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        Span<T> g = s.G;
        TensorPrimitives.Divide(g, y, g);
        dX += TensorPrimitives.Sum<T>(g);
        TensorPrimitives.Divide(g, y, g);
        AddProductInto(s, dY, g, -x);
    }

    /// <summary><c>TensorPrimitives.MultiplyAdd(x, y, addend, destination)</c>: x ⊙ y + addend.</summary>
    public static void MultiplyAdd(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> addend, Span<T> destination) =>
        TensorPrimitives.MultiplyAdd(x, y, addend, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.MultiplyAdd(x, y, addend, destination)</c>.</summary>
    public static void MultiplyAdd_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> addend, Span<T> destination, Tape tape,
        Span<T> dX, Span<T> dY, Span<T> dAddend, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.MultiplyAdd(x, y, addend, destination);
    }

    /// <summary>dx += g ⊙ y, dy += g ⊙ x, daddend += g; zeroes g and restores the destination.</summary>
    public static void MultiplyAdd_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> addend, Span<T> destination, Tape tape,
        Span<T> dX, Span<T> dY, Span<T> dAddend, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        AddProductInto(s, dX, s.G, y);
        AddProductInto(s, dY, s.G, x);
        AddInto(s, dAddend, s.G);
    }

    /// <summary><c>TensorPrimitives.MultiplyAdd(x, y, addend, destination)</c> with a scalar <paramref name="addend"/>.</summary>
    public static void MultiplyAdd(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T addend, Span<T> destination) =>
        TensorPrimitives.MultiplyAdd(x, y, addend, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.MultiplyAdd(x, y, addend, destination)</c>.</summary>
    public static void MultiplyAdd_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T addend, Span<T> destination, Tape tape,
        Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.MultiplyAdd(x, y, addend, destination);
    }

    /// <summary>dx += g ⊙ y, dy += g ⊙ x, daddend += Σ g; zeroes g and restores the destination.</summary>
    public static void MultiplyAdd_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T addend, Span<T> destination, Tape tape,
        Span<T> dX, Span<T> dY, ref T dAddend, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        AddProductInto(s, dX, s.G, y);
        AddProductInto(s, dY, s.G, x);
        dAddend += TensorPrimitives.Sum<T>(s.G);
    }

    /// <summary><c>TensorPrimitives.MultiplyAdd(x, y, addend, destination)</c> with a scalar <paramref name="y"/>.</summary>
    public static void MultiplyAdd(ReadOnlySpan<T> x, T y, ReadOnlySpan<T> addend, Span<T> destination) =>
        TensorPrimitives.MultiplyAdd(x, y, addend, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.MultiplyAdd(x, y, addend, destination)</c>.</summary>
    public static void MultiplyAdd_Forward(ReadOnlySpan<T> x, T y, ReadOnlySpan<T> addend, Span<T> destination, Tape tape,
        Span<T> dX, Span<T> dAddend, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.MultiplyAdd(x, y, addend, destination);
    }

    /// <summary>dx += g y, dy += g · x, daddend += g; zeroes g and restores the destination.</summary>
    public static void MultiplyAdd_Reverse(ReadOnlySpan<T> x, T y, ReadOnlySpan<T> addend, Span<T> destination, Tape tape,
        Span<T> dX, ref T dY, Span<T> dAddend, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        AddProductInto(s, dX, s.G, y);
        dY += TensorPrimitives.Dot<T>(s.G, x);
        AddInto(s, dAddend, s.G);
    }

    /// <summary><c>TensorPrimitives.AddMultiply(x, y, multiplier, destination)</c>: (x + y) ⊙ multiplier.</summary>
    public static void AddMultiply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> multiplier, Span<T> destination) =>
        TensorPrimitives.AddMultiply(x, y, multiplier, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.AddMultiply(x, y, multiplier, destination)</c>.</summary>
    public static void AddMultiply_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> multiplier, Span<T> destination, Tape tape,
        Span<T> dX, Span<T> dY, Span<T> dMultiplier, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.AddMultiply(x, y, multiplier, destination);
    }

    /// <summary>dx += g ⊙ multiplier, dy += g ⊙ multiplier, dmultiplier += g ⊙ (x + y); zeroes g and restores the destination.</summary>
    public static void AddMultiply_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> multiplier, Span<T> destination, Tape tape,
        Span<T> dX, Span<T> dY, Span<T> dMultiplier, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        Span<T> g = s.G, sum = s.F;
        TensorPrimitives.Add(x, y, sum);
        AddProductInto(s, dMultiplier, g, sum);
        TensorPrimitives.Multiply(g, multiplier, g);
        AddInto(s, dX, g);
        AddInto(s, dY, g);
    }

    /// <summary><c>TensorPrimitives.AddMultiply(x, y, multiplier, destination)</c> with a scalar <paramref name="multiplier"/>.</summary>
    public static void AddMultiply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T multiplier, Span<T> destination) =>
        TensorPrimitives.AddMultiply(x, y, multiplier, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.AddMultiply(x, y, multiplier, destination)</c>.</summary>
    public static void AddMultiply_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T multiplier, Span<T> destination, Tape tape,
        Span<T> dX, Span<T> dY, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.AddMultiply(x, y, multiplier, destination);
    }

    /// <summary>dx += g multiplier, dy += g multiplier, dmultiplier += g · x + g · y; zeroes g and restores the destination.</summary>
    public static void AddMultiply_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T multiplier, Span<T> destination, Tape tape,
        Span<T> dX, Span<T> dY, ref T dMultiplier, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        Span<T> g = s.G;
        dMultiplier += TensorPrimitives.Dot<T>(g, x) + TensorPrimitives.Dot<T>(g, y);
        TensorPrimitives.Multiply(g, multiplier, g);
        AddInto(s, dX, g);
        AddInto(s, dY, g);
    }

    /// <summary><c>TensorPrimitives.AddMultiply(x, y, multiplier, destination)</c> with a scalar <paramref name="y"/>.</summary>
    public static void AddMultiply(ReadOnlySpan<T> x, T y, ReadOnlySpan<T> multiplier, Span<T> destination) =>
        TensorPrimitives.AddMultiply(x, y, multiplier, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.AddMultiply(x, y, multiplier, destination)</c>.</summary>
    public static void AddMultiply_Forward(ReadOnlySpan<T> x, T y, ReadOnlySpan<T> multiplier, Span<T> destination, Tape tape,
        Span<T> dX, Span<T> dMultiplier, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.AddMultiply(x, y, multiplier, destination);
    }

    /// <summary>dx += g ⊙ multiplier, dy += g · multiplier, dmultiplier += g ⊙ (x + y); zeroes g and restores the destination.</summary>
    public static void AddMultiply_Reverse(ReadOnlySpan<T> x, T y, ReadOnlySpan<T> multiplier, Span<T> destination, Tape tape,
        Span<T> dX, ref T dY, Span<T> dMultiplier, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 1);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        Span<T> g = s.G, sum = s.F;
        TensorPrimitives.Add(x, y, sum);
        AddProductInto(s, dMultiplier, g, sum);
        dY += TensorPrimitives.Dot(g, multiplier);
        TensorPrimitives.Multiply(g, multiplier, g);
        AddInto(s, dX, g);
    }

    /// <summary><c>TensorPrimitives.Negate(x, destination)</c>.</summary>
    public static void Negate(ReadOnlySpan<T> x, Span<T> destination) => TensorPrimitives.Negate(x, destination);

    /// <summary>Records the destination's old contents, then runs <c>TensorPrimitives.Negate(x, destination)</c>.</summary>
    public static void Negate_Forward(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        Save(destination, x.Length, tape);
        TensorPrimitives.Negate(x, destination);
    }

    /// <summary>dx -= g; zeroes g and restores the destination.</summary>
    public static void Negate_Reverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        int n = x.Length;
        using Scratch s = TakeAdjoint(dDestination, n, 0);
        if (RestoredOnly(s, destination, n, tape))
        {
            return;
        }

        Restore(destination, n, tape);
        SubtractInto(s, dX, s.G);
    }
}
