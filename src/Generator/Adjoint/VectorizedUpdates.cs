using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.Derivatives;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;
using static SourceDiff.Generator.Derivatives.AdjointAlgebra;

namespace SourceDiff.Generator.Adjoint;

/// <summary>
/// Turns a counted replay (step 1) whose every iteration only adds a scaled element into adjoint elements —
/// <c>_d_w[i * n + j] += g * h[j]; _d_h[j] += w[i * n + j] * g;</c> — into one vectorized update per statement
/// (<see cref="AddScaled"/>). Each element gets the loop's own operations, so the numbers are bit-for-bit the
/// loop's. It applies only where the iterations are independent: every target is an adjoint array (or a row of an
/// adjoint matrix) indexed by the counter plus a loop-invariant offset, no target is read in the loop, and no two targets (nor a target and an adjoint
/// the loop reads) may be the same array.
/// </summary>
internal sealed class VectorizedUpdates
{
    private readonly ArrayStorage storage;
    private readonly TempNames temps;

    public VectorizedUpdates(ArrayStorage storage, TempNames temps)
    {
        this.storage = storage;
        this.temps = temps;
    }

    public IReadOnlyList<SweepStmt> Apply(IReadOnlyList<SweepStmt> statements)
    {
        var output = new List<SweepStmt>();
        foreach (SweepStmt statement in statements)
        {
            switch (statement)
            {
                case Branch branch:
                    output.Add(new Branch(branch.Condition, Apply(branch.Then), Apply(branch.Else)));
                    break;
                case WhileLoop loop:
                    output.Add(new WhileLoop(loop.Condition, Apply(loop.Body), loop.TestFirst));
                    break;
                case Replay replay:
                    output.Add(new Replay(replay.Counter, Apply(replay.Body)));
                    break;
                case ReplayCounted replay when Vectorize(replay) is { } updates:
                    output.AddRange(updates);
                    break;
                case ReplayCounted replay when VectorizeGuarded(replay) is { } groups:
                    output.AddRange(groups);
                    break;
                case ReplayCounted replay:
                    output.Add(replay with { Body = Apply(replay.Body) });
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }

        return output;
    }

    private sealed record Update(Element Target, bool Subtract, Expr Alpha, Element Source);

    private List<SweepStmt>? Vectorize(ReplayCounted replay)
    {
        if (replay.Step != 1 || Updates(replay.Body, replay.Counter.Name, out List<SweepStmt> comments) is not { Count: > 0 } updates
            || !Independent(updates, counter: replay.Counter.Name))
        {
            return null;
        }

        var output = new List<SweepStmt>(comments);
        output.AddRange(AddScaledAll(replay, updates));
        return output;
    }

    /// <summary>
    /// A replay whose body is a sequence of loop-invariant zero guards, each over updates as <see cref="Vectorize"/>
    /// takes them — an LSTM's four gates each adding into the hidden state's adjoint — becomes one guarded group of
    /// vectorized updates per guard. The groups may add into the same adjoint elements (each element then still gets
    /// the guards' additions in the loop's order, so the numbers stay bit-for-bit), but none may read what any writes.
    /// </summary>
    private List<SweepStmt>? VectorizeGuarded(ReplayCounted replay)
    {
        if (replay.Step != 1)
        {
            return null;
        }

        string counter = replay.Counter.Name;
        var groups = new List<(List<SweepStmt> Comments, Branch Guard, List<Update> Updates)>();
        var pendingComments = new List<SweepStmt>();
        foreach (SweepStmt statement in replay.Body)
        {
            switch (statement)
            {
                case SourceComment comment:
                    pendingComments.Add(comment);
                    break;
                case Branch { Else.Count: 0 } guard when Invariant(guard.Condition, counter)
                    && Updates(guard.Then, counter, out List<SweepStmt> innerComments) is { Count: > 0 } updates:
                    pendingComments.AddRange(innerComments);
                    groups.Add((pendingComments, guard, updates));
                    pendingComments = new List<SweepStmt>();
                    break;
                default:
                    return null;
            }
        }

        if (groups.Count == 0 || pendingComments.Count > 0 || !Independent(groups.SelectMany(g => g.Updates).ToList(), counter, sameElementsMayAdd: true))
        {
            return null;
        }

        var output = new List<SweepStmt>();
        foreach ((List<SweepStmt> comments, Branch guard, List<Update> updates) in groups)
        {
            output.Add(new Branch(guard.Condition, comments.Concat(AddScaledAll(replay, updates)).ToList(), new List<SweepStmt>()));
        }

        return output;
    }

    /// <summary>The body as element updates (beside comments and temporaries they read), or null if it is anything else.</summary>
    private static List<Update>? Updates(IReadOnlyList<SweepStmt> body, string counter, out List<SweepStmt> comments)
    {
        comments = new List<SweepStmt>();
        var temporaries = new Dictionary<string, Expr>();
        var updates = new List<Update>();
        foreach (SweepStmt statement in body)
        {
            switch (statement)
            {
                case SourceComment comment:
                    comments.Add(comment);
                    break;
                case Store { Kind: AssignKind.Declare, Target: Temporary temporary, Value: var value } when !Reads(value, temporaries):
                    temporaries[temporary.Name] = value;
                    break;
                case Store { Kind: AssignKind.Add or AssignKind.Subtract, Target: Element target } store when AsUpdate(target, store, temporaries, counter) is { } update:
                    updates.Add(update);
                    break;
                default:
                    return null;
            }
        }

        return updates;
    }

    private IEnumerable<SweepStmt> AddScaledAll(ReplayCounted replay, List<Update> updates)
    {
        // Counting up by one from First while below (or up to) Bound: that many elements, from First on.
        string counter = replay.Counter.Name;
        Expr span = Subtract(replay.Bound, replay.First);
        Expr count = new MathCall("Math", "Max", EquatableArray.Of(Zero(TypeRef.Int), replay.Inclusive ? Add(span, One(TypeRef.Int)) : span), TypeRef.Int);
        var length = new Temporary(temps.Next("count"), TypeRef.Int);
        yield return new Store(length, AssignKind.Declare, count);
        foreach (Update update in updates)
        {
            yield return new AddScaled(
                update.Subtract ? Negate(update.Alpha) : update.Alpha,
                SliceOf(update.Source, counter, replay.First),
                SliceOf(update.Target, counter, replay.First),
                length);
        }
    }

    private static Update? AsUpdate(Element target, Store store, Dictionary<string, Expr> temporaries, string counter)
    {
        if (target.Array is not AdjointVar || !Consecutive(target, counter))
        {
            return null;
        }

        Expr value = Inline(store.Value, temporaries);
        (Expr Alpha, Expr Source)? parts = value switch
        {
            Element element => (One(element.Type), element),
            Binary { Operator: "*", Left: Element element, Right: var scale } => (scale, element),
            Binary { Operator: "*", Left: var scale, Right: Element element } => (scale, element),
            _ => null,
        };
        if (parts is not { Source: Element source } || !Consecutive(source, counter)
            || source.Array is not (Var or AdjointVar) || !Invariant(parts.Value.Alpha, counter) || Reads(parts.Value.Alpha, temporaries)
            || source.Type.Element != target.Type.Element)
        {
            return null;
        }

        return new Update(target, store.Kind == AssignKind.Subtract, parts.Value.Alpha, source);
    }

    /// <summary>
    /// Targets distinct and unread in the loop, and no adjoint read in the loop the same storage as a target. With
    /// <paramref name="sameElementsMayAdd"/>, two updates may add into the same array at the same index expression.
    /// </summary>
    private bool Independent(List<Update> updates, string counter, bool sameElementsMayAdd = false)
    {
        var targets = updates.Select(update => (AdjointVar)update.Target.Array).ToList();
        for (int a = 0; a < targets.Count; a++)
        {
            for (int b = a + 1; b < targets.Count; b++)
            {
                bool sameElements = sameElementsMayAdd && targets[a] == targets[b] && updates[a].Target.Indices.Equals(updates[b].Target.Indices);
                if (!sameElements && MayShare(targets[a], targets[b]))
                {
                    return false;
                }
            }

            foreach (Update update in updates)
            {
                if (update.Source.Array is AdjointVar read && MayShare(targets[a], read))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // Adjoint arrays are shared exactly as their primal arrays are (points-to), and never with a primal array.
    private bool MayShare(AdjointVar left, AdjointVar right) =>
        left.Primal.Name == right.Primal.Name || storage.Objects(left.Primal).Intersect(storage.Objects(right.Primal)).Any();

    /// <summary>The part of an index besides the counter (<c>j</c>: none; <c>b + j</c>, <c>j + b</c>: b), if it is invariant.</summary>
    private static Expr? Offset(Expr index, string counter) => index switch
    {
        Var v when v.Name == counter => Zero(TypeRef.Int),
        Binary { Operator: "+", Left: var left, Right: Var v } when v.Name == counter && Invariant(left, counter) => left,
        Binary { Operator: "+", Left: Var v, Right: var right } when v.Name == counter && Invariant(right, counter) => right,
        _ => null,
    };

    /// <summary>
    /// Whether the loop's iterations visit consecutive elements: a vector indexed by the counter plus an invariant
    /// offset, or one row of a matrix (an invariant first index) indexed so along the row. MathNet vectors and matrices
    /// keep their element loops (their elements are reached through indexers, and a MathNet matrix's rows are strided).
    /// </summary>
    private static bool Consecutive(Element element, string counter) => !element.Array.Type.IsMathNet && element.Indices.Count switch
    {
        1 => Offset(element.Indices[0], counter) is not null,
        2 => Invariant(element.Indices[0], counter) && Offset(element.Indices[1], counter) is not null,
        _ => false,
    };

    private static VectorSlice SliceOf(Element element, string counter, Expr first)
    {
        Expr index = element.Indices[element.Indices.Count - 1];
        Expr start = Offset(index, counter) is { } offset ? Add(offset, first) : first;
        return new VectorSlice(element.Array, element.Indices.Count == 2 ? element.Indices[0] : null, start);
    }

    /// <summary>Scalars only, none of them the counter (the loop writes nothing else a scalar reads).</summary>
    private static bool Invariant(Expr expr, string counter) => expr switch
    {
        Literal => true,
        Var v => v.Name != counter && !v.Type.IsArray,
        AdjointVar or Temporary => true,
        Opaque { Receiver: Var } shape => CountedLoops.IsShape(shape),
        Binary binary => Invariant(binary.Left, counter) && Invariant(binary.Right, counter),
        Unary unary => Invariant(unary.Operand, counter),
        Cast cast => Invariant(cast.Operand, counter),
        _ => false,
    };

    private static bool Reads(Expr expr, Dictionary<string, Expr> temporaries) => expr switch
    {
        Temporary temporary => temporaries.ContainsKey(temporary.Name),
        Binary binary => Reads(binary.Left, temporaries) || Reads(binary.Right, temporaries),
        Unary unary => Reads(unary.Operand, temporaries),
        Cast cast => Reads(cast.Operand, temporaries),
        _ => false,
    };

    private static Expr Inline(Expr expr, Dictionary<string, Expr> temporaries) => expr switch
    {
        Temporary temporary when temporaries.TryGetValue(temporary.Name, out Expr? value) => value,
        Binary binary => binary with { Left = Inline(binary.Left, temporaries), Right = Inline(binary.Right, temporaries) },
        _ => expr,
    };
}
