using System.Collections.Generic;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Plan;

/// <summary>What happens to the value a write overwrites.</summary>
internal enum OldValue
{
    /// <summary>The reverse sweep never reads it: nothing is recorded or restored.</summary>
    Dropped,

    /// <summary>Pushed before the write and popped back by the reverse sweep (an array: its reference and its adjoint's).</summary>
    Recorded,

    /// <summary>An integer step <c>i += c</c> the reverse sweep undoes by the opposite step; nothing goes on the tape.</summary>
    Recomputed,

    /// <summary>
    /// An element whose old value an equal array holds when the reverse sweep undoes the write
    /// (<see cref="SweepPlan.ReloadSourceOf"/>): reloaded from there; nothing goes on the tape.
    /// </summary>
    Reloaded,
}

/// <summary>How a gradient call gives the caller back an input the sweeps overwrite: the primal's final value of it.</summary>
internal enum ArgumentRestore
{
    /// <summary>A ref or out parameter: its final value (a copy, for an array).</summary>
    Value,

    /// <summary>An array parameter the method writes into: a copy of its final contents.</summary>
    ArrayContents,

    /// <summary>A span the method writes into: a copy of its final contents.</summary>
    SpanContents,
}

/// <summary>
/// A counted loop the reverse sweep replays from its first value, bound and step (no tape traffic); <c>Index</c> names
/// the iteration index where the replay needs one.
/// </summary>
internal sealed record CountedReplay(CountedLoop Loop, string Index);

/// <summary>A field the method may write, whose final state a gradient call saves and puts back after the reverse sweep.</summary>
/// <param name="Field">The field.</param>
/// <param name="Reassignable">An array field the method may point at another array (a buffer swap), not only write into.</param>
internal sealed record RestoredField(FieldModel Field, bool Reassignable);

/// <summary>An input whose final state a gradient call saves and puts back after the reverse sweep.</summary>
internal sealed record RestoredArgument(ParameterModel Parameter, ArgumentRestore How);

/// <summary>
/// Every decision the two sweeps of one method are written from, made before any code exists (see
/// <see cref="SweepPlanner"/>): what each write does with the value it overwrites, which branches record their
/// decision and which loops their trip count, what the forward sweep saves when it ends, and what a gradient call puts
/// back for its caller. The forward sweep is the primal plus exactly the pushes the reverse sweep pops, both read from
/// here, so they cannot disagree.
/// </summary>
internal sealed class SweepPlan
{
    private readonly IReadOnlyDictionary<Stmt, OldValue> oldValues;
    private readonly IReadOnlyDictionary<Stmt, Element> reloadSources;
    private readonly ISet<If> recordedBranches;
    private readonly IReadOnlyDictionary<Loop, string> tripCounters;
    private readonly IReadOnlyDictionary<Loop, CountedReplay> countedReplays;
    private readonly ISet<Assign> reusedResults;
    private readonly ISet<Assign> rematerialized;
    private readonly ISet<string> reverseRented;

    public SweepPlan(
        MethodModel method,
        Activity activity,
        IReadOnlyDictionary<Stmt, OldValue> oldValues,
        IReadOnlyDictionary<Stmt, Element> reloadSources,
        ISet<If> recordedBranches,
        IReadOnlyDictionary<Loop, string> tripCounters,
        IReadOnlyDictionary<Loop, CountedReplay> countedReplays,
        ISet<Assign> reusedResults,
        ISet<Assign> rematerialized,
        ISet<string> reverseRented,
        IReadOnlyList<Var> savedAtEnd,
        IReadOnlyList<RestoredField> restoredFields,
        IReadOnlyList<RestoredArgument> restoredArguments)
    {
        Method = method;
        Activity = activity;
        this.oldValues = oldValues;
        this.reloadSources = reloadSources;
        this.recordedBranches = recordedBranches;
        this.tripCounters = tripCounters;
        this.countedReplays = countedReplays;
        this.reusedResults = reusedResults;
        this.rematerialized = rematerialized;
        this.reverseRented = reverseRented;
        SavedAtEnd = savedAtEnd;
        RestoredFields = restoredFields;
        RestoredArguments = restoredArguments;
    }

    public MethodModel Method { get; }

    /// <summary>Which values carry a derivative, and where arrays point.</summary>
    public Activity Activity { get; }

    /// <summary>Variables the forward sweep pushes when it ends, in push order: the state the reverse sweep starts from.</summary>
    public IReadOnlyList<Var> SavedAtEnd { get; }

    /// <summary>Fields whose final state a gradient call saves after the forward sweep and restores after the reverse.</summary>
    public IReadOnlyList<RestoredField> RestoredFields { get; }

    /// <summary>Inputs whose final state a gradient call saves after the forward sweep and restores after the reverse.</summary>
    public IReadOnlyList<RestoredArgument> RestoredArguments { get; }

    /// <summary>What a write (an assignment, or a call assigning its result) does with the value it overwrites.</summary>
    public OldValue OldValueOf(Stmt write) => oldValues.TryGetValue(write, out OldValue old) ? old : OldValue.Dropped;

    /// <summary>The element a <see cref="OldValue.Reloaded"/> write's old value is read back from by the reverse sweep.</summary>
    public Element ReloadSourceOf(Stmt write) => reloadSources[write];

    /// <summary>Whether the forward sweep records which way a branch went (its reverse has work on some side).</summary>
    public bool IsRecorded(If branch) => recordedBranches.Contains(branch);

    /// <summary>The counter of a loop whose trip count is recorded, or null when its reverse has no work to repeat.</summary>
    public string? TripCounter(Loop loop) => tripCounters.TryGetValue(loop, out string? counter) ? counter : null;

    /// <summary>Whether the reverse of <c>x = f(…)</c> reads f's value from x before restoring x, instead of recomputing it.</summary>
    public bool ReusesResult(Assign assign) => reusedResults.Contains(assign);

    /// <summary>
    /// Whether the reverse sweep computes this declaration's local again where it starts undoing the declaration's
    /// block, instead of the forward sweep recording the local (<see cref="RematerializableLocal"/>).
    /// </summary>
    public bool Rematerializes(Assign declaration) => rematerialized.Contains(declaration);

    /// <summary>
    /// Whether a local scratch array's adjoint is rented by the reverse sweep when it starts and given back where it undoes
    /// the allocation, instead of being allocated beside the array by the forward sweep and kept until the call ends: the
    /// forward sweep never touches it (the array is allocated once, at the top of the method, reached by no other name and
    /// passed to no call), so a model's Step called T times keeps one such buffer alive, not T.
    /// </summary>
    public bool RentsAdjointInReverse(Var array) => reverseRented.Contains(array.Name);

    /// <summary>How the reverse sweep replays a counted loop whose reverse has work, or null.</summary>
    public CountedReplay? CountedReplayOf(Loop loop) => countedReplays.TryGetValue(loop, out CountedReplay? replay) ? replay : null;
}
