using System;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace SourceDiff.CompilerServices;

// Reductions: no destination, so the forward sweeps record nothing and the reverse sweeps recompute what they need from
// the inputs (which hold their forward values again by then). r is the adjoint of the result; r = 0 sends nothing back,
// not even 0 · ∞ as NaN. The primal and forward values are MathNet's own (x.DotProduct(y), x.Sum(), x.L2Norm()), so
// they agree bit for bit with the user's call.
public static partial class MathNetKernels<T>
{
    /// <summary><c>x.DotProduct(y)</c> (MathNet's <c>x * y</c>).</summary>
    public static T DotProduct(Vector<T> x, Vector<T> y)
    {
        CheckDotProduct(x, y);
        return x.DotProduct(y);
    }

    /// <summary><c>x.DotProduct(y)</c>; records nothing.</summary>
    public static T DotProduct_Forward(Vector<T> x, Vector<T> y, Tape tape, Vector<T>? dX, Vector<T>? dY) => DotProduct(x, y);

    /// <summary>dx += r y, dy += r x (x and y may be one vector, and dx and dy one adjoint).</summary>
    public static void DotProduct_Reverse(Vector<T> x, Vector<T> y, Tape tape, T resultAdjoint, Vector<T>? dX, Vector<T>? dY)
    {
        CheckDotProduct(x, y);
        T[]? dx = AdjointData(dX, nameof(dX), x.Count);
        T[]? dy = AdjointData(dY, nameof(dY), y.Count);
        if (resultAdjoint == T.Zero)
        {
            return;
        }

        AddScaled(dx, Data(y, nameof(y)), resultAdjoint);
        AddScaled(dy, Data(x, nameof(x)), resultAdjoint);
    }

    private static void CheckDotProduct(Vector<T> x, Vector<T> y)
    {
        Data(x, nameof(x));
        Data(y, nameof(y));
        RequireCount(y, nameof(y), x.Count, "x's count");
    }

    /// <summary><c>x.Sum()</c>.</summary>
    public static T Sum(Vector<T> x)
    {
        Data(x, nameof(x));
        return x.Sum();
    }

    /// <summary><c>x.Sum()</c>; records nothing.</summary>
    public static T Sum_Forward(Vector<T> x, Tape tape, Vector<T>? dX) => Sum(x);

    /// <summary>dx += r.</summary>
    public static void Sum_Reverse(Vector<T> x, Tape tape, T resultAdjoint, Vector<T>? dX)
    {
        Data(x, nameof(x));
        T[]? dx = AdjointData(dX, nameof(dX), x.Count);
        if (resultAdjoint != T.Zero && dx is not null)
        {
            TensorPrimitives.Add(dx, resultAdjoint, dx);
        }
    }

    /// <summary>
    /// <c>x.L2Norm()</c>, ‖x‖₂. MathNet returns <see cref="double"/> for every element type, so the result and its adjoint
    /// are doubles here too.
    /// </summary>
    public static double L2Norm(Vector<T> x)
    {
        Data(x, nameof(x));
        return x.L2Norm();
    }

    /// <summary><c>x.L2Norm()</c>; records nothing.</summary>
    public static double L2Norm_Forward(Vector<T> x, Tape tape, Vector<T>? dX) => L2Norm(x);

    /// <summary>dx += r x / ‖x‖, nothing when ‖x‖ = 0 (the subgradient 0 at the kink, as TensorKernels' Norm).</summary>
    public static void L2Norm_Reverse(Vector<T> x, Tape tape, double resultAdjoint, Vector<T>? dX)
    {
        T[] data = Data(x, nameof(x));
        T[]? dx = AdjointData(dX, nameof(dX), x.Count);
        if (resultAdjoint == 0 || dx is null)
        {
            return;
        }

        double norm = x.L2Norm();
        if (norm != 0)
        {
            AddScaled(dx, data, T.CreateTruncating(resultAdjoint / norm));
        }
    }

    /// <summary><c>adjoint += values · scale</c>; nothing for a null adjoint.</summary>
    private static void AddScaled(T[]? adjoint, ReadOnlySpan<T> values, T scale)
    {
        if (adjoint is not null)
        {
            TensorPrimitives.MultiplyAdd(values, scale, adjoint, adjoint);
        }
    }
}
