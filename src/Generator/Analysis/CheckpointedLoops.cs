using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Rules;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// A loop of a <c>[Checkpoint]</c> method that the sweeps checkpoint: its counted form, and the carried state a
/// snapshot copies. The carried state is everything the body reads or writes that may change while the method runs
/// (before the loop, in it, or after it), so that restoring a snapshot and running the primal body forward rebuilds
/// exactly the state an iteration started from: scalar locals and parameters (ref and out included) by value, the
/// contents of arrays, and the fields of the model the method may write (layers through their generated snapshot members).
/// </summary>
/// <remarks>
/// <c>References</c> are the array variables the body uses whose reference the reverse sweep would not otherwise hold
/// (locals, and parameters the method assigns): recomputing an iteration reads arrays the reverse sweep of the plain
/// loop never needed.
/// </remarks>
internal sealed record CheckpointedLoop(Loop Loop, CountedLoop Counted, int Snapshots, IReadOnlyList<Var> Scalars, IReadOnlyList<Var> Arrays, IReadOnlyList<Var> References, IReadOnlyList<FieldModel> Fields);

/// <summary>Finds and checks the loops <c>[Checkpoint]</c> applies to: every loop not nested in another loop.</summary>
internal static class CheckpointedLoops
{
    /// <summary>The loops of a body not nested in another loop, in code order (inside branches too).</summary>
    public static List<Loop> Outermost(Block body)
    {
        var loops = new List<Loop>();
        Visit(body, loops);
        return loops;

        static void Visit(Stmt statement, List<Loop> into)
        {
            switch (statement)
            {
                case Block block:
                    foreach (Stmt inner in block.Statements)
                    {
                        Visit(inner, into);
                    }

                    break;
                case If branch:
                    Visit(branch.Then, into);
                    Visit(branch.Else, into);
                    break;
                case Loop loop:
                    into.Add(loop);
                    break;
            }
        }
    }

    /// <summary>What stops <c>[Checkpoint]</c> on the method, at the loop (or the attribute) it concerns.</summary>
    public static IEnumerable<DiagnosticInfo> Check(MethodModel method)
    {
        if (method.Checkpoint is not { } request)
        {
            yield break;
        }

        if (request.Snapshots < 0)
        {
            yield return Problem(method, request.Site, "its loops", "Snapshots must be at least 1, or 0 (the default) to let SourceDiff choose");
            yield break;
        }

        List<Loop> loops = Outermost(method.Body);
        if (loops.Count == 0)
        {
            yield return Problem(method, request.Site, "anything", "the method has no loop; remove [Checkpoint]");
            yield break;
        }

        IReadOnlyDictionary<Loop, CountedLoop> counted = CountedLoops.Find(method);
        foreach (Loop loop in loops)
        {
            Site site = loop.Site ?? request.Site;
            if (!counted.ContainsKey(loop))
            {
                yield return Problem(method, site, "this loop", WhyNotCounted(loop));
                continue;
            }

            if (Rebinding(method, loop) is { } rebound)
            {
                yield return Problem(method, rebound.Site ?? site, "this loop", rebound.Reason);
            }
        }
    }

    /// <summary>
    /// The sites of the loops <c>[Checkpoint]</c> would take in a method that has none: not nested in another loop,
    /// counted with a trip count the inputs decide (not two literals), and with nothing in them that would be SD0014.
    /// </summary>
    public static HashSet<Site> Checkpointable(MethodModel method)
    {
        var sites = new HashSet<Site>();
        if (method.Checkpoint is not null)
        {
            return sites;
        }

        IReadOnlyDictionary<Loop, CountedLoop> counted = CountedLoops.Find(method);
        foreach (Loop loop in Outermost(method.Body))
        {
            if (loop.Site is { } site && counted.TryGetValue(loop, out CountedLoop? counting)
                && !(counting.First is Literal && counting.Bound is Literal) && Rebinding(method, loop) is null)
            {
                sites.Add(site);
            }
        }

        return sites;
    }

    /// <summary>
    /// The loops to checkpoint, with their carried state; empty without <c>[Checkpoint]</c>. Sweeps are built only for
    /// methods <see cref="Check"/> found nothing in, so every loop here is counted.
    /// </summary>
    public static IReadOnlyDictionary<Loop, CheckpointedLoop> Plan(MethodModel method, ArrayStorage storage)
    {
        var planned = new Dictionary<Loop, CheckpointedLoop>(ReferenceComparer.Instance);
        if (method.Checkpoint is not { } request)
        {
            return planned;
        }

        IReadOnlyDictionary<Loop, CountedLoop> counted = CountedLoops.Find(method);
        VisibleWrites writes = VisibleWrites.Analyze(method.Body, storage);
        var assigned = new HashSet<string>();
        CountedLoops.Writes(method.Body, assigned);
        foreach (Loop loop in Outermost(method.Body))
        {
            if (!counted.TryGetValue(loop, out CountedLoop? counting))
            {
                continue;
            }

            HashSet<string> declared = DeclaredIn(loop.Body);
            var mentioned = new List<Var>();
            IrWalk.Variables(loop.Body, mentioned);
            var scalars = new List<Var>();
            var arrays = new List<Var>();
            var references = new List<Var>();
            var seen = new HashSet<string> { counting.Counter.Name };
            foreach (Var variable in mentioned)
            {
                if (variable.Kind is not (VarKind.Local or VarKind.Parameter or VarKind.RefParameter) || declared.Contains(variable.Name) || !seen.Add(variable.Name))
                {
                    continue;
                }

                if (variable.Type.IsArray)
                {
                    if (variable.Kind == VarKind.Local || assigned.Contains(variable.Name))
                    {
                        references.Add(variable);
                    }

                    if (writes.WrittenArrays.Contains(variable.Name))
                    {
                        arrays.Add(variable);
                    }
                }
                else if (!variable.Type.IsSpan && assigned.Contains(variable.Name))
                {
                    scalars.Add(variable);
                }
            }

            List<FieldModel> fields = method.IsStatic ? new List<FieldModel>() : method.Type.Fields.Where(f => method.WrittenFields.Contains(f.Name)).ToList();
            planned[loop] = new CheckpointedLoop(loop, counting, request.Snapshots, scalars, arrays, references, fields);
        }

        return planned;
    }

    /// <summary>Why a loop is not counted, in the words of the loop the user wrote.</summary>
    private static string WhyNotCounted(Loop loop)
    {
        const string Counted = "write a counted for loop (for (int t = a; t < b; t++), also <=, counting down or by a constant step) or foreach over an array";
        if (!loop.TestFirst)
        {
            return "a do loop's trip count is not known when it starts; " + Counted;
        }

        if (loop.Condition is Binary { Operator: "&&", Left: Binary { Operator: "==", Left: Var { Kind: VarKind.Local } flag } } && flag.Name.Contains("flow"))
        {
            return "a break, continue or return inside it decides the trip count as it runs; move the test into the loop's condition, or skip the rest of an iteration with if";
        }

        if (loop.Step.Statements.Count == 0)
        {
            return "a while loop's trip count is not known when it starts; " + Counted;
        }

        return "its trip count cannot be known when it starts: the counter must be one int that only the loop's header changes, compared by <, <=, > or >= with a bound the body cannot change, and stepped by a constant "
            + "(a bound reading a field or property that a call in the body may write counts as changeable: copy it into a local before the loop, int steps = Steps;)";
    }

    /// <summary>
    /// A write in the loop that a snapshot cannot undo by copying contents: an array variable (or a row of a jagged
    /// array) pointed at another array, or a span written through, where the array or span outlives an iteration.
    /// </summary>
    private static (string Reason, Site? Site)? Rebinding(MethodModel method, Loop loop)
    {
        HashSet<string> declared = DeclaredIn(loop.Body);
        foreach (Stmt statement in IrWalk.Flatten(loop.Body))
        {
            Expr? target = statement switch
            {
                Assign assign => assign.Target,
                CallStmt call => call.Target,
                _ => null,
            };
            if (target is Var { Type.IsArray: true } array && !declared.Contains(array.Name))
            {
                return ("it points '" + array.Name + "' at another array, and a snapshot copies arrays' contents, not which array a variable holds; write into the array instead, or declare the variable inside the loop", statement.Site);
            }

            if (target is Element { Type.IsArray: true } row && IrWalk.Root(row) is { } jagged && !declared.Contains(jagged.Name))
            {
                return ("it replaces a row of '" + jagged.Name + "'; a snapshot copies the rows' contents, so write into the row instead", statement.Site);
            }

            if (target is Element element && IrWalk.Root(element) is { Type.IsSpan: true } span && !declared.Contains(span.Name))
            {
                return ("it writes through the span '" + span.Name + "', whose contents a snapshot cannot copy; use an array", statement.Site);
            }

            if (statement is CallStmt { Call: var called })
            {
                for (int i = 0; i < called.Arguments.Count && i < called.Parameters.Count; i++)
                {
                    Expr value = called.Arguments[i].Value;
                    if (IrWalk.Root(value) is not { } root || declared.Contains(root.Name))
                    {
                        continue;
                    }

                    if (value.Type.IsArray && called.Arguments[i].Mode is RefMode.Ref or RefMode.Out)
                    {
                        return ("it passes the array '" + root.Name + "' by ref to '" + called.Name + "', which may point it at another array", statement.Site);
                    }

                    if (root.Type.IsSpan && called.Parameters[i].MayWrite)
                    {
                        return ("'" + called.Name + "' writes through the span '" + root.Name + "', whose contents a snapshot cannot copy; use an array", statement.Site);
                    }

                    if (value.Type.Ranks.Count > 1 && called.Parameters[i].MayWrite)
                    {
                        return ("it passes the jagged array '" + root.Name + "' to '" + called.Name + "', which may replace its rows, and a snapshot copies the rows' contents; pass the row to write instead", statement.Site);
                    }
                }

                // A method of this model, or of a layer, may point an array field at another array (a buffer swap).
                if (!called.IsStatic && RebindingFieldOf(method, called) is { } field)
                {
                    return ("'" + called.Name + "' may point " + field + " at another array (a buffer swap), and a snapshot copies arrays' contents, not which array a field holds; copy into the array instead", statement.Site);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The array field (or layer) a call on this model or on one of its layers may point at another array, described for
    /// a message; null when it may point none.
    /// </summary>
    private static string? RebindingFieldOf(MethodModel method, Call called)
    {
        if (called.Receiver is null)
        {
            FieldModel? swapped = method.Type.Fields.FirstOrDefault(f => f.IsRebound && f.Role != FieldRole.Layer && method.WrittenFields.Contains(f.Name));
            return swapped is null ? null : "the field '" + swapped.Name + "'";
        }

        if (IrWalk.Root(called.Receiver) is { Kind: VarKind.LayerField } layer && method.Type.Fields.FirstOrDefault(f => f.Name == layer.Name) is { IsRebound: true })
        {
            return "an array of the layer '" + layer.Name + "'";
        }

        return null;
    }

    /// <summary>The locals declared inside a block: fresh in every iteration, so never carried.</summary>
    private static HashSet<string> DeclaredIn(Block body)
    {
        var declared = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Flatten(body))
        {
            Expr? target = statement switch
            {
                Assign { Kind: AssignKind.Declare } assign => assign.Target,
                CallStmt { Kind: AssignKind.Declare } call => call.Target,
                _ => null,
            };
            if (target is Var local)
            {
                declared.Add(local.Name);
            }
        }

        return declared;
    }

    private static DiagnosticInfo Problem(MethodModel method, Site site, string what, string why) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.CheckpointNotPossible, site, method.Name, what, why);
}
