using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>How many elements a span argument has, in terms of the method's array length L (<c>w.Length</c> ≥ 2).</summary>
internal enum ExtentKind
{
    /// <summary>L: a whole array, or <c>b.AsSpan(start, L)</c> of a wide one.</summary>
    Whole,

    /// <summary>L - 1.</summary>
    AllButOne,

    /// <summary>2.</summary>
    Two,

    /// <summary>1.</summary>
    One,

    /// <summary>L - i, for a loop index i in [0, L).</summary>
    FromIndex,

    /// <summary>i + 1, for a loop index i in [0, L).</summary>
    UpToIndex,
}

/// <summary>A length class: every span argument of one call has the same (the destination may be longer).</summary>
internal sealed record Extent(ExtentKind Kind, string? Var = null)
{
    public static Extent Whole { get; } = new(ExtentKind.Whole);

    public string Text(string length) => Kind switch
    {
        ExtentKind.Whole => length,
        ExtentKind.AllButOne => length + " - 1",
        ExtentKind.Two => "2",
        ExtentKind.One => "1",
        ExtentKind.FromIndex => $"{length} - {Var}",
        _ => $"{Var} + 1",
    };
}

/// <summary>
/// A span local in scope: <c>ReadOnlySpan&lt;T&gt; Name = Array.AsSpan(Start, …)</c> of <paramref name="Length"/>
/// elements; <paramref name="Whole"/> when bound to a whole array of length L (then <c>Name.Slice(…)</c> views it).
/// </summary>
internal sealed record SpanLocal(string Name, bool ReadOnly, string Array, string Start, Extent Length, bool Whole);

/// <summary>
/// The statements and expressions of <see cref="ProgramFeatures.TensorCalls"/>: <c>TensorPrimitives.Op&lt;T&gt;(…)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Safe by construction: span arguments of one call have the same length (a class of <see cref="Extent"/>; the
/// destination of an element-wise call other than SoftMax is sometimes a whole array or a whole-length view while the
/// inputs are shorter); every start and length is in bounds for any L ≥ 2 (starts are literals, L-relative, loop indices
/// in [0, L), or counts taken modulo); destinations are scratch arrays (of length L or, "wide", 2L), views of them and
/// writable span locals, never inputs; arrays that an alias might name are not used at all, so two views of one array
/// are always recognisable: a source and the destination on the same array start at the same element (the destination
/// is exactly an input, as TensorPrimitives allows) or are the two halves of a wide array, else TensorPrimitives would
/// throw for overlapping spans. Log, Sqrt, Reciprocal and divisors see spans computed just before into the destination
/// (Cosh, 1 + x², Exp, SoftMax, Sigmoid: positive), Exp, Sinh and Cosh mostly inputs or Tanh/Sin/Cos/Sigmoid of
/// something; what is left (overflow, kinks of Abs/Max/Min, ties) is the oracle's, as for scalar code.
/// </para>
/// <para>
/// Everything a call writes reaches the result: the method ends by reading every element of each scratch array that
/// TensorPrimitives wrote and that is still in scope (a filler adds them into <c>v</c>).
/// </para>
/// </remarks>
internal sealed partial class MethodGenerator
{
    private static readonly string[] ElementWiseOps =
    {
        "Add", "Subtract", "Multiply", "Divide", "MultiplyAdd", "AddMultiply", "Max", "Min", "Negate", "Abs", "Exp", "Log",
        "Sqrt", "Tanh", "Sigmoid", "SoftMax", "Sinh", "Cosh", "Sin", "Cos", "Reciprocal",
    };

    private static readonly int[] ElementWiseWeights = { 8, 6, 8, 5, 4, 4, 4, 4, 2, 3, 4, 4, 3, 5, 4, 4, 2, 2, 3, 3, 3 };

    private static readonly string[] ReductionOps = { "Sum", "SumOfSquares", "SumOfMagnitudes", "Dot", "Norm", "Distance", "Max", "Min", "CosineSimilarity" };

    private static readonly int[] ReductionWeights = { 6, 4, 3, 6, 3, 3, 3, 3, 2 };

    /// <summary>Scratch arrays TensorPrimitives wrote, in the order they were first written.</summary>
    private readonly List<string> tensorWritten = new();

    /// <summary>A span argument, with what the overlap rules need: the array it views and the text of its first element.</summary>
    private sealed record View(SpanExpr Span, string Array, string Start, Extent Length);

    /// <summary>
    /// The prelude of a TensorCalls method: a scratch array (and sometimes a wide one), a first call writing it, and
    /// often a counted loop of calls that overwrite it every iteration (the reverse sweep needs each iteration's values).
    /// </summary>
    private Stmt TensorPrelude(ref Scope scope)
    {
        var statements = ImmutableArray.CreateBuilder<Stmt>();
        statements.Add(DeclareTensorScratch(ref scope, wide: false));
        statements.Add(Initialize(scope, Destination(scope, Extent.Whole)));
        if (random.Chance(0.4))
        {
            statements.Add(DeclareTensorScratch(ref scope, wide: true));
            string wide = scope.Wide[^1];
            statements.Add(Initialize(scope, WideView(wide, Extent.Whole, scope)));
        }

        statements.Add(ElementWise(scope, out _));
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
                body.Add(random.Weighted(8, 2, 1) switch
                {
                    0 => TensorStatement(ref inner),
                    1 => SpanLocalDeclaration(ref inner),
                    _ => Statement(ref inner),
                });
            }

            tripMultiplier /= 4;
            Work += 4 * tripMultiplier * count;
            statements.Add(new For(var, bound, body.ToImmutable(), random.Pick(LoopShape.Up, LoopShape.Up, LoopShape.Down, LoopShape.FromOne)));
        }

        return new Sequence(statements.ToImmutable());
    }

    /// <summary>
    /// An element-wise call, into a new scratch array when nothing in scope may be written (or sometimes anyway); what
    /// it wrote is often added into a scalar at once (always likely for a new array, which the method's read-outs at
    /// its end may not see).
    /// </summary>
    private Stmt TensorStatement(ref Scope scope)
    {
        Stmt? declare = null;
        if (Targets(scope).Count == 0 || random.Chance(0.1))
        {
            declare = DeclareTensorScratch(ref scope, wide: random.Chance(0.3));
        }

        Stmt call = ElementWise(scope, out View destination);
        var statements = ImmutableArray.CreateBuilder<Stmt>();
        if (declare is not null)
        {
            statements.Add(declare);
        }

        statements.Add(call);
        if (!scope.Assignable.IsEmpty && random.Chance(declare is not null ? 0.8 : 0.15))
        {
            // h += Sum(s1), h += Dot(s1, w), h += s1[i] * e: the array, not just the view written.
            Nodes += 2;
            string array = destination.Array;
            var whole = new ArrayView(array);
            string[] inputs = Inputs(scope);
            Expr read = random.Weighted(3, 2, inputs.Length > 0 && !scope.Wide.Contains(array) ? 2 : 0, 3) switch
            {
                0 => new TensorReduce("Sum", ImmutableArray.Create<Expr>(whole)),
                1 => new TensorReduce("SumOfSquares", ImmutableArray.Create<Expr>(whole)),
                2 => new TensorReduce("Dot", ImmutableArray.Create<Expr>(whole, new ArrayView(random.Pick(inputs)))),
                _ => new Bin('*', new Index(array, IndexText(scope)), Expression(scope, 2)),
            };
            statements.Add(new Assign(random.Pick(scope.Assignable), "+", read));
        }

        return statements.Count == 1 ? statements[0] : new Sequence(statements.ToImmutable());
    }

    /// <summary>
    /// The first call writing a scratch array of the prelude, from an input when there is one (a filler has none):
    /// <c>Multiply(w, e, s0)</c>, <c>Add(w, e, s0)</c>, <c>Tanh(w, s0)</c>, …
    /// </summary>
    private Stmt Initialize(Scope scope, View destination)
    {
        string[] inputs = Inputs(scope);
        if (inputs.Length == 0)
        {
            return ElementWise(scope, out _, destination);
        }

        View input = NormalView(random.Pick(inputs), destination.Length, scope);
        return random.Weighted(4, 3, 3, 1, 1, 2) switch
        {
            0 => Call("Multiply", destination, input.Span, Expression(scope, 1)),
            1 => Call("Add", destination, input.Span, Expression(scope, 1)),
            2 => Call("Tanh", destination, input.Span),
            3 => Call("Sin", destination, input.Span),
            4 => Call("Exp", destination, input.Span),
            _ => Call("MultiplyAdd", destination, input.Span, Expression(scope, 1), NormalView(random.Pick(inputs), destination.Length, scope).Span),
        };
    }

    private Stmt DeclareTensorScratch(ref Scope scope, bool wide)
    {
        Nodes++;
        string name = Fresh(wide ? "b" : "s");
        scope = wide
            ? scope with { Wide = scope.Wide.Add(name) }
            : scope with { Arrays = scope.Arrays.Add(name), Scratch = scope.Scratch.Add(name), Writable = scope.Writable.Add(name) };
        return new DeclareArray(name, wide);
    }

    /// <summary><c>TensorPrimitives.Op&lt;T&gt;(…, destination);</c>, with the statements that prepare a domain first.</summary>
    private Stmt ElementWise(Scope scope, out View destination, View? into = null)
    {
        Extent extent = into?.Length ?? ExtentOf(scope);
        string op = ElementWiseOps[random.Weighted(ElementWiseWeights)];
        bool wider = into is null && op != "SoftMax" && extent.Kind != ExtentKind.Whole && random.Chance(0.15);
        destination = into ?? Destination(scope, wider ? Extent.Whole : extent);
        var statements = ImmutableArray.CreateBuilder<Stmt>();
        Expr[] arguments;
        switch (op)
        {
            case "Negate" or "Abs" or "Tanh" or "Sigmoid" or "Sin" or "Cos" or "SoftMax":
                arguments = new Expr[] { Source(scope, extent, destination).Span };
                break;
            case "Exp" or "Sinh" or "Cosh":
                arguments = new Expr[] { Bounded(scope, extent, destination, statements).Span };
                break;
            case "Log" or "Sqrt" or "Reciprocal":
                arguments = new Expr[] { Positive(scope, extent, destination, op == "Log", statements).Span };
                break;
            case "Add" or "Multiply" or "Max" or "Min":
                arguments = random.Chance(0.6)
                    ? new Expr[] { Source(scope, extent, destination).Span, Source(scope, extent, destination).Span }
                    : new Expr[] { Source(scope, extent, destination).Span, op is "Max" or "Min" && random.Chance(0.3) ? new Num(0) : Expression(scope, 1) };
                break;
            case "Subtract":
                arguments = random.Weighted(5, 3, 2) switch
                {
                    0 => new Expr[] { Source(scope, extent, destination).Span, Source(scope, extent, destination).Span },
                    1 => new Expr[] { Source(scope, extent, destination).Span, Expression(scope, 1) },
                    _ => new Expr[] { Expression(scope, 1), Source(scope, extent, destination).Span },
                };
                break;
            case "Divide":
                switch (random.Weighted(5, 3, 2))
                {
                    case 0:
                    {
                        Expr numerator = Source(scope, extent, destination).Span;
                        arguments = new Expr[] { numerator, Positive(scope, extent, destination, log: false, statements).Span };
                        break;
                    }

                    case 1:
                        arguments = new Expr[] { Source(scope, extent, destination).Span, new Fn(FnKind.PositiveDenominator, Expression(scope, 2)) };
                        break;
                    default:
                        arguments = new Expr[] { Expression(scope, 1), Positive(scope, extent, destination, log: false, statements).Span };
                        break;
                }

                break;
            default: // MultiplyAdd, AddMultiply: (x, y, z), (x, y, scalar), (x, scalar, z)
                arguments = random.Weighted(5, 3, 3) switch
                {
                    0 => new Expr[] { Source(scope, extent, destination).Span, Source(scope, extent, destination).Span, Source(scope, extent, destination).Span },
                    1 => new Expr[] { Source(scope, extent, destination).Span, Source(scope, extent, destination).Span, Expression(scope, 1) },
                    _ => new Expr[] { Source(scope, extent, destination).Span, Expression(scope, 1), Source(scope, extent, destination).Span },
                };
                break;
        }

        statements.Add(Call(op, destination, arguments));
        return statements.Count == 1 ? statements[0] : new Sequence(statements.ToImmutable());
    }

    private TensorCall Call(string op, View destination, params Expr[] arguments)
    {
        Nodes += 1 + arguments.Length;
        if (!tensorWritten.Contains(destination.Array))
        {
            tensorWritten.Add(destination.Array);
        }

        return new TensorCall(op, arguments.Append(destination.Span).ToImmutableArray());
    }

    /// <summary>
    /// A span of <paramref name="extent"/> whose values keep Exp, Sinh and Cosh finite: mostly an input (|w| ≤ 1.5) or
    /// Tanh/Sin/Cos/Sigmoid of anything, written just before into the destination; sometimes anything.
    /// </summary>
    private View Bounded(Scope scope, Extent extent, View destination, ImmutableArray<Stmt>.Builder statements)
    {
        string[] inputs = Inputs(scope);
        switch (random.Weighted(inputs.Length > 0 ? 6 : 0, 3, 1))
        {
            case 0:
                return NormalView(random.Pick(inputs), extent, scope);
            case 1:
            {
                View into = Fit(destination, extent);
                statements.Add(Call(random.Pick("Tanh", "Sin", "Cos", "Sigmoid"), into, Source(scope, extent, into).Span));
                return into;
            }

            default:
                return Source(scope, extent, destination);
        }
    }

    /// <summary>
    /// A span of <paramref name="extent"/> of positive values, computed just before (into the destination, or into another
    /// writable view the call may read): Cosh, x·x + c, Exp, and for Log also SoftMax and Sigmoid.
    /// </summary>
    private View Positive(Scope scope, Extent extent, View destination, bool log, ImmutableArray<Stmt>.Builder statements)
    {
        View into = Fit(destination, extent);
        if (random.Chance(0.35))
        {
            View other = Destination(scope, extent);
            if (Compatible(other, destination))
            {
                into = other;
            }
        }

        switch (random.Weighted(3, 3, 2, log ? 2 : 0, log ? 1 : 0))
        {
            case 0:
                statements.Add(Call("Cosh", into, Source(scope, extent, into).Span));
                break;
            case 1:
            {
                Expr x = Source(scope, extent, into).Span;
                statements.Add(Call("MultiplyAdd", into, x, x, new Num(random.Pick(1.0, 0.5))));
                break;
            }

            case 2:
                statements.Add(Call("Exp", into, Bounded(scope, extent, into, statements).Span));
                break;
            case 3:
                statements.Add(Call("SoftMax", into, Source(scope, extent, into).Span));
                break;
            default:
                statements.Add(Call("Sigmoid", into, Source(scope, extent, into).Span));
                break;
        }

        return into;
    }

    /// <summary><c>TensorPrimitives.Sum&lt;T&gt;(view)</c>, <c>Dot&lt;T&gt;(a, b)</c>, … as a real value.</summary>
    private Expr TensorReduction(Scope scope)
    {
        Extent extent = ExtentOf(scope);
        string op = ReductionOps[random.Weighted(ReductionWeights)];
        View first = Source(scope, extent, null);
        Nodes += 2;
        return op is "Dot" or "Distance" or "CosineSimilarity"
            ? new TensorReduce(op, ImmutableArray.Create<Expr>(first.Span, random.Chance(0.1) ? first.Span : Source(scope, extent, null).Span))
            : new TensorReduce(op, ImmutableArray.Create<Expr>(first.Span));
    }

    /// <summary><c>ReadOnlySpan&lt;T&gt; v = view;</c> or <c>Span&lt;T&gt; v = view;</c> of a writable array (then a destination too).</summary>
    private Stmt SpanLocalDeclaration(ref Scope scope)
    {
        Nodes++;
        string name = Fresh("sp");
        bool readOnly = Targets(scope).Count == 0 || random.Chance(0.6);
        ImmutableList<string> wide = scope.Wide;
        // Whole arrays by name only: a local bound to a jagged row (ReadOnlySpan<T> v = r[0];) is SD0001, unlike a view of it
        // (r[0].AsSpan()) or the row as an argument.
        string[] wholeArrays = (readOnly ? Readable(scope) : Targets(scope).Where(a => !wide.Contains(a)).ToArray()).Where(a => !a.Contains('[')).ToArray();
        SpanLocal local;
        SpanExpr value;
        if (wholeArrays.Length > 0 && random.Chance(0.4))
        {
            // Bound to a whole array: sliced later (v.Slice(1, 2)).
            string array = random.Pick(wholeArrays);
            value = new ArrayView(array);
            local = new SpanLocal(name, readOnly, array, "0", Extent.Whole, Whole: true);
        }
        else
        {
            Extent extent = PickExtent(scope);
            View bound = readOnly ? Source(scope, extent, null) : Destination(scope, extent);
            value = bound.Span is ArrayView { StartText: null, LengthText: null, AsSpan: false } row && row.Array.Contains('[') ? row with { AsSpan = true } : bound.Span;
            local = new SpanLocal(name, readOnly, bound.Array, bound.Start, extent, Whole: false);
        }

        scope = scope with { SpanLocals = scope.SpanLocals.Add(local) };
        var declaration = new DeclareSpan(name, readOnly, value);
        if (!random.Chance(0.6))
        {
            return declaration;
        }

        // Used at once: read (into a scratch array or a scalar), or written.
        View view = local.Whole && random.Chance(0.5) ? Slice(local, PickExtent(scope), scope) : LocalView(local);
        Stmt use;
        if (!readOnly)
        {
            use = ElementWise(scope, out _, view);
        }
        else if (Targets(scope).Count > 0 && random.Chance(0.7) && Destination(scope, view.Length) is var destination && Compatible(view, destination))
        {
            use = random.Weighted(4, 2, 2) switch
            {
                0 => Call(random.Pick("Tanh", "Sin", "Cos", "Negate", "Abs", "Sigmoid", "Exp"), destination, view.Span),
                1 => Call("Multiply", destination, view.Span, Expression(scope, 1)),
                _ => Call(random.Pick("Add", "Subtract", "Multiply", "Max"), destination, view.Span, Source(scope, view.Length, destination).Span),
            };
        }
        else
        {
            Nodes++;
            string op = random.Pick("Sum", "SumOfSquares", "Norm", "Max", "Min", "Dot");
            use = new Assign(random.Pick(scope.Assignable), "+", new TensorReduce(op,
                op == "Dot" ? ImmutableArray.Create<Expr>(view.Span, Source(scope, view.Length, null).Span) : ImmutableArray.Create<Expr>(view.Span)));
        }

        return new Sequence(ImmutableArray.Create(declaration, use));
    }

    /// <summary>
    /// Read-outs of every scratch array TensorPrimitives wrote that is still in scope:
    /// <c>T h = 0; for (int i = 0; i &lt; n; i++) { h += s[i] * (i + 0.5); }</c>, and <c>h</c> to add to the result.
    /// </summary>
    private List<(Stmt ReadOut, Expr Total)> TensorReadOuts(Scope scope)
    {
        var readOuts = new List<(Stmt, Expr)>();
        foreach (string array in tensorWritten.Where(a => IsTarget(scope, a)))
        {
            string sum = Fresh("h"), i = Fresh("i");
            Nodes += 4;
            Stmt readOut = new Sequence(ImmutableArray.Create<Stmt>(
                new Declare(sum, new Num(0)),
                new For(i, scope.Wide.Contains(array) ? "2 * " + Length : Length, ImmutableArray.Create<Stmt>(
                    new Assign(sum, "+", new Bin('*', new Index(array, i), new Bin('+', new IntAsReal(i), new Num(0.5))))))));
            readOuts.Add((readOut, new Ref(sum)));
        }

        return readOuts;
    }

    /// <summary>A filler's read-outs: <c>v[i] += s[i] * 0.5</c> (wide: <c>+ b[i] * 0.5 + b[n + i] * 0.25</c>) for each array TensorPrimitives wrote.</summary>
    private IEnumerable<Stmt> TensorReadOutsInto(string target, Scope scope)
    {
        foreach (string array in tensorWritten.Where(a => a != target && IsTarget(scope, a)).ToList())
        {
            string i = Fresh("i");
            Nodes += 3;
            Expr value = new Bin('*', new Index(array, i), new Num(0.5));
            if (scope.Wide.Contains(array))
            {
                value = new Bin('+', value, new Bin('*', new Index(array, $"{Length} + {i}"), new Num(0.25)));
            }

            yield return new For(i, Length, ImmutableArray.Create<Stmt>(new AssignElement(target, i, "+", value)));
        }
    }

    // ---------------- span arguments ----------------

    /// <summary>A call's length class: often that of a span local in scope, so that the local can be an argument.</summary>
    private Extent ExtentOf(Scope scope) =>
        !scope.SpanLocals.IsEmpty && random.Chance(0.4) ? random.Pick(scope.SpanLocals).Length : PickExtent(scope);

    private Extent PickExtent(Scope scope)
    {
        ImmutableList<string> indices = scope.IndexVars;
        return random.Weighted(40, 15, 15, 5, indices.IsEmpty ? 0 : 10, indices.IsEmpty ? 0 : 8) switch
        {
            0 => Extent.Whole,
            1 => new Extent(ExtentKind.AllButOne),
            2 => new Extent(ExtentKind.Two),
            3 => new Extent(ExtentKind.One),
            4 => new Extent(ExtentKind.FromIndex, random.Pick(indices)),
            _ => new Extent(ExtentKind.UpToIndex, random.Pick(indices)),
        };
    }

    /// <summary>Arrays of length L that may be read: everything but aliases (which may name another array of the call).</summary>
    private static string[] Readable(Scope scope) => scope.Arrays.Where(a => !scope.Aliases.Contains(a)).ToArray();

    /// <summary>The method's inputs (w, rows of r): never written, |values| ≤ 1.5 at the oracle's points.</summary>
    private string[] Inputs(Scope scope) =>
        context.Start.Arrays.Where(a => scope.Arrays.Contains(a) && !scope.Writable.Contains(a) && !scope.Aliases.Contains(a)).ToArray();

    /// <summary>Arrays a call may write: scratch arrays (not aliases of them) and wide scratch arrays.</summary>
    private static List<string> Targets(Scope scope) =>
        scope.Writable.Where(a => !scope.Aliases.Contains(a)).Concat(scope.Wide).ToList();

    private static bool IsTarget(Scope scope, string array) => Targets(scope).Contains(array);

    /// <summary>Whether a call may read <paramref name="source"/> while writing <paramref name="destination"/>.</summary>
    private bool Compatible(View source, View destination) =>
        source.Array != destination.Array
        || source.Start == destination.Start
        || (source.Length.Kind == ExtentKind.Whole && destination.Length.Kind == ExtentKind.Whole
            && new[] { source.Start, destination.Start }.Order(StringComparer.Ordinal).SequenceEqual(new[] { "0", Length }.Order(StringComparer.Ordinal)));

    /// <summary>A view of <paramref name="extent"/> starting where <paramref name="destination"/> starts (exactly it when as long).</summary>
    private View Fit(View destination, Extent extent)
    {
        if (destination.Length == extent)
        {
            return destination;
        }

        string length = extent.Text(Length);
        SpanExpr span = destination.Span switch
        {
            ArrayView v => new ArrayView(v.Array, destination.Start, length),
            SpanName n => new SpanName(n.Name, n.StartText ?? "0", length),
            _ => throw new InvalidOperationException("not a view"),
        };
        return new View(span, destination.Array, destination.Start, extent);
    }

    /// <summary>A span of <paramref name="extent"/> to read: an array, a view of one, a span local or a slice of one.</summary>
    private View Source(Scope scope, Extent extent, View? destination)
    {
        if (destination is not null && random.Chance(0.2))
        {
            return Fit(destination, extent); // in place: the destination is exactly an input
        }

        // Mostly arrays that hold something: inputs, and scratch arrays TensorPrimitives wrote.
        string[] arrays = Readable(scope);
        string[] inputs = Inputs(scope);
        string[] written = arrays.Where(a => tensorWritten.Contains(a) && !inputs.Contains(a)).ToArray();
        string[] others = arrays.Where(a => !written.Contains(a) && !inputs.Contains(a)).ToArray();
        SpanLocal[] locals = scope.SpanLocals.Where(l => l.Length == extent).ToArray();
        SpanLocal[] wholes = scope.SpanLocals.Where(l => l.Whole).ToArray();
        for (int attempt = 0; attempt < 6; attempt++)
        {
            View view = random.Weighted(
                inputs.Length > 0 ? 6 : 0, written.Length > 0 ? 6 : 0, others.Length > 0 ? 2 : 0,
                scope.Wide.IsEmpty ? 0 : 3, locals.Length > 0 ? 6 : 0, wholes.Length > 0 ? 5 : 0) switch
            {
                0 => NormalView(random.Pick(inputs), extent, scope),
                1 => NormalView(random.Pick(written), extent, scope),
                2 => NormalView(random.Pick(others), extent, scope),
                3 => WideView(random.Pick(scope.Wide), extent, scope),
                4 => LocalView(random.Pick(locals)),
                _ => Slice(random.Pick(wholes), extent, scope),
            };
            if (destination is null || Compatible(view, destination))
            {
                return view;
            }
        }

        return destination is not null ? Fit(destination, extent) : NormalView(random.Pick(arrays), extent, scope);
    }

    /// <summary>A writable span of <paramref name="extent"/>: a scratch array, a view of one, a writable span local or a slice of one.</summary>
    private View Destination(Scope scope, Extent extent)
    {
        string[] normal = scope.Writable.Where(a => !scope.Aliases.Contains(a)).ToArray();
        SpanLocal[] locals = scope.SpanLocals.Where(l => !l.ReadOnly && l.Length == extent).ToArray();
        SpanLocal[] wholes = scope.SpanLocals.Where(l => !l.ReadOnly && l.Whole).ToArray();
        return random.Weighted(normal.Length > 0 ? 10 : 0, scope.Wide.IsEmpty ? 0 : 5, locals.Length > 0 ? 6 : 0, wholes.Length > 0 ? 5 : 0) switch
        {
            0 => NormalView(random.Pick(normal), extent, scope),
            1 => WideView(random.Pick(scope.Wide), extent, scope),
            2 => LocalView(random.Pick(locals)),
            _ => Slice(random.Pick(wholes), extent, scope),
        };
    }

    private static View LocalView(SpanLocal local) => new(new SpanName(local.Name), local.Array, local.Start, local.Length);

    /// <summary><c>v.Slice(start, length)</c> of a span local bound to a whole array.</summary>
    private View Slice(SpanLocal local, Extent extent, Scope scope)
    {
        View view = NormalView(local.Array, extent, scope);
        var array = (ArrayView)view.Span;
        return view with { Span = new SpanName(local.Name, array.StartText, array.LengthText) };
    }

    /// <summary>A view of <paramref name="extent"/> elements of an array of length L.</summary>
    private View NormalView(string array, Extent extent, Scope scope)
    {
        string n = Length;
        string length = extent.Text(n);
        string[] ints = scope.Ints.ToArray();
        string start;
        ArrayView span;
        switch (extent.Kind)
        {
            case ExtentKind.Whole:
                start = "0";
                span = random.Weighted(6, 1, 1) switch
                {
                    0 => new ArrayView(array),
                    1 => new ArrayView(array, AsSpan: true),
                    _ => new ArrayView(array, "0", n),
                };
                break;
            case ExtentKind.AllButOne:
                start = random.Pick("0", "1");
                span = start == "1" && random.Chance(0.4) ? new ArrayView(array, "1") : new ArrayView(array, start, length);
                break;
            case ExtentKind.Two:
                start = random.Pick(new[] { "0", n + " - 2" }.Concat(ints.Select(c => $"{c} % ({n} - 1)")).ToArray());
                span = new ArrayView(array, start, length);
                break;
            case ExtentKind.One:
                start = random.Pick(new[] { "0", "1", n + " - 1" }.Concat(scope.IndexVars).Concat(ints.Select(c => $"{c} % {n}")).ToArray());
                span = start == n + " - 1" && random.Chance(0.5) ? new ArrayView(array, start) : new ArrayView(array, start, length);
                break;
            case ExtentKind.FromIndex:
                start = random.Pick(extent.Var!, extent.Var!, "0");
                span = start != "0" && random.Chance(0.5) ? new ArrayView(array, start) : new ArrayView(array, start, length);
                break;
            default:
                start = random.Pick("0", $"{n} - 1 - {extent.Var}");
                span = new ArrayView(array, start, length);
                break;
        }

        return new View(span, array, start, extent);
    }

    /// <summary>A view of <paramref name="extent"/> elements of a wide array (length 2L).</summary>
    private View WideView(string array, Extent extent, Scope scope)
    {
        string n = Length;
        string length = extent.Text(n);
        string[] ints = scope.Ints.ToArray();
        string[] starts = extent.Kind switch
        {
            ExtentKind.Whole => new[] { "0", "0", "1", "2", n, n }.Concat(ints.Select(c => $"{c} % ({n} + 1)")).ToArray(),
            ExtentKind.AllButOne => new[] { "0", "1", n, n + " + 1" },
            ExtentKind.Two => new[] { "0", n, $"2 * {n} - 2" }.Concat(ints.Select(c => $"{c} % (2 * {n} - 1)")).ToArray(),
            ExtentKind.One => new[] { "0", $"2 * {n} - 1" }.Concat(scope.IndexVars.SelectMany(i => new[] { i, $"{n} + {i}" })).ToArray(),
            ExtentKind.FromIndex => new[] { $"{n} + {extent.Var}", "0", extent.Var! },
            _ => new[] { "0", n, $"{n} - 1 - {extent.Var}" },
        };
        string start = random.Pick(starts);

        // Starts after which exactly the extent's elements remain are sometimes written without the length.
        bool toTheEnd = (extent.Kind, start) switch
        {
            (ExtentKind.Whole, _) => start == n,
            (ExtentKind.AllButOne, _) => start == n + " + 1",
            (ExtentKind.One, _) => start == $"2 * {n} - 1",
            (ExtentKind.FromIndex, _) => start == $"{n} + {extent.Var}",
            _ => false,
        };
        var span = toTheEnd && random.Chance(0.5) ? new ArrayView(array, start) : new ArrayView(array, start, length);
        return new View(span, array, start, extent);
    }
}
