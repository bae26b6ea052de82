using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using SourceDiff.CompilerServices;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// Every <see cref="MathNetKernels{T}"/> overload (the table in <see cref="MathNetKernelTable{T}"/>), for double and float,
/// on non-square shapes: its reverse sweep agrees with central differences of its primal, adds into existing adjoints,
/// restores a destination with old contents exactly, gives the same adjoints in place, skips null adjoints, and refuses
/// storage that is not dense and destinations of the wrong shape before it writes anything.
/// </summary>
public sealed class MathNetKernelsTests
{
    public static IEnumerable<object[]> Kernels() => Rows(_ => true);

    public static IEnumerable<object[]> KernelsWithDestination() => Rows(c => !c.IsReduction);

    private static IEnumerable<object[]> Rows(Func<MathNetKernelCase<double>, bool> which) =>
        from c in MathNetKernelTable<double>.All
        where which(c)
        from type in new[] { "double", "float" }
        select new object[] { c.Name, type };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Reverse_matches_central_differences(string kernel, string type) =>
        On(type, () => Harness<double>.MatchesCentralDifferences(kernel), () => Harness<float>.MatchesCentralDifferences(kernel));

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Adjoints_are_added_into_existing_values(string kernel, string type) =>
        On(type, () => Harness<double>.Accumulates(kernel), () => Harness<float>.Accumulates(kernel));

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Forward_writes_the_primal_and_reverse_restores_the_old_destination_exactly(string kernel, string type) =>
        On(type, () => Harness<double>.Restores(kernel), () => Harness<float>.Restores(kernel));

    [Theory]
    [MemberData(nameof(KernelsWithDestination))]
    public void In_place_gives_the_out_of_place_adjoints(string kernel, string type) =>
        On(type, () => Harness<double>.InPlace(kernel), () => Harness<float>.InPlace(kernel));

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Null_adjoints_are_skipped(string kernel, string type) =>
        On(type, () => Harness<double>.NullAdjoints(kernel), () => Harness<float>.NullAdjoints(kernel));

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Storage_that_is_not_dense_throws_naming_the_parameter_before_anything_is_written(string kernel, string type) =>
        On(type, () => Harness<double>.RefusesSparse(kernel), () => Harness<float>.RefusesSparse(kernel));

    [Theory]
    [MemberData(nameof(KernelsWithDestination))]
    public void A_destination_of_the_wrong_shape_throws_before_anything_is_written(string kernel, string type) =>
        On(type, () => Harness<double>.RefusesWrongDestination(kernel), () => Harness<float>.RefusesWrongDestination(kernel));

    [Fact]
    public void The_table_covers_every_kernel()
    {
        IEnumerable<string> primals = typeof(MathNetKernels<double>).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => !m.Name.Contains('_'))
            .Select(Signature)
            .OrderBy(name => name, StringComparer.Ordinal);
        Assert.Equal(MathNetKernelTable<double>.All.Select(c => c.Name).OrderBy(name => name, StringComparer.Ordinal), primals);
        Assert.Equal(2 * 21 + 11 + 3, MathNetKernelTable<double>.All.Count);
    }

    [Fact]
    public void Every_kernel_has_sweeps_with_the_conventions_parameter_lists()
    {
        foreach (MethodInfo primal in typeof(MathNetKernels<double>).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => !m.Name.Contains('_')))
        {
            ParameterInfo[] parameters = primal.GetParameters();
            Type[] own = parameters.Select(p => p.ParameterType).ToArray();
            bool reduction = !parameters.Any(p => p.Name == "destination");
            Type[] adjoints = parameters.Where(p => p.ParameterType != typeof(int)).Select(p => p.ParameterType switch
            {
                var t when t == typeof(double) => typeof(double).MakeByRefType(),
                var t when t == typeof(ReadOnlySpan<double>) => typeof(Span<double>),
                var t => t,
            }).ToArray();
            Type[] forwardAdjoints = adjoints.Where(t => t != typeof(double).MakeByRefType()).ToArray();
            Type[] forward = own.Append(typeof(Tape)).Concat(forwardAdjoints).ToArray();
            Type[] reverse = own.Append(typeof(Tape)).Concat(reduction ? new[] { primal.ReturnType } : Array.Empty<Type>()).Concat(adjoints).ToArray();
            MethodInfo? f = typeof(MathNetKernels<double>).GetMethod(primal.Name + "_Forward", forward);
            MethodInfo? r = typeof(MathNetKernels<double>).GetMethod(primal.Name + "_Reverse", reverse);
            Assert.True(f is not null, "no " + primal.Name + "_Forward for " + Signature(primal));
            Assert.True(r is not null, "no " + primal.Name + "_Reverse for " + Signature(primal));
            Assert.Equal(primal.ReturnType, f!.ReturnType);
            Assert.Equal(typeof(void), r!.ReturnType);
        }
    }

    /// <summary><c>Multiply(m,v,V)</c>: the primal's name and its parameters' kinds, as the table names them.</summary>
    internal static string Signature(MethodInfo method) =>
        method.Name + "(" + string.Join(",", method.GetParameters().Select(p => Kind(p.ParameterType, p.Name == "destination"))) + ")";

    private static char Kind(Type type, bool destination)
    {
        Type definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        char kind = definition == typeof(Vector<>) ? 'v' : definition == typeof(Matrix<>) ? 'm' : definition == typeof(ReadOnlySpan<>) ? 's' : type == typeof(int) ? 'i' : 't';
        return destination ? char.ToUpperInvariant(kind) : kind;
    }

    [Fact]
    public void Transpose_refuses_its_own_matrix_as_destination()
    {
        // MathNet's a.Transpose(a) overwrites a while reading it: the kernels refuse it instead of differentiating garbage.
        Matrix<double> a = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 3, 4 } });
        Tape tape = Tape.Rent();
        try
        {
            Assert.Equal("destination", Assert.Throws<ArgumentException>(() => MathNetKernels<double>.Transpose(a, a)).ParamName);
            Assert.Equal("destination", Assert.Throws<ArgumentException>(() => MathNetKernels<double>.Transpose_Forward(a, a, tape, null, null)).ParamName);
            Assert.Equal(0, tape.Count);
            Assert.Equal(new double[] { 1, 3, 2, 4 }, a.AsColumnMajorArray());
        }
        finally
        {
            tape.Return();
        }
    }

    [Fact]
    public void Row_and_Column_refuse_an_index_out_of_range_before_recording()
    {
        Matrix<double> a = Matrix<double>.Build.Dense(3, 5, 1.0);
        Vector<double> row = Vector<double>.Build.Dense(5), column = Vector<double>.Build.Dense(3);
        Tape tape = Tape.Rent();
        try
        {
            Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => MathNetKernels<double>.Row_Forward(a, 3, row, tape, null, null)).ParamName);
            Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => MathNetKernels<double>.Column_Forward(a, -1, column, tape, null, null)).ParamName);
            Assert.Equal(0, tape.Count);
        }
        finally
        {
            tape.Return();
        }
    }

    [Fact]
    public void A_zero_output_adjoint_sends_nothing_back_even_through_an_infinite_matrix()
    {
        // As generated scalar code skips a zero adjoint: 0 · ∞ must not reach dx as NaN.
        Matrix<double> a = Matrix<double>.Build.DenseOfArray(new double[,] { { double.PositiveInfinity, 1 }, { 2, 3 } });
        Vector<double> x = Vector<double>.Build.Dense(new double[] { 1, 2 }), y = Vector<double>.Build.Dense(new double[] { 7, 8 });
        Vector<double> dX = Vector<double>.Build.Dense(new double[] { 0.5, 0.5 }), dY = Vector<double>.Build.Dense(2);
        Tape tape = Tape.Rent();
        try
        {
            MathNetKernels<double>.Multiply_Forward(a, x, y, tape, null, dX, dY);
            MathNetKernels<double>.Multiply_Reverse(a, x, y, tape, null, dX, dY);
            Assert.Equal(new double[] { 0.5, 0.5 }, dX.ToArray());
            Assert.Equal(new double[] { 7, 8 }, y.ToArray());
            Assert.Equal(0, tape.Count);
        }
        finally
        {
            tape.Return();
        }
    }

    [Fact]
    public void L2Norm_of_float_has_a_double_result_and_a_zero_subgradient_at_zero()
    {
        Vector<float> x = Vector<float>.Build.Dense(new float[] { 3, 4 }), zero = Vector<float>.Build.Dense(2), dX = Vector<float>.Build.Dense(2);
        Tape tape = Tape.Rent();
        try
        {
            double norm = MathNetKernels<float>.L2Norm_Forward(x, tape, dX);
            Assert.Equal(5.0, norm);
            MathNetKernels<float>.L2Norm_Reverse(x, tape, 10.0, dX);
            Assert.Equal(new float[] { 6, 8 }, dX.ToArray());
            MathNetKernels<float>.L2Norm_Reverse(zero, tape, 10.0, dX);
            Assert.Equal(new float[] { 6, 8 }, dX.ToArray());
        }
        finally
        {
            tape.Return();
        }
    }

    /// <summary>
    /// The kernels' own work allocates nothing in steady state: Multiply(m,v) forward and reverse allocate exactly what the
    /// MathNet product the forward sweep runs allocates by itself (MathNet's managed provider copies arrays per product).
    /// </summary>
    [Fact]
    public void Multiply_matrix_vector_sweeps_allocate_nothing_beyond_MathNets_own_forward_product()
    {
        Matrix<double> a = Matrix<double>.Build.Dense(3, 5, (i, j) => i - j * 0.5);
        Vector<double> x = Vector<double>.Build.Dense(5, i => i + 1.0), y = Vector<double>.Build.Dense(3);
        Matrix<double> dA = Matrix<double>.Build.Dense(3, 5);
        Vector<double> dX = Vector<double>.Build.Dense(5), dY = Vector<double>.Build.Dense(3);

        void Sweeps()
        {
            Tape tape = Tape.Rent();
            MathNetKernels<double>.Multiply_Forward(a, x, y, tape, dA, dX, dY);
            dY[0] = 1;
            dY[1] = -2;
            dY[2] = 0.5;
            MathNetKernels<double>.Multiply_Reverse(a, x, y, tape, dA, dX, dY);
            tape.Return();
        }

        // The forward sweep runs MathNet's product (the primal's value bit for bit), which allocates; the reverse
        // sweep's Aᵀg and rank-1 update run over the dense storage and allocate nothing.
        void MathNetAlone()
        {
            a.Multiply(x, y);
        }

        Sweeps();
        MathNetAlone();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            MathNetAlone();
        }

        long mathNet = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Sweeps();
        }

        long sweeps = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(mathNet, sweeps);
    }

    [Fact]
    public void Element_wise_and_rank_one_sweeps_allocate_nothing_beyond_MathNet_in_steady_state()
    {
        Vector<double> x = Vector<double>.Build.Dense(7, i => i - 3.0), y = Vector<double>.Build.Dense(7), dX = Vector<double>.Build.Dense(7), dY = Vector<double>.Build.Dense(7);
        Matrix<double> a = Matrix<double>.Build.Dense(7, 4, 1.0), dA = Matrix<double>.Build.Dense(7, 4), c = Matrix<double>.Build.Dense(7, 4), dC = Matrix<double>.Build.Dense(7, 4);
        Vector<double> column = Vector<double>.Build.Dense(7), dColumn = Vector<double>.Build.Dense(7), v = Vector<double>.Build.Dense(4, 1.0), dV = Vector<double>.Build.Dense(4);

        void Step()
        {
            Tape tape = Tape.Rent();
            MathNetKernels<double>.PointwiseTanh_Forward(x, y, tape, dX, dY);
            MathNetKernels<double>.Column_Forward(a, 2, column, tape, dA, dColumn);
            MathNetKernels<double>.Copy_Forward(a, c, tape, dA, dC);
            dY[3] = 1;
            dColumn[1] = 2;
            dC[2, 1] = 3;
            MathNetKernels<double>.Copy_Reverse(a, c, tape, dA, dC);
            MathNetKernels<double>.Column_Reverse(a, 2, column, tape, dA, dColumn);
            MathNetKernels<double>.PointwiseTanh_Reverse(x, y, tape, dX, dY);
            MathNetKernels<double>.DotProduct_Reverse(x, x, tape, 2.0, dX, dX);
            MathNetKernels<double>.Sum_Reverse(x, tape, 2.0, dX);
            tape.Return();
        }

        // The forward sweeps run MathNet's own overloads (bit for bit the user's values), and MathNet's pointwise maps
        // allocate a delegate per call: the sweeps may allocate exactly that, and nothing of their own.
        void MathNetAlone()
        {
            x.PointwiseTanh(y);
            a.Column(2, column);
            a.CopyTo(c);
        }

        Step();
        MathNetAlone();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            MathNetAlone();
        }

        long mathNet = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Step();
        }

        Assert.Equal(mathNet, GC.GetAllocatedBytesForCurrentThread() - before);
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
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        /// <summary>Non-square both ways, square (for the in-place products), and the smallest.</summary>
        private static readonly MathNetDims[] Dims = { new(3, 5, 4), new(5, 3, 2), new(4, 4, 4), new(1, 1, 1) };

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

        private static int Length(string shape, MathNetDims d) => shape.Aggregate(1, (product, letter) => product * d.Of(letter));

        /// <summary>One problem: the tensors' data (the destination with random old contents), scalars and ints.</summary>
        private sealed record Problem(MathNetKernelCase<T> Case, MathNetDims Dims, T[][] Tensors, T[] Scalars, int[] Ints)
        {
            public T[][] CopyTensors() => Copy(Tensors);
        }

        private static Problem Draw(MathNetKernelCase<T> c, MathNetDims d, Random random)
        {
            var tensors = new List<T[]>();
            var scalars = new List<T>();
            int domain = 0;
            foreach (char kind in c.Kinds)
            {
                switch (kind)
                {
                    case 'i':
                        continue;
                    case 't':
                        scalars.Add(Draw(random, c.Domains[domain++]));
                        break;
                    default:
                        tensors.Add(Draw(random, Length(c.Shapes[tensors.Count], d), c.Domains[domain++] == '-' ? 'a' : c.Domains[domain - 1]));
                        break;
                }
            }

            T[][] t = tensors.ToArray();
            T[] s = scalars.ToArray();
            c.Separate?.Invoke(t, s);
            return new Problem(c, d, t, s, c.Ints(d));
        }

        /// <summary>A copy that keeps which arguments are one array.</summary>
        private static T[][] Copy(T[]?[] arrays)
        {
            var copies = new Dictionary<T[], T[]>(ReferenceEqualityComparer.Instance);
            return arrays.Select(a => a is null ? null! : copies.TryGetValue(a, out T[]? copy) ? copy : copies[a] = (T[])a.Clone()).ToArray();
        }

        /// <summary>
        /// The call's objects over the given arrays (bound, not copied: a kernel's writes land in them), one object per
        /// array so that one array passed twice is one vector passed twice. <paramref name="replace"/> puts another object
        /// (a sparse vector) at one tensor or adjoint position.
        /// </summary>
        private static MathNetCall<T> Call(Problem p, T[][] tensors, T[]?[] adjoints, T[] scalarAdjoints,
            (int Index, bool Adjoint, object? Value)? replace = null)
        {
            var objects = new Dictionary<T[], object>(ReferenceEqualityComparer.Instance);
            object Bind(int i, T[] data)
            {
                if (!objects.TryGetValue(data, out object? bound))
                {
                    string shape = p.Case.Shapes[i];
                    bound = p.Case.TensorKinds[i] switch
                    {
                        's' or 'S' => data,
                        'v' or 'V' => Vector<T>.Build.Dense(data),
                        _ => Matrix<T>.Build.Dense(p.Dims.Of(shape[0]), p.Dims.Of(shape[1]), data),
                    };
                    objects[data] = bound;
                }

                return bound;
            }

            object[] t = tensors.Select((data, i) => Bind(i, data)).ToArray();
            object?[] d = adjoints.Select((data, i) => data is null ? null : Bind(i, data)).ToArray();
            if (replace is { } r)
            {
                (r.Adjoint ? d : t!)[r.Index] = r.Value!;
            }

            return new MathNetCall<T>(t, p.Scalars, p.Ints, d, scalarAdjoints);
        }

        private static T[]?[] Zeros(Problem p) => p.Tensors.Select(t => new T[t.Length]).ToArray<T[]?>();

        /// <summary>Σ g ⊙ output, or r · result: what the reverse sweep differentiates.</summary>
        private static double Objective(Problem p, T[][] tensors, T[] g, T r)
        {
            MathNetKernelCase<T> c = p.Case;
            if (c.IsReduction)
            {
                return D(r) * c.Primal(Call(p, tensors, new T[]?[tensors.Length], Array.Empty<T>()));
            }

            T[][] fresh = (T[][])tensors.Clone();
            fresh[c.Destination] = new T[g.Length];
            c.Primal(Call(p, fresh, new T[]?[tensors.Length], Array.Empty<T>()));
            double sum = 0;
            for (int k = 0; k < g.Length; k++)
            {
                sum += D(g[k]) * D(fresh[c.Destination][k]);
            }

            return sum;
        }

        /// <summary>
        /// Forward (which records exactly the destination), the output's adjoint <paramref name="g"/> arriving into its
        /// adjoint (when it has one), reverse; the tape must end empty.
        /// </summary>
        private static void Run(Problem p, T[][] tensors, T[]?[] adjoints, T[] scalarAdjoints, T[] g, T r, Action? afterForward = null)
        {
            MathNetKernelCase<T> c = p.Case;
            MathNetCall<T> call = Call(p, tensors, adjoints, scalarAdjoints);
            Tape tape = Tape.Rent();
            try
            {
                c.Forward(call, tape);
                Assert.Equal(c.IsReduction ? 0 : g.Length, tape.Count);
                afterForward?.Invoke();
                if (!c.IsReduction && adjoints[c.Destination] is { } dDestination)
                {
                    g.CopyTo(dDestination, 0);
                }

                c.Reverse(call, tape, r);
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

        private static (T[] G, T R) Seeds(Problem p, Random random) =>
            (Draw(random, p.Case.IsReduction ? 0 : p.Tensors[p.Case.Destination].Length, 'a'), Draw(random, 'z'));

        public static void MatchesCentralDifferences(string kernel)
        {
            MathNetKernelCase<T> c = MathNetKernelTable<T>.Get(kernel);
            foreach (MathNetDims d in Dims)
            {
                var random = new Random(1000 * d.R + 10 * d.C + d.K);
                Problem p = Draw(c, d, random);
                (T[] g, T r) = Seeds(p, random);
                T[]?[] ds = Zeros(p);
                T[] dt = new T[c.ScalarCount];
                Run(p, p.CopyTensors(), ds, dt, g, r);

                for (int i = 0; i < c.TensorCount; i++)
                {
                    if (i == c.Destination)
                    {
                        Assert.All(ds[i]!, v => Assert.Equal(0, D(v)));
                        continue;
                    }

                    T[] values = p.Tensors[i];
                    for (int k = 0; k < values.Length; k++)
                    {
                        T saved = values[k];
                        double h = Step * Math.Max(1, Math.Abs(D(saved)));
                        values[k] = Of(D(saved) + h);
                        double up = Objective(p, p.Tensors, g, r);
                        double hUp = D(values[k]);
                        values[k] = Of(D(saved) - h);
                        double down = Objective(p, p.Tensors, g, r);
                        double hDown = D(values[k]);
                        values[k] = saved;
                        Close((up - down) / (hUp - hDown), D(ds[i]![k]), Tolerance, $"{kernel} {d} tensor {i}[{k}]");
                    }
                }

                for (int j = 0; j < p.Scalars.Length; j++)
                {
                    T saved = p.Scalars[j];
                    double h = Step * Math.Max(1, Math.Abs(D(saved)));
                    p.Scalars[j] = Of(D(saved) + h);
                    double up = Objective(p, p.Tensors, g, r);
                    double hUp = D(p.Scalars[j]);
                    p.Scalars[j] = Of(D(saved) - h);
                    double down = Objective(p, p.Tensors, g, r);
                    double hDown = D(p.Scalars[j]);
                    p.Scalars[j] = saved;
                    Close((up - down) / (hUp - hDown), D(dt[j]), Tolerance * Math.Sqrt(d.N), $"{kernel} {d} scalar {j}");
                }
            }
        }

        public static void Accumulates(string kernel)
        {
            MathNetKernelCase<T> c = MathNetKernelTable<T>.Get(kernel);
            double eps = IsDouble ? 1.2e-16 : 6e-8;
            foreach (MathNetDims d in Dims)
            {
                var random = new Random(2000 + d.R * 10 + d.C);
                Problem p = Draw(c, d, random);
                (T[] g, T r) = Seeds(p, random);

                T[]?[] fromZero = Zeros(p);
                T[] scalarsFromZero = new T[c.ScalarCount];
                Run(p, p.CopyTensors(), fromZero, scalarsFromZero, g, r);

                T[][] start = p.Tensors.Select(t => Draw(random, t.Length, 'z')).ToArray();
                T[] scalarStart = Draw(random, c.ScalarCount, 'z');
                T[]?[] ds = Copy(start);
                T[] dt = (T[])scalarStart.Clone();
                Run(p, p.CopyTensors(), ds, dt, g, r);

                for (int i = 0; i < c.TensorCount; i++)
                {
                    if (i == c.Destination)
                    {
                        continue;
                    }

                    for (int k = 0; k < start[i].Length; k++)
                    {
                        double expected = D(start[i][k]) + D(fromZero[i]![k]);
                        Close(expected, D(ds[i]![k]), 8 * eps * (1 + Math.Abs(D(fromZero[i]![k]))), $"{kernel} {d} tensor {i}[{k}] from {D(start[i][k])}");
                    }
                }

                for (int j = 0; j < dt.Length; j++)
                {
                    double expected = D(scalarStart[j]) + D(scalarsFromZero[j]);
                    Close(expected, D(dt[j]), 8 * eps * (1 + Math.Abs(D(scalarsFromZero[j]))), $"{kernel} {d} scalar {j}");
                }
            }
        }

        public static void Restores(string kernel)
        {
            MathNetKernelCase<T> c = MathNetKernelTable<T>.Get(kernel);
            foreach (MathNetDims d in Dims)
            {
                var random = new Random(3000 + d.R * 10 + d.C);
                Problem p = Draw(c, d, random);
                (T[] g, T r) = Seeds(p, random);
                T[][] tensors = p.CopyTensors();
                T[][] before = Copy(tensors);
                T[]?[] ds = Zeros(p);
                T[] dt = new T[c.ScalarCount];
                double expectedResult = c.IsReduction ? c.Primal(Call(p, Copy(tensors), Zeros(p), dt)) : 0;
                T[]? expectedOutput = null;
                if (!c.IsReduction)
                {
                    T[][] fresh = Copy(tensors);
                    fresh[c.Destination] = new T[g.Length];
                    c.Primal(Call(p, fresh, Zeros(p), dt));
                    expectedOutput = fresh[c.Destination];
                    Assert.DoesNotContain(before[c.Destination], v => v == T.Zero);   // old contents worth restoring
                }

                MathNetCall<T> call = Call(p, tensors, ds, dt);
                Tape tape = Tape.Rent();
                try
                {
                    double result = c.Forward(call, tape);
                    if (c.IsReduction)
                    {
                        Assert.Equal(expectedResult, result);
                        Assert.Equal(0, tape.Count);
                    }
                    else
                    {
                        Assert.Equal(expectedOutput, tensors[c.Destination]);
                        Assert.Equal(g.Length, tape.Count);
                        g.CopyTo(ds[c.Destination]!, 0);
                    }

                    c.Reverse(call, tape, r);
                    Assert.Equal(0, tape.Count);
                }
                finally
                {
                    tape.Return();
                }

                for (int i = 0; i < c.TensorCount; i++)
                {
                    Assert.Equal(before[i], tensors[i]);
                }

                if (!c.IsReduction)
                {
                    Assert.Equal(new T[g.Length], ds[c.Destination]);
                }
            }
        }

        public static void InPlace(string kernel)
        {
            MathNetKernelCase<T> c = MathNetKernelTable<T>.Get(kernel);
            int tried = 0;
            foreach (MathNetDims d in Dims)
            {
                var random = new Random(4000 + d.R * 10 + d.C);
                Problem p = Draw(c, d, random);
                (T[] g, T r) = Seeds(p, random);

                T[]?[] apart = Zeros(p);
                T[] apartScalars = new T[c.ScalarCount];
                T[][] outOfPlace = p.CopyTensors();
                T[]? output = null;
                Run(p, outOfPlace, apart, apartScalars, g, r, () => output = (T[])outOfPlace[c.Destination].Clone());

                for (int input = 0; input < c.Destination; input++)
                {
                    // Only an input of the destination's kind and shape can be the destination; Transpose refuses it.
                    bool fits = char.ToUpperInvariant(c.TensorKinds[input]) == c.TensorKinds[c.Destination]
                        && c.TensorKinds[input] != 's'
                        && p.Tensors[input].Length == p.Tensors[c.Destination].Length
                        && (c.TensorKinds[input] == 'v' || (d.Of(c.Shapes[input][0]) == d.Of(c.Shapes[c.Destination][0])));
                    if (!fits || c.Name.StartsWith("Transpose(", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    tried++;
                    T[][] inPlace = p.CopyTensors();
                    inPlace[c.Destination] = inPlace[input];
                    T[]?[] ds = Zeros(p);
                    ds[c.Destination] = ds[input];
                    T[] dt = new T[c.ScalarCount];
                    T[]? inPlaceOutput = null;
                    Run(p, inPlace, ds, dt, g, r, () => inPlaceOutput = (T[])inPlace[input].Clone());

                    Assert.Equal(output, inPlaceOutput);
                    Assert.Equal(p.Tensors[input], inPlace[input]);
                    for (int i = 0; i < c.Destination; i++)
                    {
                        for (int k = 0; k < apart[i]!.Length; k++)
                        {
                            Close(D(apart[i]![k]), D(ds[i]![k]), IsDouble ? 1e-14 : 1e-6, $"{kernel} {d} in place of input {input}: adjoint {i}[{k}]");
                        }
                    }

                    for (int j = 0; j < dt.Length; j++)
                    {
                        Close(D(apartScalars[j]), D(dt[j]), IsDouble ? 1e-14 : 1e-6, $"{kernel} {d} in place of input {input}: scalar adjoint {j}");
                    }
                }
            }

            bool possible = c.TensorKinds.Take(Math.Max(0, c.Destination)).Any(k => k is 'v' or 'm' && char.ToUpperInvariant(k) == c.TensorKinds[c.Destination]);
            if (possible && !c.Name.StartsWith("Transpose(", StringComparison.Ordinal))
            {
                Assert.True(tried > 0, $"{kernel}: no shape let an input be the destination");
            }
        }

        public static void NullAdjoints(string kernel)
        {
            MathNetKernelCase<T> c = MathNetKernelTable<T>.Get(kernel);
            MathNetDims d = Dims[0];
            var random = new Random(5000);
            Problem p = Draw(c, d, random);
            (T[] g, T r) = Seeds(p, random);
            T[]?[] all = Zeros(p);
            T[] allScalars = new T[c.ScalarCount];
            Run(p, p.CopyTensors(), all, allScalars, g, r);

            // Each input's adjoint null in turn: the others get exactly what they get when every adjoint is there.
            for (int missing = 0; missing < c.TensorCount; missing++)
            {
                if (missing == c.Destination)
                {
                    continue;
                }

                T[]?[] ds = Zeros(p);
                ds[missing] = null;
                T[] dt = new T[c.ScalarCount];
                T[][] tensors = p.CopyTensors();
                Run(p, tensors, ds, dt, g, r);
                Assert.Equal(p.Tensors, tensors);
                for (int i = 0; i < c.TensorCount; i++)
                {
                    if (i != missing)
                    {
                        Assert.Equal(all[i], ds[i]);
                    }
                }

                Assert.Equal(allScalars, dt);
            }

            if (c.IsReduction)
            {
                return;
            }

            // No adjoint for the destination: its adjoint counts as zero, nothing flows back, and it is still restored.
            T[][] data = p.CopyTensors();
            T[]?[] start = p.Tensors.Select(t => Draw(random, t.Length, 'z')).ToArray<T[]?>();
            T[]?[] adjoints = Copy(start);
            adjoints[c.Destination] = null;
            T[] scalarAdjoints = Draw(random, c.ScalarCount, 'z');
            T[] scalarStart = (T[])scalarAdjoints.Clone();
            Run(p, data, adjoints, scalarAdjoints, g, r);
            Assert.Equal(p.Tensors, data);
            for (int i = 0; i < c.Destination; i++)
            {
                Assert.Equal(start[i], adjoints[i]);
            }

            Assert.Equal(scalarStart, scalarAdjoints);

            // No adjoint anywhere: the sweeps still record and restore.
            data = p.CopyTensors();
            Run(p, data, new T[]?[c.TensorCount], new T[c.ScalarCount], g, r);
            Assert.Equal(p.Tensors, data);
        }

        /// <summary>The names of a kernel's parameters that are vectors or matrices, and of their adjoints, by tensor index.</summary>
        private static (string?[] Tensors, string?[] Adjoints) ParameterNames(MathNetKernelCase<T> c)
        {
            MethodInfo[] methods = typeof(MathNetKernels<T>).GetMethods(BindingFlags.Public | BindingFlags.Static);
            MethodInfo primal = methods.Single(m => !m.Name.Contains('_') && Signature(m) == c.Name);
            Type[] own = primal.GetParameters().Select(q => q.ParameterType).ToArray();
            MethodInfo reverse = methods.Single(m => m.Name == primal.Name + "_Reverse" && m.GetParameters().Take(own.Length).Select(q => q.ParameterType).SequenceEqual(own));
            ParameterInfo[] ownParameters = primal.GetParameters().Where(q => q.ParameterType != typeof(int)).ToArray();
            ParameterInfo[] adjointParameters = reverse.GetParameters().Skip(own.Length + 1 + (c.IsReduction ? 1 : 0)).ToArray();
            Assert.Equal(ownParameters.Length, adjointParameters.Length);
            var tensors = new List<string?>();
            var adjoints = new List<string?>();
            for (int q = 0; q < ownParameters.Length; q++)
            {
                if (ownParameters[q].ParameterType == typeof(T))
                {
                    continue;
                }

                bool span = ownParameters[q].ParameterType == typeof(ReadOnlySpan<T>);
                tensors.Add(span ? null : ownParameters[q].Name);
                adjoints.Add(span ? null : adjointParameters[q].Name);
            }

            return (tensors.ToArray(), adjoints.ToArray());
        }

        private static object Sparse(object dense) => dense switch
        {
            Vector<T> vector => Vector<T>.Build.SparseOfVector(vector),
            Matrix<T> matrix => Matrix<T>.Build.SparseOfMatrix(matrix),
            _ => throw new ArgumentException("not a vector or matrix", nameof(dense)),
        };

        public static void RefusesSparse(string kernel)
        {
            MathNetKernelCase<T> c = MathNetKernelTable<T>.Get(kernel);
            (string?[] names, string?[] adjointNames) = ParameterNames(c);
            MathNetDims d = Dims[0];
            Problem p = Draw(c, d, new Random(6000));
            (T[] g, T r) = Seeds(p, new Random(6001));
            for (int i = 0; i < c.TensorCount; i++)
            {
                if (names[i] is not { } name)
                {
                    continue;
                }

                // A sparse tensor: the primal and the forward sweep throw naming it, and write and record nothing.
                T[][] tensors = p.CopyTensors();
                T[]?[] ds = Zeros(p);
                object sparse = Sparse(Call(p, tensors, ds, new T[c.ScalarCount]).Tensors[i]);
                MathNetCall<T> call = Call(p, tensors, ds, new T[c.ScalarCount], (i, false, sparse));
                Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(() => c.Primal(call)).ParamName);
                Tape tape = Tape.Rent();
                try
                {
                    Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(() => c.Forward(call, tape)).ParamName);
                    Assert.Equal(0, tape.Count);
                    Assert.Equal(p.Tensors, tensors);
                }
                finally
                {
                    tape.Return();
                }

                // A sparse adjoint: the reverse sweep throws naming it before it takes or restores anything.
                tensors = p.CopyTensors();
                ds = Zeros(p);
                object sparseAdjoint = Sparse(Call(p, tensors, ds, new T[c.ScalarCount]).Adjoints[i]!);
                MathNetCall<T> honest = Call(p, tensors, ds, new T[c.ScalarCount]);
                MathNetCall<T> withSparse = Call(p, tensors, ds, new T[c.ScalarCount], (i, true, sparseAdjoint));
                tape = Tape.Rent();
                try
                {
                    c.Forward(honest, tape);
                    long recorded = tape.Count;
                    T[][] afterForward = Copy(tensors);
                    if (!c.IsReduction)
                    {
                        g.CopyTo(ds[c.Destination]!, 0);
                    }

                    Assert.Equal(adjointNames[i], Assert.ThrowsAny<ArgumentException>(() => c.Reverse(withSparse, tape, r)).ParamName);
                    Assert.Equal(recorded, tape.Count);
                    Assert.Equal(afterForward, tensors);
                    if (!c.IsReduction)
                    {
                        Assert.Equal(g, ds[c.Destination]);
                    }

                    c.Reverse(honest, tape, r);
                    Assert.Equal(p.Tensors, tensors);
                }
                finally
                {
                    tape.Return();
                }
            }
        }

        public static void RefusesWrongDestination(string kernel)
        {
            MathNetKernelCase<T> c = MathNetKernelTable<T>.Get(kernel);
            MathNetDims d = Dims[0];
            Problem p = Draw(c, d, new Random(7000));
            T[][] tensors = p.CopyTensors();
            MathNetCall<T> right = Call(p, tensors, Zeros(p), new T[c.ScalarCount]);
            // One row more (a matrix) or one element more (a vector): MathNet would write it without complaint or reallocate.
            object wrong = right.Tensors[c.Destination] switch
            {
                Vector<T> v => Vector<T>.Build.Dense(v.Count + 1, Of(7)),
                Matrix<T> m => Matrix<T>.Build.Dense(m.RowCount + 1, m.ColumnCount, Of(7)),
                _ => throw new InvalidOperationException(),
            };
            MathNetCall<T> call = Call(p, tensors, Zeros(p), new T[c.ScalarCount], (c.Destination, false, wrong));
            Assert.Equal("destination", Assert.ThrowsAny<ArgumentException>(() => c.Primal(call)).ParamName);
            Tape tape = Tape.Rent();
            try
            {
                Assert.Equal("destination", Assert.ThrowsAny<ArgumentException>(() => c.Forward(call, tape)).ParamName);
                Assert.Equal(0, tape.Count);
                Assert.Equal(p.Tensors, tensors);
                Assert.All(wrong is Vector<T> v ? v.ToArray() : ((Matrix<T>)wrong).AsColumnMajorArray(), value => Assert.Equal(Of(7), value));
            }
            finally
            {
                tape.Return();
            }
        }
    }
}
