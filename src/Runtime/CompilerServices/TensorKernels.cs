using System;
using System.Buffers;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SourceDiff.CompilerServices;

/// <summary>
/// The adjoints of the <see cref="TensorPrimitives"/> operations that differentiable code may call: the generator lowers
/// <c>TensorPrimitives.Op(…)</c> to <c>Op</c> here, and gives it the <c>Op_Forward</c> and <c>Op_Reverse</c> sweeps.
/// Every sweep is itself made of <see cref="TensorPrimitives"/> calls, so a vectorized primal keeps a vectorized gradient.
/// </summary>
/// <remarks>
/// <para>
/// The calling convention (the generator builds calls positionally from it): <c>Op</c> takes the overload's own
/// parameters. <c>Op_Forward</c> takes them, then the tape, then one adjoint span per span parameter (inputs and the
/// destination, in order; unused, they keep every sweep's parameter lists alike); it records the destination's old
/// contents before writing it. <c>Op_Reverse</c> takes them, then the tape, then the result's adjoint for a reduction,
/// then one adjoint per parameter in order (a span for a span, <c>ref T</c> for a scalar). It adds each input's
/// contribution into its adjoint, zeroes the destination's adjoint (the old contents were overwritten, so nothing of
/// them reaches the output) and restores the destination's old contents from the tape.
/// </para>
/// <para>
/// An adjoint span may be longer than its primal span, so only its first primal-length elements are used; an empty one
/// stands for data that carries no derivative, whose adjoint is skipped (the output's adjoint then counts as zero); two
/// adjoint spans may be the same memory. The
/// destination may be exactly an input (<c>Tanh(x, x)</c>), and then its adjoint is exactly that input's adjoint.
/// So the reverse sweeps all take the same order: move the output's adjoint into pooled scratch and zero it; use the
/// output while the destination still holds it; restore the destination (the inputs then hold the values they had in
/// the forward sweep, an overwritten input included); then add into the inputs' adjoints. Adjoints and primal values
/// never share memory, so an addition that needs only the output may come before the restore.
/// </para>
/// <para>
/// Reductions write no destination, so their forward sweeps record nothing: the generator guarantees that the inputs
/// hold their forward values again when the reverse sweep runs, and the reverse sweep recomputes what it needs.
/// </para>
/// </remarks>
/// <typeparam name="T"><see cref="double"/> or <see cref="float"/> (the tape records the destinations of no others).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class TensorKernels<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>
    /// Records the old contents of the elements the operation writes: <paramref name="length"/> of them, or fewer when
    /// the destination is too short (the operation then throws its own <see cref="ArgumentException"/>).
    /// </summary>
    private static void Save(Span<T> destination, int length, Tape tape) =>
        tape.PushRange<T>(destination.Slice(0, Math.Min(length, destination.Length)));

    /// <summary>
    /// The part of the destination an operation of <paramref name="length"/> elements writes; a destination too short is
    /// left whole, so that the operation throws its own <see cref="ArgumentException"/>.
    /// </summary>
    private static Span<T> Written(Span<T> destination, int length) =>
        destination.Length > length ? destination.Slice(0, length) : destination;

    /// <summary>Puts back what <see cref="Save"/> recorded.</summary>
    private static void Restore(Span<T> destination, int length, Tape tape) => tape.PopRange(destination.Slice(0, length));

    /// <summary>
    /// Moves the output's adjoint (the first <paramref name="length"/> elements of <paramref name="dDestination"/>) into
    /// pooled scratch and zeroes it there, with <paramref name="extra"/> more scratch spans of the same length.
    /// </summary>
    private static Scratch TakeAdjoint(Span<T> dDestination, int length, int extra)
    {
        if (dDestination.IsEmpty)
        {
            return new Scratch(length, 1 + extra, isZero: true);
        }

        Span<T> adjoint = dDestination.Slice(0, length);
        bool isZero = length == 0 || TensorPrimitives.MaxMagnitude<T>(adjoint) == T.Zero;
        var scratch = new Scratch(length, 1 + extra, isZero, dead: !isZero && TensorPrimitives.IsZeroAny<T>(adjoint));
        adjoint.CopyTo(scratch.G);
        adjoint.Clear();
        if (!scratch.Dead.IsEmpty)
        {
            TensorPrimitives.IsZero<T>(scratch.G, scratch.DeadFlags);
        }

        return scratch;
    }

    /// <summary>
    /// Whether nothing flows back from this call (the output's adjoint is exactly zero): then the destination is restored
    /// here, and the reverse sweep is done.
    /// </summary>
    private static bool RestoredOnly(in Scratch s, Span<T> destination, int length, Tape tape)
    {
        if (s.IsZero)
        {
            Restore(destination, length, tape);
        }

        return s.IsZero;
    }

    /// <summary><c>adjoint[k] += values[k]</c> for k below <c>values.Length</c>.</summary>
    private static void AddInto(Span<T> adjoint, ReadOnlySpan<T> values)
    {
        if (adjoint.IsEmpty)
        {
            return;
        }

        Span<T> target = adjoint.Slice(0, values.Length);
        TensorPrimitives.Add(target, values, target);
    }

    /// <summary><c>adjoint[k] -= values[k]</c> for k below <c>values.Length</c>.</summary>
    private static void SubtractInto(Span<T> adjoint, ReadOnlySpan<T> values)
    {
        if (adjoint.IsEmpty)
        {
            return;
        }

        Span<T> target = adjoint.Slice(0, values.Length);
        TensorPrimitives.Subtract(target, values, target);
    }

    /// <summary><c>adjoint[k] += a[k] * b[k]</c> for k below <c>a.Length</c>.</summary>
    private static void AddProductInto(Span<T> adjoint, ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        if (adjoint.IsEmpty)
        {
            return;
        }

        Span<T> target = adjoint.Slice(0, a.Length);
        TensorPrimitives.MultiplyAdd(a, b, target, target);
    }

    /// <summary><c>adjoint[k] += a[k] * b</c> for k below <c>a.Length</c>.</summary>
    private static void AddProductInto(Span<T> adjoint, ReadOnlySpan<T> a, T b)
    {
        if (adjoint.IsEmpty)
        {
            return;
        }

        Span<T> target = adjoint.Slice(0, a.Length);
        TensorPrimitives.MultiplyAdd(a, b, target, target);
    }

    /// <summary>
    /// <c>adjoint[k] += values[k]</c>, skipping the elements whose output adjoint was 0 when that matters: when
    /// <paramref name="values"/> holds a NaN (0 · ∞ from an infinite derivative) and some elements are dead.
    /// </summary>
    private static void AddInto(in Scratch s, Span<T> adjoint, ReadOnlySpan<T> values)
    {
        if (s.Dead.IsEmpty || adjoint.IsEmpty || !TensorPrimitives.IsNaNAny(values))
        {
            AddInto(adjoint, values);
            return;
        }

        ReadOnlySpan<bool> dead = s.Dead;
        for (int k = 0; k < values.Length; k++)
        {
            // A rare path (a NaN beside dead elements): element by element, as the scalar code it mirrors.
            if (!dead[k])
            {
                adjoint[k] += values[k];
            }
        }
    }

    /// <summary><c>adjoint[k] -= values[k]</c>, skipping dead elements as <see cref="AddInto(in Scratch, Span{T}, ReadOnlySpan{T})"/> does.</summary>
    private static void SubtractInto(in Scratch s, Span<T> adjoint, ReadOnlySpan<T> values)
    {
        if (s.Dead.IsEmpty || adjoint.IsEmpty || !TensorPrimitives.IsNaNAny(values))
        {
            SubtractInto(adjoint, values);
            return;
        }

        ReadOnlySpan<bool> dead = s.Dead;
        for (int k = 0; k < values.Length; k++)
        {
            if (!dead[k])
            {
                adjoint[k] -= values[k];
            }
        }
    }

    /// <summary>
    /// <c>adjoint[k] += a[k] * b[k]</c>, skipping dead elements when a factor is not finite (where 0 · ∞ would be NaN).
    /// </summary>
    private static void AddProductInto(in Scratch s, Span<T> adjoint, ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        if (s.Dead.IsEmpty || adjoint.IsEmpty || (TensorPrimitives.IsFiniteAll(a) && TensorPrimitives.IsFiniteAll(b)))
        {
            AddProductInto(adjoint, a, b);
            return;
        }

        ReadOnlySpan<bool> dead = s.Dead;
        for (int k = 0; k < a.Length; k++)
        {
            if (!dead[k])
            {
                adjoint[k] += a[k] * b[k];
            }
        }
    }

    /// <summary><c>adjoint[k] += a[k] * b</c>, skipping dead elements when a factor is not finite.</summary>
    private static void AddProductInto(in Scratch s, Span<T> adjoint, ReadOnlySpan<T> a, T b)
    {
        if (s.Dead.IsEmpty || adjoint.IsEmpty || (T.IsFinite(b) && TensorPrimitives.IsFiniteAll(a)))
        {
            AddProductInto(adjoint, a, b);
            return;
        }

        ReadOnlySpan<bool> dead = s.Dead;
        for (int k = 0; k < a.Length; k++)
        {
            if (!dead[k])
            {
                adjoint[k] += a[k] * b;
            }
        }
    }

    /// <summary>
    /// <c>into[k] = sign(x[k])</c>: the subgradient of |x| the generator takes for <c>Math.Abs</c>, 0 at the kink. A NaN
    /// gets the sign of its sign bit instead of <c>Math.Sign</c>'s exception: a reverse sweep must not throw for a value
    /// whose adjoint is zero (an overwritten NaN reaches nothing), and where the adjoint is not zero the input's NaN
    /// already made the result NaN.
    /// </summary>
    private static void Sign(ReadOnlySpan<T> x, Span<T> into)
    {
        bool[] flags = ArrayPool<bool>.Shared.Rent(x.Length);
        try
        {
            Span<bool> zero = flags.AsSpan(0, x.Length);
            TensorPrimitives.IsZero<T>(x, zero);
            TensorPrimitives.ConvertTruncating<byte, T>(MemoryMarshal.AsBytes(zero), into);   // 1 where x is ±0
            TensorPrimitives.Subtract(T.One, into, into);                                       // 0 there, 1 elsewhere
            TensorPrimitives.CopySign(into, x, into);                                           // with x's sign
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(flags);
        }
    }

    /// <summary>
    /// <c>into[k] = 1</c> where <c>chosen[k] == x[k]</c> and 0 elsewhere, as <c>chosen[k] - x[k] == 0</c>: where the
    /// first argument of Max (Min) is the result, ties included (<c>Math.Max(x, y)</c>'s rule: x wins when x &gt;= y).
    /// <paramref name="chosen"/> may be <paramref name="into"/>. A NaN result sends the adjoint to the second argument,
    /// as the generator's <c>x &gt;= y</c> test does.
    /// </summary>
    private static void FirstWins(ReadOnlySpan<T> chosen, ReadOnlySpan<T> x, Span<T> into)
    {
        bool[] flags = ArrayPool<bool>.Shared.Rent(x.Length);
        try
        {
            Span<bool> wins = flags.AsSpan(0, x.Length);
            TensorPrimitives.Subtract(chosen, x, into);
            TensorPrimitives.IsZero<T>(into, wins);
            TensorPrimitives.ConvertTruncating<byte, T>(MemoryMarshal.AsBytes(wins), into);
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(flags);
        }
    }

    /// <summary>One pooled array cut into spans of one operation's length: the output's adjoint, then working space.</summary>
    private readonly ref struct Scratch
    {
        private readonly T[] array;
        private readonly int length;

        private readonly bool[]? dead;

        public Scratch(int length, int count, bool isZero, bool dead = false)
        {
            this.length = length;
            array = ArrayPool<T>.Shared.Rent(checked(length * count));
            IsZero = isZero;
            this.dead = dead ? ArrayPool<bool>.Shared.Rent(length) : null;
        }

        /// <summary>
        /// Where the output's adjoint is exactly 0, when some elements' is and others' is not (empty otherwise): those
        /// elements send nothing back even where the derivative is infinite, as generated scalar code skips a zero adjoint.
        /// </summary>
        public ReadOnlySpan<bool> Dead => dead is null ? default : dead.AsSpan(0, length);

        /// <summary>The storage of <see cref="Dead"/>, filled by <see cref="TakeAdjoint"/>.</summary>
        public Span<bool> DeadFlags => dead is null ? default : dead.AsSpan(0, length);

        /// <summary>
        /// The output's adjoint is exactly zero (or there is none): the reverse sweep only restores the destination,
        /// as generated scalar code skips a zero adjoint, so that 0 · ∞ from a dead overflow does not become NaN.
        /// </summary>
        public bool IsZero { get; }

        /// <summary>The output's adjoint, taken by <see cref="TakeAdjoint"/>.</summary>
        public Span<T> G => array.AsSpan(0, length);

        /// <summary>The first span of working space.</summary>
        public Span<T> F => array.AsSpan(length, length);

        public void Dispose()
        {
            ArrayPool<T>.Shared.Return(array);
            if (dead is not null)
            {
                ArrayPool<bool>.Shared.Return(dead);
            }
        }
    }
}
