using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CsCheck;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>
/// What the program generator may produce beyond its base subset (issue 8). Each flag is a class of programs whose
/// gradients went silently wrong once; each can be run on its own (see ProgramFeaturePropertyTests, or
/// <c>SOURCEDIFF_PROGRAM_FEATURES</c> for the main property). With <see cref="None"/> the generator draws exactly what it
/// drew before the flags existed, so a seed names the same program as it always did.
/// </summary>
[Flags]
public enum ProgramFeatures
{
    None = 0,

    /// <summary>
    /// Array-valued <c>?:</c>: <c>T[] v = c ? a : b;</c> then reads and writes through <c>v</c>; as a call argument
    /// (<c>M0(x, y, c ? w : s0, k)</c>); element reads and writes through it (<c>(c ? s0 : s1)[i] = e</c>); jagged rows
    /// (methods take <c>T[][] r</c>, <c>c ? r[0] : r[1]</c>); and a ping-pong stencil over two scratch arrays
    /// (<c>src = s % 2 == 0 ? A : B; dst = s % 2 == 0 ? B : A;</c> in a loop, heat-equation style).
    /// </summary>
    ArrayConditionals = 1,

    /// <summary>
    /// Local array aliases: <c>T[] a = s0; a[i] = e;</c> in callers, aliases reassigned in branches and loops, and
    /// differentiable <c>void</c> callees that write into their array argument through an alias
    /// (<c>static void F0(T[] v, T x, T y, int k) { T[] a = v; a[0] = 3 * x; }</c>), called with plain, parenthesised
    /// (<c>F0((s0), …)</c>) and aliased arguments.
    /// </summary>
    LocalAliases = 2,

    /// <summary>
    /// <c>(T[])a.Clone()</c>: copies declared as locals (of inputs, scratch arrays and aliases) and written
    /// independently of their original, and clones as call arguments.
    /// </summary>
    ArrayClones = 4,

    /// <summary>
    /// <c>TensorPrimitives.Op&lt;T&gt;(…)</c> calls (see TensorStatements): element-wise operations into scratch arrays,
    /// views of them and of a wider scratch array (<c>a.AsSpan(start, length)</c>), span locals bound to views, in
    /// place and in loops, with differentiable scalar arguments; reductions (Sum, Dot, Norm, Max, …) inside expressions.
    /// </summary>
    TensorCalls = 8,

    /// <summary>
    /// MathNet.Numerics <c>Vector&lt;T&gt;</c>/<c>Matrix&lt;T&gt;</c> code (see MathNetStatements): vectors built from the
    /// method's arrays (<c>DenseOfArray</c>) and matrices filled element by element, combined by operators, products,
    /// point-wise functions, rows, columns, outer products and transposes, result overloads (in place too), compound
    /// assignment, <c>?:</c>, element reads and writes; reductions (DotProduct, Sum, L2Norm) in expressions.
    /// </summary>
    MathNetCalls = 16,

    All = ArrayConditionals | LocalAliases | ArrayClones | TensorCalls | MathNetCalls,
}

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
/// Inputs are never written: only scratch arrays, clones and aliases that refer to nothing else are writable.
/// </remarks>
public sealed class ProgramGenerator(ProgramFeatures features = ProgramFeatures.None) : Gen<ProgramSpec>
{
    /// <summary>The classes of array-valued code (aliases, <c>?:</c>, copies), which share statements of the generator.</summary>
    public const ProgramFeatures ArrayFeatures = ProgramFeatures.ArrayConditionals | ProgramFeatures.LocalAliases | ProgramFeatures.ArrayClones;

    public static ProgramGenerator Instance { get; } = new();

    public ProgramFeatures Features => features;

    public override ProgramSpec Generate(PCG pcg, Size? min, out Size size)
    {
        var random = new Rng(pcg);
        int methodCount = random.Pick(1, 1, 2, 2, 3);
        int budget = random.Int(2, 20 * methodCount);
        int arrayLength = random.Int(2, 4);
        bool rows = features.HasFlag(ProgramFeatures.ArrayConditionals) && random.Chance(0.5);
        int nodes = 0;

        var fillers = ImmutableArray.CreateBuilder<FillerSpec>();
        var fillerWork = new List<int>();
        if (features.HasFlag(ProgramFeatures.LocalAliases))
        {
            int fillerCount = random.Pick(0, 1, 1, 2);
            for (int j = 0; j < fillerCount; j++)
            {
                var filler = new MethodGenerator(random, MethodContext.Filler(j, random.Chance(0.25), fillers.ToImmutable(), fillerWork, features));
                fillers.Add(filler.GenerateFiller(budget / (methodCount + 1) + 1));
                fillerWork.Add(filler.Work);
                nodes += filler.Nodes;
            }
        }

        var methods = ImmutableArray.CreateBuilder<MethodSpec>(methodCount);
        var work = new List<int>(methodCount);
        for (int i = 0; i < methodCount; i++)
        {
            var method = new MethodGenerator(
                random, MethodContext.Program(i, random.Chance(0.25), methods.ToImmutable(), work, fillers.ToImmutable(), fillerWork, features, rows));
            methods.Add(method.Generate(budget / methodCount + 1));
            work.Add(method.Work);
            nodes += method.Nodes;
        }

        var points = ImmutableArray.CreateBuilder<Point>(2);
        for (int p = 0; p < 2; p++)
        {
            // Rounded to float so that float methods and their double twins see the same inputs.
            ImmutableArray<double> w = Vector(random, arrayLength);
            var point = new Point((float)random.Double(-2, 2), (float)random.Double(-2, 2), w, random.Int(0, 3));
            if (rows)
            {
                point = point with { R = ImmutableArray.Create(Vector(random, arrayLength), Vector(random, arrayLength)) };
            }

            points.Add(point);
        }

        size = new Size((ulong)nodes);
        return new ProgramSpec(methods.MoveToImmutable(), arrayLength, points.MoveToImmutable(), fillers.ToImmutable(), rows);
    }

    private static ImmutableArray<double> Vector(Rng random, int length)
    {
        var w = ImmutableArray.CreateBuilder<double>(length);
        for (int j = 0; j < length; j++)
        {
            w.Add((float)random.Double(-1.5, 1.5));
        }

        return w.MoveToImmutable();
    }

    /// <summary>Parses a feature list such as <c>ArrayConditionals,ArrayClones</c> (names or unique prefixes, case-insensitive; <c>All</c>).</summary>
    public static ProgramFeatures ParseFeatures(string? text)
    {
        var result = ProgramFeatures.None;
        foreach (string part in (text ?? "").Split(',', ';', '|', ' ').Where(p => p.Length > 0))
        {
            ProgramFeatures[] matches = Enum.GetValues<ProgramFeatures>()
                .Where(f => f.ToString().StartsWith(part, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (matches.Length != 1)
            {
                throw new ArgumentException($"'{part}' names no single program feature ({string.Join(", ", Enum.GetNames<ProgramFeatures>())})");
            }

            result |= matches[0];
        }

        return result;
    }
}

/// <summary>Small helpers over CsCheck's PCG.</summary>
internal sealed class Rng(PCG pcg)
{
    public int Int(int low, int high) => low + (int)pcg.Next((uint)(high - low + 1));

    public bool Chance(double p) => pcg.Next(1_000_000) < p * 1_000_000;

    public double Double(double low, double high) => low + (high - low) * (pcg.Next64() >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(params T[] items) => items[Int(0, items.Length - 1)];

    public T Pick<T>(ImmutableList<T> items) => items[Int(0, items.Count - 1)];

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
/// <param name="Arrays">Arrays that may be read (parameters, rows, scratch arrays, aliases, fields).</param>
/// <param name="Scratch">Fresh arrays this method allocated (at most two are declared by the base generator).</param>
internal sealed record Scope(
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

    /// <summary>Arrays that may be written: scratch arrays, clones, aliases of writable arrays only, [State] fields.</summary>
    public ImmutableList<string> Writable { get; init; } = ImmutableList<string>.Empty;

    /// <summary>Array locals that may be made to refer to another array (aliases and clones).</summary>
    public ImmutableList<string> Aliases { get; init; } = ImmutableList<string>.Empty;

    /// <summary>Readable <c>T[,]</c> fields (models), all of them <c>n × n</c>.</summary>
    public ImmutableList<string> Matrices { get; init; } = ImmutableList<string>.Empty;

    /// <summary>Scratch arrays of twice the length (TensorCalls), read and written through views only.</summary>
    public ImmutableList<string> Wide { get; init; } = ImmutableList<string>.Empty;

    /// <summary>Span locals bound to views (TensorCalls).</summary>
    public ImmutableList<SpanLocal> SpanLocals { get; init; } = ImmutableList<SpanLocal>.Empty;

    /// <summary>MathNet vector and matrix locals (MathNetCalls).</summary>
    public ImmutableList<MnLocal> MathNet { get; init; } = ImmutableList<MnLocal>.Empty;

    public ImmutableList<string> Scalars => Assignable.AddRange(ReadOnly);

    public ImmutableList<string> Ints => IndexVars.AddRange(CountVars);

    public bool HasK => CountVars.Contains("k");
}

/// <summary>Model-specific statements and calls (layer steps, layer read-outs, custom derivatives), see ModelGenerator.</summary>
internal interface IMethodHooks
{
    int CallWeight(Scope scope);

    Expr Call(MethodGenerator generator, Scope scope, int depth);

    int StatementWeight(Scope scope);

    Stmt Statement(MethodGenerator generator, ref Scope scope);
}

/// <summary>Where a method is generated: its scope on entry, what it may call, and what it may contain.</summary>
internal sealed record MethodContext(
    int Index,
    bool IsFloat,
    Scope Start,
    string Length,
    ProgramFeatures Features,
    ImmutableArray<MethodSpec> Earlier,
    IReadOnlyList<int> EarlierWork,
    ImmutableArray<FillerSpec> Fillers,
    IReadOnlyList<int> FillerWork,
    bool IsVoid = false,
    bool AllowStop = true,
    IMethodHooks? Hooks = null,
    bool RefHelpers = false)
{
    public static MethodContext Program(
        int index, bool isFloat, ImmutableArray<MethodSpec> earlier, IReadOnlyList<int> earlierWork,
        ImmutableArray<FillerSpec> fillers, IReadOnlyList<int> fillerWork, ProgramFeatures features, bool rows) =>
        new(index, isFloat, rows ? Scope.Method with { Arrays = Scope.Method.Arrays.Add("r[0]").Add("r[1]") } : Scope.Method,
            "w.Length", features, earlier, earlierWork, fillers, fillerWork, RefHelpers: true);

    /// <summary><c>static void F{index}(T[] v, T x, T y, int k)</c>: <c>v</c> is writable.</summary>
    public static MethodContext Filler(int index, bool isFloat, ImmutableArray<FillerSpec> earlier, IReadOnlyList<int> earlierWork, ProgramFeatures features) =>
        new(index, isFloat,
            Scope.Method with { Arrays = ImmutableList.Create("v"), Writable = ImmutableList.Create("v") },
            "v.Length", features, ImmutableArray<MethodSpec>.Empty, Array.Empty<int>(), earlier, earlierWork, IsVoid: true, RefHelpers: true);
}

internal sealed partial class MethodGenerator(Rng random, MethodContext context)
{
    /// <summary>
    /// Bound on <see cref="Work"/>. Calls inside loops multiply, and the oracle evaluates each method some 30 times
    /// per point, so without it a few programs with calls in nested loops would dominate the run time.
    /// </summary>
    private const int MaxWork = 300;

    private readonly List<int> callable = Callable(context.Earlier, context.IsFloat);
    private readonly List<int> callableFillers = context.Fillers.Where(f => f.IsFloat == context.IsFloat).Select(f => f.Index).ToList();
    private int budget;
    private int names;
    private int tripMultiplier = 1;
    private bool pingPong;

    public int Nodes { get; private set; }

    /// <summary>An upper estimate of the statements one call executes, callees included.</summary>
    public int Work { get; private set; } = 1;

    /// <summary>The length of every array in scope, as C#: <c>w.Length</c>.</summary>
    public string Length => context.Length;

    private ProgramFeatures Features => context.Features;

    private bool Has(ProgramFeatures feature) => (context.Features & feature) != 0;

    /// <summary>Whether a class of array-valued code is on (<see cref="ProgramGenerator.ArrayFeatures"/>): their statements share weights.</summary>
    private bool HasArrayFeatures => (context.Features & ProgramGenerator.ArrayFeatures) != 0;

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
        Scope scope = context.Start;
        ImmutableArray<Stmt> body = ImmutableArray<Stmt>.Empty;
        if (!expressionBodied)
        {
            Stmt? prelude = Features != ProgramFeatures.None && random.Chance(Has(ProgramFeatures.TensorCalls | ProgramFeatures.MathNetCalls) ? 0.9 : 0.6) ? FeaturePrelude(ref scope) : null;
            body = Block(ref scope, random.Int(1, 6));
            if (prelude is not null)
            {
                body = body.Insert(0, prelude);
            }
        }

        budget = Math.Max(budget, 3);
        Expr result = Expression(scope, 0);
        ImmutableList<string> locals = scope.Arrays.RemoveRange(context.Start.Arrays);
        if (HasArrayFeatures && !locals.IsEmpty && random.Chance(0.8))
        {
            // A read-out of every element of a local array, mostly of one the method allocated (not of an alias of
            // it), so that what was written through aliases, callees and copies reaches the result whatever the index:
            // T h = 0; for (int i = 0; i < w.Length; i++) { h += s0[i] * (i + 0.5); }
            string array = !scope.Scratch.IsEmpty && random.Chance(0.7) ? random.Pick(scope.Scratch) : random.Pick(locals);
            string sum = Fresh("h"), i = Fresh("i");
            body = body.Add(new Declare(sum, new Num(0)))
                .Add(new For(i, Length, ImmutableArray.Create<Stmt>(
                    new Assign(sum, "+", new Bin('*', new Index(array, i), new Bin('+', new IntAsReal(i), new Num(0.5)))))));
            Nodes += 4;
            result = new Bin('+', result, new Ref(sum));
        }

        if (Has(ProgramFeatures.TensorCalls) && !expressionBodied)
        {
            // What TensorPrimitives wrote reaches the result, element by element.
            foreach ((Stmt readOut, Expr total) in TensorReadOuts(scope))
            {
                body = body.Add(readOut);
                result = new Bin('+', result, total);
            }
        }

        if (Has(ProgramFeatures.MathNetCalls) && !expressionBodied)
        {
            // What every vector and matrix still in scope holds reaches the result.
            foreach ((Stmt readOut, Expr total) in MathNetReadOuts(scope))
            {
                body = body.Add(readOut);
                result = new Bin('+', result, total);
            }
        }

        return new MethodSpec(context.Index, context.IsFloat, expressionBodied && body.IsEmpty, body, result);
    }

    /// <summary>A void callee writing into <c>v</c>: often through an alias of it, always at least once at its end.</summary>
    public FillerSpec GenerateFiller(int nodeBudget)
    {
        budget = nodeBudget;
        Scope scope = context.Start;
        var body = ImmutableArray.CreateBuilder<Stmt>();
        if (random.Chance(0.7))
        {
            string alias = Fresh("a");
            body.Add(new DeclareArrayAlias(alias, random.Chance(0.3) ? new ArrayParen(new ArrayName("v")) : new ArrayName("v")));
            scope = scope with { Arrays = scope.Arrays.Add(alias), Writable = scope.Writable.Add(alias), Aliases = scope.Aliases.Add(alias) };
            Nodes++;
        }

        body.AddRange(Block(ref scope, random.Int(1, 4)));
        budget = Math.Max(budget, 2);
        Nodes++;
        body.Add(new AssignElement(random.Pick(scope.Writable), IndexText(scope), random.Pick("", "+", "*"), Expression(scope, 1)));
        if (Has(ProgramFeatures.TensorCalls))
        {
            body.AddRange(TensorReadOutsInto("v", scope));
        }

        return new FillerSpec(context.Index, context.IsFloat, body.ToImmutable());
    }

    /// <summary>A statement block and the expression it returns, for a model method (see ModelGenerator).</summary>
    public (ImmutableArray<Stmt> Body, Expr Result) GenerateBody(int nodeBudget, int maxStatements, ref Scope scope, bool result)
    {
        budget = nodeBudget;
        ImmutableArray<Stmt> body = maxStatements == 0 ? ImmutableArray<Stmt>.Empty : Block(ref scope, maxStatements);
        budget = Math.Max(budget, 3);
        return (body, result ? Expression(scope, 0) : new Num(0));
    }

    /// <summary>Lets a caller spend more nodes on the same method (the forced statements of a model's Step).</summary>
    public void AddBudget(int nodes) => budget = Math.Max(budget, 0) + nodes;

    public string Fresh(string prefix) => prefix + names++;

    /// <summary>One of <paramref name="items"/>, drawn from this generator's random stream.</summary>
    public T Choose<T>(IReadOnlyList<T> items) => items[random.Int(0, items.Count - 1)];

    private bool Spend()
    {
        Nodes++;
        budget--;
        return budget > 0;
    }

    // ---------------- statements ----------------

    public ImmutableArray<Stmt> Block(ref Scope scope, int maxStatements)
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
    public ImmutableArray<Stmt> Nested(Scope scope, int maxStatements) => Block(ref scope, maxStatements);

    private Stmt Statement(ref Scope scope)
    {
        Spend();
        Work += tripMultiplier;
        bool hasLocals = scope.Assignable.Count > context.Start.Assignable.Count;
        bool inLoop = scope.LoopDepth > 0;
        bool canLoop = scope.LoopDepth < 2;
        bool arrays = HasArrayFeatures;
        int[] fillers = AffordableFillers();
        bool canWriteSomething = !scope.Writable.IsEmpty || Has(ProgramFeatures.ArrayClones);
        switch (random.Weighted(
            20, // declare a local
            hasLocals ? 30 : scope.Assignable.IsEmpty ? 0 : 4, // assign (x and y are assignable too)
            scope.Scratch.Count < 2 ? (arrays && scope.Writable.IsEmpty ? 12 : 5) : 0, // scratch array
            scope.Writable.Count > 0 ? (scope.Aliases.IsEmpty ? 12 : 20) : 0, // write an element (the base generator's scratch arrays are its only writable ones)
            4, // data-dependent count
            canLoop ? 12 : 0, // for
            canLoop ? 5 : 0, // while
            canLoop ? 3 : 0, // do-while
            canLoop ? 5 : 0, // foreach
            10, // if/else
            inLoop ? 7 : 0, // guarded break/continue
            3, // guarded early return
            arrays ? 14 : 0, // declare an array alias or copy
            arrays && !scope.Aliases.IsEmpty ? (inLoop ? 12 : 6) : 0, // make an alias refer to another array
            fillers.Length > 0 ? 14 : 0, // call a void callee that writes into its argument
            Has(ProgramFeatures.ArrayConditionals) && !pingPong && scope.LoopDepth == 0 && scope.HasK && context.Hooks is null ? 4 : 0, // ping-pong stencil
            Has(ProgramFeatures.ArrayConditionals) && scope.Writable.Count > 0 ? 5 : 0, // write through c ? a : b
            !scope.Assignable.IsEmpty && canLoop ? 4 : 0, // a gate array: filled by one counted loop, read by another
            context.Hooks?.StatementWeight(scope) ?? 0, // model statements
            !scope.Assignable.IsEmpty && context.RefHelpers ? 5 : 0, // a callee writing a scalar through ref/out (the program prints the helpers)
            scope.Assignable.Count >= 2 ? 4 : 0, // a tuple assignment, often with a ref/out call in its second element
            Has(ProgramFeatures.TensorCalls) ? 24 : 0, // TensorPrimitives.Op<T>(…) into a scratch array or a view of one
            Has(ProgramFeatures.TensorCalls) ? 8 : 0, // a span local bound to a view
            Has(ProgramFeatures.MathNetCalls) ? 30 : 0, // a MathNet vector or matrix statement
            canLoop && scope.LoopDepth == 0 && !scope.Assignable.IsEmpty ? 4 : 0)) // an RNN step over two scratch arrays
        {
            case 0:
            {
                string name = Fresh("h");

                // Cheap arithmetic locals in loops (`double e = h[i] - y;`) are recomputed by the reverse sweep rather than recorded.
                var declare = new Declare(name, random.Chance(inLoop ? 0.4 : 0.15) ? CheapExpression(scope, 0) : Expression(scope, 0));
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
                scope = scope with { Arrays = scope.Arrays.Add(name), Scratch = scope.Scratch.Add(name), Writable = scope.Writable.Add(name) };
                return new DeclareArray(name);
            }

            case 3:
                return new AssignElement(
                    random.Pick(scope.Writable.ToArray()), IndexText(scope), random.Pick("", "", "+", "-", "*"), Expression(scope, 0));

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
                LoopShape shape = random.Pick(LoopShape.Up, LoopShape.Up, LoopShape.Up, LoopShape.FromOne, LoopShape.ByTwo, LoopShape.UpInclusive, LoopShape.Down, LoopShape.DownByTwo);
                return new For(var, bound, LoopBody(inner), shape);
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
                // Over an alias, the body often rebinds it: foreach must keep iterating the array it started with.
                bool overAlias = Has(ProgramFeatures.LocalAliases) && !scope.Aliases.IsEmpty && random.Chance(0.5);
                string array = overAlias ? random.Pick(scope.Aliases) : random.Pick(scope.Arrays.ToArray());
                Scope inner = scope with { ReadOnly = scope.ReadOnly.Add(var), LoopDepth = scope.LoopDepth + 1 };
                ImmutableArray<Stmt> body = LoopBody(inner);
                if (overAlias && random.Chance(0.7))
                {
                    // Rebound to another array, mostly a named one of other contents, and the item read after it.
                    bool writable = scope.Writable.Contains(array);
                    ImmutableList<string> aliases = scope.Aliases;
                    string[] others = (writable ? scope.Writable : scope.Arrays).Where(n => n != array && !aliases.Contains(n)).ToArray();
                    ArrayExpr source = others.Length > 0 && random.Chance(0.7) ? new ArrayName(random.Pick(others)) : ArraySource(inner, writable, 0, declaration: true);
                    body = body.Insert(random.Chance(0.6) ? 0 : random.Int(0, body.Length), new AssignArray(array, source));
                    if (!scope.Assignable.IsEmpty)
                    {
                        body = body.Add(new Assign(random.Pick(scope.Assignable.ToArray()), "+", new Bin('*', new Ref(var), Expression(inner, 1))));
                    }
                }

                return new ForEach(var, array, body);
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

            case 11:
                return new IfElse(
                    Test(scope), ImmutableArray.Create<Stmt>(new Return(context.IsVoid ? null : Expression(scope, 1))), ImmutableArray<Stmt>.Empty);

            case 12:
                return AliasDeclaration(ref scope, canWriteSomething, random.Chance(0.6), 0.5);

            case 13:
            {
                // A writable alias may only be made to refer to writable arrays; a read-only one to anything.
                string name = random.Pick(scope.Aliases);
                bool writable = scope.Writable.Contains(name);
                return new AssignArray(name, ArraySource(scope, writable, 0, declaration: true));
            }

            case 14:
                return FillerCall(ref scope, fillers, canWriteSomething);

            case 15:
                return PingPong(ref scope);

            case 16:
            {
                string index = IndexText(scope);
                var through = new ArrayConditional(ThroughTest(scope, random.Pick(scope.Writable), index), ArraySource(scope, true, 1), ArraySource(scope, true, 1));
                return new AssignThrough(through, index, random.Pick("", "+", "*"), Expression(scope, 1));
            }

            case 17:
            {
                // An LSTM-style gate array: fresh, each element written once with an activation, read afterwards (the
                // writes need no recording unless something reads the array before them).
                string gate = Fresh("g");
                string fill = Fresh("i");
                string read = Fresh("i");
                Scope filling = scope with { IndexVars = scope.IndexVars.Add(fill), LoopDepth = scope.LoopDepth + 1 };
                // An activation's derivative reads the element it wrote; a plain expression's reads nothing of the array.
                Expr activation = random.Chance(0.6)
                    ? new Fn(random.Pick(FnKind.Tanh, FnKind.Exp, FnKind.SqrtOnePlusSquare, FnKind.Sin), Expression(filling, 1))
                    : Expression(filling, 1);
                bool writable = random.Chance(0.5);
                scope = scope with
                {
                    Arrays = scope.Arrays.Add(gate),
                    Scratch = writable ? scope.Scratch.Add(gate) : scope.Scratch,
                    Writable = writable ? scope.Writable.Add(gate) : scope.Writable,
                };
                Scope reading = scope with { IndexVars = scope.IndexVars.Add(read), LoopDepth = scope.LoopDepth + 1 };
                Stmt use = new Assign(random.Pick(scope.Assignable.ToArray()), "+", new Bin('*', new Index(gate, read), Expression(reading, 1)));
                Stmt filled = new For(fill, Length, ImmutableArray.Create<Stmt>(new AssignElement(gate, fill, "", activation)));
                return new Sequence(ImmutableArray.Create<Stmt>(
                    new DeclareArray(gate),
                    random.Chance(0.5)
                        ? new For(read, Length, ImmutableArray.Create(filled, use)) // refilled every outer iteration, read at the outer counter
                        : new Sequence(ImmutableArray.Create(filled, new For(read, Length, ImmutableArray.Create(use), random.Pick(LoopShape.Up, LoopShape.Down))))));
            }

            case 18:
                return context.Hooks!.Statement(this, ref scope);

            case 20:
            {
                // (p, q) = (h, RefStep(ref h, e)): the first element is read before the call in the second writes it.
                string[] names = scope.Assignable.ToArray();
                string first = random.Pick(names);
                string second = random.Pick(names.Where(n => n != first).ToArray());
                string read = random.Pick(names);
                Expr later = context.RefHelpers && random.Chance(0.6)
                    ? new RefHelperCall(random.Chance(0.35), read, Expression(scope, 1))
                    : Expression(scope, 0);
                return new TupleAssign(first, second, random.Chance(0.5) ? new Ref(read) : Expression(scope, 1), later);
            }

            case 19:
            {
                // h = RefStep(ref h, e), t += SquareOut(e, out h): the callee's reverse sweep reads what it wrote.
                string written = random.Pick(scope.Assignable.ToArray());
                string target = random.Chance(0.4) ? written : random.Pick(scope.Assignable.ToArray());
                // MixRefs(ref h, ref g, e), often with g the same variable as h: two ref adjoints that are one storage.
                string? second = random.Chance(0.25) ? (random.Chance(0.5) ? written : random.Pick(scope.Assignable.ToArray())) : null;
                return new Assign(target, random.Pick("", "+"), new RefHelperCall(random.Chance(0.35) && second is null, written, Expression(scope, 1), random.Chance(0.3), second));
            }

            case 21:
                return TensorStatement(ref scope);

            case 22:
                return SpanLocalDeclaration(ref scope);

            case 23:
                return MathNetStatement(ref scope);

            case 24:
                return RecurrentCopy(ref scope);

            default:
                throw new InvalidOperationException("No statement of this weight index.");
        }
    }

    /// <summary>
    /// An RNN step over two scratch arrays, as in a flat Elman RNN: each step computes next from h element by element,
    /// then copies next back into h while a loss accumulates. The copy makes the arrays equal where each step starts,
    /// which lets the reverse sweep reload next's old elements from h instead of the tape; the variants break each
    /// condition of that: a second write to next in an iteration, a call in the update that writes next too
    /// (<c>next[i] = StoreAt(next, i, …)</c>), an extra write between the loops, an update loop counting down, a copy over
    /// part of the range or the other way round.
    /// </summary>
    private Stmt RecurrentCopy(ref Scope scope)
    {
        string h = Fresh("s"), next = Fresh("s"), t = Fresh("i"), i = Fresh("i"), j = Fresh("i");
        Scope withArrays = scope with
        {
            Arrays = scope.Arrays.Add(h).Add(next),
            Scratch = scope.Scratch.Add(h).Add(next),
            Writable = scope.Writable.Add(h).Add(next),
        };
        Scope step = withArrays with { CountVars = withArrays.CountVars.Add(t), LoopDepth = 1 };
        Scope update = step with { IndexVars = step.IndexVars.Add(i), LoopDepth = 2 };
        string read = random.Pick(i, i, $"({i} + 1) % {Length}");
        Expr preActivation = new Bin('+', new Bin('*', new Index(h, read), Expression(update, 2)), Expression(update, 2));
        var updateBody = ImmutableArray.CreateBuilder<Stmt>();
        Expr activation = new Fn(random.Pick(FnKind.Tanh, FnKind.Tanh, FnKind.Sin, FnKind.SqrtOnePlusSquare), preActivation);
        updateBody.Add(new AssignElement(next, i, "", context.RefHelpers && random.Chance(0.15)
            ? new StoreAtCall(next, random.Pick(i, $"{i} + 1"), activation) // a call in the same statement writes next too
            : activation));
        if (random.Chance(0.15))
        {
            updateBody.Add(new AssignElement(next, i, random.Pick("+", "*"), Expression(update, 1)));
        }

        var stepBody = ImmutableArray.CreateBuilder<Stmt>();
        stepBody.Add(new For(i, Length, updateBody.ToImmutable(), random.Chance(0.8) ? LoopShape.Up : LoopShape.Down));
        if (random.Chance(0.2))
        {
            stepBody.Add(new AssignElement(random.Pick(h, next), IndexText(step), random.Pick("", "+", "*"), Expression(step, 1)));
        }

        Scope copying = step with { IndexVars = step.IndexVars.Add(j), LoopDepth = 2 };
        Stmt copy = random.Chance(0.15) ? new AssignElement(next, j, "", new Index(h, j)) : new AssignElement(h, j, "", new Index(next, j));
        Stmt accumulate = new Assign(random.Pick(scope.Assignable.ToArray()), "+", new Bin('*', new Index(h, j), Expression(copying, 1)));
        stepBody.Add(new For(j, Length, ImmutableArray.Create(copy, accumulate), random.Chance(0.85) ? LoopShape.Up : LoopShape.FromOne));

        Nodes += 14;
        Work += tripMultiplier * 4 * 2 * 4;
        scope = withArrays;
        string bound = scope.HasK ? random.Pick("2", "3", "k + 1") : random.Pick("2", "3");
        return new Sequence(ImmutableArray.Create<Stmt>(new DeclareArray(h), new DeclareArray(next), new For(t, bound, stepBody.ToImmutable())));
    }

    /// <summary>
    /// <c>T[] a = &lt;array&gt;;</c>, writable when every array it may refer to is (or when it is a copy); a writable one
    /// of a scratch array declared here when there is none to refer to, and then often written through at once.
    /// </summary>
    private Stmt AliasDeclaration(ref Scope scope, bool canWriteSomething, bool wantWritable, double writeChance)
    {
        Stmt? declare = null;
        if (wantWritable && !canWriteSomething)
        {
            string scratch = Fresh("s");
            declare = new DeclareArray(scratch);
            scope = scope with { Arrays = scope.Arrays.Add(scratch), Scratch = scope.Scratch.Add(scratch), Writable = scope.Writable.Add(scratch) };
        }

        string name = Fresh("a");
        ArrayExpr value = ArraySource(scope, wantWritable, 0, declaration: true);
        bool writable = IsWritable(value, scope);
        scope = scope with
        {
            Arrays = scope.Arrays.Add(name),
            Aliases = scope.Aliases.Add(name),
            Writable = writable ? scope.Writable.Add(name) : scope.Writable,
        };
        var statements = ImmutableArray.CreateBuilder<Stmt>();
        if (declare is not null)
        {
            statements.Add(declare);
        }

        statements.Add(new DeclareArrayAlias(name, value));
        if (writable && random.Chance(writeChance))
        {
            // Written through at once, the pattern of the bug: T[] a = s0; a[i] = e; … s0[i] …
            Nodes++;
            statements.Add(new AssignElement(name, IndexText(scope), random.Pick("", "", "+", "*"), Expression(scope, 1)));
        }

        return statements.Count == 1 ? statements[0] : new Sequence(statements.ToImmutable());
    }

    /// <summary><c>F0(array, a, b, count);</c>, into a new scratch array when nothing in scope may be written.</summary>
    private Stmt FillerCall(ref Scope scope, int[] fillers, bool canWriteSomething)
    {
        Stmt? declare = null;
        if (!canWriteSomething)
        {
            string name = Fresh("s");
            declare = new DeclareArray(name);
            scope = scope with { Arrays = scope.Arrays.Add(name), Scratch = scope.Scratch.Add(name), Writable = scope.Writable.Add(name) };
        }

        int target = random.Pick(fillers);
        Work += tripMultiplier * (1 + context.FillerWork[target]);
        ArrayExpr array = ArraySource(scope, writable: true, 0);
        Expr a = Expression(scope, 1);
        Expr b = Expression(scope, 1);
        string count = scope.HasK ? random.Pick("k", "0", "1", "2") : random.Pick("0", "1", "2");
        var call = new InvokeStatement(new Invoke("F" + target, true, ImmutableArray.Create(array, a, b, new IntAsReal(count))));
        return declare is null ? call : new Sequence(ImmutableArray.Create(declare, call));
    }

    /// <summary>
    /// A statement of the features' own kinds, which starts most methods of a feature run so that each run exercises
    /// its class: a written alias or copy, a call of a void callee, a ping-pong stencil, a write through <c>?:</c>.
    /// </summary>
    private Stmt FeaturePrelude(ref Scope scope)
    {
        int[] fillers = AffordableFillers();
        bool conditionals = Has(ProgramFeatures.ArrayConditionals);
        bool canWrite = !scope.Writable.IsEmpty || Has(ProgramFeatures.ArrayClones);
        switch (random.Weighted(
            HasArrayFeatures ? 10 : 0, fillers.Length > 0 ? 8 : 0, conditionals && scope.HasK && context.Hooks is null ? 4 : 0, conditionals ? 3 : 0,
            Has(ProgramFeatures.TensorCalls) ? 14 : 0,
            Has(ProgramFeatures.MathNetCalls) ? 14 : 0))
        {
            case 0:
                return AliasDeclaration(ref scope, canWrite, wantWritable: true, writeChance: 0.9);
            case 1:
                return FillerCall(ref scope, fillers, canWrite);
            case 2:
                return PingPong(ref scope);
            case 4:
                return TensorPrelude(ref scope);
            case 5:
                return MathNetPrelude(ref scope);
            default:
            {
                // Two scratch arrays and a write through c ? s0 : s1.
                string a = Fresh("s"), b = Fresh("s");
                scope = scope with
                {
                    Arrays = scope.Arrays.Add(a).Add(b),
                    Scratch = scope.Scratch.Add(a).Add(b),
                    Writable = scope.Writable.Add(a).Add(b),
                };
                Nodes += 3;
                string index = IndexText(scope);
                var through = new ArrayConditional(ThroughTest(scope, random.Pick(a, b), index), new ArrayName(a), new ArrayName(b));
                return new Sequence(ImmutableArray.Create<Stmt>(
                    new DeclareArray(a), new DeclareArray(b),
                    new AssignThrough(through, index, random.Pick("", "", "+"), Expression(scope, 1))));
            }
        }
    }

    /// <summary>
    /// The condition of <c>(c ? a : b)[i] op= e</c>: often one that reads the element the write changes
    /// (<c>(s1[i] &lt; e ? s1 : s0)[i] = x</c>), so that evaluating it again after the write would choose otherwise.
    /// </summary>
    private Condition ThroughTest(Scope scope, string written, string index) =>
        random.Chance(0.5) ? new Condition(new Index(written, index), random.Pick("<", ">="), Expression(scope, 3)) : Test(scope);

    private int[] AffordableFillers() =>
        callableFillers.Where(target => Work + tripMultiplier * (1 + context.FillerWork[target]) <= MaxWork).ToArray();

    /// <summary>
    /// Two scratch arrays, the first filled from an input, then a few explicit diffusion steps between them with the
    /// roles swapped by array-valued <c>?:</c> every step, then a read-out of both into a scalar.
    /// </summary>
    private Stmt PingPong(ref Scope scope)
    {
        pingPong = true;
        string a = Fresh("s"), b = Fresh("s");
        string init = Fresh("i"), step = Fresh("i"), j = Fresh("i"), src = Fresh("a"), dst = Fresh("a");
        Scope withArrays = scope with
        {
            Arrays = scope.Arrays.Add(a).Add(b),
            Scratch = scope.Scratch.Add(a).Add(b),
            Writable = scope.Writable.Add(a).Add(b),
        };

        Scope initScope = withArrays with { IndexVars = withArrays.IndexVars.Add(init), LoopDepth = 1 };
        Expr initValue = new Bin('+', new Index(random.Pick(scope.Arrays), init), Expression(initScope, 2));

        Scope stepScope = withArrays with { CountVars = withArrays.CountVars.Add(step), LoopDepth = 1 };
        string bound = random.Pick("2", "3", "k + 1");
        var even = new Condition(null, "", null, $"{step} % 2 == 0");
        Expr coefficient = random.Chance(0.5)
            ? new Num(random.Pick(0.1, 0.25))
            : new Bin('*', new Num(0.25), new Fn(FnKind.Tanh, Expression(stepScope, 2)));
        Expr Src(string index) => new Index(src, index);
        Expr laplacian = new Bin('+',
            new Bin('-', Src($"({j} + 1) % {Length}"), new Bin('*', new Num(2.0), Src(j))),
            Src($"({j} + {Length} - 1) % {Length}"));
        Expr update = new Bin('+', Src(j), new Bin('*', coefficient, laplacian));
        var stencil = new For(step, bound, ImmutableArray.Create<Stmt>(
            new DeclareArrayAlias(src, new ArrayConditional(even, new ArrayName(a), new ArrayName(b))),
            new DeclareArrayAlias(dst, new ArrayConditional(even, new ArrayName(b), new ArrayName(a))),
            new For(j, Length, ImmutableArray.Create<Stmt>(new AssignElement(dst, j, "", update)))));
        Stmt readOut = new Assign(
            random.Pick(scope.Assignable), "+", new Bin('*', new Index(a, IndexText(withArrays)), new Index(b, IndexText(withArrays))));
        Nodes += 16;
        Work += 4 + 3 * 4 * 4 + 1;
        scope = withArrays;
        return new Sequence(ImmutableArray.Create(
            new DeclareArray(a), new DeclareArray(b),
            new For(init, Length, ImmutableArray.Create<Stmt>(new AssignElement(a, init, "", initValue))),
            stencil, readOut));
    }

    /// <summary>
    /// An array expression whose every possible value is writable when <paramref name="writable"/> (a copy always
    /// is), of the kinds the features allow: a name, <c>(a)</c>, <c>c ? a : b</c>, <c>(T[])a.Clone()</c>, <c>r[i % 2]</c>.
    /// The value of a <paramref name="declaration"/> (<c>T[] a = …</c>) is a plain name only with
    /// <see cref="ProgramFeatures.LocalAliases"/>, so that each feature alone generates its own class of programs.
    /// </summary>
    public ArrayExpr ArraySource(Scope scope, bool writable, int depth, bool declaration = false)
    {
        ImmutableList<string> names = writable ? scope.Writable : scope.Arrays;
        bool rows = scope.Arrays.Contains("r[0]") && !writable && !scope.Ints.IsEmpty;
        bool plain = !names.IsEmpty && (!declaration || depth > 0 || Has(ProgramFeatures.LocalAliases));
        if (declaration && depth == 0 && !Has(ProgramFeatures.LocalAliases) && (names.IsEmpty || !Has(ProgramFeatures.ArrayConditionals)) && !rows)
        {
            // Nothing but a copy is allowed here (clones alone), or possible (no writable array to alias).
            Nodes++;
            return new ArrayClone(ArraySource(scope, writable: false, depth + 1));
        }

        switch (random.Weighted(
            plain ? 10 : 0,
            Has(ProgramFeatures.LocalAliases) && !names.IsEmpty && depth < 2 ? 3 : 0,
            Has(ProgramFeatures.ArrayConditionals) && !names.IsEmpty && depth < 2 ? 8 : 0,
            Has(ProgramFeatures.ArrayClones) && depth < 2 || names.IsEmpty ? 6 : 0,
            rows ? 2 : 0))
        {
            case 0:
                return new ArrayName(random.Pick(names));
            case 1:
                return new ArrayParen(ArraySource(scope, writable, depth + 1));
            case 2:
                Nodes++;
                return new ArrayConditional(Test(scope), ArraySource(scope, writable, depth + 1), ArraySource(scope, writable, depth + 1));
            case 3:
                Nodes++;
                return new ArrayClone(ArraySource(scope, writable: false, depth + 1));
            default:
                return new ArrayName($"r[{random.Pick(scope.Ints)} % 2]");
        }
    }

    /// <summary>Whether writing through <paramref name="array"/> can only change arrays that may be written.</summary>
    public static bool IsWritable(ArrayExpr array, Scope scope) => array switch
    {
        ArrayName n => scope.Writable.Contains(n.Text),
        ArrayParen p => IsWritable(p.Inner, scope),
        ArrayConditional c => IsWritable(c.WhenTrue, scope) && IsWritable(c.WhenFalse, scope),
        ArrayClone => true,
        _ => false,
    };

    /// <summary>A loop body; every bound the generator produces is at most 4.</summary>
    public ImmutableArray<Stmt> LoopBody(Scope inner)
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
                return Length;
            case 2:
                return scope.HasK ? "k" : "2";
            case 3:
                return scope.HasK ? "k + 1" : "3";
            case 4:
                return !scope.CountVars.IsEmpty && random.Pick(scope.CountVars.ToArray()) is var c && c != "k" && !c.StartsWith('i') ? c : "2";
            default:
                return random.Pick("1", "2", "3");
        }
    }

    /// <summary>An index that is in bounds for every array (all have length w.Length ≥ 2).</summary>
    public string IndexText(Scope scope)
    {
        switch (random.Int(0, 5))
        {
            case 0:
                return "0";
            case 1:
                return "1";
            case 2:
                return Length + " - 1";
            case 3 when !scope.IndexVars.IsEmpty:
            case 4 when !scope.IndexVars.IsEmpty:
                return random.Pick(scope.IndexVars.ToArray());
            default:
                return scope.CountVars.IsEmpty ? "0" : $"({random.Pick(scope.CountVars.ToArray())} + {random.Int(0, 2)}) % {Length}";
        }
    }

    public Condition Test(Scope scope)
    {
        if (!scope.Ints.IsEmpty && random.Chance(0.3))
        {
            string i = random.Pick(scope.Ints.ToArray());
            return new Condition(null, "", null, random.Pick($"{i} % 2 == 0", $"{i} > 0", $"{i} == 1", scope.HasK ? "k > 1" : $"{i} > 1"));
        }

        return new Condition(Expression(scope, 2), random.Pick(">", "<", ">=", "<="), Expression(scope, 2));
    }

    // ---------------- expressions ----------------

    public Expr Expression(Scope scope, int depth)
    {
        bool room = Spend();
        if (!room || depth >= 4 || random.Chance(0.25 + 0.1 * depth))
        {
            return Leaf(scope);
        }

        int[] affordable = callable.Where(target => Work + tripMultiplier * (1 + context.EarlierWork[target]) <= MaxWork).ToArray();
        bool canCall = affordable.Length > 0;
        switch (random.Weighted(
            5, 30, 6, 25, 10, 5, context.AllowStop ? 3 : 0, canCall ? 8 : 0, 3, context.Hooks?.CallWeight(scope) ?? 0,
            context.RefHelpers && !scope.Assignable.IsEmpty ? 3 : 0, // a ref/out helper inside an expression, whose write later operands see
            Has(ProgramFeatures.TensorCalls) ? 6 : 0, // a TensorPrimitives reduction
            Has(ProgramFeatures.MathNetCalls) ? 6 : 0)) // a MathNet reduction
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
                Work += tripMultiplier * (1 + context.EarlierWork[target]);
                Expr a = Expression(scope, depth + 1);
                Expr b = Expression(scope, depth + 1);
                string array = random.Pick(scope.Arrays.ToArray());
                string count = random.Pick("k", "0", "1", "2");
                ArrayExpr? argument = HasArrayFeatures && random.Chance(0.5) ? ArraySource(scope, writable: false, 0) : null;
                // Named in the opposite order of the parameters: C# evaluates them as written.
                return new Call(target, a, b, array, count, argument, random.Chance(0.25));
            }

            case 8:
                return new ViaDouble(random.Pick(FnKind.Exp, FnKind.Tanh, FnKind.Sin, FnKind.LogTwoPlusSin), Expression(scope, depth + 1));
            case 9:
                return context.Hooks!.Call(this, scope, depth + 1);
            case 11:
                return TensorReduction(scope);
            case 12:
                return MathNetReduction(scope, depth + 1);
            default:
                return new RefHelperCall(random.Chance(0.35), random.Pick(scope.Assignable.ToArray()), Expression(scope, depth + 1), random.Chance(0.4));
        }
    }

    /// <summary>Arithmetic over leaves (variables, literals, elements): what the generator recomputes instead of recording.</summary>
    private Expr CheapExpression(Scope scope, int depth)
    {
        if (!Spend() || depth >= 2 || random.Chance(0.3))
        {
            return Leaf(scope);
        }

        return random.Chance(0.15)
            ? new Neg(CheapExpression(scope, depth + 1))
            : new Bin(random.Pick('+', '-', '*'), CheapExpression(scope, depth + 1), CheapExpression(scope, depth + 1));
    }

    public Expr Leaf(Scope scope)
    {
        switch (random.Weighted(
            45, 12, 30, scope.Ints.IsEmpty ? 0 : 5,
            Has(ProgramFeatures.ArrayConditionals) && budget > 0 ? 5 : 0, // (c ? a : b)[i]
            scope.Matrices.IsEmpty ? 0 : 12, // M[i, j]
            scope.MathNet.IsEmpty ? 0 : 12)) // v[i], m[i, j] of a MathNet local
        {
            case 0:
                return new Ref(random.Pick(scope.Scalars.ToArray()));
            case 1:
                return new Num(random.Pick(0.5, 1.5, -0.75, 2.0, 0.1, 3.0));
            case 2:
                return new Index(random.Pick(scope.Arrays.ToArray()), IndexText(scope));
            case 3:
                return new IntAsReal(random.Pick(scope.Ints.ToArray()));
            case 4:
                Nodes++;
                budget--;
                return new ElementOf(new ArrayConditional(Test(scope), ArraySource(scope, false, 1), ArraySource(scope, false, 1)), IndexText(scope));
            case 5:
                return new Index(random.Pick(scope.Matrices), IndexText(scope) + ", " + IndexText(scope));
            default:
                return MathNetElement(scope);
        }
    }
}
