using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Adjoint;

/// <summary>
/// Checkpointed loops (<c>[Checkpoint]</c>): the forward sweep runs the primal loop, keeping snapshots of its carried
/// state instead of recording, and records only its last iteration; the reverse sweep rebuilds every earlier iteration
/// from the nearest snapshot, records it and reverses it at once, so the tape holds one iteration at a time. Each
/// iteration is recorded and reversed by the same statements as without checkpointing, in the same order, so the
/// gradient is bit-for-bit the same.
/// </summary>
internal sealed partial class Sweeps
{
    private readonly Dictionary<Loop, string> checkpointNames = new(ReferenceComparer.Instance);

    // False while building the primal body a checkpointed loop advances with: no pushes, callees run as themselves.
    private bool recording = true;

    /// <summary>The checkpoint of a loop whose reverse has work, or null (a loop with nothing to reverse is just run).</summary>
    private CheckpointFrame? CheckpointOf(Loop loop)
    {
        if (!checkpointed.TryGetValue(loop, out CheckpointedLoop? checkpoint) || (plan.CountedReplayOf(loop) is null && plan.TripCounter(loop) is null))
        {
            return null;
        }

        if (!checkpointNames.TryGetValue(loop, out string? name))
        {
            checkpointNames[loop] = name = temps.Next("checkpoint");
        }

        CountedLoop counted = checkpoint.Counted;
        return new CheckpointFrame(name, counted.Counter, counted.First, counted.Bound, counted.Step, counted.Inclusive, checkpoint.Snapshots,
            checkpoint.Scalars, checkpoint.Arrays, checkpoint.References, checkpoint.Fields, LoopSource(loop));
    }

    /// <summary>The primal body of a checkpointed loop: what an advance runs, recording nothing.</summary>
    private List<SweepStmt> AdvanceBody(Loop loop)
    {
        recording = false;
        try
        {
            return ForwardBlock(loop.Body);
        }
        finally
        {
            recording = true;
        }
    }

    /// <summary>
    /// Whether the reverse of this declaration first gives the tape back the adjoint buffer of the scratch array it
    /// allocated: a scratch array declared in a checkpointed loop's body, whose adjoint nothing reads once the iteration
    /// is reversed (the loop cannot point a longer-lived variable at it). Without this, every iteration would keep one.
    /// </summary>
    private bool GivesBackScratchAdjoint(Assign assign) =>
        assign is { Kind: AssignKind.Declare, Target: Var { Kind: VarKind.Local } array }
        && checkpointed.Keys.Any(loop => RunsOncePerIteration(loop.Body, assign))
        && !plan.RentsAdjointInReverse(array)
        && Derivatives.AdjointStorage.Of(array, activity) is not null
        && Derivatives.AdjointStorage.OfArrayValue(assign.Value, activity) is TapeBuffer { Kind: TapeBufferKind.ZeroDoubles };

    /// <summary>Whether a statement stands in a loop body outside any branch or inner loop.</summary>
    private static bool RunsOncePerIteration(Block body, Stmt statement) =>
        body.Statements.Any(inner => ReferenceEquals(inner, statement) || (inner is Block block && RunsOncePerIteration(block, statement)));

    private static string LoopSource(Loop loop) =>
        IrWalk.Flatten(loop.Step).OfType<Assign>().FirstOrDefault() is { } step ? "loop stepping " + step.Source : "loop";
}
