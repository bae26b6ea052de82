using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;
using SourceDiff.Generator.Plan;
using static SourceDiff.Generator.Adjoint.AdjointAlgebra;

namespace SourceDiff.Generator.Adjoint;

/// <summary>
/// Builds the two sweeps of a method's adjoint, as adjoint IR, from its IR and its <see cref="SweepPlan"/>: the
/// forward sweep is the primal itself plus the pushes the plan decides, the reverse sweep pops them back in reverse
/// order and propagates adjoints.
/// </summary>
internal sealed class Sweeps
{
    private static readonly Expr Tape = new SweepContext(SweepObject.Tape, TypeRef.Void);
    private static readonly Expr Gradient = new SweepContext(SweepObject.Gradient, TypeRef.Void);

    private readonly MethodModel method;
    private readonly SweepPlan plan;
    private readonly Activity activity;
    private readonly TempNames temps = new();
    private readonly IReadOnlyDictionary<string, string> customPullbacks;

    private Sweeps(SweepPlan plan, IReadOnlyDictionary<string, string> customPullbacks)
    {
        method = plan.Method;
        this.plan = plan;
        activity = plan.Activity;
        this.customPullbacks = customPullbacks;
    }

    /// <summary>The forward sweep's statements, ending with the pushes of the state the reverse sweep starts from.</summary>
    public IReadOnlyList<SweepStmt> Forward { get; private set; } = new List<SweepStmt>();

    /// <summary>The reverse sweep's statements, starting with the pops of that state.</summary>
    public IReadOnlyList<SweepStmt> Reverse { get; private set; } = new List<SweepStmt>();

    public static Sweeps Build(SweepPlan plan, IReadOnlyDictionary<string, string> customPullbacks)
    {
        var sweeps = new Sweeps(plan, customPullbacks);

        // Reverse first only so that temporaries keep the numbering they have always had.
        var reverse = new List<SweepStmt>();
        for (int i = plan.SavedAtEnd.Count - 1; i >= 0; i--)
        {
            sweeps.Pop(plan.SavedAtEnd[i], reverse);
        }

        sweeps.ReverseBlock(sweeps.method.Body, reverse);
        var forward = new List<SweepStmt>();
        sweeps.ForwardBlock(sweeps.method.Body, forward);
        if (plan.SavedAtEnd.Count > 0)
        {
            forward.Add(new SourceComment("Values the reverse sweep starts from."));
        }

        foreach (Var variable in plan.SavedAtEnd)
        {
            sweeps.Push(variable, forward);
        }

        sweeps.Forward = forward;
        sweeps.Reverse = reverse;
        return sweeps;
    }

    // ---------------------------------------------------------------- forward sweep

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
            case Assign assign:
                PushOld(assign, assign.Target, output);
                AliasAdjointArray(assign.Target, assign.Value, output);
                output.Add(new Store(assign.Target, PrimalKind(assign.Kind), assign.Value));
                break;

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
                if (plan.IsRecorded(conditional))
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
                ForwardBlock(loop.Step, body);
                Temporary? counter = TripCounter(loop);
                if (counter is not null)
                {
                    output.Add(new Store(counter, AssignKind.Declare, Zero(TypeRef.Int)));
                    body.Add(new Store(counter, AssignKind.Add, One(TypeRef.Int)));
                }

                output.Add(new WhileLoop(loop.Condition, body, loop.TestFirst));
                if (counter is not null)
                {
                    output.Add(new Push(counter));
                }

                break;
            }

            case Throw thrown:
                output.Add(new Rethrow(thrown));
                break;

            case Effect effect:
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
        if (target.Type.IsFloatingArray && AdjointStorage.Of(target, activity) is { } adjoint)
        {
            output.Add(new Store(adjoint, AssignKind.Set, AdjointStorage.OfArrayValue(value, activity)));
        }
    }

    private Expr ForwardCall(Call call)
    {
        bool external = IsExternal(call);
        var arguments = call.Arguments.Select(argument => PrimalArgument(argument, byRef: !external)).ToList();
        if (external)
        {
            return new SweepCall(call, SweepKind.Primal, null, arguments, call.ReturnType);
        }

        arguments.Add(new SweepArgument(Tape, RefMode.None));
        if (!call.IsStatic)
        {
            arguments.Add(new SweepArgument(ReceiverGradient(call), RefMode.None));
        }

        for (int i = 0; i < call.Parameters.Count; i++)
        {
            CalleeParameter parameter = call.Parameters[i];
            if (parameter.IsDifferentiable && parameter.Type.IsArray)
            {
                arguments.Add(new SweepArgument(ArrayAdjointArgument(call.Arguments[i].Value, parameter, external: false), RefMode.None));
            }
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
    private Expr ArrayAdjointArgument(Expr value, CalleeParameter parameter, bool external)
    {
        if (AdjointStorage.Of(value, activity) is { } adjoint)
        {
            return adjoint;
        }

        if (parameter.MayWrite && !external)
        {
            throw new System.InvalidOperationException("An array without an adjoint is passed to '" + parameter.Name + "', which writes it.");
        }

        if (external)
        {
            return new ZerosLike(value, value.Type);
        }

        if (value.Type.IsSpan)
        {
            return new TapeBuffer(value.Type.Element == "float" ? TapeBufferKind.SinkSingles : TapeBufferKind.SinkDoubles, value, value.Type);
        }

        return new TapeBuffer(TapeBufferKind.Sink, value, value.Type);
    }

    // ---------------------------------------------------------------- reverse sweep

    private void ReverseBlock(Block block, List<SweepStmt> output)
    {
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
                ReverseAssign(assign, output);
                break;

            case CallStmt call:
                ReverseCall(call, output);
                break;

            case If conditional when plan.IsRecorded(conditional):
                output.Add(new Branch(new TapePop(TypeRef.Bool), ReverseBlock(conditional.Then), ReverseBlock(conditional.Else)));
                break;

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

    /// <summary>Pops (or recomputes) the value a write overwrote, so the state is again as it was before the write.</summary>
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
        }
    }

    private void ReverseAssign(Assign assign, List<SweepStmt> output)
    {
        var body = new List<SweepStmt>();
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
                    BackpropUnlessZero(backprop, body, assign.Value, assign.Kind == AssignKind.Subtract ? Negate(g!) : g!);
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
        var arguments = call.Arguments.Select(argument => PrimalArgument(argument, byRef: !external)).ToList();
        if (!external)
        {
            arguments.Add(new SweepArgument(Tape, RefMode.None));
        }

        if (!call.ReturnType.IsVoid)
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
        }

        if (!external && !call.IsStatic)
        {
            arguments.Add(new SweepArgument(ReceiverGradient(call), RefMode.None));
        }

        var pending = new List<(Expr Value, Expr Adjoint)>();
        for (int i = 0; i < call.Parameters.Count; i++)
        {
            CalleeParameter parameter = call.Parameters[i];
            if (!parameter.IsDifferentiable)
            {
                continue;
            }

            Expr value = call.Arguments[i].Value;
            if (parameter.Type.IsArray)
            {
                arguments.Add(new SweepArgument(ArrayAdjointArgument(value, parameter, external), RefMode.None));
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
    /// Propagates an adjoint through an expression, skipping it when the adjoint is exactly zero: a value that does not
    /// reach the result may have overflowed, and 0·∞ would turn a zero gradient into NaN. Sums need no guard.
    /// </summary>
    private static void BackpropUnlessZero(ExpressionAdjoint backprop, List<SweepStmt> output, Expr value, Expr adjoint)
    {
        if (IsLinear(value))
        {
            backprop.Backprop(value, adjoint);
            return;
        }

        IReadOnlyList<SweepStmt> guarded = backprop.Collect(() => backprop.Backprop(value, adjoint));
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
