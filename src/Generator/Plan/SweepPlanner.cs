using System.Collections.Generic;
using System.Linq;
using SourceDiff.Rules;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Plan;

/// <summary>
/// Makes the <see cref="SweepPlan"/> of a method from its IR and the analyses. A branch records its decision, and a loop
/// its trip count, exactly when the reverse of its body does some work: undoes a write, propagates an adjoint or calls
/// a reverse sweep. That is decided here from the same facts the reverse sweep is built from, never from its text.
/// </summary>
internal sealed class SweepPlanner
{
    private readonly Activity activity;
    private readonly Recording recording;
    private readonly Dictionary<Stmt, OldValue> oldValues = new(ReferenceComparer.Instance);
    private readonly Dictionary<Stmt, Element> reloadSources = new(ReferenceComparer.Instance);
    private readonly HashSet<If> recordedBranches = new(ReferenceComparer.Instance);
    private readonly Dictionary<Loop, string> tripCounters = new(ReferenceComparer.Instance);
    private readonly Dictionary<Loop, CountedReplay> countedReplays = new(ReferenceComparer.Instance);
    private readonly HashSet<Assign> reusedResults = new(ReferenceComparer.Instance);
    private readonly HashSet<Assign> rematerialized = new(ReferenceComparer.Instance);

    private SweepPlanner(Activity activity, Recording recording)
    {
        this.activity = activity;
        this.recording = recording;
    }

    public static SweepPlan Build(MethodModel method, Activity activity, GeneratorOptions options)
    {
        Recording recording = Recording.Analyze(method, activity, options.RecordAll);
        VisibleWrites writes = VisibleWrites.Analyze(method.Body, activity.Storage);
        var planner = new SweepPlanner(activity, recording);
        planner.Walk(method.Body, inLoop: false);
        return new SweepPlan(
            method,
            activity,
            planner.oldValues,
            planner.reloadSources,
            planner.recordedBranches,
            planner.tripCounters,
            planner.countedReplays,
            planner.reusedResults,
            planner.rematerialized,
            options.RecordAll ? new HashSet<string>() : ReverseRentedAdjoints(method, activity),
            SavedAtEnd(method, activity, recording, writes),
            RestoredFields(method),
            RestoredArguments(method, writes));
    }

    /// <summary>Decides the statements under <paramref name="statement"/>; returns whether its reverse does any work.</summary>
    private bool Walk(Stmt statement, bool inLoop)
    {
        switch (statement)
        {
            case Assign assign:
            {
                OldValue old = Decide(assign, assign.Target, assign.Kind, inLoop, recording.IsInvertible(assign));
                oldValues[assign] = old;
                if (recording.ReusesResult(assign))
                {
                    reusedResults.Add(assign);
                }

                if (recording.Rematerializes(assign))
                {
                    rematerialized.Add(assign);
                }

                return old != OldValue.Dropped || PropagatesAdjoint(assign);
            }

            case CallStmt call:
                if (call.Target is not null)
                {
                    oldValues[call] = Decide(call, call.Target, call.Kind, inLoop, invertible: false);
                }

                // Its reverse calls the callee's reverse sweep (or the user's pullback).
                return true;

            case If branch:
            {
                bool any = Walk(branch.Then, inLoop) | Walk(branch.Else, inLoop);
                if (any)
                {
                    recordedBranches.Add(branch);
                }

                return any;
            }

            case Loop loop when recording.CountedOf(loop) is { } counted:
            {
                // The replay sets the counter itself: its step is never undone, and nothing goes on the tape.
                oldValues[loop.Step.Statements[0]] = OldValue.Dropped;
                bool any = Walk(loop.Body, inLoop: true);
                if (any)
                {
                    countedReplays[loop] = new CountedReplay(counted, "_k" + countedReplays.Count);
                }

                return any;
            }

            case Loop loop:
            {
                bool any = Walk(loop.Step, inLoop: true) | Walk(loop.Body, inLoop: true);
                if (any)
                {
                    tripCounters[loop] = "_trips" + tripCounters.Count;
                }

                return any;
            }

            case Block block:
            {
                bool any = false;
                foreach (Stmt inner in block.Statements)
                {
                    any |= Walk(inner, inLoop);
                }

                return any;
            }

            default:
                // throw and expression statements have no reverse.
                return false;
        }
    }

    private OldValue Decide(Stmt write, Expr target, AssignKind kind, bool inLoop, bool invertible)
    {
        if (invertible)
        {
            // Undone only where the reverse sweep reads the variable, or the caller sees it.
            return target is Var variable && (recording.IsReadByReverse(variable) || variable.IsNonLocal) ? OldValue.Recomputed : OldValue.Dropped;
        }

        bool recorded = target switch
        {
            Var variable => recording.Records(variable, kind, inLoop, write),
            Element element => recording.Records(write, element),
            _ => false,
        };
        if (recorded && recording.ReloadSourceOf(write) is { } source)
        {
            reloadSources[write] = source;
            return OldValue.Reloaded;
        }

        return recorded && (target.Type.IsArray || target.Type.TapeKind is not null) ? OldValue.Recorded : OldValue.Dropped;
    }

    /// <summary>
    /// Whether the reverse of an assignment touches adjoints: it resets the target's adjoint (a plain or self-referencing
    /// assignment) or passes it on to an active value (<c>x += e</c>).
    /// </summary>
    private bool PropagatesAdjoint(Assign assign)
    {
        if (!assign.Target.Type.IsFloatingScalar || !activity.HasAdjoint(assign.Target))
        {
            return false;
        }

        bool selfReference = assign.Target is Var self && IrWalk.Reads(assign.Value, self.Name);
        return assign.Kind is not (AssignKind.Add or AssignKind.Subtract) || selfReference || activity.IsActive(assign.Value);
    }

    private static List<Var> SavedAtEnd(MethodModel method, Activity activity, Recording recording, VisibleWrites writes)
    {
        // A by-value parameter reaches the reverse sweep again as the caller's argument, which only differs from the
        // value the forward sweep ended with if the body assigns it, or if the call changed what the argument reads.
        var saved = new List<Var>();
        bool sideEffects = writes.HasSideEffects;
        IReadOnlyCollection<string> assigned = writes.Assigned;
        IEnumerable<Var> candidates = method.Parameters.Where(p => p.Mode == RefMode.None && (sideEffects || assigned.Contains(p.Name))).Select(p => new Var(p.Name, VarKind.Parameter, p.Type))
            .Concat(method.Locals.Select(l => new Var(l.Name, VarKind.Local, l.Type)));
        foreach (Var variable in candidates)
        {
            bool needed = variable.Type.IsArray
                ? (recording.IsReassignedArray(variable) || variable.Kind == VarKind.Local) && (recording.IsReadByReverse(variable) || activity.IsActive(variable))
                : recording.IsLiveAtEnd(variable) && variable.Type.TapeKind is not null;
            if (needed)
            {
                saved.Add(variable);
            }
        }

        return saved;
    }

    /// <summary>The local double arrays whose adjoints the reverse sweep can rent itself (<see cref="SweepPlan.RentsAdjointInReverse"/>).</summary>
    private static HashSet<string> ReverseRentedAdjoints(MethodModel method, Activity activity)
    {
        var rented = new HashSet<string>();
        var mentionedByCalls = new HashSet<string>();
        var wholeWrites = new Dictionary<string, int>();
        foreach (Stmt statement in IrWalk.Flatten(method.Body))
        {
            switch (statement)
            {
                case Assign { Target: Var { Type.IsArray: true } array }:
                    wholeWrites[array.Name] = wholeWrites.TryGetValue(array.Name, out int count) ? count + 1 : 1;
                    break;
                case CallStmt or NonDifferentiableCall:
                    var mentioned = new List<Var>();
                    IrWalk.Variables(statement, mentioned);
                    mentionedByCalls.UnionWith(mentioned.Select(v => v.Name));
                    break;
            }
        }

        foreach (Stmt statement in method.Body.Statements)
        {
            if (statement is Assign { Target: Var { Kind: VarKind.Local } array, Value: NewArray { Type: { Element: "double", Ranks.Count: 1, MathNet: null }, Lengths.Count: 1 } allocation }
                && allocation.Type.Ranks[0] == 1 && activity.IsActive(array) && wholeWrites[array.Name] == 1 && !mentionedByCalls.Contains(array.Name)
                && activity.Storage.Objects(array) is { Count: 1 } objects
                && objects.All(obj => ArrayStorage.IsFresh(obj) && activity.Storage.PointersTo(obj).Count == 1))
            {
                rented.Add(array.Name);
            }
        }

        return rented;
    }

    /// <summary>
    /// The fields the method may write (<see cref="MethodModel.WrittenFields"/>): only those are put back, so a parameter
    /// someone else updates meanwhile is left alone.
    /// </summary>
    private static List<RestoredField> RestoredFields(MethodModel method) =>
        method.IsStatic ? new List<RestoredField>()
        : method.Type.Fields.Where(f => method.WrittenFields.Contains(f.Name))
            .Select(f => new RestoredField(f, Reassignable: f.Type.IsArray && f.Role != FieldRole.Layer && !f.IsReadOnly))
            .ToList();

    private static List<RestoredArgument> RestoredArguments(MethodModel method, VisibleWrites writes)
    {
        var restored = new List<RestoredArgument>();
        if (!writes.HasSideEffects)
        {
            return restored;
        }

        foreach (ParameterModel p in method.Parameters)
        {
            if (p.Mode != RefMode.None)
            {
                restored.Add(new RestoredArgument(p, ArgumentRestore.Value));
            }
            else if ((p.Type.IsSpan || p.Type.IsArray) && writes.WrittenArrays.Contains(p.Name))
            {
                restored.Add(new RestoredArgument(p, p.Type.IsSpan ? ArgumentRestore.SpanContents : ArgumentRestore.ArrayContents));
            }
        }

        return restored;
    }
}
