using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Derivatives;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// To-be-recorded analysis. The reverse sweep runs on restored state: when it reaches a statement, every variable it
/// reads holds the value it had when the statement ran forward. A write is recorded (its old value pushed, then popped
/// back by the reverse sweep) only when the reverse sweep reads that variable somewhere, the write is not the first
/// one, and the old value cannot be recomputed (an integer <c>i += c</c> is undone by subtraction instead).
/// Storage that outlives the method (ref parameters, caller arrays, fields) is always recorded: callers may need it.
/// </summary>
internal sealed partial class Recording
{
    private readonly HashSet<string> restored = new();
    private readonly Dictionary<object, HashSet<string>> statementReads = new(ReferenceComparer.Instance);

    // Arrays whose elements the reverse sweep reads. The others it only indexes (their adjoints, their restores), so
    // a fresh one's elements need no restoring: `a[i] = s` records nothing when only `_d_a[i]` is read back.
    private readonly HashSet<string> contentsRead = new();
    private readonly Dictionary<object, HashSet<string>> statementContents = new(ReferenceComparer.Instance);
    private readonly HashSet<object> scalarPushes = new(ReferenceComparer.Instance);
    private readonly HashSet<string> reassignedArrays = new();
    private readonly Activity activity;
    private readonly bool recordAll;
    private readonly IReadOnlyDictionary<Loop, CountedLoop> counted;

    // Variables the reverse sweep reads with no later write to give their value back: it needs their final values.
    private HashSet<string> liveAtEnd = new();

    // Assignments whose reverse reuses the value they computed (read from the target before it is restored).
    private readonly HashSet<Stmt> reusing = new(ReferenceComparer.Instance);

    // Writes into owned fresh arrays that some earlier reverse read of the array's elements needs undone (FindPushes).
    private readonly HashSet<Stmt> elementPushes = new(ReferenceComparer.Instance);

    // Locals the reverse sweep computes again where it starts undoing their block, instead of recording them.
    private readonly HashSet<Stmt> rematerialized = new(ReferenceComparer.Instance);

    // Counters of the counted loops FindPushes is inside: the replay sets them, so reads of them need no restoring.
    private readonly HashSet<string> replayedCounters = new();

    private Recording(Activity activity, bool recordAll, IReadOnlyDictionary<Loop, CountedLoop> counted)
    {
        this.activity = activity;
        this.recordAll = recordAll;
        this.counted = counted;
    }

    /// <summary>
    /// The loop as a counted loop, replayed by the reverse sweep from its first value, bound and step with no tape
    /// traffic; null for a loop whose trip count is recorded (and always with <c>SourceDiffRecordAll</c>).
    /// </summary>
    public CountedLoop? CountedOf(Loop loop) => counted.TryGetValue(loop, out CountedLoop? replay) ? replay : null;

    /// <summary>Variables the reverse sweep reads, so their values must be restored as it goes.</summary>
    public IReadOnlyCollection<string> ReadByReverse => restored;

    public bool IsReadByReverse(Var variable) => restored.Contains(variable.Name);

    /// <summary>
    /// Whether the reverse sweep reads the variable's final value: it reads it somewhere and no write after that read
    /// gives the value back. Only such variables are saved when the forward sweep ends.
    /// </summary>
    public bool IsLiveAtEnd(Var variable) => liveAtEnd.Contains(variable.Name);

    /// <summary>
    /// Whether the reverse of <c>x = f(…)</c> reads the value f computed from x, before x is restored, instead of
    /// recomputing it (<see cref="ExpressionAdjoint.ReusesResult"/>). Only where that costs no recording of its own:
    /// an element (whose writes are recorded anyway), or a scalar the reverse sweep reads already. It is a derivative
    /// rule, not a recording decision, so SourceDiffRecordAll keeps it (a sigmoid's v(1 - v) has no 0·∞ where exp overflows).
    /// </summary>
    public bool ReusesResult(Assign assign) => reusing.Contains(assign);

    private bool MayReuseResult(Assign assign) =>
        assign.Kind is AssignKind.Set or AssignKind.Declare && ExpressionAdjoint.ReusesResult(assign.Value, activity)
        // An element target's array then has its contents read by the reverse sweep, so its writes are recorded.
        && assign.Target is Var { Type.IsArray: false } or Element;

    /// <summary>
    /// Whether the reverse sweep computes the local this declaration writes again where it starts undoing the
    /// declaration's block (<see cref="RematerializableLocal"/>), so no write to it is recorded.
    /// </summary>
    public bool Rematerializes(Assign declaration) => rematerialized.Contains(declaration);

    /// <summary>Array variables whose reference is assigned in the body (their refs are saved at the end of the forward sweep).</summary>
    public bool IsReassignedArray(Var variable) => reassignedArrays.Contains(variable.Name);

    /// <summary><c>i += c</c> / <c>i -= c</c> on an integer with a literal step: undone exactly by the opposite step.</summary>
    public bool IsInvertible(Assign assign) => !recordAll && IsIntegerStep(assign);

    private static bool IsIntegerStep(Assign assign) =>
        assign.Kind is AssignKind.Add or AssignKind.Subtract && assign.Target is Var && assign.Target.Type.TapeKind is "Int" or "Long"
        && assign.Value is Literal;

    /// <summary>
    /// Whether a write to a variable pushes the old value (and, for arrays, the old adjoint array). For a scalar, only
    /// when it is the first write after some statement whose reverse sweep reads the variable (see
    /// <see cref="FindPushes"/>): an accumulator re-initialised before each use is recorded once per use, not per step.
    /// </summary>
    public bool Records(Var target, AssignKind kind, bool inLoop, Stmt statement)
    {
        if (target.IsNonLocal)
        {
            return true;
        }

        if (kind == AssignKind.Declare && !inLoop)
        {
            return false;
        }

        if (recordAll)
        {
            return true;
        }

        if (target.Type.IsArray)
        {
            return restored.Contains(target.Name) || activity.IsActive(target);
        }

        return scalarPushes.Contains(statement);
    }

    /// <summary>
    /// Whether a write to an array element pushes the old element, for any write to it (the flow-insensitive answer the
    /// analysis starts from; <see cref="Records(Stmt, Element)"/> is the one the sweeps use).
    /// </summary>
    public bool Records(Element target)
    {
        if (recordAll || !IsOwnedFresh(target.Array))
        {
            return true;
        }

        // An array whose elements the reverse sweep reads.
        return activity.Storage.Objects(target.Array).Any(obj => activity.Storage.PointersTo(obj).Any(v => contentsRead.Contains(v.Name)));
    }

    /// <summary>
    /// Runs the analysis; with <paramref name="recordAll"/> (the <c>SourceDiffRecordAll</c> switch) every overwritten
    /// value is recorded and nothing is recomputed, which must give the same gradients.
    /// </summary>
    public static Recording Analyze(MethodModel method, Activity activity, bool recordAll)
    {
        IReadOnlyDictionary<Loop, CountedLoop> counted = recordAll ? new Dictionary<Loop, CountedLoop>() : CountedLoops.Find(method);
        var recording = new Recording(activity, recordAll, counted);
        foreach (KeyValuePair<Loop, CountedLoop> loop in counted)
        {
            // The replay reads the first value and the bound where the loop ends.
            var replayReads = IrWalk.AllVars(loop.Value.First);
            IrWalk.AllVars(loop.Value.Bound, replayReads);
            recording.AddReads(loop.Key, replayReads, replayReads);
        }

        List<Stmt> statements = IrWalk.Flatten(method.Body);
        var candidates = new List<Assign>();
        foreach (Stmt statement in statements)
        {
            var reads = new HashSet<string>();
            var contents = new HashSet<string>();
            switch (statement)
            {
                case Assign assign:
                    if (assign.Target.Type.IsArray)
                    {
                        if (assign.Target is Var arrayVar)
                        {
                            recording.reassignedArrays.Add(arrayVar.Name);
                        }
                    }
                    else if (activity.IsActive(assign.Target))
                    {
                        ExpressionAdjoint.ReadsOf(assign.Value, activity, reads);
                        contents.UnionWith(reads);
                        if (assign.Target is Element element)
                        {
                            IndexReads(element, reads, contents);
                        }

                        if (recording.MayReuseResult(assign))
                        {
                            candidates.Add(assign);
                        }
                    }

                    break;
                case CallStmt call:
                    foreach (Argument argument in call.Call.Arguments)
                    {
                        IrWalk.AllVars(argument.Value, reads);
                    }

                    if (call.Call.Receiver is not null)
                    {
                        IrWalk.AllVars(call.Call.Receiver, reads);
                    }

                    contents.UnionWith(reads);
                    if (call.Target is Element callTarget)
                    {
                        IndexReads(callTarget, reads, contents);
                    }

                    break;
            }

            recording.AddReads(statement, reads, contents);
        }

        recording.ReuseResults(candidates);
        if (!recordAll)
        {
            recording.Rematerialize(Rematerialization.Find(method.Body, activity.Storage, counted), VisibleWrites.Analyze(method.Body, activity.Storage));
        }

        // Restoring an element reads its indices, so they must be restored too: iterate to a fixed point.
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Stmt statement in statements)
            {
                Expr? target = statement switch
                {
                    Assign assign => assign.Target,
                    CallStmt call => call.Target,
                    _ => null,
                };
                if (target is Element element && recording.Records(element))
                {
                    var reads = new HashSet<string>();
                    var contents = new HashSet<string>();
                    IndexReads(element, reads, contents);
                    int before = recording.restored.Count + recording.contentsRead.Count;
                    recording.AddReads(statement, reads, contents);
                    changed |= recording.restored.Count + recording.contentsRead.Count != before;
                }
            }
        }

        HashSet<string> live = recordAll
            ? recording.FindPushes(method.Body, new HashSet<string>())
            : recording.FindPushesReloading(method.Body, EqualArrays.ReloadSources(method, activity.Storage, counted));
        live.RemoveWhere(ElementTokens.IsToken);
        recording.liveAtEnd = recordAll ? new HashSet<string>(recording.restored) : live;
        return recording;
    }

    /// <summary>
    /// Forward dataflow over the structured body. <paramref name="pending"/> holds the variables read (by some reverse
    /// sweep) since their last write. The reverse sweep reaches a reader only after undoing every later write, so the
    /// first write after a read must give the old value back: a write records exactly when its variable is pending
    /// (or read by the statement itself). Loops iterate to a fixed point, since the back edge carries reads around.
    /// </summary>
    private HashSet<string> FindPushes(Stmt statement, HashSet<string> pending)
    {
        switch (statement)
        {
            case Block block:
                foreach (Stmt inner in block.Statements)
                {
                    pending = FindPushes(inner, pending);
                }

                // The reverse sweep computes these again before it undoes anything of the block.
                foreach (Stmt inner in block.Statements)
                {
                    if (rematerialized.Contains(inner))
                    {
                        pending.Remove(((Var)((Assign)inner).Target).Name);
                    }
                }

                return pending;

            case If conditional:
            {
                HashSet<string> whenTrue = FindPushes(conditional.Then, new HashSet<string>(pending));
                whenTrue.UnionWith(FindPushes(conditional.Else, new HashSet<string>(pending)));
                return whenTrue;
            }

            case Loop loop when CountedOf(loop) is { } replay:
            {
                // The replay sets the counter for each iteration and never undoes the step; where the loop ends it
                // reads the first value and the bound, like a reader placed there.
                string counter = replay.Counter.Name;
                bool outermost = replayedCounters.Add(counter);
                var head = new HashSet<string>(pending);
                var readAcrossIterations = new HashSet<string>();
                HashSet<string> writtenAtCounterOnly = WrittenOnlyAt(loop.Body, replay.Counter);
                while (true)
                {
                    HashSet<string> end = FindPushes(loop.Body, new HashSet<string>(head));
                    end.Remove(counter);

                    // Where the body writes an array only at this counter, the next iteration writes other elements than
                    // those read at it; after the loop, any.
                    foreach (string token in end.Where(t => ElementTokens.IsAt(t, counter) && writtenAtCounterOnly.Contains(ElementTokens.ArrayOf(t)!)).ToList())
                    {
                        end.Remove(token);
                        readAcrossIterations.Add(ElementTokens.Whole(ElementTokens.ArrayOf(token)!));
                    }

                    int before = head.Count;
                    head.UnionWith(end);
                    if (head.Count == before)
                    {
                        break;
                    }
                }

                head.UnionWith(readAcrossIterations);

                if (outermost)
                {
                    replayedCounters.Remove(counter);
                }

                head.Remove(counter);
                head.UnionWith(statementReads[loop]);
                return head;
            }

            case Loop loop:
            {
                var head = new HashSet<string>(pending);
                while (true)
                {
                    HashSet<string> end = FindPushes(loop.Step, FindPushes(loop.Body, new HashSet<string>(head)));
                    int before = head.Count;
                    head.UnionWith(end);
                    if (head.Count == before)
                    {
                        return head;
                    }
                }
            }

            case Assign or CallStmt:
            {
                var live = new HashSet<string>(pending);
                if (statementReads.TryGetValue(statement, out HashSet<string>? reads))
                {
                    live.UnionWith(reads.Where(read => !replayedCounters.Contains(read)));
                }

                Expr? target = statement is Assign assign ? assign.Target : ((CallStmt)statement).Target;
                live.UnionWith(ElementReadsBefore(statement, target));
                if (target is Element { Array: Var ownedArray } element && IsOwnedFresh(ownedArray))
                {
                    if (live.Any(token => ElementTokens.ArrayOf(token) == ownedArray.Name))
                    {
                        elementPushes.Add(statement);
                    }

                    // A reused result is read out of the element just after the write, like a reader placed there.
                    if (reusing.Contains(statement))
                    {
                        live.Add(ElementToken(ownedArray.Name, element.Indices));
                    }
                }

                // A new array: nothing read of the old one can be changed through this variable any more.
                if (statement is Assign { Target: Var { Type.IsArray: true } allocated, Value: NewArray } && IsOwnedFresh(allocated))
                {
                    live.RemoveWhere(token => ElementTokens.ArrayOf(token) == allocated.Name);
                }

                if (target is Var { Type.IsArray: false } variable)
                {
                    bool invertible = statement is Assign step && IsInvertible(step);
                    if (live.Contains(variable.Name) && !invertible && !rematerialized.Contains(statement))
                    {
                        scalarPushes.Add(statement);
                    }

                    live.Remove(variable.Name);

                    // A reused result is read just after the write, like a reader placed there.
                    if (reusing.Contains(statement))
                    {
                        live.Add(variable.Name);
                    }

                    // Undoing `i += c` by `i -= c` reads i as it was just after the step, like a reader placed there.
                    if (invertible && restored.Contains(variable.Name))
                    {
                        live.Add(variable.Name);
                    }
                }

                // A callee writing through a ref argument records and restores its old value itself. Its reverse sweep
                // starts from the value it left there (the reverse of `h = 2 * h; return h * h;` reads the new h), so the
                // caller's reverse sweep must hold that value when it calls it: a reader placed just after the call.
                if (statement is CallStmt call)
                {
                    foreach (Argument argument in call.Call.Arguments)
                    {
                        if (argument.Mode is RefMode.Ref or RefMode.Out && argument.Value is Var written)
                        {
                            live.Add(written.Name);
                        }
                    }
                }

                return live;
            }

            default:
                return pending;
        }
    }

    private void AddReads(Stmt statement, HashSet<string> reads, HashSet<string> contents)
    {
        restored.UnionWith(reads);
        contentsRead.UnionWith(contents);
        if (!statementReads.TryGetValue(statement, out HashSet<string>? existing))
        {
            statementReads[statement] = existing = new HashSet<string>();
            statementContents[statement] = new HashSet<string>();
        }

        existing.UnionWith(reads);
        statementContents[statement].UnionWith(contents);
    }

    /// <summary>
    /// Lets the reverse of <c>x = f(…)</c> read f's value from x where that records nothing new: x is an element whose
    /// writes are recorded anyway, or a scalar the reverse sweep reads already. Its reads become those of the rules
    /// given the result (tanh's no longer needs its argument); the result itself is read after the write (FindPushes).
    /// </summary>
    private void ReuseResults(List<Assign> candidates)
    {
        foreach (Assign assign in candidates)
        {
            if (assign.Target is Var target && !restored.Contains(target.Name))
            {
                continue;
            }

            reusing.Add(assign);
            var reads = new HashSet<string>();
            ExpressionAdjoint.ReadsOf(assign.Value, activity, reads, new Temporary("result", assign.Value.Type));
            var contents = new HashSet<string>(reads);
            if (assign.Target is Element element)
            {
                IndexReads(element, reads, contents);

                // The reverse reads the result out of the element, so the element must hold this write's value then.
                IrWalk.AllVars(element.Array, contents);
            }

            statementReads[assign] = reads;
            statementContents[assign] = contents;
        }

        // What the reverse sweep reads, again from every statement's reads, so reads no rule makes any more are gone.
        restored.Clear();
        foreach (HashSet<string> reads in statementReads.Values)
        {
            restored.UnionWith(reads);
        }

        contentsRead.Clear();
        foreach (HashSet<string> contents in statementContents.Values)
        {
            contentsRead.UnionWith(contents);
        }

        foreach (Assign assign in reusing)
        {
            if (assign.Target is Var target)
            {
                restored.Add(target.Name);
            }
        }
    }

    /// <summary>
    /// Recomputes, rather than records, the locals the reverse sweep reads whose inputs it restores already (or that
    /// are never written): recomputing them then records nothing new. Their inputs are read where they are declared,
    /// which, with nothing writing them later in the block, is like a reader where the block ends.
    /// </summary>
    private void Rematerialize(List<RematerializableLocal> candidates, VisibleWrites writes)
    {
        foreach (RematerializableLocal candidate in candidates)
        {
            if (!restored.Contains(candidate.Local.Name))
            {
                continue;
            }

            var inputs = new List<Var>();
            IrWalk.Variables(candidate.Write.Value, inputs);
            bool free = inputs.All(input =>
                candidate.ReplayedCounters.Contains(input.Name) || input.IsNonLocal
                || ((restored.Contains(input.Name) || !writes.Assigned.Contains(input.Name))
                    && (!input.Type.IsArray || contentsRead.Contains(input.Name) || !writes.WrittenArrays.Contains(input.Name))));
            if (!free)
            {
                continue;
            }

            rematerialized.Add(candidate.Write);
            var reads = new HashSet<string>(inputs.Select(v => v.Name));
            AddReads(candidate.Write, reads, new HashSet<string>(reads));
        }
    }

    /// <summary>
    /// What restoring or indexing a target element reads: its indices' variables (into both sets) and its array. An
    /// array held in a variable is only indexed, so it goes into <paramref name="reads"/> alone, not into
    /// <paramref name="contents"/>; a row of a jagged array is read out of its outer array, which is contents.
    /// </summary>
    private static void IndexReads(Element element, ISet<string> reads, ISet<string> contents)
    {
        foreach (Expr index in element.Indices)
        {
            IrWalk.AllVars(index, reads);
            IrWalk.AllVars(index, contents);
        }

        IrWalk.AllVars(element.Array, reads);
        if (element.Array is not Var)
        {
            IrWalk.AllVars(element.Array, contents);
        }
    }
}
