using System.Collections.Generic;
using SourceDiff.Generator.Model;
namespace SourceDiff.Generator.IR;

// The adjoint IR: the forward and reverse sweeps as data. Values are the primal IR's expressions plus the few
// below; Emission is the only stage that turns any of it into C#.

/// <summary>The adjoint storage of a variable (a local, a parameter's buffer, or a slot of the gradient object).</summary>
internal sealed record AdjointVar(Var Primal) : Expr(Primal.Type);

/// <summary>A temporary of a sweep: a trip counter, a saved adjoint, a shared sub-expression.</summary>
internal sealed record Temporary(string Name, TypeRef Type) : Expr(Type);

/// <summary>The next value popped off the tape, converted to <see cref="Expr.Type"/>.</summary>
internal sealed record TapePop(TypeRef Type) : Expr(Type);

internal enum TapeBufferKind
{
    /// <summary>A per-thread adjoint shaped like an array that carries none; nothing reads it back.</summary>
    Sink,

    /// <summary>A sink of doubles of a given length (for spans).</summary>
    SinkDoubles,

    /// <summary>A sink of floats of a given length (for spans).</summary>
    SinkSingles,

    /// <summary>A zeroed double array of a given length, pooled by the tape.</summary>
    ZeroDoubles,
}

/// <summary>An adjoint buffer the tape provides: <c>Argument</c> is the primal array, or the length.</summary>
internal sealed record TapeBuffer(TapeBufferKind Kind, Expr Argument, TypeRef Type) : Expr(Type);

/// <summary>Fresh zeros shaped like <c>Data</c> (a user's pullback may keep or read the buffer it is given).</summary>
internal sealed record ZerosLike(Expr Data, TypeRef Type) : Expr(Type);

/// <summary>The adjoint of an array literal that is null.</summary>
internal sealed record NullArray(TypeRef Type) : Expr(Type);

internal enum SweepKind
{
    /// <summary>The callee's generated forward sweep.</summary>
    Forward,

    /// <summary>The callee's generated reverse sweep.</summary>
    Reverse,

    /// <summary>The callee itself (a method with a user-supplied pullback, run as is in the forward sweep).</summary>
    Primal,

    /// <summary>The user's <c>[DerivativeOf]</c> pullback, named by <c>Pullback</c>.</summary>
    Pullback,
}

/// <summary>A call made by a sweep: of the callee's own sweeps, of the callee itself, or of its user pullback.</summary>
internal sealed record SweepCall(Call Callee, SweepKind Kind, string? Pullback, IReadOnlyList<SweepArgument> Arguments, TypeRef Type) : Expr(Type);

internal sealed record SweepArgument(Expr Value, RefMode Mode);

/// <summary>A statement of a sweep; <see cref="Site"/> is where a loop of the forward sweep stands in the user's code.</summary>
internal abstract record SweepStmt
{
    public Diagnostics.Site? Site { get; init; }
}

/// <summary>The user's statement a group of sweep statements comes from.</summary>
internal sealed record SourceComment(string Text) : SweepStmt;

/// <summary>
/// <c>Target = Value</c>, <c>+=</c>, <c>-=</c>; with <see cref="AssignKind.Declare"/> the declaration of a
/// <see cref="Temporary"/>.
/// </summary>
internal sealed record Store(Expr Target, AssignKind Kind, Expr Value) : SweepStmt;

/// <summary>An expression evaluated for its effect: a call.</summary>
internal sealed record Evaluate(Expr Expression) : SweepStmt;

/// <summary>
/// Records a value on the tape (a reference for arrays). <see cref="Reserved"/>: into room a <see cref="ReserveTape"/>
/// made where the sweep starts, with no capacity check and so no call.
/// </summary>
internal sealed record Push(Expr Value) : SweepStmt
{
    public bool Reserved { get; init; }
}

/// <summary>
/// Makes room on the tape for every value of one kind (<c>Double</c>, <c>Float</c>, <c>Int</c>, <c>Reference</c>) the
/// forward sweep pushes, once where it starts, so its pushes are <see cref="Push.Reserved"/>.
/// </summary>
internal sealed record ReserveTape(string Kind, TapeRoom Count) : SweepStmt;

/// <summary>How many values a stretch of a forward sweep pushes, from the trip counts of its loops.</summary>
internal abstract record TapeRoom;

internal sealed record RoomConstant(int Count) : TapeRoom;

/// <summary><c>PerIteration</c> for each iteration of a counted loop.</summary>
internal sealed record RoomPerTrip(LoopTrips Loop, TapeRoom PerIteration) : TapeRoom;

internal sealed record RoomSum(TapeRoom Left, TapeRoom Right) : TapeRoom;

/// <summary>The larger of two branches' counts.</summary>
internal sealed record RoomMax(TapeRoom Left, TapeRoom Right) : TapeRoom;

/// <summary>What a counted loop's trip count follows from (see <c>Analysis.CountedLoop</c>).</summary>
internal sealed record LoopTrips(Expr First, Expr Bound, int Step, bool Inclusive);

/// <summary>Gives a pooled buffer back to the tape before the gradient call ends, so the next rent reuses it.</summary>
internal sealed record GiveBack(Expr Buffer) : SweepStmt;

internal sealed record Branch(Expr Condition, IReadOnlyList<SweepStmt> Then, IReadOnlyList<SweepStmt> Else) : SweepStmt;

/// <summary>The primal's loop, in the forward sweep.</summary>
internal sealed record WhileLoop(Expr Condition, IReadOnlyList<SweepStmt> Body, bool TestFirst) : SweepStmt;

/// <summary>A recorded loop replayed backwards: its trip count is popped into <c>Counter</c> and counted down.</summary>
internal sealed record Replay(Temporary Counter, IReadOnlyList<SweepStmt> Body) : SweepStmt;

/// <summary>A <c>throw</c> of the primal, kept as the user wrote it.</summary>
internal sealed record Rethrow(Throw Statement) : SweepStmt;

internal enum SweepObject
{
    /// <summary>The tape the forward sweep pushes to and the reverse sweep pops from.</summary>
    Tape,

    /// <summary>The gradient object of the method's model (the adjoints of its fields).</summary>
    Gradient,
}

/// <summary>An object every sweep of a method receives: its tape, or its model's gradient.</summary>
internal sealed record SweepContext(SweepObject Object, TypeRef Type) : Expr(Type);

/// <summary>
/// A counted loop replayed backwards with no tape traffic: <c>Counter</c> takes its values from the last to
/// <c>First</c>, by <c>Step</c>, as far as <c>Bound</c> let the primal go (see <c>Analysis.CountedLoop</c>);
/// <c>Index</c> counts the iterations where the printed loop needs it.
/// </summary>
internal sealed record ReplayCounted(Var Counter, Expr First, Expr Bound, int Step, bool Inclusive, Temporary Index, IReadOnlyList<SweepStmt> Body) : SweepStmt;

/// <summary>
/// <c>Target[TargetStart + k] += Alpha * Source[SourceStart + k]</c> for k below <c>Count</c>, vectorized
/// (<c>SourceDiff.CompilerServices.Kernels.AddScaled</c>): what a replayed loop of independent element updates becomes.
/// </summary>
internal sealed record AddScaled(Expr Alpha, VectorSlice Source, VectorSlice Target, Expr Count) : SweepStmt;

/// <summary>
/// Consecutive elements of an array from <c>Start</c> on: of a vector, or of one row of a matrix (<c>m[Row, Start + k]</c>).
/// </summary>
internal sealed record VectorSlice(Expr Array, Expr? Row, Expr Start);

/// <summary>
/// The primal's loop with a single step, in the forward sweep: <c>for (Init; Condition; Step) { Body }</c>;
/// <see cref="Trips"/> when it is a counted loop.
/// </summary>
internal sealed record ForLoop(Store? Init, Expr Condition, Store Step, IReadOnlyList<SweepStmt> Body) : SweepStmt
{
    public LoopTrips? Trips { get; init; }
}

/// <summary>
/// What the sweeps need to checkpoint one loop (see <c>Analysis.CheckpointedLoop</c>): the schedule's name, the counted
/// loop (its counter set to <c>First + k·Step</c> for iteration k), the snapshot count (0: the runtime chooses), and the
/// carried state a snapshot copies: scalars by value, arrays' contents, and the model's writable fields; and the arrays
/// whose references the forward sweep hands the reverse sweep, which recomputes with them.
/// </summary>
internal sealed record CheckpointFrame(
    string Name,
    Var Counter,
    Expr First,
    Expr Bound,
    int Step,
    bool Inclusive,
    int Snapshots,
    IReadOnlyList<Var> Scalars,
    IReadOnlyList<Var> Arrays,
    IReadOnlyList<Var> References,
    IReadOnlyList<FieldModel> Fields,
    string Source);

/// <summary>
/// A checkpointed loop in the forward sweep: the primal loop (<c>Advance</c>, recording nothing) storing snapshots where
/// the schedule says, up to the last iteration, which runs recorded (<c>Record</c>); then the schedule and its snapshots
/// go on the tape.
/// </summary>
internal sealed record CheckpointedForward(CheckpointFrame Frame, IReadOnlyList<SweepStmt> Advance, IReadOnlyList<SweepStmt> Record) : SweepStmt;

/// <summary>
/// A checkpointed loop in the reverse sweep: reverses the last iteration the forward sweep recorded, then follows the
/// schedule: restores snapshots, advances, stores, and runs each earlier iteration recorded and reversed at once.
/// </summary>
internal sealed record CheckpointedReverse(CheckpointFrame Frame, IReadOnlyList<SweepStmt> Advance, IReadOnlyList<SweepStmt> Record, IReadOnlyList<SweepStmt> Reverse) : SweepStmt;
