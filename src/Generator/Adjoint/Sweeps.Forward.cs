using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.Derivatives;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;
using SourceDiff.Generator.Plan;
using static SourceDiff.Generator.Derivatives.AdjointAlgebra;

namespace SourceDiff.Generator.Adjoint;

/// <summary>The forward sweep: the primal, plus the pushes the plan decides, and the calls of callees' forward sweeps.</summary>
internal sealed partial class Sweeps
{
    private void ForwardBlock(Block block, List<SweepStmt> output)
    {
        foreach (Stmt statement in block.Statements)
        {
            ForwardStatement(statement, output);
        }
    }

    private List<SweepStmt> ForwardBlock(Block block)
    {
        var output = new List<SweepStmt>();
        ForwardBlock(block, output);
        return output;
    }

    private void ForwardStatement(Stmt statement, List<SweepStmt> output)
    {
        switch (statement)
        {
            case Assign assign when !recording:
                output.Add(new Store(assign.Target, PrimalKind(assign.Kind), assign.Value));
                break;

            case CallStmt call when !recording:
            {
                var invocation = new SweepCall(call.Call, SweepKind.Primal, null, call.Call.Arguments.Select(argument => PrimalArgument(argument, byRef: false)).ToList(), call.Call.ReturnType);
                output.Add(call.Target is null ? new Evaluate(invocation) : new Store(call.Target, PrimalKind(call.Kind), invocation));
                break;
            }

            case Loop loop when recording && CheckpointOf(loop) is { } frame:
                output.Add(new CheckpointedForward(frame, AdvanceBody(loop), ForwardBlock(loop.Body)) { Site = loop.Site });
                break;

            case Assign assign:
            {
                Expr value = assign.Value;
                if (plan.OldValueOf(assign) == OldValue.Recorded && !assign.Target.Type.IsArray && value is not (Literal or Var or Element or Opaque))
                {
                    // The value is computed before the old one is pushed: what it reads (an accumulator above all) then
                    // dies before the push's call, so the JIT keeps it in a register through the loops computing it
                    // (measured: a dot product's accumulator kept live across the push ran the loop nest 4x slower).
                    var computed = new Temporary(temps.Next("value"), assign.Target.Type);
                    output.Add(new Store(computed, AssignKind.Declare, value));
                    value = computed;
                }

                PushOld(assign, assign.Target, output);
                AliasAdjointArray(assign.Target, assign.Value, output);
                output.Add(new Store(assign.Target, PrimalKind(assign.Kind), value));
                break;
            }

            case CallStmt call:
            {
                Expr invocation = ForwardCall(call.Call);
                if (call.Target is null)
                {
                    output.Add(new Evaluate(invocation));
                }
                else if (plan.OldValueOf(call) == OldValue.Recorded)
                {
                    // The target's old value goes on the tape after the callee's records, so the reverse sweep gets it
                    // back first and re-evaluates the arguments (which may read the target) on the state they had.
                    var value = new Temporary(temps.Next("value"), call.Call.ReturnType);
                    output.Add(new Store(value, AssignKind.Declare, invocation));
                    PushOld(call, call.Target, output);
                    output.Add(new Store(call.Target, PrimalKind(call.Kind), value));
                }
                else
                {
                    output.Add(new Store(call.Target, PrimalKind(call.Kind), invocation));
                }

                break;
            }

            case If conditional:
            {
                List<SweepStmt> then = ForwardBlock(conditional.Then);
                List<SweepStmt> otherwise = ForwardBlock(conditional.Else);
                if (recording && plan.IsRecorded(conditional))
                {
                    then.Add(new Push(new Literal("true", TypeRef.Bool)));
                    otherwise.Add(new Push(new Literal("false", TypeRef.Bool)));
                }

                output.Add(new Branch(conditional.Condition, then, otherwise));
                break;
            }

            case Loop loop:
            {
                List<SweepStmt> body = ForwardBlock(loop.Body);
                List<SweepStmt> step = ForwardBlock(loop.Step);
                Temporary? counter = recording ? TripCounter(loop) : null;
                if (counter is not null)
                {
                    output.Add(new Store(counter, AssignKind.Declare, Zero(TypeRef.Int)));
                    body.Add(new Store(counter, AssignKind.Add, One(TypeRef.Int)));
                }

                if (loop.TestFirst && step.Count == 1 && step[0] is Store { Target: Var stepped } increment)
                {
                    // A for loop, its counter's initialisation in its header: the shape the JIT optimises best
                    // (measured: the same loop written as a while ran four times slower).
                    Store? init = counter is null && output.Count > 0 && output[output.Count - 1] is Store { Target: Var initialised, Kind: AssignKind.Set } first
                        && initialised.Name == stepped.Name ? first : null;
                    if (init is not null)
                    {
                        output.RemoveAt(output.Count - 1);
                    }

                    LoopTrips? trips = plan.CountedReplayOf(loop)?.Loop is { } counted ? new LoopTrips(counted.First, counted.Bound, counted.Step, counted.Inclusive) : null;
                    output.Add(new ForLoop(init, loop.Condition, increment, body) { Site = loop.Site, Trips = trips });
                }
                else
                {
                    body.AddRange(step);
                    output.Add(new WhileLoop(loop.Condition, body, loop.TestFirst) { Site = loop.Site });
                }
                if (counter is not null)
                {
                    output.Add(new Push(counter));
                }

                break;
            }

            case Throw thrown:
                output.Add(new Rethrow(thrown));
                break;

            case NonDifferentiableCall effect:
                output.Add(new Evaluate(effect.Expression));
                break;

            case Block block:
                ForwardBlock(block, output);
                break;
        }
    }

    // Locals are declared at the top of each sweep, so the primal's declaration is an assignment there.
    private static AssignKind PrimalKind(AssignKind kind) => kind == AssignKind.Declare ? AssignKind.Set : kind;

    private Temporary? TripCounter(Loop loop) => plan.TripCounter(loop) is { } name ? new Temporary(name, TypeRef.Int) : null;

    /// <summary>Pushes the value a write is about to overwrite, when the reverse sweep will need it back.</summary>
    private void PushOld(Stmt write, Expr target, List<SweepStmt> output)
    {
        if (plan.OldValueOf(write) == OldValue.Recorded)
        {
            Push(target, output);
        }
    }

    /// <summary>Records a value on the tape; an array goes with its adjoint array, which aliases as it does.</summary>
    private void Push(Expr value, List<SweepStmt> output)
    {
        output.Add(new Push(value));
        if (value.Type.IsArray && AdjointStorage.Of(value, activity) is { } adjoint)
        {
            output.Add(new Push(adjoint));
        }
    }

    /// <summary>Pops what <see cref="Push"/> recorded back into the storage it came from.</summary>
    private void Pop(Expr target, List<SweepStmt> output)
    {
        if (target.Type.IsArray && AdjointStorage.Of(target, activity) is { } adjoint)
        {
            output.Add(new Store(adjoint, AssignKind.Set, new TapePop(target.Type)));
        }

        output.Add(new Store(target, AssignKind.Set, new TapePop(target.Type)));
    }

    /// <summary>
    /// An array-valued write also moves the adjoint array, so adjoints alias exactly as the primal arrays do. Written
    /// before the primal write, so a condition or index reads the state the value is evaluated on.
    /// </summary>
    private void AliasAdjointArray(Expr target, Expr value, List<SweepStmt> output)
    {
        if (target.Type.IsFloatingArray && AdjointStorage.Of(target, activity) is { } adjoint && !(target is Var array && plan.RentsAdjointInReverse(array)))
        {
            output.Add(new Store(adjoint, AssignKind.Set, AdjointStorage.OfArrayValue(value, activity)));
        }
    }

    private Expr ForwardCall(Call call)
    {
        if (IsExternal(call))
        {
            return new SweepCall(call, SweepKind.Primal, null, call.Arguments.Select(argument => PrimalArgument(argument, byRef: false)).ToList(), call.ReturnType);
        }

        var arguments = new List<SweepArgument>();
        foreach (SweepParameter slot in SweepConvention.Forward(SweepConvention.Of(call.Parameters), call.IsStatic))
        {
            arguments.Add(slot.Slot switch
            {
                SweepSlot.Primal => PrimalArgument(call.Arguments[slot.Index], byRef: true),
                SweepSlot.Tape => new SweepArgument(Tape, RefMode.None),
                SweepSlot.Gradient => new SweepArgument(ReceiverGradient(call), RefMode.None),
                _ => new SweepArgument(ArrayAdjointArgument(call, call.Arguments[slot.Index].Value, call.Parameters[slot.Index], external: false), RefMode.None),
            });
        }

        return new SweepCall(call, SweepKind.Forward, null, arguments, call.ReturnType);
    }

    /// <summary>A call whose pullback is supplied by the user ([DerivativeOf]): its forward is the primal itself.</summary>
    private bool IsExternal(Call call) => call.Kind == CallKind.External || customPullbacks.ContainsKey(call.Key);

    // Generated sweeps take out parameters by ref: the forward sweep may record their old value.
    private static SweepArgument PrimalArgument(Argument argument, bool byRef) =>
        new(argument.Value, argument.Mode == RefMode.Out && byRef ? RefMode.Ref : argument.Mode == RefMode.In ? RefMode.None : argument.Mode);

    private Expr ReceiverGradient(Call call) =>
        call.Receiver is null ? Gradient : AdjointStorage.Of(call.Receiver, activity) ?? Gradient;

    /// <summary>
    /// The adjoint buffer passed for an array argument. Data without an adjoint gets a sink: shared across calls for
    /// generated callees, which only add into the adjoints of arrays they do not write (activity rejects a derivative
    /// written into such data), and exactly shaped zeros for a user's pullback, which may read its shape.
    /// </summary>
    private Expr ArrayAdjointArgument(Call call, Expr value, CalleeParameter parameter, bool external)
    {
        if (AdjointStorage.Of(value, activity) is { } adjoint)
        {
            return adjoint;
        }

        // A kernel skips the adjoints of data without one (an empty span, a null vector or matrix); a destination
        // without one got no derivative.
        if (value is View)
        {
            return new Literal("default", TypeRef.SpanOf(value.Type, "Span"));
        }

        if (call.Kind == CallKind.Kernel && value.Type.IsMathNet)
        {
            return new Literal("null", value.Type);
        }

        if (parameter.MayWrite && !external)
        {
            throw new System.InvalidOperationException("An array without an adjoint is passed to '" + parameter.Name + "', which writes it.");
        }

        if (external)
        {
            return new ZerosLike(value, value.Type);
        }

        if (value.Type.IsMathNet)
        {
            // A generated callee adds into it: exactly shaped zeros (a tape sink is an array).
            return new ZerosLike(value, value.Type);
        }

        if (value.Type.IsSpan)
        {
            return new TapeBuffer(value.Type.Element == "float" ? TapeBufferKind.SinkSingles : TapeBufferKind.SinkDoubles, value, value.Type);
        }

        return new TapeBuffer(TapeBufferKind.Sink, value, value.Type);
    }
}
