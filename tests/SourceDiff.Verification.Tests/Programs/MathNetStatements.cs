using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>A dimension of a MathNet vector or matrix: the method's array length L (<c>w.Length</c> ≥ 2), or 2.</summary>
internal enum MnDim
{
    N,
    Two,
}

/// <summary>
/// A MathNet local in scope: a vector of <paramref name="Rows"/> elements, or a <paramref name="Rows"/> ×
/// <paramref name="Columns"/> matrix; <paramref name="Alias"/> when bound by <c>?:</c> to another local (it has no
/// storage of its own, so products never write into it).
/// </summary>
internal sealed record MnLocal(string Name, bool Matrix, MnDim Rows, MnDim Columns, bool Alias = false);

/// <summary>
/// The statements and expressions of <see cref="ProgramFeatures.MathNetCalls"/>: MathNet.Numerics <c>Vector&lt;T&gt;</c>
/// and <c>Matrix&lt;T&gt;</c> code as docs/vector-code.md ("MathNet.Numerics") says it is differentiable.
/// </summary>
/// <remarks>
/// <para>
/// Shapes are right by construction: every expression is generated for a shape (a vector of L or 2 elements, a matrix of
/// L or 2 rows and columns), products pick an inner dimension and generate both factors for it, element indices are in
/// bounds for their dimension (<see cref="MethodGenerator.IndexText"/> for L, <c>0</c>, <c>1</c> or <c>c % 2</c> for 2).
/// Vectors come from the method's arrays (<c>DenseOfArray</c>, a copy: the arrays are never written), matrices from
/// <c>Build.Dense(r, c)</c> filled element by element, outer products and transposes.
/// </para>
/// <para>
/// Domains: <c>PointwiseExp</c> sees inputs (|w| ≤ 1.5) or Tanh of something; <c>PointwiseLog</c>, <c>PointwiseSqrt</c>,
/// <c>PointwiseDivide</c>'s divisor, <c>s / v</c> and <c>L2Norm</c> see positive vectors computed in place (Exp of those,
/// <c>v ⊙ v + c</c>, <c>Tanh(v) + 1.5</c>); scalar divisors are <c>1.5 + Sin(e)</c>. What is left (kinks of
/// Maximum/Minimum/Abs, overflow through scalar factors) is the oracle's, as for scalar code; the twin tracks every
/// vector and matrix it binds (<see cref="Intermediates"/>).
/// </para>
/// <para>
/// Result overloads write a local: element-wise ones in place too (<c>h.PointwiseTanh(h)</c>, <c>c.Add(d, c)</c>);
/// products only into a local that is not an alias, from operands that are not bare locals (those are cloned), except
/// <c>W.Multiply(h, h)</c>, which MathNet computes through a copy. Everything the method's top-level scope still holds
/// reaches the result through read-outs at its end (<see cref="MathNetReadOuts"/>).
/// </para>
/// </remarks>
internal sealed partial class MethodGenerator
{
    private string DimText(MnDim dim) => dim == MnDim.N ? Length : "2";

    private MnDim PickDim() => random.Chance(0.7) ? MnDim.N : MnDim.Two;

    /// <summary>An index in bounds for <paramref name="dim"/>.</summary>
    private string DimIndex(Scope scope, MnDim dim) =>
        dim == MnDim.N ? IndexText(scope)
        : !scope.Ints.IsEmpty && random.Chance(0.4) ? $"{random.Pick(scope.Ints)} % 2"
        : random.Pick("0", "1");

    private static MnLocal[] Vectors(Scope scope, MnDim n) => scope.MathNet.Where(l => !l.Matrix && l.Rows == n).ToArray();

    private static MnLocal[] Matrices(Scope scope, MnDim rows, MnDim columns) =>
        scope.MathNet.Where(l => l.Matrix && l.Rows == rows && l.Columns == columns).ToArray();

    private static MnMethod Method(MnExpr target, string method, params Expr[] args) => new(target, method, args.ToImmutableArray());

    /// <summary>A scalar that depends on differentiable values.</summary>
    private Expr MnScalar(Scope scope) => Expression(scope, 2);

    /// <summary>A scalar bounded away from 0: <c>(1.5 + Sin(e))</c>.</summary>
    private Expr MnDivisor(Scope scope) => new Fn(FnKind.PositiveDenominator, Expression(scope, 2));

    // ---------------- vectors ----------------

    /// <summary>A vector of <paramref name="n"/> elements.</summary>
    private MnExpr Vec(Scope scope, MnDim n, int depth)
    {
        Nodes++;
        budget--;
        if (budget <= 0 || depth >= 3 || random.Chance(0.3 + 0.15 * depth))
        {
            return VecLeaf(scope, n, depth);
        }

        MnDim d = PickDim();
        switch (random.Weighted(8, 6, 6, 3, 3, 9, 4, 1, 2, 3))
        {
            case 0:
                return new MnOp(random.Pick('+', '-'), Vec(scope, n, depth + 1), Vec(scope, n, depth + 1));
            case 1:
            {
                MnExpr v = Vec(scope, n, depth + 1);
                return random.Weighted(3, 2, 2, 2, 1, 2) switch
                {
                    0 => new MnOp('*', v, MnScalar(scope)),
                    1 => new MnOp('*', MnScalar(scope), v),
                    2 => new MnOp('+', v, MnScalar(scope)),
                    3 => new MnOp('-', random.Chance(0.5) ? MnScalar(scope) : new Num(random.Pick(0.5, 1.5)), v),
                    4 => new MnOp('/', MnScalar(scope), PositiveVec(scope, n, depth + 1)),
                    _ => new MnOp('/', v, MnDivisor(scope)),
                };
            }

            case 2:
                return random.Chance(0.75)
                    ? new MnOp('*', Mat(scope, n, d, depth + 1), Vec(scope, d, depth + 1))
                    : Method(Mat(scope, n, d, depth + 1), "Multiply", Vec(scope, d, depth + 1));
            case 3:
                return random.Chance(0.7)
                    ? new MnOp('*', Vec(scope, d, depth + 1), Mat(scope, d, n, depth + 1))
                    : Method(Mat(scope, d, n, depth + 1), "LeftMultiply", Vec(scope, d, depth + 1));
            case 4:
                return Method(Mat(scope, d, n, depth + 1), "TransposeThisAndMultiply", Vec(scope, d, depth + 1));
            case 5:
                return PointwiseVec(scope, n, depth);
            case 6:
            {
                MnExpr v = Vec(scope, n, depth + 1);
                return random.Weighted(2, 2, 2, 2, 1) switch
                {
                    0 => Method(v, "Multiply", MnScalar(scope)),
                    1 => Method(v, "Divide", MnDivisor(scope)),
                    2 => Method(v, "Add", random.Chance(0.5) ? Vec(scope, n, depth + 1) : MnScalar(scope)),
                    3 => Method(v, "Subtract", random.Chance(0.5) ? Vec(scope, n, depth + 1) : MnScalar(scope)),
                    _ => Method(v, "Negate"),
                };
            }

            case 7:
                return new MnNeg(Vec(scope, n, depth + 1));
            case 8:
                Nodes++;
                return new MnConditional(Test(scope), Vec(scope, n, depth + 1), Vec(scope, n, depth + 1));
            default:
                return random.Chance(0.5)
                    ? Method(Mat(scope, d, n, depth + 1), "Row", new IntAsReal(DimIndex(scope, d)))
                    : Method(Mat(scope, n, d, depth + 1), "Column", new IntAsReal(DimIndex(scope, d)));
        }
    }

    /// <summary><c>v.PointwiseTanh()</c>, <c>Exp</c> of bounded, <c>Log</c> of positive values, <c>Maximum</c>, <c>Minimum</c>, <c>Multiply</c>, <c>Divide</c>.</summary>
    private MnExpr PointwiseVec(Scope scope, MnDim n, int depth) => random.Weighted(5, 3, 3, 2, 2, 3, 3, 1, 1) switch
    {
        0 => Method(Vec(scope, n, depth + 1), "PointwiseTanh"),
        1 => Method(BoundedVec(scope, n, depth + 1), "PointwiseExp"),
        2 => Method(PositiveVec(scope, n, depth + 1), "PointwiseLog"),
        3 => Method(Vec(scope, n, depth + 1), "PointwiseMaximum", random.Chance(0.5) ? Vec(scope, n, depth + 1) : random.Chance(0.5) ? new Num(0) : MnScalar(scope)),
        4 => Method(Vec(scope, n, depth + 1), "PointwiseMinimum", random.Chance(0.5) ? Vec(scope, n, depth + 1) : MnScalar(scope)),
        5 => Method(Vec(scope, n, depth + 1), "PointwiseMultiply", Vec(scope, n, depth + 1)),
        6 => Method(Vec(scope, n, depth + 1), "PointwiseDivide", PositiveVec(scope, n, depth + 1)),
        7 => Method(PositiveVec(scope, n, depth + 1), "PointwiseSqrt"),
        _ => Method(Vec(scope, n, depth + 1), "PointwiseAbs"),
    };

    /// <summary>A local, a copy of an array, a row or column of a matrix local, or <c>Build.Dense(n, e)</c>.</summary>
    private MnExpr VecLeaf(Scope scope, MnDim n, int depth)
    {
        MnLocal[] locals = Vectors(scope, n);
        MnLocal[] rowsOf = scope.MathNet.Where(l => l.Matrix && l.Columns == n).ToArray();
        MnLocal[] columnsOf = scope.MathNet.Where(l => l.Matrix && l.Rows == n).ToArray();
        string[] arrays = n == MnDim.N ? Readable(scope) : Array.Empty<string>();
        switch (random.Weighted(locals.Length > 0 ? 10 : 0, arrays.Length > 0 ? 6 : 0, rowsOf.Length > 0 ? 2 : 0, columnsOf.Length > 0 ? 2 : 0, 1))
        {
            case 0:
                return new MnName(random.Pick(locals).Name);
            case 1:
                return new MnOfArray(random.Pick(arrays));
            case 2:
            {
                MnLocal m = random.Pick(rowsOf);
                return Method(new MnName(m.Name), "Row", new IntAsReal(DimIndex(scope, m.Rows)));
            }

            case 3:
            {
                MnLocal m = random.Pick(columnsOf);
                return Method(new MnName(m.Name), "Column", new IntAsReal(DimIndex(scope, m.Columns)));
            }

            default:
                Nodes++;
                return new MnBuild(DimText(n), null, depth < 3 ? Leaf(scope) : new Num(0.5));
        }
    }

    /// <summary>A vector whose elements keep <c>PointwiseExp</c> finite: an input (|w| ≤ 1.5), or Tanh of anything (times 2).</summary>
    private MnExpr BoundedVec(Scope scope, MnDim n, int depth)
    {
        string[] inputs = n == MnDim.N ? Inputs(scope) : Array.Empty<string>();
        return random.Weighted(inputs.Length > 0 ? 4 : 0, 4, 1) switch
        {
            0 => new MnOfArray(random.Pick(inputs)),
            1 => Method(Vec(scope, n, depth + 1), "PointwiseTanh"),
            _ => new MnOp('*', Method(Vec(scope, n, depth + 1), "PointwiseTanh"), new Num(2.0)),
        };
    }

    /// <summary>A vector of positive elements (bounded away from 0): <c>Exp</c> of bounded, <c>v ⊙ v + c</c>, <c>Tanh(v) + 1.5</c>.</summary>
    private MnExpr PositiveVec(Scope scope, MnDim n, int depth)
    {
        switch (random.Weighted(3, 3, 2))
        {
            case 0:
                return Method(BoundedVec(scope, n, depth + 1), "PointwiseExp");
            case 1:
            {
                MnExpr v = Vec(scope, n, depth + 1);
                return new MnOp('+', Method(v, "PointwiseMultiply", v), new Num(random.Pick(0.5, 1.0)));
            }

            default:
                return new MnOp('+', Method(Vec(scope, n, depth + 1), "PointwiseTanh"), new Num(1.5));
        }
    }

    // ---------------- matrices ----------------

    /// <summary>A <paramref name="rows"/> × <paramref name="columns"/> matrix.</summary>
    private MnExpr Mat(Scope scope, MnDim rows, MnDim columns, int depth)
    {
        Nodes++;
        budget--;
        if (budget <= 0 || depth >= 3 || random.Chance(0.35 + 0.15 * depth))
        {
            return MatLeaf(scope, rows, columns, depth);
        }

        MnDim d = PickDim();
        switch (random.Weighted(6, 4, 3, 2, 3, 4, 2, 1))
        {
            case 0:
                return new MnOp(random.Pick('+', '-'), Mat(scope, rows, columns, depth + 1), Mat(scope, rows, columns, depth + 1));
            case 1:
            {
                MnExpr m = Mat(scope, rows, columns, depth + 1);
                return random.Weighted(3, 2, 2, 1, 2) switch
                {
                    0 => new MnOp('*', m, MnScalar(scope)),
                    1 => new MnOp('*', MnScalar(scope), m),
                    2 => new MnOp('/', m, MnDivisor(scope)),
                    3 => new MnOp('-', new Num(1.0), m),
                    _ => new MnOp('+', m, MnScalar(scope)),
                };
            }

            case 2:
                return random.Chance(0.7)
                    ? new MnOp('*', Mat(scope, rows, d, depth + 1), Mat(scope, d, columns, depth + 1))
                    : Method(Mat(scope, rows, d, depth + 1), "Multiply", Mat(scope, d, columns, depth + 1));
            case 3:
                return Method(Mat(scope, d, rows, depth + 1), "TransposeThisAndMultiply", Mat(scope, d, columns, depth + 1));
            case 4:
                return Method(Mat(scope, columns, rows, depth + 1), "Transpose");
            case 5:
                return random.Weighted(4, 2, 2, 1) switch
                {
                    0 => Method(Mat(scope, rows, columns, depth + 1), "PointwiseTanh"),
                    1 => Method(Mat(scope, rows, columns, depth + 1), "PointwiseMultiply", Mat(scope, rows, columns, depth + 1)),
                    2 => Method(Mat(scope, rows, columns, depth + 1), random.Pick("PointwiseMaximum", "PointwiseMinimum"), MnScalar(scope)),
                    _ => Method(Method(Mat(scope, rows, columns, depth + 1), "PointwiseTanh"), "PointwiseExp"),
                };
            case 6:
                Nodes++;
                return new MnConditional(Test(scope), Mat(scope, rows, columns, depth + 1), Mat(scope, rows, columns, depth + 1));
            default:
                return new MnNeg(Mat(scope, rows, columns, depth + 1));
        }
    }

    /// <summary>A local, a transposed local, an outer product, or <c>Build.Dense(r, c, e)</c>.</summary>
    private MnExpr MatLeaf(Scope scope, MnDim rows, MnDim columns, int depth)
    {
        MnLocal[] locals = Matrices(scope, rows, columns);
        MnLocal[] transposable = Matrices(scope, columns, rows);
        switch (random.Weighted(locals.Length > 0 ? 10 : 0, transposable.Length > 0 ? 3 : 0, 4, 1))
        {
            case 0:
                return new MnName(random.Pick(locals).Name);
            case 1:
                return Method(new MnName(random.Pick(transposable).Name), "Transpose");
            case 2:
            {
                int inner = Math.Max(depth + 1, 2);
                MnExpr u = Vec(scope, rows, inner), v = Vec(scope, columns, inner);
                return random.Chance(0.5) ? new MnOuter(u, v) : Method(u, "OuterProduct", v);
            }

            default:
                Nodes++;
                return new MnBuild(DimText(rows), DimText(columns), Leaf(scope));
        }
    }

    // ---------------- scalars ----------------

    /// <summary><c>u.DotProduct(v)</c>, <c>v.Sum()</c>, <c>p.L2Norm()</c> of a positive vector, <c>(u * v)</c>.</summary>
    private Expr MathNetReduction(Scope scope, int depth)
    {
        Nodes++;
        MnDim n = PickDim();
        int start = Math.Max(1, depth / 2);
        return random.Weighted(5, 4, 3, 2) switch
        {
            0 => new MnReduce(Vec(scope, n, start), "DotProduct", ImmutableArray.Create<Expr>(Vec(scope, n, start))),
            1 => new MnReduce(Vec(scope, n, start), "Sum", ImmutableArray<Expr>.Empty),
            2 => new MnReduce(PositiveVec(scope, n, start), "L2Norm", ImmutableArray<Expr>.Empty),
            _ => new MnReduce(Vec(scope, n, start), "*", ImmutableArray.Create<Expr>(Vec(scope, n, start))),
        };
    }

    /// <summary><c>v[i]</c> or <c>m[i, j]</c> of a local.</summary>
    private Expr MathNetElement(Scope scope)
    {
        MnLocal local = random.Pick(scope.MathNet);
        string index = DimIndex(scope, local.Rows);
        return new Index(local.Name, local.Matrix ? index + ", " + DimIndex(scope, local.Columns) : index);
    }

    // ---------------- statements ----------------

    /// <summary>
    /// The prelude of a MathNetCalls method: a vector copied from an input, a matrix filled element by element from the
    /// inputs, and often a counted loop of MathNet statements (an RNN-style recurrence <c>h = (W * h + u * x).PointwiseTanh()</c>).
    /// </summary>
    private Stmt MathNetPrelude(ref Scope scope)
    {
        var statements = ImmutableArray.CreateBuilder<Stmt>();
        string[] inputs = Inputs(scope);
        string[] arrays = inputs.Length > 0 ? inputs : Readable(scope);
        string u = Fresh("u");
        Nodes++;
        statements.Add(new DeclareMn(u, false, new MnOfArray(random.Pick(arrays))));
        scope = scope with { MathNet = scope.MathNet.Add(new MnLocal(u, false, MnDim.N, MnDim.N)) };
        statements.Add(FilledMatrix(ref scope, random.Chance(0.6) ? MnDim.N : PickDim(), random.Chance(0.6) ? MnDim.N : PickDim()));
        if (random.Chance(0.5))
        {
            // A state vector for the recurrence to overwrite.
            string h = Fresh("u");
            Nodes++;
            statements.Add(new DeclareMn(h, false, random.Chance(0.5) ? new MnBuild(Length, null) : Vec(scope, MnDim.N, 1)));
            scope = scope with { MathNet = scope.MathNet.Add(new MnLocal(h, false, MnDim.N, MnDim.N)) };
        }

        if (scope.LoopDepth < 2 && random.Chance(0.6))
        {
            string var = Fresh("i");
            string bound = Bound(scope, out bool isIndex);
            Scope inner = isIndex
                ? scope with { IndexVars = scope.IndexVars.Add(var), LoopDepth = scope.LoopDepth + 1 }
                : scope with { CountVars = scope.CountVars.Add(var), LoopDepth = scope.LoopDepth + 1 };
            tripMultiplier *= 4;
            var body = ImmutableArray.CreateBuilder<Stmt>();
            int count = random.Int(1, 3);
            for (int j = 0; j < count; j++)
            {
                body.Add(random.Weighted(6, 4, 1) switch
                {
                    0 => Recurrence(inner),
                    1 => MathNetStatement(ref inner),
                    _ => Statement(ref inner),
                });
            }

            tripMultiplier /= 4;
            Work += 4 * tripMultiplier * count;
            statements.Add(new For(var, bound, body.ToImmutable(), random.Pick(LoopShape.Up, LoopShape.Up, LoopShape.Down, LoopShape.FromOne)));
        }
        else
        {
            statements.Add(MathNetStatement(ref scope));
        }

        return new Sequence(statements.ToImmutable());
    }

    /// <summary><c>Matrix&lt;T&gt; m = Matrix&lt;T&gt;.Build.Dense(r, c);</c> then <c>m[i, j] = …</c> for every element.</summary>
    private Stmt FilledMatrix(ref Scope scope, MnDim rows, MnDim columns)
    {
        string m = Fresh("m"), i = Fresh("i"), j = Fresh("i");
        Scope Add(Scope s, string var, MnDim dim) => dim == MnDim.N
            ? s with { IndexVars = s.IndexVars.Add(var), LoopDepth = s.LoopDepth + 1 }
            : s with { CountVars = s.CountVars.Add(var), LoopDepth = s.LoopDepth + 1 };
        Scope fill = Add(Add(scope, i, rows), j, columns);
        string[] arrays = Readable(scope);
        Expr value = Expression(fill, 2);
        if (random.Chance(0.6))
        {
            // Mostly a distinct input element per entry, so that the matrix is not degenerate.
            string row = rows == MnDim.N ? i : j;
            value = new Bin('+', new Bin('*', new Num(random.Pick(0.5, 0.8, -0.6)), new Index(random.Pick(arrays), row)), value);
        }

        Nodes += 4;
        tripMultiplier *= 4;
        Work += 16 * tripMultiplier;
        tripMultiplier /= 4;
        scope = scope with { MathNet = scope.MathNet.Add(new MnLocal(m, true, rows, columns)) };
        return new Sequence(ImmutableArray.Create<Stmt>(
            new DeclareMn(m, true, new MnBuild(DimText(rows), DimText(columns))),
            new For(i, DimText(rows), ImmutableArray.Create<Stmt>(
                new For(j, DimText(columns), ImmutableArray.Create<Stmt>(new AssignElement(m, $"{i}, {j}", random.Pick("", "", "+"), value)))))));
    }

    /// <summary><c>h = f(h, …)</c> of a vector local, mostly <c>(W * h + b).PointwiseTanh()</c> or <c>h + 0.5 * (…)</c>.</summary>
    private Stmt Recurrence(Scope scope)
    {
        MnLocal[] vectors = scope.MathNet.Where(l => !l.Matrix && !l.Alias).ToArray();
        if (vectors.Length == 0)
        {
            return Statement(ref scope);
        }

        MnLocal h = random.Pick(vectors);
        MnDim d = PickDim();
        MnExpr product = new MnOp('*', Mat(scope, h.Rows, h.Rows, 2), new MnName(h.Name));
        MnExpr drive = random.Chance(0.5) ? new MnOp('*', Vec(scope, h.Rows, 2), MnScalar(scope)) : Vec(scope, h.Rows, 1);
        Nodes += 3;
        return random.Weighted(4, 2, 2) switch
        {
            0 => new AssignMn(h.Name, "", Method(new MnOp('+', product, drive), "PointwiseTanh")),
            1 => new AssignMn(h.Name, "+", new MnOp('*', new Num(0.5), Method(new MnOp('-', drive, new MnName(h.Name)), "PointwiseTanh"))),
            _ => new AssignMn(h.Name, "", new MnOp('+', new MnOp('*', new Num(0.5), new MnName(h.Name)),
                Method(new MnOp('*', Mat(scope, h.Rows, d, 2), Vec(scope, d, 2)), "PointwiseTanh"))),
        };
    }

    /// <summary>A statement over vectors and matrices: a new local, an assignment, a compound one, a result overload, an element write, a local chosen by <c>?:</c>.</summary>
    private Stmt MathNetStatement(ref Scope scope)
    {
        MnLocal[] owned = scope.MathNet.Where(l => !l.Alias).ToArray();
        bool any = !scope.MathNet.IsEmpty;
        switch (random.Weighted(any ? 8 : 1, owned.Length > 0 ? 6 : 0, any ? 5 : 0, any ? 8 : 0, any ? 6 : 0, any ? 3 : 0, owned.Any(l => !l.Matrix) ? 4 : 0))
        {
            case 0:
                return DeclareMathNet(ref scope);
            case 1:
            {
                MnLocal local = random.Pick(owned);
                MnExpr value = local.Matrix ? Mat(scope, local.Rows, local.Columns, 0) : Vec(scope, local.Rows, 0);
                if (!local.Matrix && random.Chance(0.4))
                {
                    value = Method(new MnOp('+', value, new MnName(local.Name)), random.Pick("PointwiseTanh", "PointwiseTanh", "Negate"));
                }

                return new AssignMn(local.Name, "", value);
            }

            case 2:
            {
                // h += …, h -= …, h *= s: a new vector bound to h (an alias is rebound, its target unchanged).
                MnLocal local = random.Pick(scope.MathNet);
                string op = random.Pick("+", "+", "-", "*");
                Expr value = op == "*" ? MnScalar(scope)
                    : local.Matrix ? Mat(scope, local.Rows, local.Columns, 1) : Vec(scope, local.Rows, 1);
                return new AssignMn(local.Name, op, value);
            }

            case 3:
                return ResultCall(scope);
            case 4:
            {
                MnLocal local = random.Pick(scope.MathNet);
                string index = DimIndex(scope, local.Rows);
                Nodes++;
                return new AssignElement(
                    local.Name, local.Matrix ? index + ", " + DimIndex(scope, local.Columns) : index, random.Pick("", "", "+", "*"), Expression(scope, 1));
            }

            case 5:
            {
                // Vector<T> c = test ? a : b; often written through at once.
                MnLocal a = random.Pick(scope.MathNet);
                MnLocal[] same = scope.MathNet.Where(l => l.Matrix == a.Matrix && l.Rows == a.Rows && l.Columns == a.Columns).ToArray();
                string name = Fresh("c");
                Nodes += 2;
                var declare = new DeclareMn(name, a.Matrix, new MnConditional(Test(scope), new MnName(a.Name), new MnName(random.Pick(same).Name)));
                scope = scope with { MathNet = scope.MathNet.Add(new MnLocal(name, a.Matrix, a.Rows, a.Columns, Alias: true)) };
                if (!random.Chance(0.6))
                {
                    return declare;
                }

                string index = DimIndex(scope, a.Rows);
                return new Sequence(ImmutableArray.Create<Stmt>(
                    declare,
                    new AssignElement(name, a.Matrix ? index + ", " + DimIndex(scope, a.Columns) : index, random.Pick("", "+"), Expression(scope, 1))));
            }

            default:
                return Recurrence(scope);
        }
    }

    /// <summary>A new vector or matrix local, of an expression or filled element by element.</summary>
    private Stmt DeclareMathNet(ref Scope scope)
    {
        bool matrix = random.Chance(0.3);
        MnDim rows = random.Chance(0.75) ? MnDim.N : MnDim.Two, columns = random.Chance(0.7) ? MnDim.N : MnDim.Two;
        if (matrix && random.Chance(0.4))
        {
            return FilledMatrix(ref scope, rows, columns);
        }

        string name = Fresh(matrix ? "m" : "u");
        Nodes++;
        MnExpr value = matrix ? Mat(scope, rows, columns, 0) : Vec(scope, rows, 0);
        scope = scope with { MathNet = scope.MathNet.Add(new MnLocal(name, matrix, rows, matrix ? columns : rows)) };
        return new DeclareMn(name, matrix, value);
    }

    /// <summary>An operand of a product written into a result: never a bare local (which could be the result), cloned instead.</summary>
    private static MnExpr Unaliased(MnExpr operand) => operand is MnName or MnConditional ? Method(operand, "Clone") : operand;

    /// <summary>
    /// An overload that writes a result the caller passes: <c>a.Multiply(x, y)</c>, <c>m.TransposeThisAndMultiply(x, y)</c>,
    /// <c>u.Add(v, y)</c>, <c>h.PointwiseTanh(h)</c>, <c>c.Add(d, c)</c>, <c>m.Row(i, y)</c>, <c>A.Multiply(B, C)</c>, …
    /// </summary>
    private Stmt ResultCall(Scope scope)
    {
        MnLocal target = random.Pick(scope.MathNet);
        var result = new MnName(target.Name);
        MnDim n = target.Rows, c = target.Columns, d = PickDim();
        Nodes += 2;

        // Element-wise: the receiver is often the result itself (in place).
        MnExpr Self() => random.Chance(0.4) ? result : target.Matrix ? Mat(scope, n, c, 1) : Vec(scope, n, 1);
        MnExpr Same() => random.Chance(0.25) ? result : target.Matrix ? Mat(scope, n, c, 1) : Vec(scope, n, 1);
        MnCall Call(MnExpr receiver, string method, params Expr[] args) => new(receiver, method, args.Append(result).ToImmutableArray());

        if (target.Matrix)
        {
            return random.Weighted(3, 2, 3, 2, 1, target.Alias ? 0 : 2) switch
            {
                0 => Call(Self(), random.Pick("Add", "Subtract", "PointwiseMultiply"), Same()),
                1 => Call(Self(), random.Pick("Multiply", "Add"), MnScalar(scope)),
                2 => Call(Self(), "PointwiseTanh"),
                3 => Call(Self(), random.Pick("PointwiseMaximum", "PointwiseMinimum"), random.Chance(0.5) ? Same() : MnScalar(scope)),
                4 => Call(Self(), "Divide", MnDivisor(scope)),
                _ => Call(Unaliased(Mat(scope, n, d, 1)), "Multiply", Unaliased(Mat(scope, d, c, 1))),
            };
        }

        bool products = !target.Alias;
        MnLocal[] squares = Matrices(scope, n, n);
        switch (random.Weighted(products ? 4 : 0, products ? 2 : 0, products && squares.Length > 0 ? 2 : 0, 4, 2, 3, 2, 2, 2, 1, 2))
        {
            case 0:
                return Call(Mat(scope, n, d, 1), "Multiply", Unaliased(Vec(scope, d, 1)));
            case 1:
                return Call(Mat(scope, d, n, 1), "TransposeThisAndMultiply", Unaliased(Vec(scope, d, 1)));
            case 2:
                return Call(new MnName(random.Pick(squares).Name), "Multiply", result); // W.Multiply(h, h): MathNet multiplies into a copy
            case 3:
                return Call(Self(), random.Pick("Add", "Subtract", "PointwiseMultiply"), Same());
            case 4:
                return Call(Self(), random.Pick("Multiply", "Add", "Subtract"), MnScalar(scope));
            case 5:
                return Call(Self(), "PointwiseTanh");
            case 6:
                return Call(random.Chance(0.3) ? result : BoundedVec(scope, n, 1), "PointwiseExp") is var exp && ReferenceEquals(exp.Target, result)
                    ? new Sequence(ImmutableArray.Create<Stmt>(Call(result, "PointwiseTanh"), exp)) // bounded first, in place
                    : exp;
            case 7:
                return Call(PositiveVec(scope, n, 1), "PointwiseLog");
            case 8:
                return Call(Self(), random.Pick("PointwiseMaximum", "PointwiseMinimum"), random.Chance(0.5) ? Same() : MnScalar(scope));
            case 9:
                return Call(Self(), random.Chance(0.5) ? "Divide" : "Multiply", random.Chance(0.5) ? MnDivisor(scope) : MnScalar(scope));
            default:
            {
                MnLocal[] rowsOf = scope.MathNet.Where(l => l.Matrix && l.Columns == n).ToArray();
                MnLocal[] columnsOf = scope.MathNet.Where(l => l.Matrix && l.Rows == n).ToArray();
                if (rowsOf.Length > 0 && (columnsOf.Length == 0 || random.Chance(0.5)))
                {
                    MnLocal m = random.Pick(rowsOf);
                    return Call(new MnName(m.Name), "Row", new IntAsReal(DimIndex(scope, m.Rows)));
                }

                if (columnsOf.Length > 0)
                {
                    MnLocal m = random.Pick(columnsOf);
                    return Call(new MnName(m.Name), "Column", new IntAsReal(DimIndex(scope, m.Columns)));
                }

                return Call(Self(), "PointwiseDivide", PositiveVec(scope, n, 1));
            }
        }
    }

    /// <summary>
    /// Read-outs of every vector and matrix local still in scope (not of aliases, whose targets are read):
    /// <c>T h = 0; for (…) { h += v[i] * (i + 0.5); }</c>, <c>m[i, j] * ((i + 0.5) * (j + 1.5))</c>, or <c>v.DotProduct(…)</c>.
    /// </summary>
    private List<(Stmt ReadOut, Expr Total)> MathNetReadOuts(Scope scope)
    {
        var readOuts = new List<(Stmt, Expr)>();
        foreach (MnLocal local in scope.MathNet.Where(l => !l.Alias))
        {
            string sum = Fresh("h"), i = Fresh("i"), j = Fresh("i");
            Nodes += 4;
            Stmt readOut;
            if (!local.Matrix && random.Chance(0.3))
            {
                MnExpr weights = local.Rows == MnDim.N && Inputs(scope) is { Length: > 0 } inputs && random.Chance(0.5)
                    ? new MnOfArray(random.Pick(inputs))
                    : new MnBuild(DimText(local.Rows), null, new Num(0.75));
                readOut = new Declare(sum, random.Chance(0.7)
                    ? new MnReduce(new MnName(local.Name), "DotProduct", ImmutableArray.Create<Expr>(new MnOp('+', weights, new Num(2.0))))
                    : new MnReduce(new MnName(local.Name), "Sum", ImmutableArray<Expr>.Empty));
            }
            else if (!local.Matrix)
            {
                readOut = new Sequence(ImmutableArray.Create<Stmt>(
                    new Declare(sum, new Num(0)),
                    new For(i, DimText(local.Rows), ImmutableArray.Create<Stmt>(
                        new Assign(sum, "+", new Bin('*', new Index(local.Name, i), new Bin('+', new IntAsReal(i), new Num(0.5))))))));
            }
            else
            {
                Expr weight = new Bin('*', new Bin('+', new IntAsReal(i), new Num(0.5)), new Bin('+', new IntAsReal(j), new Num(1.5)));
                readOut = new Sequence(ImmutableArray.Create<Stmt>(
                    new Declare(sum, new Num(0)),
                    new For(i, DimText(local.Rows), ImmutableArray.Create<Stmt>(
                        new For(j, DimText(local.Columns), ImmutableArray.Create<Stmt>(
                            new Assign(sum, "+", new Bin('*', new Index(local.Name, $"{i}, {j}"), weight))))))));
            }

            readOuts.Add((readOut, new Ref(sum)));
        }

        return readOuts;
    }
}
