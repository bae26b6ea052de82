using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CsCheck;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>
/// A CsCheck generator of random programs in the differentiable subset. It is written imperatively over CsCheck's
/// <see cref="PCG"/> because what may be generated depends on what is in scope (locals, loop indices, scratch arrays,
/// earlier methods). The <see cref="Size"/> it reports is the number of AST nodes, and every program starts by drawing a
/// node budget, so small programs are common: CsCheck's shrinking, which keeps any failing sample smaller than the
/// smallest so far, converges on short programs quickly.
/// </summary>
/// <remarks>
/// Domains are kept safe by construction: Log, Sqrt and divisors only see expressions bounded away from zero
/// (<see cref="FnKind"/>), indices are constants below 2 (every array has length ≥ 2), loop indices over
/// <c>w.Length</c>, or counts taken modulo <c>w.Length</c>; loops have small bounds. What is not safe by construction
/// (overflow of Exp/Pow/Sinh, kinks of Abs/Max/Min/Clamp, branch flips, data-dependent trip counts changing under a
/// perturbation) is left to the oracle, which skips non-finite values and points where the function is not smooth.
/// </remarks>
public sealed class ProgramGenerator : Gen<ProgramSpec>
{
    public static ProgramGenerator Instance { get; } = new();

    public override ProgramSpec Generate(PCG pcg, Size? min, out Size size)
    {
        var random = new Rng(pcg);
        int methodCount = random.Pick(1, 1, 2, 2, 3);
        int budget = random.Int(2, 20 * methodCount);
        int arrayLength = random.Int(2, 4);
        int nodes = 0;
        var methods = ImmutableArray.CreateBuilder<MethodSpec>(methodCount);
        var work = new List<int>(methodCount);
        for (int i = 0; i < methodCount; i++)
        {
            var method = new MethodGenerator(random, i, random.Chance(0.25), methods.ToImmutable(), work);
            methods.Add(method.Generate(budget / methodCount + 1));
            work.Add(method.Work);
            nodes += method.Nodes;
        }

        var points = ImmutableArray.CreateBuilder<Point>(2);
        for (int p = 0; p < 2; p++)
        {
            // Rounded to float so that float methods and their double twins see the same inputs.
            var w = ImmutableArray.CreateBuilder<double>(arrayLength);
            for (int j = 0; j < arrayLength; j++)
            {
                w.Add((float)random.Double(-1.5, 1.5));
            }

            points.Add(new Point((float)random.Double(-2, 2), (float)random.Double(-2, 2), w.MoveToImmutable(), random.Int(0, 3)));
        }

        size = new Size((ulong)nodes);
        return new ProgramSpec(methods.MoveToImmutable(), arrayLength, points.MoveToImmutable());
    }

    /// <summary>Small helpers over CsCheck's PCG.</summary>
    private sealed class Rng(PCG pcg)
    {
        public int Int(int low, int high) => low + (int)pcg.Next((uint)(high - low + 1));

        public bool Chance(double p) => pcg.Next(1_000_000) < p * 1_000_000;

        public double Double(double low, double high) => low + (high - low) * (pcg.Next64() >> 11) * (1.0 / (1UL << 53));

        public T Pick<T>(params T[] items) => items[Int(0, items.Length - 1)];

        /// <summary>Index of a weighted choice; zero weights are never chosen.</summary>
        public int Weighted(params int[] weights)
        {
            int total = 0;
            foreach (int weight in weights)
            {
                total += weight;
            }

            int ticket = Int(0, total - 1);
            for (int i = 0; i < weights.Length; i++)
            {
                ticket -= weights[i];
                if (ticket < 0)
                {
                    return i;
                }
            }

            throw new InvalidOperationException("no positive weight");
        }
    }

    /// <summary>What a statement or expression may refer to at its position.</summary>
    private sealed record Scope(
        ImmutableList<string> Assignable,
        ImmutableList<string> ReadOnly,
        ImmutableList<string> Arrays,
        ImmutableList<string> Scratch,
        ImmutableList<string> IndexVars,
        ImmutableList<string> CountVars,
        int LoopDepth)
    {
        public static Scope Method { get; } = new(
            ImmutableList.Create("x", "y"), ImmutableList<string>.Empty, ImmutableList.Create("w"), ImmutableList<string>.Empty,
            ImmutableList<string>.Empty, ImmutableList.Create("k"), 0);

        public ImmutableList<string> Scalars => Assignable.AddRange(ReadOnly);

        public ImmutableList<string> Ints => IndexVars.AddRange(CountVars);
    }

    private sealed class MethodGenerator(Rng random, int index, bool isFloat, ImmutableArray<MethodSpec> earlier, IReadOnlyList<int> earlierWork)
    {
        /// <summary>
        /// Bound on <see cref="Work"/>. Calls inside loops multiply, and the oracle evaluates each method some 30 times
        /// per point, so without it a few programs with calls in nested loops would dominate the run time.
        /// </summary>
        private const int MaxWork = 300;

        private readonly List<int> callable = Callable(earlier, isFloat);
        private int budget;
        private int names;
        private int tripMultiplier = 1;

        public int Nodes { get; private set; }

        /// <summary>An upper estimate of the statements one call executes, callees included.</summary>
        public int Work { get; private set; } = 1;

        private static List<int> Callable(ImmutableArray<MethodSpec> earlier, bool isFloat)
        {
            var list = new List<int>();
            foreach (MethodSpec method in earlier)
            {
                if (method.IsFloat == isFloat)
                {
                    list.Add(method.Index);
                }
            }

            return list;
        }

        public MethodSpec Generate(int nodeBudget)
        {
            budget = nodeBudget;
            bool expressionBodied = random.Chance(0.15);
            Scope scope = Scope.Method;
            ImmutableArray<Stmt> body = expressionBodied ? ImmutableArray<Stmt>.Empty : Block(ref scope, random.Int(1, 6));
            budget = Math.Max(budget, 3);
            Expr result = Expression(scope, 0);
            return new MethodSpec(index, isFloat, expressionBodied, body, result);
        }

        private string Fresh(string prefix) => prefix + names++;

        private bool Spend()
        {
            Nodes++;
            budget--;
            return budget > 0;
        }

        // ---------------- statements ----------------

        private ImmutableArray<Stmt> Block(ref Scope scope, int maxStatements)
        {
            var statements = ImmutableArray.CreateBuilder<Stmt>();
            int count = random.Int(1, maxStatements);
            for (int i = 0; i < count && budget > 0; i++)
            {
                statements.Add(Statement(ref scope));
            }

            return statements.ToImmutable();
        }

        /// <summary>A nested block: what it declares is not visible after it.</summary>
        private ImmutableArray<Stmt> Nested(Scope scope, int maxStatements) => Block(ref scope, maxStatements);

        private Stmt Statement(ref Scope scope)
        {
            Spend();
            Work += tripMultiplier;
            bool hasLocals = scope.Assignable.Count > 2;
            bool inLoop = scope.LoopDepth > 0;
            bool canLoop = scope.LoopDepth < 2;
            switch (random.Weighted(
                20, // declare a local
                hasLocals ? 30 : 4, // assign (x and y are assignable too)
                scope.Scratch.Count < 2 ? 5 : 0, // scratch array
                scope.Scratch.Count > 0 ? 12 : 0, // write an element
                4, // data-dependent count
                canLoop ? 12 : 0, // for
                canLoop ? 5 : 0, // while
                canLoop ? 3 : 0, // do-while
                canLoop ? 5 : 0, // foreach
                10, // if/else
                inLoop ? 7 : 0, // guarded break/continue
                3)) // guarded early return
            {
                case 0:
                {
                    string name = Fresh("h");
                    var declare = new Declare(name, Expression(scope, 0));
                    scope = scope with { Assignable = scope.Assignable.Add(name) };
                    return declare;
                }

                case 1:
                {
                    string name = random.Pick(scope.Assignable.ToArray());
                    string op = random.Pick("", "", "", "+", "+", "-", "*", "/");
                    Expr value = Expression(scope, 0);
                    if (op == "/")
                    {
                        value = new Fn(FnKind.PositiveDenominator, value);
                    }
                    else if (op == "" && random.Chance(0.5))
                    {
                        // An overwrite that reads the old value: h = f(h, ...).
                        value = new Bin(random.Pick('+', '*', '-'), new Fn(random.Pick(FnKind.Tanh, FnKind.Sin, FnKind.Atan), new Ref(name)), value);
                    }

                    return new Assign(name, op, value);
                }

                case 2:
                {
                    string name = Fresh("s");
                    scope = scope with { Arrays = scope.Arrays.Add(name), Scratch = scope.Scratch.Add(name) };
                    return new DeclareArray(name);
                }

                case 3:
                    return new AssignElement(
                        random.Pick(scope.Scratch.ToArray()), IndexText(scope), random.Pick("", "", "+", "-", "*"), Expression(scope, 0));

                case 4:
                {
                    string name = Fresh("n");
                    var declare = new DeclareInt(name, "", Expression(scope, 2));
                    scope = scope with { CountVars = scope.CountVars.Add(name) };
                    return declare;
                }

                case 5:
                {
                    string var = Fresh("i");
                    string bound = Bound(scope, out bool isIndex);
                    Scope inner = isIndex
                        ? scope with { IndexVars = scope.IndexVars.Add(var), LoopDepth = scope.LoopDepth + 1 }
                        : scope with { CountVars = scope.CountVars.Add(var), LoopDepth = scope.LoopDepth + 1 };
                    return new For(var, bound, LoopBody(inner));
                }

                case 6:
                case 7:
                {
                    // The counter runs 1..bound inside the body: a count, not an index.
                    string var = Fresh("i");
                    string bound = Bound(scope, out _);
                    Scope inner = scope with { CountVars = scope.CountVars.Add(var), LoopDepth = scope.LoopDepth + 1 };
                    ImmutableArray<Stmt> body = LoopBody(inner);
                    Stmt loop = random.Chance(0.6) ? new While(var, bound, body) : new DoWhile(var, bound, body);
                    scope = scope with { CountVars = scope.CountVars.Add(var) };
                    return loop;
                }

                case 8:
                {
                    string var = Fresh("v");
                    string array = random.Pick(scope.Arrays.ToArray());
                    Scope inner = scope with { ReadOnly = scope.ReadOnly.Add(var), LoopDepth = scope.LoopDepth + 1 };
                    return new ForEach(var, array, LoopBody(inner));
                }

                case 9:
                {
                    Condition test = Test(scope);
                    ImmutableArray<Stmt> then = Nested(scope, 3);
                    ImmutableArray<Stmt> otherwise = random.Chance(0.5) ? Nested(scope, 3) : ImmutableArray<Stmt>.Empty;
                    return new IfElse(test, then, otherwise);
                }

                case 10:
                    return new IfElse(Test(scope), ImmutableArray.Create<Stmt>(random.Chance(0.5) ? new Break() : new Continue()), ImmutableArray<Stmt>.Empty);

                default:
                    return new IfElse(Test(scope), ImmutableArray.Create<Stmt>(new Return(Expression(scope, 1))), ImmutableArray<Stmt>.Empty);
            }
        }

        /// <summary>A loop body; every bound the generator produces is at most 4.</summary>
        private ImmutableArray<Stmt> LoopBody(Scope inner)
        {
            tripMultiplier *= 4;
            ImmutableArray<Stmt> body = Nested(inner, 4);
            tripMultiplier /= 4;
            return body;
        }

        /// <summary>A loop bound: small, from an int parameter, the array length, a data-dependent count, or a constant.</summary>
        private string Bound(Scope scope, out bool isIndex)
        {
            isIndex = false;
            switch (random.Int(0, 5))
            {
                case 0:
                case 1:
                    isIndex = true;
                    return "w.Length";
                case 2:
                    return "k";
                case 3:
                    return "k + 1";
                case 4:
                    return random.Pick(scope.CountVars.ToArray()) is var c && c != "k" && !c.StartsWith('i') ? c : "2";
                default:
                    return random.Pick("1", "2", "3");
            }
        }

        /// <summary>An index that is in bounds for every array (all have length w.Length ≥ 2).</summary>
        private string IndexText(Scope scope)
        {
            switch (random.Int(0, 5))
            {
                case 0:
                    return "0";
                case 1:
                    return "1";
                case 2:
                    return "w.Length - 1";
                case 3 when !scope.IndexVars.IsEmpty:
                case 4 when !scope.IndexVars.IsEmpty:
                    return random.Pick(scope.IndexVars.ToArray());
                default:
                    return $"({random.Pick(scope.CountVars.ToArray())} + {random.Int(0, 2)}) % w.Length";
            }
        }

        private Condition Test(Scope scope)
        {
            if (!scope.Ints.IsEmpty && random.Chance(0.3))
            {
                string i = random.Pick(scope.Ints.ToArray());
                return new Condition(null, "", null, random.Pick($"{i} % 2 == 0", $"{i} > 0", $"{i} == 1", "k > 1"));
            }

            return new Condition(Expression(scope, 2), random.Pick(">", "<", ">=", "<="), Expression(scope, 2));
        }

        // ---------------- expressions ----------------

        private Expr Expression(Scope scope, int depth)
        {
            bool room = Spend();
            if (!room || depth >= 4 || random.Chance(0.25 + 0.1 * depth))
            {
                return Leaf(scope);
            }

            int[] affordable = callable.Where(target => Work + tripMultiplier * (1 + earlierWork[target]) <= MaxWork).ToArray();
            bool canCall = affordable.Length > 0;
            switch (random.Weighted(5, 30, 6, 25, 10, 5, 3, canCall ? 8 : 0, 3))
            {
                case 0:
                    return new Neg(Expression(scope, depth + 1));
                case 1:
                    return new Bin(random.Pick('+', '-', '*'), Expression(scope, depth + 1), Expression(scope, depth + 1));
                case 2:
                    return new Bin('/', Expression(scope, depth + 1), new Fn(FnKind.PositiveDenominator, Expression(scope, depth + 1)));
                case 3:
                {
                    FnKind kind = random.Pick(
                        FnKind.Exp, FnKind.Softplus, FnKind.LogTwoPlusSin, FnKind.LogOnePlusSquare, FnKind.SqrtOnePlusSquare,
                        FnKind.SqrtExp, FnKind.Tanh, FnKind.Sin, FnKind.Cos, FnKind.Atan, FnKind.Abs, FnKind.Square, FnKind.Cube,
                        FnKind.Sinh, FnKind.Clamp);
                    return new Fn(kind, Expression(scope, depth + 1));
                }

                case 4:
                    return new Fn2(
                        random.Pick(Fn2Kind.Max, Fn2Kind.Min, Fn2Kind.Atan2, Fn2Kind.PowPositiveBase),
                        Expression(scope, depth + 1), Expression(scope, depth + 1));
                case 5:
                    return new Conditional(Test(scope), Expression(scope, depth + 1), Expression(scope, depth + 1));
                case 6:
                    return new Stop(Expression(scope, depth + 1));
                case 7:
                {
                    int target = random.Pick(affordable);
                    Work += tripMultiplier * (1 + earlierWork[target]);
                    return new Call(
                        target, Expression(scope, depth + 1), Expression(scope, depth + 1),
                        random.Pick(scope.Arrays.ToArray()), random.Pick("k", "0", "1", "2"));
                }
                default:
                    return new ViaDouble(random.Pick(FnKind.Exp, FnKind.Tanh, FnKind.Sin, FnKind.LogTwoPlusSin), Expression(scope, depth + 1));
            }
        }

        private Expr Leaf(Scope scope)
        {
            switch (random.Weighted(45, 12, 30, scope.Ints.IsEmpty ? 0 : 5))
            {
                case 0:
                    return new Ref(random.Pick(scope.Scalars.ToArray()));
                case 1:
                    return new Num(random.Pick(0.5, 1.5, -0.75, 2.0, 0.1, 3.0));
                case 2:
                    return new Index(random.Pick(scope.Arrays.ToArray()), IndexText(scope));
                default:
                    return new IntAsReal(random.Pick(scope.Ints.ToArray()));
            }
        }
    }
}
