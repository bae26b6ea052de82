using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// A local declared with a cheap value, <c>double e = h[i] - y[i];</c>, whose every use follows it in the same block and
/// whose inputs nothing after it in that block writes. The reverse sweep can compute it again where it starts undoing
/// the block, from inputs it restores anyway, instead of the forward sweep pushing the local's old value at every write.
/// </summary>
/// <param name="Write">The declaration.</param>
/// <param name="Block">The block it stands in; the reverse sweep recomputes it where it starts undoing this block.</param>
/// <param name="ReplayedCounters">Counters of the counted loops around it: the replay sets them, so they need no restoring.</param>
internal sealed record RematerializableLocal(Assign Write, Block Block, IReadOnlyCollection<string> ReplayedCounters)
{
    public Var Local => (Var)Write.Target;
}

/// <summary>Finds the <see cref="RematerializableLocal"/>s of a method.</summary>
internal static class Rematerialization
{
    // More operations than this and recomputing costs more than a push and a pop.
    private const int MaxOperations = 8;

    public static List<RematerializableLocal> Find(Block body, ArrayStorage storage, IReadOnlyDictionary<Loop, CountedLoop> counted)
    {
        var mentions = new List<Var>();
        IrWalk.Variables(body, mentions);
        Dictionary<string, int> mentionCounts = mentions.GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.Count());
        var found = new List<RematerializableLocal>();
        Visit(body, new List<string>(), storage, counted, mentionCounts, found);
        return found;
    }

    private static void Visit(Stmt statement, List<string> counters, ArrayStorage storage, IReadOnlyDictionary<Loop, CountedLoop> counted,
        Dictionary<string, int> mentionCounts, List<RematerializableLocal> found)
    {
        switch (statement)
        {
            case Block block:
                for (int k = 0; k < block.Statements.Count; k++)
                {
                    if (block.Statements[k] is Assign write && Qualifies(write, block, k, storage, mentionCounts))
                    {
                        found.Add(new RematerializableLocal(write, block, counters.ToArray()));
                    }

                    Visit(block.Statements[k], counters, storage, counted, mentionCounts, found);
                }

                break;
            case If branch:
                Visit(branch.Then, counters, storage, counted, mentionCounts, found);
                Visit(branch.Else, counters, storage, counted, mentionCounts, found);
                break;
            case Loop loop:
                bool replayed = counted.TryGetValue(loop, out CountedLoop? replay);
                if (replayed)
                {
                    counters.Add(replay!.Counter.Name);
                }

                Visit(loop.Body, counters, storage, counted, mentionCounts, found);
                if (replayed)
                {
                    counters.RemoveAt(counters.Count - 1);
                }

                Visit(loop.Step, counters, storage, counted, mentionCounts, found);
                break;
        }
    }

    private static bool Qualifies(Assign write, Block block, int position, ArrayStorage storage, Dictionary<string, int> mentionCounts)
    {
        if (write.Kind != AssignKind.Declare || write.Target is not Var { Kind: VarKind.Local, Type.IsArray: false } local
            || local.Type.TapeKind is null || !IsCheap(write.Value, out int operations) || operations > MaxOperations)
        {
            return false;
        }

        HashSet<string> inputs = IrWalk.AllVars(write.Value);
        if (inputs.Contains(local.Name))
        {
            return false;
        }

        // Every use of the local follows the declaration in this block, so its value there is always this one.
        List<Stmt> rest = block.Statements.Skip(position + 1).ToList();
        var uses = new List<Var>();
        IrWalk.Variables(write, uses);
        foreach (Stmt later in rest)
        {
            IrWalk.Variables(later, uses);
        }

        if (uses.Count(v => v.Name == local.Name) != mentionCounts[local.Name])
        {
            return false;
        }

        var readArrays = new List<Expr>();
        ElementArrays(write.Value, readArrays);
        var mentioned = new List<Var>();
        IrWalk.Variables(write.Value, mentioned);
        bool readsStorage = readArrays.Count > 0 || mentioned.Any(v => v.IsNonLocal);
        return rest.All(later => IrWalk.Flatten(later).All(s => !Overwrites(s, local.Name, inputs, readArrays, readsStorage, storage)));
    }

    /// <summary>Whether a statement after the declaration may change the local or any value its recomputation reads.</summary>
    private static bool Overwrites(Stmt statement, string local, HashSet<string> inputs, List<Expr> readArrays, bool readsStorage, ArrayStorage storage)
    {
        Expr? target = statement switch
        {
            Assign assign => assign.Target,
            CallStmt call => call.Target,
            _ => null,
        };
        switch (target)
        {
            case Var variable when variable.Name == local || inputs.Contains(variable.Name):
                return true;
            case Element element when readArrays.Count > 0:
                IReadOnlyCollection<string> written = storage.Objects(element.Array);
                if (written.Count == 0 || readArrays.Any(array => storage.Objects(array) is var read && (read.Count == 0 || read.Any(written.Contains))))
                {
                    return true;
                }

                break;
        }

        return statement switch
        {
            // A callee may write through its arguments, and an instance callee the model's fields.
            CallStmt call => readsStorage || call.Call.Arguments.Any(a => a.Mode is RefMode.Ref or RefMode.Out && IrWalk.Root(a.Value) is { } root && (root.Name == local || inputs.Contains(root.Name))),
            NonDifferentiableCall => readsStorage,
            _ => false,
        };
    }

    private static void ElementArrays(Expr expr, List<Expr> into)
    {
        if (expr is Element element)
        {
            into.Add(element.Array);
        }

        foreach (Expr child in IrWalk.Children(expr))
        {
            ElementArrays(child, into);
        }
    }

    /// <summary>Arithmetic over variables, literals and elements: as cheap to compute again as to push and pop.</summary>
    private static bool IsCheap(Expr expr, out int operations)
    {
        operations = 0;
        return CountCheap(expr, ref operations);
    }

    private static bool CountCheap(Expr expr, ref int operations)
    {
        switch (expr)
        {
            case Literal:
                return true;
            case Var variable:
                return !variable.Type.IsArray;
            case Element element:
                operations++;
                if (element.Array is not (Var or Element) || (element.Array is Element inner && !CountCheap(inner, ref operations)))
                {
                    return false;
                }

                foreach (Expr index in element.Indices)
                {
                    if (!CountCheap(index, ref operations))
                    {
                        return false;
                    }
                }

                return true;
            case Unary { Operator: "-" or "+" } unary:
                operations++;
                return CountCheap(unary.Operand, ref operations);
            case Binary { Operator: "+" or "-" or "*" or "/" or "%" } binary:
                operations++;
                return CountCheap(binary.Left, ref operations) && CountCheap(binary.Right, ref operations);
            case Cast cast:
                return CountCheap(cast.Operand, ref operations);
            default:
                return false;
        }
    }
}
