using System.Collections.Generic;
using System.Linq;

namespace SourceDiff.Generator.IR;

/// <summary>Queries over the adjoint IR (sweep statements and the expressions in them).</summary>
internal static class SweepWalk
{
    /// <summary>
    /// Whether a statement names the primal variable <paramref name="name"/> anywhere: in a value, a target, a condition,
    /// a loop's bounds or a call's arguments. Its adjoint (<see cref="AdjointVar"/>) does not count.
    /// </summary>
    public static bool Mentions(SweepStmt statement, string name) => statement switch
    {
        Store store => Mentions(store.Target, name) || Mentions(store.Value, name),
        Evaluate evaluation => Mentions(evaluation.Expression, name),
        Push push => Mentions(push.Value, name),
        GiveBack giveBack => Mentions(giveBack.Buffer, name),
        Branch branch => Mentions(branch.Condition, name) || Mentions(branch.Then, name) || Mentions(branch.Else, name),
        WhileLoop loop => Mentions(loop.Condition, name) || Mentions(loop.Body, name),
        Replay replay => Mentions(replay.Body, name),
        ReplayCounted replay => replay.Counter.Name == name || Mentions(replay.First, name) || Mentions(replay.Bound, name) || Mentions(replay.Body, name),
        ForLoop loop => (loop.Init is { } init && Mentions(init, name)) || Mentions(loop.Condition, name) || Mentions(loop.Step, name) || Mentions(loop.Body, name),
        CheckpointedForward loop => Mentions(loop.Frame, name) || Mentions(loop.Advance, name) || Mentions(loop.Record, name),
        CheckpointedReverse loop => Mentions(loop.Frame, name) || Mentions(loop.Advance, name) || Mentions(loop.Record, name) || Mentions(loop.Reverse, name),
        AddScaled add => Mentions(add.Alpha, name) || Mentions(add.Count, name) || Mentions(add.Source, name) || Mentions(add.Target, name),
        Rethrow => true,
        _ => false,
    };

    private static bool Mentions(CheckpointFrame frame, string name) =>
        frame.Counter.Name == name || Mentions(frame.First, name) || Mentions(frame.Bound, name)
        || frame.Scalars.Any(v => v.Name == name) || frame.Arrays.Any(v => v.Name == name) || frame.References.Any(v => v.Name == name);

    private static bool Mentions(IReadOnlyList<SweepStmt> statements, string name) => statements.Any(statement => Mentions(statement, name));

    private static bool Mentions(VectorSlice slice, string name) =>
        Mentions(slice.Array, name) || (slice.Row is { } row && Mentions(row, name)) || Mentions(slice.Start, name);

    private static bool Mentions(Expr expr, string name) => expr switch
    {
        Var variable => variable.Name == name,
        AdjointVar => false,
        TapeBuffer buffer => Mentions(buffer.Argument, name),
        ZerosLike zeros => Mentions(zeros.Data, name),
        SweepCall call => call.Arguments.Any(argument => Mentions(argument.Value, name)),
        _ => IrWalk.Children(expr).Any(child => Mentions(child, name)),
    };
}
