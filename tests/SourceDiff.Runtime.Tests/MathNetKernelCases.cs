using System;
using System.Collections.Generic;
using System.Linq;

using MathNet.Numerics.LinearAlgebra;
using SourceDiff.CompilerServices;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// The arguments of one <see cref="MathNetKernels{T}"/> call: its vectors, matrices and spans (in parameter order, the
/// destination last), its scalars and its ints, and an adjoint per tensor (null: none) and per scalar.
/// </summary>
public sealed class MathNetCall<T>
    where T : struct, System.Numerics.IFloatingPointIeee754<T>
{
    public MathNetCall(object[] tensors, T[] scalars, int[] ints, object?[] adjoints, T[] scalarAdjoints)
    {
        Tensors = tensors;
        Scalars = scalars;
        Ints = ints;
        Adjoints = adjoints;
        ScalarAdjoints = scalarAdjoints;
    }

    public object[] Tensors { get; }

    public T[] Scalars { get; }

    public int[] Ints { get; }

    public object?[] Adjoints { get; }

    public T[] ScalarAdjoints { get; }

    public Vector<T> V(int i) => (Vector<T>)Tensors[i];

    public Matrix<T> M(int i) => (Matrix<T>)Tensors[i];

    public T[] S(int i) => (T[])Tensors[i];

    public T Scalar(int j) => Scalars[j];

    public int I(int j) => Ints[j];

    public Vector<T>? DV(int i) => (Vector<T>?)Adjoints[i];

    public Matrix<T>? DM(int i) => (Matrix<T>?)Adjoints[i];

    public Span<T> DS(int i) => (T[]?)Adjoints[i];

    public ref T DT(int j) => ref ScalarAdjoints[j];
}

/// <summary>
/// One <see cref="MathNetKernels{T}"/> overload: its name with its parameters' kinds (<c>Multiply(m,v,V)</c>: m a matrix,
/// v a vector, s a span, t a scalar, i an int read; V or M the destination), the shapes of its tensors and where their
/// random values come from, and its three sweeps.
/// </summary>
public sealed class MathNetKernelCase<T>
    where T : struct, System.Numerics.IFloatingPointIeee754<T>
{
    public delegate double PrimalCall(MathNetCall<T> call);

    public delegate double ForwardCall(MathNetCall<T> call, Tape tape);

    public delegate void ReverseCall(MathNetCall<T> call, Tape tape, T resultAdjoint);

    public MathNetKernelCase(string name, string shapes, string domains, PrimalCall primal, ForwardCall forward, ReverseCall reverse)
    {
        Name = name;
        Kinds = name[(name.IndexOf('(') + 1)..^1].Split(',').Select(k => k[0]).ToArray();
        Shapes = shapes.Split(',');
        Domains = domains;
        Primal = primal;
        Forward = forward;
        Reverse = reverse;
    }

    public string Name { get; }

    /// <summary>Per parameter: v m s t i V M.</summary>
    public char[] Kinds { get; }

    /// <summary>
    /// Per tensor (vector, matrix or span), its shape in the letters of <see cref="MathNetDims"/>: one letter for a vector's
    /// length (n = r c), two for a matrix's rows and columns.
    /// </summary>
    public string[] Shapes { get; }

    /// <summary>
    /// Per tensor and scalar in order: <c>a</c> [-2, 2], <c>p</c> [0.5, 2], <c>z</c> ±[0.5, 2] (away from a kink or a pole at
    /// 0), <c>-</c> the destination.
    /// </summary>
    public string Domains { get; }

    public PrimalCall Primal { get; }

    public ForwardCall Forward { get; }

    public ReverseCall Reverse { get; }

    /// <summary>Moves random inputs away from the ties of Maximum and Minimum.</summary>
    public Action<T[][], T[]>? Separate { get; init; }

    /// <summary>The ints of a call of the given dimensions (a row or column index).</summary>
    public Func<MathNetDims, int[]> Ints { get; init; } = _ => Array.Empty<int>();

    public bool IsReduction => !Kinds.Contains('V') && !Kinds.Contains('M');

    /// <summary>The kinds of the tensors alone, in order.</summary>
    public char[] TensorKinds => Kinds.Where(k => k is not ('t' or 'i')).ToArray();

    public int TensorCount => TensorKinds.Length;

    public int ScalarCount => Kinds.Count(k => k == 't');

    /// <summary>The destination's index among the tensors (the last), or -1 for a reduction.</summary>
    public int Destination => IsReduction ? -1 : TensorCount - 1;

    public override string ToString() => Name;
}

/// <summary>The dimensions a case's shapes are drawn from.</summary>
public readonly record struct MathNetDims(int R, int C, int K)
{
    public int N => R * C;

    public int Of(char letter) => letter switch { 'r' => R, 'c' => C, 'k' => K, 'n' => N, _ => throw new ArgumentOutOfRangeException(nameof(letter)) };
}

/// <summary>Every <see cref="MathNetKernels{T}"/> overload, for one element type.</summary>
public static class MathNetKernelTable<T>
    where T : struct, System.Numerics.IFloatingPointIeee754<T>
{
    public static readonly IReadOnlyList<MathNetKernelCase<T>> All = Build();

    public static MathNetKernelCase<T> Get(string name) => All.Single(c => c.Name == name);

    private static MathNetKernelCase<T> E(string name, string shapes, string domains, Action<MathNetCall<T>> primal,
        Action<MathNetCall<T>, Tape> forward, MathNetKernelCase<T>.ReverseCall reverse, Action<T[][], T[]>? separate = null,
        Func<MathNetDims, int[]>? ints = null) =>
        new(name, shapes, domains, c =>
            {
                primal(c);
                return 0;
            },
            (c, tape) =>
            {
                forward(c, tape);
                return 0;
            },
            reverse)
        {
            Separate = separate,
            Ints = ints ?? (_ => Array.Empty<int>()),
        };

    private static MathNetKernelCase<T> R(string name, string shapes, string domains, MathNetKernelCase<T>.PrimalCall primal,
        MathNetKernelCase<T>.ForwardCall forward, MathNetKernelCase<T>.ReverseCall reverse) =>
        new(name, shapes, domains, primal, forward, reverse);

    private static double D(T value) => double.CreateTruncating(value);

    /// <summary>x[k] moved to y[k] ± 0.5 where they are closer than 0.25.</summary>
    private static void SeparateTensors(T[][] s, T[] t) => SeparateFrom(s[0], k => s[1][k]);

    private static void SeparateScalar(T[][] s, T[] t) => SeparateFrom(s[0], _ => t[0]);

    private static void SeparateFrom(T[] x, Func<int, T> y)
    {
        T quarter = T.CreateTruncating(0.25), half = T.CreateTruncating(0.5);
        for (int k = 0; k < x.Length; k++)
        {
            if (T.Abs(x[k] - y(k)) < quarter)
            {
                x[k] = y(k) + (k % 2 == 0 ? half : -half);
            }
        }
    }

    private static List<MathNetKernelCase<T>> Build() => new()
    {
        E("Add(v,v,V)", "n,n,n", "aa-",
            c => MathNetKernels<T>.Add(c.V(0), c.V(1), c.V(2)),
            (c, tape) => MathNetKernels<T>.Add_Forward(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2)),
            (c, tape, r) => MathNetKernels<T>.Add_Reverse(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2))),
        E("Add(v,t,V)", "n,n", "aa-",
            c => MathNetKernels<T>.Add(c.V(0), c.Scalar(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.Add_Forward(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.Add_Reverse(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), ref c.DT(0), c.DV(1))),
        E("Subtract(v,v,V)", "n,n,n", "aa-",
            c => MathNetKernels<T>.Subtract(c.V(0), c.V(1), c.V(2)),
            (c, tape) => MathNetKernels<T>.Subtract_Forward(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2)),
            (c, tape, r) => MathNetKernels<T>.Subtract_Reverse(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2))),
        E("Subtract(v,t,V)", "n,n", "aa-",
            c => MathNetKernels<T>.Subtract(c.V(0), c.Scalar(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.Subtract_Forward(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.Subtract_Reverse(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), ref c.DT(0), c.DV(1))),
        E("Subtract(t,v,V)", "n,n", "aa-",
            c => MathNetKernels<T>.Subtract(c.Scalar(0), c.V(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.Subtract_Forward(c.Scalar(0), c.V(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.Subtract_Reverse(c.Scalar(0), c.V(0), c.V(1), tape, ref c.DT(0), c.DV(0), c.DV(1))),
        E("Multiply(v,t,V)", "n,n", "aa-",
            c => MathNetKernels<T>.Multiply(c.V(0), c.Scalar(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.Multiply_Forward(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.Multiply_Reverse(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), ref c.DT(0), c.DV(1))),
        E("Divide(v,t,V)", "n,n", "az-",
            c => MathNetKernels<T>.Divide(c.V(0), c.Scalar(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.Divide_Forward(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.Divide_Reverse(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), ref c.DT(0), c.DV(1))),
        E("Divide(t,v,V)", "n,n", "az-",
            c => MathNetKernels<T>.Divide(c.Scalar(0), c.V(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.Divide_Forward(c.Scalar(0), c.V(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.Divide_Reverse(c.Scalar(0), c.V(0), c.V(1), tape, ref c.DT(0), c.DV(0), c.DV(1))),
        E("Negate(v,V)", "n,n", "a-",
            c => MathNetKernels<T>.Negate(c.V(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.Negate_Forward(c.V(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.Negate_Reverse(c.V(0), c.V(1), tape, c.DV(0), c.DV(1))),
        E("PointwiseMultiply(v,v,V)", "n,n,n", "aa-",
            c => MathNetKernels<T>.PointwiseMultiply(c.V(0), c.V(1), c.V(2)),
            (c, tape) => MathNetKernels<T>.PointwiseMultiply_Forward(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2)),
            (c, tape, r) => MathNetKernels<T>.PointwiseMultiply_Reverse(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2))),
        E("PointwiseDivide(v,v,V)", "n,n,n", "az-",
            c => MathNetKernels<T>.PointwiseDivide(c.V(0), c.V(1), c.V(2)),
            (c, tape) => MathNetKernels<T>.PointwiseDivide_Forward(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2)),
            (c, tape, r) => MathNetKernels<T>.PointwiseDivide_Reverse(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2))),
        E("PointwiseExp(v,V)", "n,n", "a-",
            c => MathNetKernels<T>.PointwiseExp(c.V(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.PointwiseExp_Forward(c.V(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseExp_Reverse(c.V(0), c.V(1), tape, c.DV(0), c.DV(1))),
        E("PointwiseLog(v,V)", "n,n", "p-",
            c => MathNetKernels<T>.PointwiseLog(c.V(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.PointwiseLog_Forward(c.V(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseLog_Reverse(c.V(0), c.V(1), tape, c.DV(0), c.DV(1))),
        E("PointwiseTanh(v,V)", "n,n", "a-",
            c => MathNetKernels<T>.PointwiseTanh(c.V(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.PointwiseTanh_Forward(c.V(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseTanh_Reverse(c.V(0), c.V(1), tape, c.DV(0), c.DV(1))),
        E("PointwiseAbs(v,V)", "n,n", "z-",
            c => MathNetKernels<T>.PointwiseAbs(c.V(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.PointwiseAbs_Forward(c.V(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseAbs_Reverse(c.V(0), c.V(1), tape, c.DV(0), c.DV(1))),
        E("PointwiseSqrt(v,V)", "n,n", "p-",
            c => MathNetKernels<T>.PointwiseSqrt(c.V(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.PointwiseSqrt_Forward(c.V(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseSqrt_Reverse(c.V(0), c.V(1), tape, c.DV(0), c.DV(1))),
        E("PointwiseMaximum(v,t,V)", "n,n", "aa-",
            c => MathNetKernels<T>.PointwiseMaximum(c.V(0), c.Scalar(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.PointwiseMaximum_Forward(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseMaximum_Reverse(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), ref c.DT(0), c.DV(1)), separate: SeparateScalar),
        E("PointwiseMaximum(v,v,V)", "n,n,n", "aa-",
            c => MathNetKernels<T>.PointwiseMaximum(c.V(0), c.V(1), c.V(2)),
            (c, tape) => MathNetKernels<T>.PointwiseMaximum_Forward(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2)),
            (c, tape, r) => MathNetKernels<T>.PointwiseMaximum_Reverse(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2)), separate: SeparateTensors),
        E("PointwiseMinimum(v,t,V)", "n,n", "aa-",
            c => MathNetKernels<T>.PointwiseMinimum(c.V(0), c.Scalar(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.PointwiseMinimum_Forward(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseMinimum_Reverse(c.V(0), c.Scalar(0), c.V(1), tape, c.DV(0), ref c.DT(0), c.DV(1)), separate: SeparateScalar),
        E("PointwiseMinimum(v,v,V)", "n,n,n", "aa-",
            c => MathNetKernels<T>.PointwiseMinimum(c.V(0), c.V(1), c.V(2)),
            (c, tape) => MathNetKernels<T>.PointwiseMinimum_Forward(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2)),
            (c, tape, r) => MathNetKernels<T>.PointwiseMinimum_Reverse(c.V(0), c.V(1), c.V(2), tape, c.DV(0), c.DV(1), c.DV(2)), separate: SeparateTensors),
        E("Copy(v,V)", "n,n", "a-",
            c => MathNetKernels<T>.Copy(c.V(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.Copy_Forward(c.V(0), c.V(1), tape, c.DV(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.Copy_Reverse(c.V(0), c.V(1), tape, c.DV(0), c.DV(1))),
        E("Add(m,m,M)", "rc,rc,rc", "aa-",
            c => MathNetKernels<T>.Add(c.M(0), c.M(1), c.M(2)),
            (c, tape) => MathNetKernels<T>.Add_Forward(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)),
            (c, tape, r) => MathNetKernels<T>.Add_Reverse(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2))),
        E("Add(m,t,M)", "rc,rc", "aa-",
            c => MathNetKernels<T>.Add(c.M(0), c.Scalar(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.Add_Forward(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.Add_Reverse(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), ref c.DT(0), c.DM(1))),
        E("Subtract(m,m,M)", "rc,rc,rc", "aa-",
            c => MathNetKernels<T>.Subtract(c.M(0), c.M(1), c.M(2)),
            (c, tape) => MathNetKernels<T>.Subtract_Forward(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)),
            (c, tape, r) => MathNetKernels<T>.Subtract_Reverse(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2))),
        E("Subtract(m,t,M)", "rc,rc", "aa-",
            c => MathNetKernels<T>.Subtract(c.M(0), c.Scalar(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.Subtract_Forward(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.Subtract_Reverse(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), ref c.DT(0), c.DM(1))),
        E("Subtract(t,m,M)", "rc,rc", "aa-",
            c => MathNetKernels<T>.Subtract(c.Scalar(0), c.M(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.Subtract_Forward(c.Scalar(0), c.M(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.Subtract_Reverse(c.Scalar(0), c.M(0), c.M(1), tape, ref c.DT(0), c.DM(0), c.DM(1))),
        E("Multiply(m,t,M)", "rc,rc", "aa-",
            c => MathNetKernels<T>.Multiply(c.M(0), c.Scalar(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.Multiply_Forward(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.Multiply_Reverse(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), ref c.DT(0), c.DM(1))),
        E("Divide(m,t,M)", "rc,rc", "az-",
            c => MathNetKernels<T>.Divide(c.M(0), c.Scalar(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.Divide_Forward(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.Divide_Reverse(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), ref c.DT(0), c.DM(1))),
        E("Divide(t,m,M)", "rc,rc", "az-",
            c => MathNetKernels<T>.Divide(c.Scalar(0), c.M(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.Divide_Forward(c.Scalar(0), c.M(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.Divide_Reverse(c.Scalar(0), c.M(0), c.M(1), tape, ref c.DT(0), c.DM(0), c.DM(1))),
        E("Negate(m,M)", "rc,rc", "a-",
            c => MathNetKernels<T>.Negate(c.M(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.Negate_Forward(c.M(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.Negate_Reverse(c.M(0), c.M(1), tape, c.DM(0), c.DM(1))),
        E("PointwiseMultiply(m,m,M)", "rc,rc,rc", "aa-",
            c => MathNetKernels<T>.PointwiseMultiply(c.M(0), c.M(1), c.M(2)),
            (c, tape) => MathNetKernels<T>.PointwiseMultiply_Forward(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)),
            (c, tape, r) => MathNetKernels<T>.PointwiseMultiply_Reverse(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2))),
        E("PointwiseDivide(m,m,M)", "rc,rc,rc", "az-",
            c => MathNetKernels<T>.PointwiseDivide(c.M(0), c.M(1), c.M(2)),
            (c, tape) => MathNetKernels<T>.PointwiseDivide_Forward(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)),
            (c, tape, r) => MathNetKernels<T>.PointwiseDivide_Reverse(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2))),
        E("PointwiseExp(m,M)", "rc,rc", "a-",
            c => MathNetKernels<T>.PointwiseExp(c.M(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.PointwiseExp_Forward(c.M(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseExp_Reverse(c.M(0), c.M(1), tape, c.DM(0), c.DM(1))),
        E("PointwiseLog(m,M)", "rc,rc", "p-",
            c => MathNetKernels<T>.PointwiseLog(c.M(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.PointwiseLog_Forward(c.M(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseLog_Reverse(c.M(0), c.M(1), tape, c.DM(0), c.DM(1))),
        E("PointwiseTanh(m,M)", "rc,rc", "a-",
            c => MathNetKernels<T>.PointwiseTanh(c.M(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.PointwiseTanh_Forward(c.M(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseTanh_Reverse(c.M(0), c.M(1), tape, c.DM(0), c.DM(1))),
        E("PointwiseAbs(m,M)", "rc,rc", "z-",
            c => MathNetKernels<T>.PointwiseAbs(c.M(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.PointwiseAbs_Forward(c.M(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseAbs_Reverse(c.M(0), c.M(1), tape, c.DM(0), c.DM(1))),
        E("PointwiseSqrt(m,M)", "rc,rc", "p-",
            c => MathNetKernels<T>.PointwiseSqrt(c.M(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.PointwiseSqrt_Forward(c.M(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseSqrt_Reverse(c.M(0), c.M(1), tape, c.DM(0), c.DM(1))),
        E("PointwiseMaximum(m,t,M)", "rc,rc", "aa-",
            c => MathNetKernels<T>.PointwiseMaximum(c.M(0), c.Scalar(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.PointwiseMaximum_Forward(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseMaximum_Reverse(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), ref c.DT(0), c.DM(1)), separate: SeparateScalar),
        E("PointwiseMaximum(m,m,M)", "rc,rc,rc", "aa-",
            c => MathNetKernels<T>.PointwiseMaximum(c.M(0), c.M(1), c.M(2)),
            (c, tape) => MathNetKernels<T>.PointwiseMaximum_Forward(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)),
            (c, tape, r) => MathNetKernels<T>.PointwiseMaximum_Reverse(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)), separate: SeparateTensors),
        E("PointwiseMinimum(m,t,M)", "rc,rc", "aa-",
            c => MathNetKernels<T>.PointwiseMinimum(c.M(0), c.Scalar(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.PointwiseMinimum_Forward(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.PointwiseMinimum_Reverse(c.M(0), c.Scalar(0), c.M(1), tape, c.DM(0), ref c.DT(0), c.DM(1)), separate: SeparateScalar),
        E("PointwiseMinimum(m,m,M)", "rc,rc,rc", "aa-",
            c => MathNetKernels<T>.PointwiseMinimum(c.M(0), c.M(1), c.M(2)),
            (c, tape) => MathNetKernels<T>.PointwiseMinimum_Forward(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)),
            (c, tape, r) => MathNetKernels<T>.PointwiseMinimum_Reverse(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)), separate: SeparateTensors),
        E("Copy(m,M)", "rc,rc", "a-",
            c => MathNetKernels<T>.Copy(c.M(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.Copy_Forward(c.M(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.Copy_Reverse(c.M(0), c.M(1), tape, c.DM(0), c.DM(1))),
        E("Multiply(m,v,V)", "rc,c,r", "aa-",
            c => MathNetKernels<T>.Multiply(c.M(0), c.V(1), c.V(2)),
            (c, tape) => MathNetKernels<T>.Multiply_Forward(c.M(0), c.V(1), c.V(2), tape, c.DM(0), c.DV(1), c.DV(2)),
            (c, tape, r) => MathNetKernels<T>.Multiply_Reverse(c.M(0), c.V(1), c.V(2), tape, c.DM(0), c.DV(1), c.DV(2))),
        E("Multiply(v,m,V)", "r,rc,c", "aa-",
            c => MathNetKernels<T>.Multiply(c.V(0), c.M(1), c.V(2)),
            (c, tape) => MathNetKernels<T>.Multiply_Forward(c.V(0), c.M(1), c.V(2), tape, c.DV(0), c.DM(1), c.DV(2)),
            (c, tape, r) => MathNetKernels<T>.Multiply_Reverse(c.V(0), c.M(1), c.V(2), tape, c.DV(0), c.DM(1), c.DV(2))),
        E("TransposeThisAndMultiply(m,v,V)", "rc,r,c", "aa-",
            c => MathNetKernels<T>.TransposeThisAndMultiply(c.M(0), c.V(1), c.V(2)),
            (c, tape) => MathNetKernels<T>.TransposeThisAndMultiply_Forward(c.M(0), c.V(1), c.V(2), tape, c.DM(0), c.DV(1), c.DV(2)),
            (c, tape, r) => MathNetKernels<T>.TransposeThisAndMultiply_Reverse(c.M(0), c.V(1), c.V(2), tape, c.DM(0), c.DV(1), c.DV(2))),
        E("Multiply(m,m,M)", "rk,kc,rc", "aa-",
            c => MathNetKernels<T>.Multiply(c.M(0), c.M(1), c.M(2)),
            (c, tape) => MathNetKernels<T>.Multiply_Forward(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)),
            (c, tape, r) => MathNetKernels<T>.Multiply_Reverse(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2))),
        E("TransposeThisAndMultiply(m,m,M)", "kr,kc,rc", "aa-",
            c => MathNetKernels<T>.TransposeThisAndMultiply(c.M(0), c.M(1), c.M(2)),
            (c, tape) => MathNetKernels<T>.TransposeThisAndMultiply_Forward(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)),
            (c, tape, r) => MathNetKernels<T>.TransposeThisAndMultiply_Reverse(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2))),
        E("TransposeAndMultiply(m,m,M)", "rk,ck,rc", "aa-",
            c => MathNetKernels<T>.TransposeAndMultiply(c.M(0), c.M(1), c.M(2)),
            (c, tape) => MathNetKernels<T>.TransposeAndMultiply_Forward(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2)),
            (c, tape, r) => MathNetKernels<T>.TransposeAndMultiply_Reverse(c.M(0), c.M(1), c.M(2), tape, c.DM(0), c.DM(1), c.DM(2))),
        E("Transpose(m,M)", "rc,cr", "a-",
            c => MathNetKernels<T>.Transpose(c.M(0), c.M(1)),
            (c, tape) => MathNetKernels<T>.Transpose_Forward(c.M(0), c.M(1), tape, c.DM(0), c.DM(1)),
            (c, tape, r) => MathNetKernels<T>.Transpose_Reverse(c.M(0), c.M(1), tape, c.DM(0), c.DM(1))),
        E("OuterProduct(v,v,M)", "r,c,rc", "aa-",
            c => MathNetKernels<T>.OuterProduct(c.V(0), c.V(1), c.M(2)),
            (c, tape) => MathNetKernels<T>.OuterProduct_Forward(c.V(0), c.V(1), c.M(2), tape, c.DV(0), c.DV(1), c.DM(2)),
            (c, tape, r) => MathNetKernels<T>.OuterProduct_Reverse(c.V(0), c.V(1), c.M(2), tape, c.DV(0), c.DV(1), c.DM(2))),
        E("Row(m,i,V)", "rc,c", "a-",
            c => MathNetKernels<T>.Row(c.M(0), c.I(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.Row_Forward(c.M(0), c.I(0), c.V(1), tape, c.DM(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.Row_Reverse(c.M(0), c.I(0), c.V(1), tape, c.DM(0), c.DV(1)),
            ints: d => new[] { d.R / 2 }),
        E("Column(m,i,V)", "rc,r", "a-",
            c => MathNetKernels<T>.Column(c.M(0), c.I(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.Column_Forward(c.M(0), c.I(0), c.V(1), tape, c.DM(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.Column_Reverse(c.M(0), c.I(0), c.V(1), tape, c.DM(0), c.DV(1)),
            ints: d => new[] { d.C - 1 }),
        E("DenseOfArray(s,V)", "n,n", "a-",
            c => MathNetKernels<T>.DenseOfArray(c.S(0), c.V(1)),
            (c, tape) => MathNetKernels<T>.DenseOfArray_Forward(c.S(0), c.V(1), tape, c.DS(0), c.DV(1)),
            (c, tape, r) => MathNetKernels<T>.DenseOfArray_Reverse(c.S(0), c.V(1), tape, c.DS(0), c.DV(1))),
        R("DotProduct(v,v)", "n,n", "aa",
            c => D(MathNetKernels<T>.DotProduct(c.V(0), c.V(1))),
            (c, tape) => D(MathNetKernels<T>.DotProduct_Forward(c.V(0), c.V(1), tape, c.DV(0), c.DV(1))),
            (c, tape, r) => MathNetKernels<T>.DotProduct_Reverse(c.V(0), c.V(1), tape, r, c.DV(0), c.DV(1))),
        R("Sum(v)", "n", "a",
            c => D(MathNetKernels<T>.Sum(c.V(0))),
            (c, tape) => D(MathNetKernels<T>.Sum_Forward(c.V(0), tape, c.DV(0))),
            (c, tape, r) => MathNetKernels<T>.Sum_Reverse(c.V(0), tape, r, c.DV(0))),
        R("L2Norm(v)", "n", "z",
            c => MathNetKernels<T>.L2Norm(c.V(0)),
            (c, tape) => MathNetKernels<T>.L2Norm_Forward(c.V(0), tape, c.DV(0)),
            (c, tape, r) => MathNetKernels<T>.L2Norm_Reverse(c.V(0), tape, D(r), c.DV(0))),
    };
}
