using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using SourceDiff.CompilerServices;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// One <see cref="TensorKernels{T}"/> overload, called through arrays so that a test can alias them freely: the span
/// arguments in order (for an element-wise operation the destination last), then the scalar arguments in order.
/// </summary>
public sealed class TensorKernelCase<T>
    where T : IFloatingPointIeee754<T>
{
    public delegate T PrimalCall(T[][] spans, T[] scalars);

    public delegate T ForwardCall(T[][] spans, T[] scalars, Tape tape, T[][] spanAdjoints);

    public delegate void ReverseCall(T[][] spans, T[] scalars, Tape tape, T resultAdjoint, T[][] spanAdjoints, T[] scalarAdjoints);

    public TensorKernelCase(string name, string shape, string domains, PrimalCall primal, ForwardCall forward, ReverseCall reverse)
    {
        Name = name;
        Shape = shape;
        Domains = domains;
        Primal = primal;
        Forward = forward;
        Reverse = reverse;
    }

    /// <summary>Like <c>Multiply(s, t, d)</c>: s a span read, t a scalar, d the destination.</summary>
    public string Name { get; }

    /// <summary>The parameters' kinds, <c>"std"</c>.</summary>
    public string Shape { get; }

    /// <summary>
    /// Per parameter, where its random values come from: <c>a</c> [-2, 2], <c>p</c> [0.5, 2], <c>z</c> ±[0.5, 2] (away from a
    /// kink or a pole at 0), <c>-</c> the destination.
    /// </summary>
    public string Domains { get; }

    public PrimalCall Primal { get; }

    public ForwardCall Forward { get; }

    public ReverseCall Reverse { get; }

    /// <summary>Moves random inputs away from the non-smooth points of Max, Min and Distance (ties).</summary>
    public Action<T[][], T[]>? Separate { get; init; }

    public bool IsReduction => !Shape.Contains('d');

    public int SpanCount => Shape.Count(c => c != 't');

    public int ScalarCount => Shape.Count(c => c == 't');

    public int InputSpanCount => Shape.Count(c => c == 's');

    /// <summary>The destination's index among the spans (the last one), or -1 for a reduction.</summary>
    public int Destination => IsReduction ? -1 : SpanCount - 1;

    public override string ToString() => Name;
}

/// <summary>Every supported overload, for one element type.</summary>
public static class TensorKernelTable<T>
    where T : IFloatingPointIeee754<T>
{
    public static readonly IReadOnlyList<TensorKernelCase<T>> All = Build();

    public static TensorKernelCase<T> Get(string name) => All.Single(c => c.Name == name);

    private static TensorKernelCase<T> E(string name, string shape, string domains, Action<T[][], T[]> primal,
        Action<T[][], T[], Tape, T[][]> forward, TensorKernelCase<T>.ReverseCall reverse, Action<T[][], T[]>? separate = null) =>
        new(name, shape, domains, (s, t) =>
            {
                primal(s, t);
                return T.Zero;
            },
            (s, t, tape, d) =>
            {
                forward(s, t, tape, d);
                return T.Zero;
            },
            reverse)
        {
            Separate = separate,
        };

    private static TensorKernelCase<T> R(string name, string shape, string domains, TensorKernelCase<T>.PrimalCall primal,
        TensorKernelCase<T>.ForwardCall forward, TensorKernelCase<T>.ReverseCall reverse, Action<T[][], T[]>? separate = null) =>
        new(name, shape, domains, primal, forward, reverse) { Separate = separate };

    /// <summary>x[k] moved to y[k] ± 0.5 where they are closer than 0.25.</summary>
    private static void SeparateSpans(T[][] s, T[] t) => SeparateFrom(s[0], k => s[1][k]);

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

    /// <summary>The largest (smallest) element made larger (smaller) by 0.5, so that no other is within a step of it.</summary>
    private static void SeparateExtreme(T[] x, bool largest)
    {
        int at = 0;
        for (int k = 1; k < x.Length; k++)
        {
            if (largest ? x[k] > x[at] : x[k] < x[at])
            {
                at = k;
            }
        }

        x[at] += largest ? T.CreateTruncating(0.5) : T.CreateTruncating(-0.5);
    }

    private static List<TensorKernelCase<T>> Build() => new()
    {
        E("Add(s,s,d)", "ssd", "aa-",
            (s, t) => TensorKernels<T>.Add(s[0], s[1], s[2]),
            (s, t, tape, d) => TensorKernels<T>.Add_Forward(s[0], s[1], s[2], tape, d[0], d[1], d[2]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Add_Reverse(s[0], s[1], s[2], tape, d[0], d[1], d[2])),
        E("Add(s,t,d)", "std", "aa-",
            (s, t) => TensorKernels<T>.Add(s[0], t[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Add_Forward(s[0], t[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Add_Reverse(s[0], t[0], s[1], tape, d[0], ref dt[0], d[1])),
        E("Subtract(s,s,d)", "ssd", "aa-",
            (s, t) => TensorKernels<T>.Subtract(s[0], s[1], s[2]),
            (s, t, tape, d) => TensorKernels<T>.Subtract_Forward(s[0], s[1], s[2], tape, d[0], d[1], d[2]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Subtract_Reverse(s[0], s[1], s[2], tape, d[0], d[1], d[2])),
        E("Subtract(s,t,d)", "std", "aa-",
            (s, t) => TensorKernels<T>.Subtract(s[0], t[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Subtract_Forward(s[0], t[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Subtract_Reverse(s[0], t[0], s[1], tape, d[0], ref dt[0], d[1])),
        E("Subtract(t,s,d)", "tsd", "aa-",
            (s, t) => TensorKernels<T>.Subtract(t[0], s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Subtract_Forward(t[0], s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Subtract_Reverse(t[0], s[0], s[1], tape, ref dt[0], d[0], d[1])),
        E("Multiply(s,s,d)", "ssd", "aa-",
            (s, t) => TensorKernels<T>.Multiply(s[0], s[1], s[2]),
            (s, t, tape, d) => TensorKernels<T>.Multiply_Forward(s[0], s[1], s[2], tape, d[0], d[1], d[2]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Multiply_Reverse(s[0], s[1], s[2], tape, d[0], d[1], d[2])),
        E("Multiply(s,t,d)", "std", "aa-",
            (s, t) => TensorKernels<T>.Multiply(s[0], t[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Multiply_Forward(s[0], t[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Multiply_Reverse(s[0], t[0], s[1], tape, d[0], ref dt[0], d[1])),
        E("Divide(s,s,d)", "ssd", "az-",
            (s, t) => TensorKernels<T>.Divide(s[0], s[1], s[2]),
            (s, t, tape, d) => TensorKernels<T>.Divide_Forward(s[0], s[1], s[2], tape, d[0], d[1], d[2]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Divide_Reverse(s[0], s[1], s[2], tape, d[0], d[1], d[2])),
        E("Divide(s,t,d)", "std", "az-",
            (s, t) => TensorKernels<T>.Divide(s[0], t[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Divide_Forward(s[0], t[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Divide_Reverse(s[0], t[0], s[1], tape, d[0], ref dt[0], d[1])),
        E("Divide(t,s,d)", "tsd", "az-",
            (s, t) => TensorKernels<T>.Divide(t[0], s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Divide_Forward(t[0], s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Divide_Reverse(t[0], s[0], s[1], tape, ref dt[0], d[0], d[1])),
        E("MultiplyAdd(s,s,s,d)", "sssd", "aaa-",
            (s, t) => TensorKernels<T>.MultiplyAdd(s[0], s[1], s[2], s[3]),
            (s, t, tape, d) => TensorKernels<T>.MultiplyAdd_Forward(s[0], s[1], s[2], s[3], tape, d[0], d[1], d[2], d[3]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.MultiplyAdd_Reverse(s[0], s[1], s[2], s[3], tape, d[0], d[1], d[2], d[3])),
        E("MultiplyAdd(s,s,t,d)", "sstd", "aaa-",
            (s, t) => TensorKernels<T>.MultiplyAdd(s[0], s[1], t[0], s[2]),
            (s, t, tape, d) => TensorKernels<T>.MultiplyAdd_Forward(s[0], s[1], t[0], s[2], tape, d[0], d[1], d[2]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.MultiplyAdd_Reverse(s[0], s[1], t[0], s[2], tape, d[0], d[1], ref dt[0], d[2])),
        E("MultiplyAdd(s,t,s,d)", "stsd", "aaa-",
            (s, t) => TensorKernels<T>.MultiplyAdd(s[0], t[0], s[1], s[2]),
            (s, t, tape, d) => TensorKernels<T>.MultiplyAdd_Forward(s[0], t[0], s[1], s[2], tape, d[0], d[1], d[2]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.MultiplyAdd_Reverse(s[0], t[0], s[1], s[2], tape, d[0], ref dt[0], d[1], d[2])),
        E("AddMultiply(s,s,s,d)", "sssd", "aaa-",
            (s, t) => TensorKernels<T>.AddMultiply(s[0], s[1], s[2], s[3]),
            (s, t, tape, d) => TensorKernels<T>.AddMultiply_Forward(s[0], s[1], s[2], s[3], tape, d[0], d[1], d[2], d[3]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.AddMultiply_Reverse(s[0], s[1], s[2], s[3], tape, d[0], d[1], d[2], d[3])),
        E("AddMultiply(s,s,t,d)", "sstd", "aaa-",
            (s, t) => TensorKernels<T>.AddMultiply(s[0], s[1], t[0], s[2]),
            (s, t, tape, d) => TensorKernels<T>.AddMultiply_Forward(s[0], s[1], t[0], s[2], tape, d[0], d[1], d[2]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.AddMultiply_Reverse(s[0], s[1], t[0], s[2], tape, d[0], d[1], ref dt[0], d[2])),
        E("AddMultiply(s,t,s,d)", "stsd", "aaa-",
            (s, t) => TensorKernels<T>.AddMultiply(s[0], t[0], s[1], s[2]),
            (s, t, tape, d) => TensorKernels<T>.AddMultiply_Forward(s[0], t[0], s[1], s[2], tape, d[0], d[1], d[2]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.AddMultiply_Reverse(s[0], t[0], s[1], s[2], tape, d[0], ref dt[0], d[1], d[2])),
        E("Negate(s,d)", "sd", "a-",
            (s, t) => TensorKernels<T>.Negate(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Negate_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Negate_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Abs(s,d)", "sd", "z-",
            (s, t) => TensorKernels<T>.Abs(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Abs_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Abs_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Exp(s,d)", "sd", "a-",
            (s, t) => TensorKernels<T>.Exp(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Exp_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Exp_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Log(s,d)", "sd", "p-",
            (s, t) => TensorKernels<T>.Log(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Log_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Log_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Sqrt(s,d)", "sd", "p-",
            (s, t) => TensorKernels<T>.Sqrt(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Sqrt_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Sqrt_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Tanh(s,d)", "sd", "a-",
            (s, t) => TensorKernels<T>.Tanh(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Tanh_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Tanh_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Sigmoid(s,d)", "sd", "a-",
            (s, t) => TensorKernels<T>.Sigmoid(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Sigmoid_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Sigmoid_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("SoftMax(s,d)", "sd", "a-",
            (s, t) => TensorKernels<T>.SoftMax(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.SoftMax_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.SoftMax_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Sinh(s,d)", "sd", "a-",
            (s, t) => TensorKernels<T>.Sinh(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Sinh_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Sinh_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Cosh(s,d)", "sd", "a-",
            (s, t) => TensorKernels<T>.Cosh(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Cosh_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Cosh_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Sin(s,d)", "sd", "a-",
            (s, t) => TensorKernels<T>.Sin(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Sin_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Sin_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Cos(s,d)", "sd", "a-",
            (s, t) => TensorKernels<T>.Cos(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Cos_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Cos_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Reciprocal(s,d)", "sd", "z-",
            (s, t) => TensorKernels<T>.Reciprocal(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Reciprocal_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Reciprocal_Reverse(s[0], s[1], tape, d[0], d[1])),
        E("Max(s,s,d)", "ssd", "aa-",
            (s, t) => TensorKernels<T>.Max(s[0], s[1], s[2]),
            (s, t, tape, d) => TensorKernels<T>.Max_Forward(s[0], s[1], s[2], tape, d[0], d[1], d[2]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Max_Reverse(s[0], s[1], s[2], tape, d[0], d[1], d[2]), SeparateSpans),
        E("Max(s,t,d)", "std", "aa-",
            (s, t) => TensorKernels<T>.Max(s[0], t[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Max_Forward(s[0], t[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Max_Reverse(s[0], t[0], s[1], tape, d[0], ref dt[0], d[1]), SeparateScalar),
        E("Min(s,s,d)", "ssd", "aa-",
            (s, t) => TensorKernels<T>.Min(s[0], s[1], s[2]),
            (s, t, tape, d) => TensorKernels<T>.Min_Forward(s[0], s[1], s[2], tape, d[0], d[1], d[2]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Min_Reverse(s[0], s[1], s[2], tape, d[0], d[1], d[2]), SeparateSpans),
        E("Min(s,t,d)", "std", "aa-",
            (s, t) => TensorKernels<T>.Min(s[0], t[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Min_Forward(s[0], t[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Min_Reverse(s[0], t[0], s[1], tape, d[0], ref dt[0], d[1]), SeparateScalar),
        R("Sum(s)", "s", "a",
            (s, t) => TensorKernels<T>.Sum(s[0]),
            (s, t, tape, d) => TensorKernels<T>.Sum_Forward(s[0], tape, d[0]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Sum_Reverse(s[0], tape, r, d[0])),
        R("SumOfSquares(s)", "s", "a",
            (s, t) => TensorKernels<T>.SumOfSquares(s[0]),
            (s, t, tape, d) => TensorKernels<T>.SumOfSquares_Forward(s[0], tape, d[0]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.SumOfSquares_Reverse(s[0], tape, r, d[0])),
        R("SumOfMagnitudes(s)", "s", "z",
            (s, t) => TensorKernels<T>.SumOfMagnitudes(s[0]),
            (s, t, tape, d) => TensorKernels<T>.SumOfMagnitudes_Forward(s[0], tape, d[0]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.SumOfMagnitudes_Reverse(s[0], tape, r, d[0])),
        R("Dot(s,s)", "ss", "aa",
            (s, t) => TensorKernels<T>.Dot(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Dot_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Dot_Reverse(s[0], s[1], tape, r, d[0], d[1])),
        R("Norm(s)", "s", "z",
            (s, t) => TensorKernels<T>.Norm(s[0]),
            (s, t, tape, d) => TensorKernels<T>.Norm_Forward(s[0], tape, d[0]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Norm_Reverse(s[0], tape, r, d[0])),
        R("Distance(s,s)", "ss", "aa",
            (s, t) => TensorKernels<T>.Distance(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.Distance_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Distance_Reverse(s[0], s[1], tape, r, d[0], d[1]), SeparateSpans),
        R("CosineSimilarity(s,s)", "ss", "zz",
            (s, t) => TensorKernels<T>.CosineSimilarity(s[0], s[1]),
            (s, t, tape, d) => TensorKernels<T>.CosineSimilarity_Forward(s[0], s[1], tape, d[0], d[1]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.CosineSimilarity_Reverse(s[0], s[1], tape, r, d[0], d[1])),
        R("Max(s)", "s", "a",
            (s, t) => TensorKernels<T>.Max(s[0]),
            (s, t, tape, d) => TensorKernels<T>.Max_Forward(s[0], tape, d[0]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Max_Reverse(s[0], tape, r, d[0]), (s, t) => SeparateExtreme(s[0], largest: true)),
        R("Min(s)", "s", "a",
            (s, t) => TensorKernels<T>.Min(s[0]),
            (s, t, tape, d) => TensorKernels<T>.Min_Forward(s[0], tape, d[0]),
            (s, t, tape, r, d, dt) => TensorKernels<T>.Min_Reverse(s[0], tape, r, d[0]), (s, t) => SeparateExtreme(s[0], largest: false)),
    };
}
