using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.Derivatives;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;
using SourceDiff.Generator.Plan;
using static SourceDiff.Generator.Derivatives.AdjointAlgebra;

namespace SourceDiff.Generator.Adjoint;

/// <summary>The reverse sweep: each statement backwards on restored state, adjoints propagated through it.</summary>
internal sealed partial class Sweeps
{
    private void ReverseBlock(Block block, List<SweepStmt> output)
    {
        // Locals recomputed rather than recorded get their values back before anything of the block is undone.
        foreach (Stmt statement in block.Statements)
        {
            if (statement is Assign declaration && plan.Rematerializes(declaration))
            {
                output.Add(new SourceComment(declaration.Source + " (recomputed)"));
                output.Add(new Store(declaration.Target, AssignKind.Set, declaration.Value));
            }
        }

        for (int i = block.Statements.Count - 1; i >= 0; i--)
        {
            ReverseStatement(block.Statements[i], output);
        }
    }

    private List<SweepStmt> ReverseBlock(Block block)
    {
        var output = new List<SweepStmt>();
        ReverseBlock(block, output);
        return output;
    }

    private void ReverseStatement(Stmt statement, List<SweepStmt> output)
    {
        switch (statement)
        {
            case Assign assign:
                if (GivesBackScratchAdjoint(assign))
                {
                    output.Add(new GiveBack(new AdjointVar((Var)assign.Target)));
                }

                ReverseAssign(assign, output);

                // Where the reverse sweep undoes the allocation, the adjoint it rented for the array is done.
                if (assign.Target is Var array && plan.RentsAdjointInReverse(array))
                {
                    output.Add(new GiveBack(new AdjointVar(array)));
                }

                break;

            case CallStmt call:
                ReverseCall(call, output);
                break;

            case If conditional when plan.IsRecorded(conditional):
                output.Add(new Branch(new TapePop(TypeRef.Bool), ReverseBlock(conditional.Then), ReverseBlock(conditional.Else)));
                break;

            case Loop loop when CheckpointOf(loop) is { } frame:
            {
                // Built in the order the sweeps have always numbered temporaries in: reverse, then forward.
                IReadOnlyList<SweepStmt> reverse = new VectorizedUpdates(activity.Storage, temps).Apply(LoopInvariantGuards.Hoist(ReverseBlock(loop.Body)));
                output.Add(new CheckpointedReverse(frame, AdvanceBody(loop), ForwardBlock(loop.Body), reverse) { Site = loop.Site });
                break;
            }

            case Loop loop when plan.CountedReplayOf(loop) is { } replay:
            {
                CountedLoop counted = replay.Loop;
                output.Add(new ReplayCounted(counted.Counter, counted.First, counted.Bound, counted.Step, counted.Inclusive, new Temporary(replay.Index, TypeRef.Int), ReverseBlock(loop.Body)));
                break;
            }

            case Loop loop when TripCounter(loop) is { } counter:
            {
                List<SweepStmt> body = ReverseBlock(loop.Step);
                ReverseBlock(loop.Body, body);
                output.Add(new Replay(counter, body));
                break;
            }

            case Block block:
                ReverseBlock(block, output);
                break;
        }
    }

    /// <summary>Pops (or recomputes, or reloads) the value a write overwrote, so the state is again as it was before the write.</summary>
    private void Restore(Stmt write, Expr target, List<SweepStmt> output)
    {
        switch (plan.OldValueOf(write))
        {
            case OldValue.Recomputed:
                Assign step = (Assign)write;
                output.Add(new Store(target, step.Kind == AssignKind.Add ? AssignKind.Subtract : AssignKind.Add, step.Value));
                break;

            case OldValue.Recorded:
                Pop(target, output);
                break;

            case OldValue.Reloaded:
                output.Add(new Store(target, AssignKind.Set, plan.ReloadSourceOf(write)));
                break;
        }
    }

    private void ReverseAssign(Assign assign, List<SweepStmt> output)
    {
        var body = new List<SweepStmt>();

        // The value the assignment computed, read from its target before the target is restored (see the plan).
        Temporary? result = null;
        if (plan.ReusesResult(assign))
        {
            result = new Temporary(temps.Next("result"), assign.Target.Type);
            body.Add(new Store(result, AssignKind.Declare, assign.Target));
        }

        Restore(assign, assign.Target, body);
        Expr? adjoint = assign.Target.Type.IsFloatingScalar ? AdjointStorage.Of(assign.Target, activity) : null;
        if (adjoint is not null)
        {
            var backprop = new ExpressionAdjoint(body, activity, temps);
            TypeRef type = assign.Target.Type;
            bool selfReference = assign.Target is Var self && IrWalk.Reads(assign.Value, self.Name);
            bool accumulates = assign.Kind is AssignKind.Add or AssignKind.Subtract;
            if (accumulates && !selfReference)
            {
                // x += e: the adjoint of x passes through unchanged; e receives it.
                if (activity.IsActive(assign.Value))
                {
                    Expr g = assign.Target is Var && assign.Kind == AssignKind.Add ? adjoint : Temp(body, type, assign.Kind == AssignKind.Subtract ? Negate(adjoint) : adjoint);
                    BackpropUnlessZero(backprop, body, assign.Value, g);
                }
            }
            else if (!accumulates && MovedAdjoint(assign) is { } source)
            {
                // x = y: the adjoint moves from x to y, with no temporary.
                body.Add(new Store(source, AssignKind.Add, adjoint));
                body.Add(new Store(adjoint, AssignKind.Set, Zero(type)));
            }
            else
            {
                bool valueActive = activity.IsActive(assign.Value);
                Expr? g = valueActive || accumulates ? Temp(body, type, adjoint) : null;
                body.Add(new Store(adjoint, AssignKind.Set, Zero(type)));
                if (accumulates)
                {
                    body.Add(new Store(adjoint, AssignKind.Add, g!));
                }

                if (valueActive)
                {
                    int cleared = body.Count - 1;
                    BackpropUnlessZero(backprop, body, assign.Value, assign.Kind == AssignKind.Subtract ? Negate(g!) : g!, result);
                    // Only a local's or by-value parameter's adjoint: a ref parameter's or a field's may be the
                    // same storage as another adjoint the propagation adds into first (F(ref s, ref s)).
                    if (!accumulates && selfReference && assign.Target is Var { Kind: VarKind.Local or VarKind.Parameter })
                    {
                        SetInsteadOfClearing(body, cleared, adjoint);
                    }
                }
            }
        }

        if (body.Count > 0)
        {
            output.Add(new SourceComment(assign.Source));
            output.AddRange(body);
        }
    }

    /// <summary>
    /// For <c>x = y</c> with y active, y's adjoint storage when it can never be x's own: then x's adjoint can be added
    /// into y's before it is cleared. Two array elements, or two by-reference variables, may be the same storage.
    /// </summary>
    private Expr? MovedAdjoint(Assign assign)
    {
        if (assign.Value is not (Var or Element) || assign.Value.Equals(assign.Target) || !activity.IsActive(assign.Value))
        {
            return null;
        }

        static bool Private(Expr expr) => expr is Var { Kind: VarKind.Local or VarKind.Parameter };
        return Private(assign.Target) || Private(assign.Value) ? AdjointStorage.Of(assign.Value, activity) : null;
    }

    private void ReverseCall(CallStmt statement, List<SweepStmt> output)
    {
        Call call = statement.Call;
        var body = new List<SweepStmt>();
        if (statement.Target is not null)
        {
            Restore(statement, statement.Target, body);
        }

        var backprop = new ExpressionAdjoint(body, activity, temps);
        bool external = IsExternal(call);
        var arguments = new List<SweepArgument>();
        var pending = new List<(Expr Value, Expr Adjoint)>();
        foreach (SweepParameter slot in SweepConvention.Reverse(SweepConvention.Of(call.Parameters), call.IsStatic, !call.ReturnType.IsVoid, userPullback: external))
        {
            switch (slot.Slot)
            {
                case SweepSlot.Primal:
                    arguments.Add(PrimalArgument(call.Arguments[slot.Index], byRef: !external));
                    break;

                case SweepSlot.Tape:
                    arguments.Add(new SweepArgument(Tape, RefMode.None));
                    break;

                case SweepSlot.ResultAdjoint:
                {
                    Expr? targetAdjoint = statement.Target is not null && call.ReturnType.IsFloatingScalar ? AdjointStorage.Of(statement.Target, activity) : null;
                    if (targetAdjoint is null)
                    {
                        arguments.Add(new SweepArgument(Zero(call.ReturnType), RefMode.None));
                    }
                    else
                    {
                        arguments.Add(new SweepArgument(Temp(body, call.ReturnType, targetAdjoint), RefMode.None));
                        body.Add(new Store(targetAdjoint, AssignKind.Set, Zero(call.ReturnType)));
                    }

                    break;
                }

                case SweepSlot.Gradient:
                    arguments.Add(new SweepArgument(ReceiverGradient(call), RefMode.None));
                    break;

                case SweepSlot.Adjoint:
                {
                    CalleeParameter parameter = call.Parameters[slot.Index];
                    Expr value = call.Arguments[slot.Index].Value;
                    if (parameter.Type.IsArray)
                    {
                        arguments.Add(new SweepArgument(ArrayAdjointArgument(call, value, parameter, external), RefMode.None));
                    }
                    else if (parameter.Mode is RefMode.Ref or RefMode.Out)
                    {
                        Expr adjoint = AdjointStorage.Of(value, activity) ?? Temp(body, parameter.Type, Zero(parameter.Type));
                        arguments.Add(new SweepArgument(adjoint, RefMode.Ref));
                    }
                    else
                    {
                        Expr adjoint = Temp(body, parameter.Type, Zero(parameter.Type));
                        arguments.Add(new SweepArgument(adjoint, RefMode.Ref));
                        pending.Add((value, adjoint));
                    }

                    break;
                }
            }
        }

        body.Add(new Evaluate(external
            ? new SweepCall(call, SweepKind.Pullback, customPullbacks[call.Key], arguments, TypeRef.Void)
            : new SweepCall(call, SweepKind.Reverse, null, arguments, TypeRef.Void)));

        foreach ((Expr value, Expr adjoint) in pending)
        {
            BackpropUnlessZero(backprop, body, value, adjoint);
        }

        output.Add(new SourceComment(statement.Source));
        output.AddRange(body);
    }

    /// <summary>
    /// <c>h = w·h + …</c>: its reverse clears h's adjoint and then adds <c>w·g</c> back into it. Setting it to <c>w·g</c>
    /// instead (and clearing it only where the guard skips the propagation) takes an addition of zero off the chain of
    /// dependent operations a recurrence's reverse sweep runs once per step. The value differs only in the sign of a
    /// zero. <paramref name="cleared"/> is where <c>adjoint = 0</c> stands in <paramref name="body"/>.
    /// </summary>
    private static void SetInsteadOfClearing(List<SweepStmt> body, int cleared, Expr adjoint)
    {
        List<SweepStmt> added = body.GetRange(cleared + 1, body.Count - cleared - 1);
        if (added.Count == 1 && added[0] is Branch { Else.Count: 0 } guard && FirstAddInto(guard.Then, adjoint) is int first)
        {
            var then = guard.Then.ToList();
            then[first] = ((Store)then[first]) with { Kind = AssignKind.Set };
            body[cleared + 1] = guard with { Then = then, Else = new List<SweepStmt> { body[cleared] } };
            body.RemoveAt(cleared);
        }
        else if (added.All(statement => statement is Store) && FirstAddInto(added, adjoint) is int direct)
        {
            body[cleared + 1 + direct] = ((Store)body[cleared + 1 + direct]) with { Kind = AssignKind.Set };
            body.RemoveAt(cleared);
        }
    }

    /// <summary>The first statement adding into <paramref name="adjoint"/>, if no statement before it names it.</summary>
    private static int? FirstAddInto(IReadOnlyList<SweepStmt> statements, Expr adjoint)
    {
        for (int i = 0; i < statements.Count; i++)
        {
            if (statements[i] is Store { Kind: AssignKind.Add } store && store.Target.Equals(adjoint))
            {
                return Names(store.Value, adjoint) ? null : i;
            }

            if (statements[i] is not Store other || other.Target.Equals(adjoint) || Names(other.Value, adjoint) || other.Target is not (Temporary or AdjointVar or Element))
            {
                return null;
            }
        }

        return null;
    }

    private static bool Names(Expr expr, Expr adjoint) => expr.Equals(adjoint) || IrWalk.Children(expr).Any(child => Names(child, adjoint));

    /// <summary>
    /// Propagates an adjoint through an expression, skipping it when the adjoint is exactly zero: a value that does not
    /// reach the result may have overflowed, and 0·∞ would turn a zero gradient into NaN. Sums need no guard.
    /// </summary>
    private static void BackpropUnlessZero(ExpressionAdjoint backprop, List<SweepStmt> output, Expr value, Expr adjoint, Expr? result = null)
    {
        if (IsLinear(value))
        {
            backprop.Backprop(value, adjoint, result);
            return;
        }

        IReadOnlyList<SweepStmt> guarded = backprop.Collect(() => backprop.Backprop(value, adjoint, result));
        if (guarded.Count > 0)
        {
            Expr tested = adjoint is Unary { Operator: "-" } negation ? negation.Operand : adjoint;
            output.Add(new Branch(new Binary("!=", tested, Zero(tested.Type), TypeRef.Bool), guarded, new List<SweepStmt>()));
        }
    }

    private static bool IsLinear(Expr expr) => expr switch
    {
        Var or Element or Literal or Opaque or StopGradient => true,
        Unary { Operator: "-" } negation => IsLinear(negation.Operand),
        Binary { Operator: "+" or "-" } sum => IsLinear(sum.Left) && IsLinear(sum.Right),
        Cast cast => IsLinear(cast.Operand),
        _ => false,
    };

    private Temporary Temp(List<SweepStmt> output, TypeRef type, Expr value)
    {
        var temporary = new Temporary(temps.Next("g"), type);
        output.Add(new Store(temporary, AssignKind.Declare, value));
        return temporary;
    }
}
