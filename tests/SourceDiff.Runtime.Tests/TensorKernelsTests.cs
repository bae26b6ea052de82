using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using SourceDiff.CompilerServices;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// Every <see cref="TensorKernels{T}"/> overload (the table in <see cref="TensorKernelTable{T}"/>), for double and float,
/// at lengths around the SIMD widths: its reverse sweep agrees with central differences of its primal, accumulates,
/// leaves the destination, its adjoint and the tape as they were, and gives the same adjoints in place, with adjoint
/// sinks longer than the data, and with one array passed for every input.
/// </summary>
public sealed class TensorKernelsTests
{
    public static IEnumerable<object[]> Kernels() => Rows(_ => true);

    public static IEnumerable<object[]> ElementwiseKernels() => Rows(c => !c.IsReduction);

    public static IEnumerable<object[]> KernelsOfSeveralSpans() => Rows(c => c.InputSpanCount >= 2);

    private static IEnumerable<object[]> Rows(Func<TensorKernelCase<double>, bool> which) =>
        from c in TensorKernelTable<double>.All
        where which(c)
        from type in new[] { "double", "float" }
        select new object[] { c.Name, type };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Reverse_matches_central_differences(string kernel, string type) =>
        On(type, () => Harness<double>.MatchesCentralDifferences(kernel, aliased: false), () => Harness<float>.MatchesCentralDifferences(kernel, aliased: false));

    [Theory]
    [MemberData(nameof(KernelsOfSeveralSpans))]
    public void One_array_for_every_input_matches_central_differences(string kernel, string type) =>
        On(type, () => Harness<double>.MatchesCentralDifferences(kernel, aliased: true), () => Harness<float>.MatchesCentralDifferences(kernel, aliased: true));

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Adjoints_accumulate(string kernel, string type) =>
        On(type, () => Harness<double>.Accumulates(kernel), () => Harness<float>.Accumulates(kernel));

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Forward_then_reverse_leaves_destination_its_adjoint_and_the_tape_as_they_were(string kernel, string type) =>
        On(type, () => Harness<double>.Restores(kernel), () => Harness<float>.Restores(kernel));

    [Theory]
    [MemberData(nameof(ElementwiseKernels))]
    public void In_place_gives_the_out_of_place_adjoints(string kernel, string type) =>
        On(type, () => Harness<double>.InPlace(kernel), () => Harness<float>.InPlace(kernel));

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Longer_and_shared_adjoint_sinks_are_accepted(string kernel, string type) =>
        On(type, () => Harness<double>.Sinks(kernel), () => Harness<float>.Sinks(kernel));

    [Fact]
    public void The_table_covers_every_kernel()
    {
        // Each primal named by its parameters' kinds, as the table names them: Multiply(s,t,d).
        var primals = typeof(TensorKernels<double>).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(m => !m.Name.Contains('_'))
            .Select(m => m.Name + "(" + string.Join(",", m.GetParameters().Select(p =>
                p.ParameterType == typeof(double) ? "t" : p.ParameterType == typeof(ReadOnlySpan<double>) ? "s" : "d")) + ")")
            .OrderBy(name => name, StringComparer.Ordinal);
        Assert.Equal(TensorKernelTable<double>.All.Select(c => c.Name).OrderBy(name => name, StringComparer.Ordinal), primals);
        Assert.Equal(42, TensorKernelTable<double>.All.Count);
    }

    [Fact]
    public void Soft_max_refuses_a_destination_longer_than_its_input()
    {
        double[] x = { 1, 2, 3 }, destination = { 9, 9, 9, 9 };
        Tape tape = Tape.Rent();
        try
        {
            Assert.Equal("destination", Assert.Throws<ArgumentException>(() => TensorKernels<double>.SoftMax(x, destination)).ParamName);
            Assert.Equal("destination", Assert.Throws<ArgumentException>(() => TensorKernels<double>.SoftMax_Forward(x, destination, tape, default, default)).ParamName);
            Assert.Equal(0, tape.Count);
            Assert.Equal(new double[] { 9, 9, 9, 9 }, destination);
        }
        finally
        {
            tape.Return();
        }
    }

    [Fact]
    public void Empty_adjoints_are_skipped_and_the_destination_still_restored()
    {
        double[] x = { 1, 2, 3 }, y = { 0.5, -1, 2 }, destination = { 7, 8, 9 }, dX = { 1, 1, 1 };
        Tape tape = Tape.Rent();
        try
        {
            TensorKernels<double>.Multiply_Forward(x, y, destination, tape, default, default, default);
            TensorKernels<double>.Multiply_Reverse(x, y, destination, tape, dX, default, default);
            Assert.Equal(new double[] { 7, 8, 9 }, destination);
            Assert.Equal(new double[] { 1, 1, 1 }, dX);
            Assert.Equal(0, tape.Count);

            double[] g = { 1, 2, 3 };
            TensorKernels<double>.Tanh_Forward(x, destination, tape, default, g);
            TensorKernels<double>.Tanh_Reverse(x, destination, tape, default, g);
            Assert.Equal(new double[] { 0, 0, 0 }, g);
            Assert.Equal(new double[] { 7, 8, 9 }, destination);
            TensorKernels<double>.Sum_Reverse(x, tape, 2.0, default);
            TensorKernels<double>.Max_Reverse(x, tape, 2.0, default);
            Assert.Equal(0, tape.Count);
        }
        finally
        {
            tape.Return();
        }
    }

    [Fact]
    public void Max_and_Min_give_a_tie_to_the_first_argument_and_ReLU_at_zero_to_x()
    {
        double[] x = { 1, -2, 0, 3 }, y = { 1, -2, 0, 3 }, g = { 1, 2, 3, 4 };
        foreach (bool max in new[] { true, false })
        {
            double[] d = new double[4], dX = new double[4], dY = new double[4];
            Tape tape = Tape.Rent();
            if (max)
            {
                TensorKernels<double>.Max_Forward(x, y, d, tape, dX, dY, g);
                TensorKernels<double>.Max_Reverse(x, y, d, tape, dX, dY, (double[])g.Clone());
            }
            else
            {
                TensorKernels<double>.Min_Forward(x, y, d, tape, dX, dY, g);
                TensorKernels<double>.Min_Reverse(x, y, d, tape, dX, dY, (double[])g.Clone());
            }

            tape.Return();
            Assert.Equal(g, dX);
            Assert.Equal(new double[4], dY);
        }

        // ReLU: Max(x, 0) at x = 0 (and at -0) passes the adjoint to x, as Math.Max(x, 0)'s x >= 0 does.
        double[] z = { 0.0, -0.0, -1, 2 }, relu = new double[4], dZ = new double[4];
        double dZero = 0;
        Tape t = Tape.Rent();
        TensorKernels<double>.Max_Forward(z, 0.0, relu, t, dZ, relu);
        TensorKernels<double>.Max_Reverse(z, 0.0, relu, t, dZ, ref dZero, new double[] { 5, 6, 7, 8 });
        t.Return();
        Assert.Equal(new double[] { 5, 6, 0, 8 }, dZ);
        Assert.Equal(7, dZero);
    }

    [Fact]
    public void Max_and_Min_of_a_span_give_the_adjoint_to_the_first_extreme()
    {
        double[] x = { 1, 4, -3, 4, -3 };
        double[] dX = new double[5];
        Tape tape = Tape.Rent();
        TensorKernels<double>.Max_Reverse(x, tape, 2, dX);
        TensorKernels<double>.Min_Reverse(x, tape, 5, dX);
        tape.Return();
        Assert.Equal(new double[] { 0, 2, 5, 0, 0 }, dX);
    }

    [Fact]
    public void A_NaN_under_Abs_does_not_throw_and_a_zero_adjoint_stays_zero()
    {
        // Found by the random programs: an overwritten NaN (its adjoint 0) made the reverse sweep throw like Math.Sign.
        double[] x = { double.NaN, -2 }, d = new double[2], dX = new double[2];
        Tape tape = Tape.Rent();
        TensorKernels<double>.Abs_Forward(x, d, tape, dX, d);
        TensorKernels<double>.Abs_Reverse(x, d, tape, dX, new double[] { 0, 1 });
        Assert.Equal(new double[] { 0, -1 }, dX);

        TensorKernels<double>.SumOfMagnitudes_Reverse(x, tape, 0, dX);
        Assert.Equal(new double[] { 0, -1 }, dX);
        tape.Return();
    }

    [Fact]
    public void A_zero_adjoint_sends_nothing_back_not_even_NaN_from_an_infinite_derivative()
    {
        // Scalar code skips a zero adjoint so that a dead overflow (0 · ∞) cannot turn a zero gradient into NaN.
        double[] zero = { 0, 0 }, y = { 1, 2 }, d = new double[2], dX = new double[2], dY = new double[2];
        Tape tape = Tape.Rent();
        TensorKernels<double>.Sqrt_Forward(zero, d, tape, dX, d);
        TensorKernels<double>.Sqrt_Reverse(zero, d, tape, dX, new double[2]);
        TensorKernels<double>.Log_Forward(zero, d, tape, dX, d);
        TensorKernels<double>.Log_Reverse(zero, d, tape, dX, new double[2]);
        TensorKernels<double>.Divide_Forward(y, zero, d, tape, dY, dX, d);
        TensorKernels<double>.Divide_Reverse(y, zero, d, tape, dY, dX, new double[2]);
        TensorKernels<double>.CosineSimilarity_Reverse(zero, y, tape, 0, dX, dY);
        TensorKernels<double>.Norm_Reverse(new[] { double.PositiveInfinity, 1 }, tape, 0, dX);
        TensorKernels<double>.SumOfSquares_Reverse(new[] { double.PositiveInfinity, 1 }, tape, 0, dX);
        Assert.Equal(new double[2], dX);
        Assert.Equal(new double[2], dY);
        Assert.Equal(0, tape.Count);
        tape.Return();
    }

    [Fact]
    public void A_dead_element_beside_live_ones_sends_nothing_back_where_its_derivative_is_infinite()
    {
        // Element by element, as scalar code: output adjoint [0, 1], derivative infinite at element 0.
        double[] x = { 0, 4 }, y = { 0, 2 }, one = { 1, 1 }, d = new double[2];
        Tape tape = Tape.Rent();
        foreach (string kernel in new[] { "Log", "Sqrt", "Reciprocal", "Divide", "DivideScalarFirst", "Multiply" })
        {
            double[] dX = new double[2], dY = new double[2];
            double[] g = { 0, 1 };
            double dS = 0;
            switch (kernel)
            {
                case "Log":
                    TensorKernels<double>.Log_Forward(x, d, tape, dX, d);
                    TensorKernels<double>.Log_Reverse(x, d, tape, dX, g);
                    Assert.Equal(new[] { 0, 0.25 }, dX);
                    break;
                case "Sqrt":
                    TensorKernels<double>.Sqrt_Forward(x, d, tape, dX, d);
                    TensorKernels<double>.Sqrt_Reverse(x, d, tape, dX, g);
                    Assert.Equal(new[] { 0, 0.25 }, dX);
                    break;
                case "Reciprocal":
                    TensorKernels<double>.Reciprocal_Forward(x, d, tape, dX, d);
                    TensorKernels<double>.Reciprocal_Reverse(x, d, tape, dX, g);
                    Assert.Equal(new[] { 0, -1.0 / 16 }, dX);
                    break;
                case "Divide":
                    TensorKernels<double>.Divide_Forward(one, y, d, tape, dX, dY, d);
                    TensorKernels<double>.Divide_Reverse(one, y, d, tape, dX, dY, g);
                    Assert.Equal(new[] { 0, 0.5 }, dX);
                    Assert.Equal(new[] { 0, -0.25 }, dY);
                    break;
                case "DivideScalarFirst":
                    TensorKernels<double>.Divide_Forward(1.0, y, d, tape, dY, d);
                    TensorKernels<double>.Divide_Reverse(1.0, y, d, tape, ref dS, dY, g);
                    Assert.Equal(new[] { 0, -0.25 }, dY);
                    break;
                case "Multiply":
                    double[] big = { double.PositiveInfinity, 3 };
                    TensorKernels<double>.Multiply_Forward(big, one, d, tape, dX, dY, d);
                    TensorKernels<double>.Multiply_Reverse(big, one, d, tape, dX, dY, g);
                    Assert.Equal(new[] { 0, 1.0 }, dX);
                    Assert.Equal(new[] { 0, 3.0 }, dY);
                    break;
            }

            Assert.Equal(0, tape.Count);
        }

        tape.Return();
    }

    [Fact]
    public void Kinks_at_zero_take_the_subgradient_zero()
    {
        float[] x = { 0, -0f, 2, -3 }, d = new float[4], dX = new float[4];
        Tape tape = Tape.Rent();
        TensorKernels<float>.Abs_Forward(x, d, tape, dX, d);
        TensorKernels<float>.Abs_Reverse(x, d, tape, dX, new float[] { 1, 1, 1, 1 });
        Assert.Equal(new float[] { 0, 0, 1, -1 }, dX);

        Array.Clear(dX);
        TensorKernels<float>.SumOfMagnitudes_Reverse(x, tape, 3, dX);
        Assert.Equal(new float[] { 0, 0, 3, -3 }, dX);

        float[] zero = new float[4], dZero = new float[4], dOther = new float[4];
        TensorKernels<float>.Norm_Reverse(zero, tape, 1, dZero);
        TensorKernels<float>.Distance_Reverse(x, x, tape, 1, dZero, dOther);
        Assert.Equal(new float[4], dZero);
        Assert.Equal(new float[4], dOther);
        tape.Return();
    }

    [Fact]
    public void Max_sends_the_adjoint_of_a_NaN_result_to_the_second_argument()
    {
        double[] x = { double.NaN, 1 }, y = { 0, double.NaN }, d = new double[2], dX = new double[2], dY = new double[2];
        Tape tape = Tape.Rent();
        TensorKernels<double>.Max_Forward(x, y, d, tape, dX, dY, d);
        Assert.True(double.IsNaN(d[0]) && double.IsNaN(d[1]));
        TensorKernels<double>.Max_Reverse(x, y, d, tape, dX, dY, new double[] { 1, 2 });
        tape.Return();
        Assert.Equal(new double[] { 0, 0 }, dX);
        Assert.Equal(new double[] { 1, 2 }, dY);
    }

    [Fact]
    public void A_short_destination_throws_the_operations_own_exception_after_recording_what_it_holds()
    {
        double[] x = new double[8], d = new double[5];
        Tape tape = Tape.Rent();
        Assert.Throws<ArgumentException>(() => TensorKernels<double>.Tanh_Forward(x, d, tape, x, d));
        Assert.Equal(5, tape.Count);
        tape.Return();
    }

    [Fact]
    public void Sweeps_allocate_nothing_once_warm()
    {
        var random = new Random(7);
        double[] x = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] y = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] d = new double[1000], dX = new double[1000], dY = new double[1000], dD = new double[1000];
        double dScalar = 0;

        void Step()
        {
            Tape tape = Tape.Rent();
            TensorKernels<double>.Tanh_Forward(x, d, tape, dX, dD);
            TensorKernels<double>.Max_Forward(d, y, d, tape, dX, dY, dD);
            TensorKernels<double>.Multiply_Forward(d, 2.0, d, tape, dX, dD);
            TensorKernels<double>.SumOfMagnitudes_Reverse(d, tape, 1, dD);
            TensorKernels<double>.Multiply_Reverse(d, 2.0, d, tape, dX, ref dScalar, dD);
            TensorKernels<double>.Max_Reverse(d, y, d, tape, dX, dY, dD);
            TensorKernels<double>.Tanh_Reverse(x, d, tape, dX, dD);
            tape.Return();
        }

        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Step();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void On(string type, Action onDouble, Action onFloat)
    {
        if (type == "double")
        {
            onDouble();
        }
        else
        {
            onFloat();
        }
    }

    /// <summary>The checks, for one element type.</summary>
    private static class Harness<T>
        where T : IFloatingPointIeee754<T>
    {
        private static readonly int[] Lengths = { 1, 7, 33 };

        private static readonly bool IsDouble = typeof(T) == typeof(double);

        // Central differences: the error is about step² (truncation) plus eps / step (rounding), so float takes a larger
        // step and a looser tolerance.
        private static readonly double Step = IsDouble ? 1e-6 : 1e-2;

        private static readonly double Tolerance = IsDouble ? 1e-6 : 3e-3;

        private static T Of(double value) => T.CreateTruncating(value);

        private static double D(T value) => double.CreateTruncating(value);

        private static T[] Draw(Random random, int length, char domain) =>
            Enumerable.Range(0, length).Select(_ => Draw(random, domain)).ToArray();

        private static T Draw(Random random, char domain)
        {
            double u = random.NextDouble();
            return Of(domain switch
            {
                'p' => 0.5 + 1.5 * u,
                'z' => (random.Next(2) == 0 ? -1 : 1) * (0.5 + 1.5 * u),
                _ => -2 + 4 * u,
            });
        }

        /// <summary>Random arguments: spans (the destination with random old contents) and scalars.</summary>
        private static (T[][] Spans, T[] Scalars) Arguments(TensorKernelCase<T> c, Random random, int n, bool aliased = false)
        {
            var spans = new List<T[]>();
            var scalars = new List<T>();
            // One array for every input: drawn from the narrowest domain among them.
            char shared = c.Domains.Contains('p') ? 'p' : c.Domains.Contains('z') ? 'z' : 'a';
            T[] one = Draw(random, n, shared);
            for (int i = 0; i < c.Shape.Length; i++)
            {
                switch (c.Shape[i])
                {
                    case 's':
                        spans.Add(aliased ? one : Draw(random, n, c.Domains[i]));
                        break;
                    case 'd':
                        spans.Add(Draw(random, n, 'a'));
                        break;
                    default:
                        scalars.Add(Draw(random, c.Domains[i]));
                        break;
                }
            }

            T[][] s = spans.ToArray();
            T[] t = scalars.ToArray();
            c.Separate?.Invoke(s, t);
            return (s, t);
        }

        private static T[][] Zeros(TensorKernelCase<T> c, int n) => Enumerable.Range(0, c.SpanCount).Select(_ => new T[n]).ToArray();

        /// <summary>A copy that keeps which arguments are one array.</summary>
        private static T[][] Copy(T[][] arrays)
        {
            var copies = new Dictionary<T[], T[]>(ReferenceEqualityComparer.Instance);
            return arrays.Select(a => copies.TryGetValue(a, out T[]? copy) ? copy : copies[a] = (T[])a.Clone()).ToArray();
        }

        /// <summary>Σ g ⊙ output, or r · result: what the reverse sweep differentiates.</summary>
        private static double Objective(TensorKernelCase<T> c, T[][] spans, T[] scalars, T[] g, T r)
        {
            if (c.IsReduction)
            {
                return D(r) * D(c.Primal(spans, scalars));
            }

            T[][] fresh = (T[][])spans.Clone();
            fresh[c.Destination] = new T[g.Length];
            c.Primal(fresh, scalars);
            double sum = 0;
            for (int k = 0; k < g.Length; k++)
            {
                sum += D(g[k]) * D(fresh[c.Destination][k]);
            }

            return sum;
        }

        /// <summary>Forward, the output's adjoint <paramref name="g"/> arriving, reverse; the tape must end empty.</summary>
        private static void Run(TensorKernelCase<T> c, T[][] spans, T[] scalars, T[][] ds, T[] dt, T[] g, T r, Action? afterForward = null)
        {
            Tape tape = Tape.Rent();
            try
            {
                c.Forward(spans, scalars, tape, ds);
                Assert.Equal(c.IsReduction ? 0 : g.Length, tape.Count);
                afterForward?.Invoke();
                if (!c.IsReduction)
                {
                    g.CopyTo(ds[c.Destination], 0);
                }

                c.Reverse(spans, scalars, tape, r, ds, dt);
                Assert.Equal(0, tape.Count);
            }
            finally
            {
                tape.Return();
            }
        }

        private static void Close(double expected, double actual, double tolerance, string what) =>
            Assert.True(Math.Abs(expected - actual) <= tolerance * (1 + Math.Abs(expected)),
                $"{typeof(T).Name} {what}: expected {expected:R}, got {actual:R}");

        public static void MatchesCentralDifferences(string kernel, bool aliased)
        {
            TensorKernelCase<T> c = TensorKernelTable<T>.Get(kernel);
            foreach (int n in Lengths)
            {
                var random = new Random(1000 * n + (aliased ? 1 : 0));
                (T[][] spans, T[] scalars) = Arguments(c, random, n, aliased);
                T[] g = Draw(random, n, 'a');
                T r = Draw(random, 'z');

                T[][] ds = Zeros(c, n);
                if (aliased)
                {
                    for (int i = 1; i < c.InputSpanCount; i++)
                    {
                        ds[i] = ds[0];
                    }
                }

                T[] dt = new T[c.ScalarCount];
                T[][] run = Copy(spans);
                Run(c, run, scalars, ds, dt, g, r);

                var seen = new HashSet<T[]>(ReferenceEqualityComparer.Instance);
                for (int i = 0; i < c.SpanCount; i++)
                {
                    if (i == c.Destination)
                    {
                        Assert.All(ds[i], v => Assert.Equal(0, D(v)));
                        continue;
                    }

                    if (!seen.Add(spans[i]))
                    {
                        continue;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        T[] values = spans[i];
                        T saved = values[k];
                        double h = Step * Math.Max(1, Math.Abs(D(saved)));
                        values[k] = Of(D(saved) + h);
                        double up = Objective(c, spans, scalars, g, r);
                        double hUp = D(values[k]);
                        values[k] = Of(D(saved) - h);
                        double down = Objective(c, spans, scalars, g, r);
                        double hDown = D(values[k]);
                        values[k] = saved;
                        Close((up - down) / (hUp - hDown), D(ds[i][k]), Tolerance, $"{kernel} n={n} span {i}[{k}]");
                    }
                }

                for (int j = 0; j < scalars.Length; j++)
                {
                    T saved = scalars[j];
                    double h = Step * Math.Max(1, Math.Abs(D(saved)));
                    scalars[j] = Of(D(saved) + h);
                    double up = Objective(c, spans, scalars, g, r);
                    double hUp = D(scalars[j]);
                    scalars[j] = Of(D(saved) - h);
                    double down = Objective(c, spans, scalars, g, r);
                    double hDown = D(scalars[j]);
                    scalars[j] = saved;
                    Close((up - down) / (hUp - hDown), D(dt[j]), Tolerance * Math.Sqrt(n), $"{kernel} n={n} scalar {j}");
                }
            }
        }

        public static void Accumulates(string kernel)
        {
            TensorKernelCase<T> c = TensorKernelTable<T>.Get(kernel);
            double eps = IsDouble ? 1.2e-16 : 6e-8;
            foreach (int n in Lengths)
            {
                var random = new Random(2000 + n);
                (T[][] spans, T[] scalars) = Arguments(c, random, n);
                T[] g = Draw(random, n, 'a');
                T r = Draw(random, 'z');

                T[][] fromZero = Zeros(c, n);
                T[] scalarsFromZero = new T[c.ScalarCount];
                Run(c, Copy(spans), scalars, fromZero, scalarsFromZero, g, r);

                T[][] start = Enumerable.Range(0, c.SpanCount).Select(_ => Draw(random, n, 'z')).ToArray();
                T[] scalarStart = Draw(random, c.ScalarCount, 'z');
                T[][] ds = Copy(start);
                T[] dt = (T[])scalarStart.Clone();
                Run(c, Copy(spans), scalars, ds, dt, g, r);

                for (int i = 0; i < c.SpanCount; i++)
                {
                    if (i == c.Destination)
                    {
                        continue;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double expected = D(start[i][k]) + D(fromZero[i][k]);
                        Close(expected, D(ds[i][k]), 8 * eps * (1 + Math.Abs(D(fromZero[i][k]))), $"{kernel} n={n} span {i}[{k}] from {D(start[i][k])}");
                    }
                }

                for (int j = 0; j < dt.Length; j++)
                {
                    double expected = D(scalarStart[j]) + D(scalarsFromZero[j]);
                    Close(expected, D(dt[j]), 8 * eps * (1 + Math.Abs(D(scalarsFromZero[j]))), $"{kernel} n={n} scalar {j}");
                }
            }
        }

        public static void Restores(string kernel)
        {
            TensorKernelCase<T> c = TensorKernelTable<T>.Get(kernel);
            foreach (int n in Lengths)
            {
                var random = new Random(3000 + n);
                (T[][] spans, T[] scalars) = Arguments(c, random, n);
                T[] g = Draw(random, n, 'a');
                T r = Draw(random, 'z');
                T[][] ds = Zeros(c, n);
                T[][] before = Copy(spans);
                T expectedResult = c.Primal(Copy(spans), scalars);
                T[]? expectedOutput = null;
                if (!c.IsReduction)
                {
                    // A destination longer than the operation, with an adjoint as long: the tail is never touched
                    // (SoftMax refuses a longer destination: see Soft_max_refuses_a_destination_longer_than_its_input).
                    spans[c.Destination] = Draw(random, c.Name.StartsWith("SoftMax", StringComparison.Ordinal) ? n : n + 2, 'a');
                    before[c.Destination] = (T[])spans[c.Destination].Clone();
                    ds[c.Destination] = Draw(random, spans[c.Destination].Length, 'a');
                    T[][] fresh = Copy(spans);
                    fresh[c.Destination] = new T[n];
                    c.Primal(fresh, scalars);
                    expectedOutput = fresh[c.Destination];
                }

                T[] adjointTail = c.IsReduction ? Array.Empty<T>() : ds[c.Destination][n..];
                T[] dt = new T[c.ScalarCount];
                Tape tape = Tape.Rent();
                try
                {
                    T result = c.Forward(spans, scalars, tape, ds);
                    if (c.IsReduction)
                    {
                        Assert.Equal(expectedResult, result);
                        Assert.Equal(0, tape.Count);
                    }
                    else
                    {
                        Assert.Equal(expectedOutput, spans[c.Destination][..n]);
                        Assert.Equal(before[c.Destination][n..], spans[c.Destination][n..]);
                        Assert.Equal(n, tape.Count);
                        g.CopyTo(ds[c.Destination], 0);
                    }

                    c.Reverse(spans, scalars, tape, r, ds, dt);
                    Assert.Equal(0, tape.Count);
                }
                finally
                {
                    tape.Return();
                }

                for (int i = 0; i < c.SpanCount; i++)
                {
                    Assert.Equal(before[i], spans[i]);
                }

                if (!c.IsReduction)
                {
                    Assert.Equal(new T[n], ds[c.Destination][..n]);
                    Assert.Equal(adjointTail, ds[c.Destination][n..]);
                }
            }
        }

        public static void InPlace(string kernel)
        {
            TensorKernelCase<T> c = TensorKernelTable<T>.Get(kernel);
            foreach (int n in Lengths)
            {
                var random = new Random(4000 + n);
                (T[][] spans, T[] scalars) = Arguments(c, random, n);
                T[] g = Draw(random, n, 'a');
                T r = Draw(random, 'z');

                T[][] apart = Zeros(c, n);
                T[] apartScalars = new T[c.ScalarCount];
                T[][] outOfPlace = Copy(spans);
                T[]? output = null;
                Run(c, outOfPlace, scalars, apart, apartScalars, g, r, () => output = (T[])outOfPlace[c.Destination].Clone());

                for (int input = 0; input < c.InputSpanCount; input++)
                {
                    T[][] inPlace = Copy(spans);
                    inPlace[c.Destination] = inPlace[input];
                    T[][] ds = Zeros(c, n);
                    ds[c.Destination] = ds[input];
                    T[] dt = new T[c.ScalarCount];
                    T[]? inPlaceOutput = null;
                    Run(c, inPlace, scalars, ds, dt, g, r, () => inPlaceOutput = (T[])inPlace[input].Clone());

                    Assert.Equal(output, inPlaceOutput);
                    Assert.Equal(spans[input], inPlace[input]);
                    for (int i = 0; i < c.InputSpanCount; i++)
                    {
                        for (int k = 0; k < n; k++)
                        {
                            Close(D(apart[i][k]), D(ds[i][k]), IsDouble ? 1e-14 : 1e-6, $"{kernel} n={n} in place of input {input}: adjoint {i}[{k}]");
                        }
                    }

                    for (int j = 0; j < dt.Length; j++)
                    {
                        Close(D(apartScalars[j]), D(dt[j]), IsDouble ? 1e-14 : 1e-6, $"{kernel} n={n} in place of input {input}: scalar adjoint {j}");
                    }
                }
            }
        }

        public static void Sinks(string kernel)
        {
            TensorKernelCase<T> c = TensorKernelTable<T>.Get(kernel);
            foreach (int n in Lengths)
            {
                var random = new Random(5000 + n);
                (T[][] spans, T[] scalars) = Arguments(c, random, n);
                T[] g = Draw(random, n, 'a');
                T r = Draw(random, 'z');

                T[][] exact = Zeros(c, n);
                T[] exactScalars = new T[c.ScalarCount];
                Run(c, Copy(spans), scalars, exact, exactScalars, g, r);

                // Each adjoint longer than its span, with a tail that must stay as it is.
                T[][] longer = Enumerable.Range(0, c.SpanCount).Select(_ => new T[n + 9]).ToArray();
                foreach (T[] adjoint in longer)
                {
                    Draw(random, 9, 'z').CopyTo(adjoint, n);
                }

                T[][] tails = longer.Select(a => a[n..]).ToArray();
                T[] dt = new T[c.ScalarCount];
                Run(c, Copy(spans), scalars, longer, dt, g, r);
                for (int i = 0; i < c.SpanCount; i++)
                {
                    Assert.Equal(exact[i], longer[i][..n]);
                    Assert.Equal(tails[i], longer[i][n..]);
                }

                Assert.Equal(exactScalars, dt);

                // One shared sink for every input's adjoint, as for data that carries no derivative.
                T[] sink = new T[n + 9];
                T[][] shared = Enumerable.Range(0, c.SpanCount).Select(i => i == c.Destination ? new T[n] : sink).ToArray();
                T[][] data = Copy(spans);
                Run(c, data, scalars, shared, new T[c.ScalarCount], g, r);
                for (int i = 0; i < c.SpanCount; i++)
                {
                    Assert.Equal(spans[i], data[i]);
                }

                if (!c.IsReduction)
                {
                    Assert.Equal(new T[n], shared[c.Destination]);
                }
            }
        }
    }
}
