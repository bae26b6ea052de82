using System;
using MathNet.Numerics.LinearAlgebra;

namespace SourceDiff.CompilerServices;

// Element-wise operations on vectors and matrices. The primal and forward sweeps run MathNet's own in-place overload
// (x.PointwiseTanh(destination)), so the values agree bit for bit with the user's primal (TensorPrimitives' vectorized
// tanh, exp and log differ from MathNet's in the last bits). The reverse sweeps use the dense backing arrays (a matrix's
// column-major): the same shape everywhere, so they line up element for element and TensorKernels<T> does the work,
// with its care for in-place calls, dead elements (0 · ∞) and pooled scratch. Every overload follows one pattern, and the
// vector and matrix overloads differ only in their types. Adjoints that are null become empty spans, TensorKernels' "no
// derivative".
public static partial class MathNetKernels<T>
{
    // ---- Vector<T> ----

    /// <summary><c>x.Add(y, destination)</c>: <c>destination = x + y</c>.</summary>
    public static void Add(Vector<T> x, Vector<T> y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Add(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Add(y, destination)</c>.</summary>
    public static void Add_Forward(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Add(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Add_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Add_Reverse(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Add_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.Add(y, destination)</c>: <c>destination = x + y</c>.</summary>
    public static void Add(Vector<T> x, T y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Add(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Add(y, destination)</c>.</summary>
    public static void Add_Forward(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Add(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Add_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Add_Reverse(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, ref T dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Add_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.Subtract(y, destination)</c>: <c>destination = x − y</c>.</summary>
    public static void Subtract(Vector<T> x, Vector<T> y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Subtract(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Subtract(y, destination)</c>.</summary>
    public static void Subtract_Forward(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Subtract(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Subtract_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Subtract_Reverse(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Subtract_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.Subtract(y, destination)</c>: <c>destination = x − y</c>.</summary>
    public static void Subtract(Vector<T> x, T y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Subtract(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Subtract(y, destination)</c>.</summary>
    public static void Subtract_Forward(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Subtract(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Subtract_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Subtract_Reverse(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, ref T dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Subtract_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>y.SubtractFrom(x, destination)</c>: <c>destination = x − y</c>.</summary>
    public static void Subtract(T x, Vector<T> y, Vector<T> destination)
    {
        In(y, nameof(y));
        Like(destination, nameof(destination), y, nameof(y));
        y.SubtractFrom(x, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>y.SubtractFrom(x, destination)</c>.</summary>
    public static void Subtract_Forward(T x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dY, Vector<T>? dDestination)
    {
        In(y, nameof(y));
        tape.PushRange<T>(Like(destination, nameof(destination), y, nameof(y)));
        y.SubtractFrom(x, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Subtract_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Subtract_Reverse(T x, Vector<T> y, Vector<T> destination, Tape tape, ref T dX, Vector<T>? dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Subtract_Reverse(x, In(y, nameof(y)), Like(destination, nameof(destination), y, nameof(y)), tape, ref dX, Adjoint(dY, nameof(dY), y), Adjoint(dDestination, nameof(dDestination), y));

    /// <summary><c>x.Multiply(y, destination)</c>: <c>destination = x y (also y x)</c>.</summary>
    public static void Multiply(Vector<T> x, T y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Multiply(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Multiply(y, destination)</c>.</summary>
    public static void Multiply_Forward(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Multiply(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Multiply_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Multiply_Reverse(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, ref T dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Multiply_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.Divide(y, destination)</c>: <c>destination = x / y</c>.</summary>
    public static void Divide(Vector<T> x, T y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Divide(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Divide(y, destination)</c>.</summary>
    public static void Divide_Forward(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Divide(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Divide_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Divide_Reverse(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, ref T dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Divide_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>y.DivideByThis(x, destination)</c>: <c>destination = x / y, element-wise</c>.</summary>
    public static void Divide(T x, Vector<T> y, Vector<T> destination)
    {
        In(y, nameof(y));
        Like(destination, nameof(destination), y, nameof(y));
        y.DivideByThis(x, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>y.DivideByThis(x, destination)</c>.</summary>
    public static void Divide_Forward(T x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dY, Vector<T>? dDestination)
    {
        In(y, nameof(y));
        tape.PushRange<T>(Like(destination, nameof(destination), y, nameof(y)));
        y.DivideByThis(x, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Divide_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Divide_Reverse(T x, Vector<T> y, Vector<T> destination, Tape tape, ref T dX, Vector<T>? dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Divide_Reverse(x, In(y, nameof(y)), Like(destination, nameof(destination), y, nameof(y)), tape, ref dX, Adjoint(dY, nameof(dY), y), Adjoint(dDestination, nameof(dDestination), y));

    /// <summary><c>x.Negate(destination)</c>: <c>destination = −x</c>.</summary>
    public static void Negate(Vector<T> x, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Negate(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Negate(destination)</c>.</summary>
    public static void Negate_Forward(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Negate(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Negate_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Negate_Reverse(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination) =>
        TensorKernels<T>.Negate_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseMultiply(y, destination)</c>: <c>destination = x ⊙ y</c>.</summary>
    public static void PointwiseMultiply(Vector<T> x, Vector<T> y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseMultiply(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseMultiply(y, destination)</c>.</summary>
    public static void PointwiseMultiply_Forward(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseMultiply(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Multiply_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseMultiply_Reverse(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Multiply_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseDivide(y, destination)</c>: <c>destination = x ⊘ y</c>.</summary>
    public static void PointwiseDivide(Vector<T> x, Vector<T> y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseDivide(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseDivide(y, destination)</c>.</summary>
    public static void PointwiseDivide_Forward(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseDivide(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Divide_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseDivide_Reverse(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Divide_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseExp(destination)</c>: <c>destination = exp x</c>.</summary>
    public static void PointwiseExp(Vector<T> x, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseExp(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseExp(destination)</c>.</summary>
    public static void PointwiseExp_Forward(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseExp(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Exp_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseExp_Reverse(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination) =>
        TensorKernels<T>.Exp_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseLog(destination)</c>: <c>destination = log x</c>.</summary>
    public static void PointwiseLog(Vector<T> x, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseLog(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseLog(destination)</c>.</summary>
    public static void PointwiseLog_Forward(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseLog(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Log_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseLog_Reverse(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination) =>
        TensorKernels<T>.Log_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseTanh(destination)</c>: <c>destination = tanh x</c>.</summary>
    public static void PointwiseTanh(Vector<T> x, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseTanh(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseTanh(destination)</c>.</summary>
    public static void PointwiseTanh_Forward(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseTanh(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Tanh_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseTanh_Reverse(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination) =>
        TensorKernels<T>.Tanh_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseAbs(destination)</c>: <c>destination = |x| (subgradient 0 at 0)</c>.</summary>
    public static void PointwiseAbs(Vector<T> x, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseAbs(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseAbs(destination)</c>.</summary>
    public static void PointwiseAbs_Forward(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseAbs(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Abs_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseAbs_Reverse(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination) =>
        TensorKernels<T>.Abs_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseSqrt(destination)</c>: <c>destination = √x</c>.</summary>
    public static void PointwiseSqrt(Vector<T> x, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseSqrt(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseSqrt(destination)</c>.</summary>
    public static void PointwiseSqrt_Forward(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseSqrt(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Sqrt_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseSqrt_Reverse(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination) =>
        TensorKernels<T>.Sqrt_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseMaximum(y, destination)</c>: <c>destination = max(x, y), x winning ties</c>.</summary>
    public static void PointwiseMaximum(Vector<T> x, T y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseMaximum(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseMaximum(y, destination)</c>.</summary>
    public static void PointwiseMaximum_Forward(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseMaximum(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Max_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseMaximum_Reverse(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, ref T dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Max_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseMaximum(y, destination)</c>: <c>destination = max(x, y), x winning ties</c>.</summary>
    public static void PointwiseMaximum(Vector<T> x, Vector<T> y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseMaximum(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseMaximum(y, destination)</c>.</summary>
    public static void PointwiseMaximum_Forward(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseMaximum(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Max_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseMaximum_Reverse(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Max_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseMinimum(y, destination)</c>: <c>destination = min(x, y), x winning ties</c>.</summary>
    public static void PointwiseMinimum(Vector<T> x, T y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseMinimum(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseMinimum(y, destination)</c>.</summary>
    public static void PointwiseMinimum_Forward(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseMinimum(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Min_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseMinimum_Reverse(Vector<T> x, T y, Vector<T> destination, Tape tape, Vector<T>? dX, ref T dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Min_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseMinimum(y, destination)</c>: <c>destination = min(x, y), x winning ties</c>.</summary>
    public static void PointwiseMinimum(Vector<T> x, Vector<T> y, Vector<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseMinimum(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseMinimum(y, destination)</c>.</summary>
    public static void PointwiseMinimum_Forward(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseMinimum(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Min_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseMinimum_Reverse(Vector<T> x, Vector<T> y, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dY, Vector<T>? dDestination) =>
        TensorKernels<T>.Min_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.CopyTo(destination)</c>: <c>destination = x</c>.</summary>
    public static void Copy(Vector<T> x, Vector<T> destination) =>
        In(x, nameof(x)).CopyTo(Like(destination, nameof(destination), x, nameof(x)));

    /// <summary>Records the destination's old contents, then runs <c>x.CopyTo(destination)</c>.</summary>
    public static void Copy_Forward(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination) =>
        CopyForward(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape);

    /// <summary>dx += g; zeroes the destination's adjoint g and restores the destination.</summary>
    public static void Copy_Reverse(Vector<T> x, Vector<T> destination, Tape tape, Vector<T>? dX, Vector<T>? dDestination) =>
        CopyReverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary>The dense backing array of <paramref name="x"/>, the vector whose shape the others must have.</summary>
    private static Span<T> In(Vector<T> x, string name) => Data(x, name);

    /// <summary>The dense backing array of <paramref name="x"/>, after checking it has <paramref name="like"/>'s shape.</summary>
    private static Span<T> Like(Vector<T> x, string name, Vector<T> like, string likeName)
    {
        T[] data = Data(x, name);
        if (x.Count != like.Count)
        {
            throw new ArgumentException($"{name} has {x.Count} elements; {likeName} has {like.Count}, and an element-wise operation needs one shape.", name);
        }

        return data;
    }

    /// <summary>An adjoint's backing array, checked against <paramref name="like"/>'s shape; empty for null (no derivative).</summary>
    private static Span<T> Adjoint(Vector<T>? adjoint, string name, Vector<T> like) =>
        AdjointData(adjoint, name, like.Count);

    // ---- Matrix<T> ----

    /// <summary><c>x.Add(y, destination)</c>: <c>destination = x + y</c>.</summary>
    public static void Add(Matrix<T> x, Matrix<T> y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Add(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Add(y, destination)</c>.</summary>
    public static void Add_Forward(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Add(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Add_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Add_Reverse(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Add_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.Add(y, destination)</c>: <c>destination = x + y</c>.</summary>
    public static void Add(Matrix<T> x, T y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Add(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Add(y, destination)</c>.</summary>
    public static void Add_Forward(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Add(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Add_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Add_Reverse(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, ref T dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Add_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.Subtract(y, destination)</c>: <c>destination = x − y</c>.</summary>
    public static void Subtract(Matrix<T> x, Matrix<T> y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Subtract(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Subtract(y, destination)</c>.</summary>
    public static void Subtract_Forward(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Subtract(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Subtract_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Subtract_Reverse(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Subtract_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.Subtract(y, destination)</c>: <c>destination = x − y</c>.</summary>
    public static void Subtract(Matrix<T> x, T y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Subtract(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Subtract(y, destination)</c>.</summary>
    public static void Subtract_Forward(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Subtract(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Subtract_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Subtract_Reverse(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, ref T dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Subtract_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>y.SubtractFrom(x, destination)</c>: <c>destination = x − y</c>.</summary>
    public static void Subtract(T x, Matrix<T> y, Matrix<T> destination)
    {
        In(y, nameof(y));
        Like(destination, nameof(destination), y, nameof(y));
        y.SubtractFrom(x, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>y.SubtractFrom(x, destination)</c>.</summary>
    public static void Subtract_Forward(T x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dY, Matrix<T>? dDestination)
    {
        In(y, nameof(y));
        tape.PushRange<T>(Like(destination, nameof(destination), y, nameof(y)));
        y.SubtractFrom(x, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Subtract_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Subtract_Reverse(T x, Matrix<T> y, Matrix<T> destination, Tape tape, ref T dX, Matrix<T>? dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Subtract_Reverse(x, In(y, nameof(y)), Like(destination, nameof(destination), y, nameof(y)), tape, ref dX, Adjoint(dY, nameof(dY), y), Adjoint(dDestination, nameof(dDestination), y));

    /// <summary><c>x.Multiply(y, destination)</c>: <c>destination = x y (also y x)</c>.</summary>
    public static void Multiply(Matrix<T> x, T y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Multiply(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Multiply(y, destination)</c>.</summary>
    public static void Multiply_Forward(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Multiply(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Multiply_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Multiply_Reverse(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, ref T dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Multiply_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.Divide(y, destination)</c>: <c>destination = x / y</c>.</summary>
    public static void Divide(Matrix<T> x, T y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Divide(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Divide(y, destination)</c>.</summary>
    public static void Divide_Forward(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Divide(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Divide_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Divide_Reverse(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, ref T dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Divide_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>y.DivideByThis(x, destination)</c>: <c>destination = x / y, element-wise</c>.</summary>
    public static void Divide(T x, Matrix<T> y, Matrix<T> destination)
    {
        In(y, nameof(y));
        Like(destination, nameof(destination), y, nameof(y));
        y.DivideByThis(x, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>y.DivideByThis(x, destination)</c>.</summary>
    public static void Divide_Forward(T x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dY, Matrix<T>? dDestination)
    {
        In(y, nameof(y));
        tape.PushRange<T>(Like(destination, nameof(destination), y, nameof(y)));
        y.DivideByThis(x, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Divide_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Divide_Reverse(T x, Matrix<T> y, Matrix<T> destination, Tape tape, ref T dX, Matrix<T>? dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Divide_Reverse(x, In(y, nameof(y)), Like(destination, nameof(destination), y, nameof(y)), tape, ref dX, Adjoint(dY, nameof(dY), y), Adjoint(dDestination, nameof(dDestination), y));

    /// <summary><c>x.Negate(destination)</c>: <c>destination = −x</c>.</summary>
    public static void Negate(Matrix<T> x, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.Negate(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.Negate(destination)</c>.</summary>
    public static void Negate_Forward(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.Negate(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Negate_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void Negate_Reverse(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination) =>
        TensorKernels<T>.Negate_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseMultiply(y, destination)</c>: <c>destination = x ⊙ y</c>.</summary>
    public static void PointwiseMultiply(Matrix<T> x, Matrix<T> y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseMultiply(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseMultiply(y, destination)</c>.</summary>
    public static void PointwiseMultiply_Forward(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseMultiply(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Multiply_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseMultiply_Reverse(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Multiply_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseDivide(y, destination)</c>: <c>destination = x ⊘ y</c>.</summary>
    public static void PointwiseDivide(Matrix<T> x, Matrix<T> y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseDivide(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseDivide(y, destination)</c>.</summary>
    public static void PointwiseDivide_Forward(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseDivide(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Divide_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseDivide_Reverse(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Divide_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseExp(destination)</c>: <c>destination = exp x</c>.</summary>
    public static void PointwiseExp(Matrix<T> x, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseExp(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseExp(destination)</c>.</summary>
    public static void PointwiseExp_Forward(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseExp(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Exp_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseExp_Reverse(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination) =>
        TensorKernels<T>.Exp_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseLog(destination)</c>: <c>destination = log x</c>.</summary>
    public static void PointwiseLog(Matrix<T> x, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseLog(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseLog(destination)</c>.</summary>
    public static void PointwiseLog_Forward(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseLog(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Log_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseLog_Reverse(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination) =>
        TensorKernels<T>.Log_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseTanh(destination)</c>: <c>destination = tanh x</c>.</summary>
    public static void PointwiseTanh(Matrix<T> x, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseTanh(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseTanh(destination)</c>.</summary>
    public static void PointwiseTanh_Forward(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseTanh(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Tanh_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseTanh_Reverse(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination) =>
        TensorKernels<T>.Tanh_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseAbs(destination)</c>: <c>destination = |x| (subgradient 0 at 0)</c>.</summary>
    public static void PointwiseAbs(Matrix<T> x, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseAbs(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseAbs(destination)</c>.</summary>
    public static void PointwiseAbs_Forward(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseAbs(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Abs_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseAbs_Reverse(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination) =>
        TensorKernels<T>.Abs_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseSqrt(destination)</c>: <c>destination = √x</c>.</summary>
    public static void PointwiseSqrt(Matrix<T> x, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseSqrt(destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseSqrt(destination)</c>.</summary>
    public static void PointwiseSqrt_Forward(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseSqrt(destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Sqrt_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseSqrt_Reverse(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination) =>
        TensorKernels<T>.Sqrt_Reverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseMaximum(y, destination)</c>: <c>destination = max(x, y), x winning ties</c>.</summary>
    public static void PointwiseMaximum(Matrix<T> x, T y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseMaximum(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseMaximum(y, destination)</c>.</summary>
    public static void PointwiseMaximum_Forward(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseMaximum(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Max_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseMaximum_Reverse(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, ref T dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Max_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseMaximum(y, destination)</c>: <c>destination = max(x, y), x winning ties</c>.</summary>
    public static void PointwiseMaximum(Matrix<T> x, Matrix<T> y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseMaximum(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseMaximum(y, destination)</c>.</summary>
    public static void PointwiseMaximum_Forward(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseMaximum(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Max_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseMaximum_Reverse(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Max_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseMinimum(y, destination)</c>: <c>destination = min(x, y), x winning ties</c>.</summary>
    public static void PointwiseMinimum(Matrix<T> x, T y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseMinimum(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseMinimum(y, destination)</c>.</summary>
    public static void PointwiseMinimum_Forward(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseMinimum(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Min_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseMinimum_Reverse(Matrix<T> x, T y, Matrix<T> destination, Tape tape, Matrix<T>? dX, ref T dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Min_Reverse(In(x, nameof(x)), y, Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), ref dY, Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.PointwiseMinimum(y, destination)</c>: <c>destination = min(x, y), x winning ties</c>.</summary>
    public static void PointwiseMinimum(Matrix<T> x, Matrix<T> y, Matrix<T> destination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        Like(destination, nameof(destination), x, nameof(x));
        x.PointwiseMinimum(y, destination);
    }

    /// <summary>Records the destination's old contents, then runs <c>x.PointwiseMinimum(y, destination)</c>.</summary>
    public static void PointwiseMinimum_Forward(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination)
    {
        In(x, nameof(x));
        Like(y, nameof(y), x, nameof(x));
        tape.PushRange<T>(Like(destination, nameof(destination), x, nameof(x)));
        x.PointwiseMinimum(y, destination);
    }

    /// <summary>Adds the inputs' contributions to their adjoints (see <c>TensorKernels&lt;T&gt;.Min_Reverse</c>); zeroes the destination's adjoint and restores it.</summary>
    public static void PointwiseMinimum_Reverse(Matrix<T> x, Matrix<T> y, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dY, Matrix<T>? dDestination) =>
        TensorKernels<T>.Min_Reverse(In(x, nameof(x)), Like(y, nameof(y), x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dY, nameof(dY), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary><c>x.CopyTo(destination)</c>: <c>destination = x</c>.</summary>
    public static void Copy(Matrix<T> x, Matrix<T> destination) =>
        In(x, nameof(x)).CopyTo(Like(destination, nameof(destination), x, nameof(x)));

    /// <summary>Records the destination's old contents, then runs <c>x.CopyTo(destination)</c>.</summary>
    public static void Copy_Forward(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination) =>
        CopyForward(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape);

    /// <summary>dx += g; zeroes the destination's adjoint g and restores the destination.</summary>
    public static void Copy_Reverse(Matrix<T> x, Matrix<T> destination, Tape tape, Matrix<T>? dX, Matrix<T>? dDestination) =>
        CopyReverse(In(x, nameof(x)), Like(destination, nameof(destination), x, nameof(x)), tape, Adjoint(dX, nameof(dX), x), Adjoint(dDestination, nameof(dDestination), x));

    /// <summary>The dense backing array of <paramref name="x"/>, the matrix whose shape the others must have.</summary>
    private static Span<T> In(Matrix<T> x, string name) => Data(x, name);

    /// <summary>The dense backing array of <paramref name="x"/>, after checking it has <paramref name="like"/>'s shape.</summary>
    private static Span<T> Like(Matrix<T> x, string name, Matrix<T> like, string likeName)
    {
        T[] data = Data(x, name);
        if (x.RowCount != like.RowCount || x.ColumnCount != like.ColumnCount)
        {
            throw new ArgumentException($"{name} is {x.RowCount}×{x.ColumnCount}; {likeName} is {like.RowCount}×{like.ColumnCount}, and an element-wise operation needs one shape.", name);
        }

        return data;
    }

    /// <summary>An adjoint's backing array, checked against <paramref name="like"/>'s shape; empty for null (no derivative).</summary>
    private static Span<T> Adjoint(Matrix<T>? adjoint, string name, Matrix<T> like) =>
        AdjointData(adjoint, name, like.RowCount, like.ColumnCount);

    /// <summary>Records the destination's old contents, then copies.</summary>
    private static void CopyForward(ReadOnlySpan<T> x, Span<T> destination, Tape tape)
    {
        tape.PushRange<T>(destination);
        x.CopyTo(destination);
    }

    /// <summary>dx += g; zeroes g and restores the destination (x may be the destination, and dx its adjoint).</summary>
    private static void CopyReverse(ReadOnlySpan<T> x, Span<T> destination, Tape tape, Span<T> dX, Span<T> dDestination)
    {
        using Lease g = TakeAdjoint(dDestination, destination.Length, VectorShape);
        tape.PopRange(destination);
        if (!g.IsEmpty && !dX.IsEmpty)
        {
            AddInto(dX, g.Data);
        }
    }
}
