using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// Where two arrays the method owns hold the same elements, and which recorded element writes that lets the reverse
/// sweep undo with no tape. A forward dataflow over the structured body tracks facts "x[k] == y[k] for 0 ≤ k &lt; n",
/// n a value fixed where the method starts (<see cref="EntryValues"/>). Allocating <c>new T[n]</c> makes an array of
/// zeros, equal to every other one of that length; a counted copy loop <c>for (k = 0; k &lt; n; k++) { x[k] = y[k]; … }</c>
/// makes x equal to y and to what y equals; any other write to an array (an element, a rebinding, a call given it)
/// ends its facts. A loop keeps the facts that hold on every entry to its head; a branch those that hold on both sides.
/// </summary>
/// <remarks>
/// The use: a write <c>x[k] = …</c> in a counted loop over <c>0 ≤ k &lt; n</c> that writes x nowhere else, at most once
/// per iteration, and y nowhere, with x ≡ y on n where the loop starts, overwrites the value x[k] had when the loop
/// started. That was y[k], and still is when the reverse sweep undoes the write, since the reverse sweep runs on
/// restored state and the loop leaves y alone: it reloads the old element from y[k] instead of the tape. In an RNN step
/// that computes next from h, then copies next into h, this halves the tape.
/// Only arrays the method allocates that no other variable reaches (<see cref="ArrayStorage"/>) have facts, so no
/// write through another name can change them unseen.
/// </remarks>
internal sealed class EqualArrays
{
    // The second array of a fact about an array of zeros.
    private const string Zeros = "";

    private readonly ArrayStorage storage;
    private readonly IReadOnlyDictionary<Loop, CountedLoop> counted;
    private readonly EntryValues entry;
    private readonly Dictionary<string, Var> owned = new();
    private readonly Dictionary<Loop, HashSet<Fact>> atLoopEntry = new(ReferenceComparer.Instance);

    // Asked of the same statements on every pass of a loop's fixpoint and for every candidate write: computed once.
    private readonly Dictionary<Stmt, HashSet<string>> written = new(ReferenceComparer.Instance);

    private EqualArrays(MethodModel method, ArrayStorage storage, IReadOnlyDictionary<Loop, CountedLoop> counted)
    {
        this.storage = storage;
        this.counted = counted;
        entry = EntryValues.Of(method);
        foreach (Var variable in storage.Variables)
        {
            if (IsOwnedVector(variable))
            {
                owned[variable.Name] = variable;
            }
        }
    }

    /// <summary>
    /// The element writes whose old value the reverse sweep may reload from an equal element instead of the tape, each
    /// with the elements that hold it (in name order); the caller decides whether reading one there costs less than the
    /// recording it saves.
    /// </summary>
    public static Dictionary<Stmt, List<Element>> ReloadSources(MethodModel method, ArrayStorage storage, IReadOnlyDictionary<Loop, CountedLoop> counted)
    {
        var sources = new Dictionary<Stmt, List<Element>>(ReferenceComparer.Instance);
        var analysis = new EqualArrays(method, storage, counted);
        if (analysis.owned.Count < 2)
        {
            return sources;
        }

        analysis.Transfer(method.Body, new HashSet<Fact>());
        foreach (KeyValuePair<Loop, HashSet<Fact>> loop in analysis.atLoopEntry)
        {
            analysis.FindReloads(loop.Key, loop.Value, sources);
        }

        return sources;
    }

    /// <summary>A 1-D floating array local the method allocates that no other variable reaches.</summary>
    private bool IsOwnedVector(Var variable)
    {
        if (variable.Kind != VarKind.Local || variable.Type is not { IsFloatingArray: true, IsSpan: false, IsMathNet: false, Ranks: { Count: 1 } ranks } || ranks[0] != 1)
        {
            return false;
        }

        IReadOnlyCollection<string> objects = storage.Objects(variable);
        return objects.Count > 0 && objects.All(obj => ArrayStorage.IsFresh(obj) && storage.PointersTo(obj).Count == 1);
    }

    private HashSet<Fact> Transfer(Stmt statement, HashSet<Fact> facts)
    {
        switch (statement)
        {
            case Block block:
                foreach (Stmt inner in block.Statements)
                {
                    facts = Transfer(inner, facts);
                }

                return facts;

            case If branch:
            {
                HashSet<Fact> both = Transfer(branch.Then, new HashSet<Fact>(facts));
                both.IntersectWith(Transfer(branch.Else, new HashSet<Fact>(facts)));
                return both;
            }

            case Loop loop:
            {
                Expr? range = RangeOf(loop);
                if (range is not null)
                {
                    // Overwritten on each pass of an enclosing loop's fixpoint: the last pass is the one that holds.
                    atLoopEntry[loop] = new HashSet<Fact>(facts.Where(f => f.Length.Equals(range)));
                }

                var head = new HashSet<Fact>(facts);
                while (true)
                {
                    HashSet<Fact> end = Transfer(loop.Step, Transfer(loop.Body, new HashSet<Fact>(head)));
                    int before = head.Count;
                    head.IntersectWith(end);
                    if (head.Count == before)
                    {
                        break;
                    }
                }

                if (range is not null && CopyIn(loop) is var (copy, source))
                {
                    AddEqual(head, copy, source, range);
                }

                return head;
            }

            case Assign or CallStmt or NonDifferentiableCall:
            {
                HashSet<string> written = Written(statement);
                facts.RemoveWhere(f => written.Contains(f.First) || written.Contains(f.Second));
                if (statement is Assign { Target: Var allocated, Value: NewArray { Lengths.Count: 1 } allocation } && owned.ContainsKey(allocated.Name)
                    && entry.AtEntry(allocation.Lengths[0]) is { } length)
                {
                    AddEqual(facts, allocated.Name, Zeros, length);
                }

                return facts;
            }

            default:
                return facts;
        }
    }

    /// <summary>Adds x ≡ y on the length, and x ≡ z for every z already equal to y on it.</summary>
    private static void AddEqual(HashSet<Fact> facts, string x, string y, Expr length)
    {
        facts.RemoveWhere(f => f.First == x || f.Second == x);
        var equal = new List<string> { y };
        equal.AddRange(facts.Where(f => f.Length.Equals(length) && (f.First == y || f.Second == y)).Select(f => f.Other(y)));
        foreach (string other in equal)
        {
            facts.Add(Fact.Of(x, other, length));
        }
    }

    /// <summary>
    /// The length a counted loop <c>for (k = 0; k &lt; n; k++)</c> covers, n as a value fixed at entry; null for any
    /// other loop.
    /// </summary>
    private Expr? RangeOf(Loop loop) =>
        counted.TryGetValue(loop, out CountedLoop? replay) && replay is { First: Literal { Text: "0" }, Step: 1, Inclusive: false }
            ? entry.AtEntry(replay.Bound)
            : null;

    /// <summary>A copy <c>x[k] = y[k]</c> the loop runs on every iteration, writing x and y nowhere else.</summary>
    private (string Copy, string Source)? CopyIn(Loop loop)
    {
        string counter = counted[loop].Counter.Name;
        foreach (Stmt statement in loop.Body.Statements)
        {
            if (statement is Assign { Kind: AssignKind.Set, Target: Element target, Value: Element value }
                && AtCounter(target, counter) is { } copy && AtCounter(value, counter) is { } source && copy.Name != source.Name
                && copy.Type.Equals(source.Type) && owned.ContainsKey(copy.Name) && owned.ContainsKey(source.Name)
                && WritesOnlyAt(loop, statement, copy.Name) && !WrittenIn(loop, source.Name))
            {
                return (copy.Name, source.Name);
            }
        }

        return null;
    }

    private void FindReloads(Loop loop, HashSet<Fact> facts, Dictionary<Stmt, List<Element>> sources)
    {
        if (facts.Count == 0)
        {
            return;
        }

        string counter = counted[loop].Counter.Name;
        foreach (Stmt statement in OncePerIteration(loop.Body))
        {
            Expr? target = statement switch
            {
                Assign assign => assign.Target,
                CallStmt call => call.Target,
                _ => null,
            };
            // A call given the array may write any of its elements before the target is stored (x[i] = F(x, …)).
            if (target is not Element element || AtCounter(element, counter) is not { } written || !owned.ContainsKey(written.Name)
                || !WritesOnlyAt(loop, statement, written.Name) || (statement is CallStmt callWrite && Mentions(callWrite.Call, written.Name)))
            {
                continue;
            }

            List<Element> equal = facts.Where(f => f.Second != Zeros && (f.First == written.Name || f.Second == written.Name))
                .Select(f => f.Other(written.Name))
                .Where(name => owned[name].Type.Equals(written.Type) && !WrittenIn(loop, name))
                .OrderBy(name => name, System.StringComparer.Ordinal)
                .Select(name => element with { Array = owned[name] })
                .ToList();
            if (equal.Count > 0)
            {
                sources[statement] = equal;
            }
        }
    }

    private static bool Mentions(Call call, string array)
    {
        var mentioned = new List<Var>();
        foreach (Argument argument in call.Arguments)
        {
            IrWalk.Variables(argument.Value, mentioned);
        }

        if (call.Receiver is not null)
        {
            IrWalk.Variables(call.Receiver, mentioned);
        }

        return mentioned.Exists(v => v.Name == array);
    }

    /// <summary>The array of <c>a[k]</c>, k the counter; null for any other element.</summary>
    private static Var? AtCounter(Element element, string counter) =>
        element is { Array: Var array, Indices: { Count: 1 } indices } && indices[0] is Var index && index.Name == counter ? array : null;

    /// <summary>Whether the write is the only statement of the loop that may write the array.</summary>
    private bool WritesOnlyAt(Loop loop, Stmt write, string array) =>
        Written(write).SetEquals(new[] { array })
        && IrWalk.Flatten(loop).All(statement => ReferenceEquals(statement, write) || !Written(statement).Contains(array));

    private bool WrittenIn(Loop loop, string array) => IrWalk.Flatten(loop).Any(statement => Written(statement).Contains(array));

    /// <summary>The simple statements of a loop body outside its inner loops: each runs at most once per iteration.</summary>
    private static IEnumerable<Stmt> OncePerIteration(Stmt statement)
    {
        switch (statement)
        {
            case Block block:
                return block.Statements.SelectMany(OncePerIteration);
            case If branch:
                return OncePerIteration(branch.Then).Concat(OncePerIteration(branch.Else));
            case Loop:
                return Enumerable.Empty<Stmt>();
            default:
                return new[] { statement };
        }
    }

    /// <summary>
    /// The owned arrays a simple statement may write: a rebound variable, the arrays an element target may be (an
    /// untracked target may be any), and every array a call is given.
    /// </summary>
    private HashSet<string> Written(Stmt statement)
    {
        if (this.written.TryGetValue(statement, out HashSet<string>? known))
        {
            return known;
        }

        var written = new HashSet<string>();
        this.written[statement] = written;
        Expr? target = statement switch
        {
            Assign assign => assign.Target,
            CallStmt call => call.Target,
            _ => null,
        };
        if (target is Var rebound && owned.ContainsKey(rebound.Name))
        {
            written.Add(rebound.Name);
        }
        else if (target is Element { Array.Type.IsFloatingArray: true } element)
        {
            IReadOnlyCollection<string> objects = storage.Objects(element.Array);
            bool anything = objects.Count == 0 || objects.Contains(ArrayStorage.Untracked);
            written.UnionWith(owned.Values.Where(v => anything || storage.Objects(v).Any(objects.Contains)).Select(v => v.Name));
        }

        if (statement is CallStmt or NonDifferentiableCall)
        {
            var mentioned = new List<Var>();
            IrWalk.Variables(statement, mentioned);
            written.UnionWith(mentioned.Where(v => owned.ContainsKey(v.Name)).Select(v => v.Name));
        }

        return written;
    }

    /// <summary>x[k] == y[k] for 0 ≤ k &lt; Length (y is <see cref="Zeros"/> for an array of zeros); names in order.</summary>
    private sealed record Fact(string First, string Second, Expr Length)
    {
        public static Fact Of(string x, string y, Expr length) =>
            y == Zeros || string.CompareOrdinal(x, y) < 0 ? new Fact(x, y, length) : new Fact(y, x, length);

        public string Other(string name) => First == name ? Second : First;
    }
}
