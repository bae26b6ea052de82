using System;
using System.Numerics.Tensors;

namespace SourceDiff.CompilerServices;

// Reductions: no destination, so the forward sweeps record nothing and the reverse sweeps recompute what they need from
// the inputs (which hold their forward values again by then). r is the adjoint of the result.
public static partial class TensorKernels<T>
{
    /// <summary><c>TensorPrimitives.Sum(x)</c>.</summary>
    public static T Sum(ReadOnlySpan<T> x) => TensorPrimitives.Sum(x);

    /// <summary><c>TensorPrimitives.Sum(x)</c>; records nothing.</summary>
    public static T Sum_Forward(ReadOnlySpan<T> x, Tape tape, Span<T> dX) => TensorPrimitives.Sum(x);

    /// <summary>dx += r.</summary>
    public static void Sum_Reverse(ReadOnlySpan<T> x, Tape tape, T resultAdjoint, Span<T> dX)
    {
        if (resultAdjoint == T.Zero)
        {
            return;   // a dead result: nothing flows back, not even 0 · ∞ as NaN
        }

        if (dX.IsEmpty)
        {
            return;
        }

        Span<T> target = dX.Slice(0, x.Length);
        TensorPrimitives.Add(target, resultAdjoint, target);
    }

    /// <summary><c>TensorPrimitives.SumOfSquares(x)</c>.</summary>
    public static T SumOfSquares(ReadOnlySpan<T> x) => TensorPrimitives.SumOfSquares(x);

    /// <summary><c>TensorPrimitives.SumOfSquares(x)</c>; records nothing.</summary>
    public static T SumOfSquares_Forward(ReadOnlySpan<T> x, Tape tape, Span<T> dX) => TensorPrimitives.SumOfSquares(x);

    /// <summary>dx += 2 r x.</summary>
    public static void SumOfSquares_Reverse(ReadOnlySpan<T> x, Tape tape, T resultAdjoint, Span<T> dX)
    {
        if (resultAdjoint == T.Zero)
        {
            return;   // a dead result: nothing flows back, not even 0 · ∞ as NaN
        }

        AddProductInto(dX, x, resultAdjoint + resultAdjoint);
    }

    /// <summary><c>TensorPrimitives.SumOfMagnitudes(x)</c>: Σ |x|.</summary>
    public static T SumOfMagnitudes(ReadOnlySpan<T> x) => TensorPrimitives.SumOfMagnitudes(x);

    /// <summary><c>TensorPrimitives.SumOfMagnitudes(x)</c>; records nothing.</summary>
    public static T SumOfMagnitudes_Forward(ReadOnlySpan<T> x, Tape tape, Span<T> dX) => TensorPrimitives.SumOfMagnitudes(x);

    /// <summary>
    /// dx += r sign(x), 0 at 0 as for <c>Math.Abs</c> (a NaN input does not throw: see <see cref="Sign"/>).
    /// </summary>
    public static void SumOfMagnitudes_Reverse(ReadOnlySpan<T> x, Tape tape, T resultAdjoint, Span<T> dX)
    {
        if (resultAdjoint == T.Zero)
        {
            return;   // a dead result: nothing flows back, not even 0 · ∞ as NaN
        }

        using var s = new Scratch(x.Length, 1, isZero: false);
        Sign(x, s.G);
        AddProductInto(dX, s.G, resultAdjoint);
    }

    /// <summary><c>TensorPrimitives.Dot(x, y)</c>.</summary>
    public static T Dot(ReadOnlySpan<T> x, ReadOnlySpan<T> y) => TensorPrimitives.Dot(x, y);

    /// <summary><c>TensorPrimitives.Dot(x, y)</c>; records nothing.</summary>
    public static T Dot_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Tape tape, Span<T> dX, Span<T> dY) => TensorPrimitives.Dot(x, y);

    /// <summary>dx += r y, dy += r x.</summary>
    public static void Dot_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Tape tape, T resultAdjoint, Span<T> dX, Span<T> dY)
    {
        if (resultAdjoint == T.Zero)
        {
            return;   // a dead result: nothing flows back, not even 0 · ∞ as NaN
        }

        AddProductInto(dX, y, resultAdjoint);
        AddProductInto(dY, x, resultAdjoint);
    }

    /// <summary><c>TensorPrimitives.Norm(x)</c>: ‖x‖₂.</summary>
    public static T Norm(ReadOnlySpan<T> x) => TensorPrimitives.Norm(x);

    /// <summary><c>TensorPrimitives.Norm(x)</c>; records nothing.</summary>
    public static T Norm_Forward(ReadOnlySpan<T> x, Tape tape, Span<T> dX) => TensorPrimitives.Norm(x);

    /// <summary>dx += r x / ‖x‖, nothing when ‖x‖ = 0 (the subgradient 0 at the kink).</summary>
    public static void Norm_Reverse(ReadOnlySpan<T> x, Tape tape, T resultAdjoint, Span<T> dX)
    {
        if (resultAdjoint == T.Zero)
        {
            return;   // a dead result: nothing flows back, not even 0 · ∞ as NaN
        }

        T norm = TensorPrimitives.Norm(x);
        if (norm != T.Zero)
        {
            AddProductInto(dX, x, resultAdjoint / norm);
        }
    }

    /// <summary><c>TensorPrimitives.Distance(x, y)</c>: ‖x − y‖₂.</summary>
    public static T Distance(ReadOnlySpan<T> x, ReadOnlySpan<T> y) => TensorPrimitives.Distance(x, y);

    /// <summary><c>TensorPrimitives.Distance(x, y)</c>; records nothing.</summary>
    public static T Distance_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Tape tape, Span<T> dX, Span<T> dY) => TensorPrimitives.Distance(x, y);

    /// <summary>dx += r (x − y) / ‖x − y‖, dy -= the same; nothing when x = y (the subgradient 0 at the kink).</summary>
    public static void Distance_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Tape tape, T resultAdjoint, Span<T> dX, Span<T> dY)
    {
        if (resultAdjoint == T.Zero)
        {
            return;   // a dead result: nothing flows back, not even 0 · ∞ as NaN
        }

        using var s = new Scratch(x.Length, 1, isZero: false);
        Span<T> difference = s.G;
        TensorPrimitives.Subtract(x, y, difference);
        T distance = TensorPrimitives.Norm<T>(difference);
        if (distance != T.Zero)
        {
            T scale = resultAdjoint / distance;
            AddProductInto(dX, difference, scale);
            AddProductInto(dY, difference, -scale);
        }
    }

    /// <summary><c>TensorPrimitives.CosineSimilarity(x, y)</c>: x · y / (‖x‖ ‖y‖).</summary>
    public static T CosineSimilarity(ReadOnlySpan<T> x, ReadOnlySpan<T> y) => TensorPrimitives.CosineSimilarity(x, y);

    /// <summary><c>TensorPrimitives.CosineSimilarity(x, y)</c>; records nothing.</summary>
    public static T CosineSimilarity_Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Tape tape, Span<T> dX, Span<T> dY) =>
        TensorPrimitives.CosineSimilarity(x, y);

    /// <summary>
    /// With c the similarity: dx += r (y / (‖x‖ ‖y‖) − c x / ‖x‖²), dy += r (x / (‖x‖ ‖y‖) − c y / ‖y‖²). NaN when a
    /// norm is 0, as the similarity itself is.
    /// </summary>
    public static void CosineSimilarity_Reverse(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Tape tape, T resultAdjoint, Span<T> dX, Span<T> dY)
    {
        if (resultAdjoint == T.Zero)
        {
            return;   // a dead result: nothing flows back, not even 0 · ∞ as NaN
        }

        T xx = TensorPrimitives.SumOfSquares(x);
        T yy = TensorPrimitives.SumOfSquares(y);
        T xy = TensorPrimitives.Dot(x, y);
        T normProduct = T.Sqrt(xx) * T.Sqrt(yy);
        T cross = resultAdjoint / normProduct;
        T similarity = xy / normProduct;
        AddProductInto(dX, y, cross);
        AddProductInto(dX, x, -resultAdjoint * similarity / xx);
        AddProductInto(dY, x, cross);
        AddProductInto(dY, y, -resultAdjoint * similarity / yy);
    }

    /// <summary><c>TensorPrimitives.Max(x)</c>: the largest element.</summary>
    public static T Max(ReadOnlySpan<T> x) => TensorPrimitives.Max(x);

    /// <summary><c>TensorPrimitives.Max(x)</c>; records nothing.</summary>
    public static T Max_Forward(ReadOnlySpan<T> x, Tape tape, Span<T> dX) => TensorPrimitives.Max(x);

    /// <summary>
    /// dx[i] += r at i = <c>TensorPrimitives.IndexOfMax(x)</c>, the first largest element (the first NaN when there is
    /// one: Max is then NaN too).
    /// </summary>
    public static void Max_Reverse(ReadOnlySpan<T> x, Tape tape, T resultAdjoint, Span<T> dX)
    {
        if (resultAdjoint == T.Zero)
        {
            return;   // a dead result: nothing flows back, not even 0 · ∞ as NaN
        }

        int index = TensorPrimitives.IndexOfMax(x);
        if (index >= 0 && !dX.IsEmpty)
        {
            dX[index] += resultAdjoint;
        }
    }

    /// <summary><c>TensorPrimitives.Min(x)</c>: the smallest element.</summary>
    public static T Min(ReadOnlySpan<T> x) => TensorPrimitives.Min(x);

    /// <summary><c>TensorPrimitives.Min(x)</c>; records nothing.</summary>
    public static T Min_Forward(ReadOnlySpan<T> x, Tape tape, Span<T> dX) => TensorPrimitives.Min(x);

    /// <summary>
    /// dx[i] += r at i = <c>TensorPrimitives.IndexOfMin(x)</c>, the first smallest element (the first NaN when there is
    /// one: Min is then NaN too).
    /// </summary>
    public static void Min_Reverse(ReadOnlySpan<T> x, Tape tape, T resultAdjoint, Span<T> dX)
    {
        if (resultAdjoint == T.Zero)
        {
            return;   // a dead result: nothing flows back, not even 0 · ∞ as NaN
        }

        int index = TensorPrimitives.IndexOfMin(x);
        if (index >= 0 && !dX.IsEmpty)
        {
            dX[index] += resultAdjoint;
        }
    }
}
