using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.Emission;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;
using SourceDiff.Generator.Plan;

namespace SourceDiff.Generator.Adjoint;

/// <summary>
/// Builds the two sweeps of a method's adjoint from its IR and its <see cref="SweepPlan"/>: the forward sweep is the
/// primal itself plus the pushes the plan decides, the reverse sweep pops them back in reverse order.
/// </summary>
internal sealed class Sweeps
{
    private readonly MethodModel method;
    private readonly SweepPlan plan;
    private readonly Activity activity;
    private readonly TempNames temps = new();
    private readonly IReadOnlyDictionary<string, string> customPullbacks;

    public Sweeps(SweepPlan plan, IReadOnlyDictionary<string, string> customPullbacks)
    {
        method = plan.Method;
        this.plan = plan;
        activity = plan.Activity;
        this.customPullbacks = customPullbacks;
    }

    public SourceWriter Forward { get; } = new();

    public SourceWriter Reverse { get; } = new();

    public void Build()
    {
        // Reverse first only so that temporaries keep the numbering they have always had.
        ReverseBlock(method.Body, Reverse);
        ForwardBlock(method.Body, Forward);
    }

    // ---------------------------------------------------------------- forward sweep

    private void ForwardBlock(Block block, SourceWriter w)
    {
        foreach (Stmt statement in block.Statements)
        {
            ForwardStatement(statement, w);
        }
    }

    private void ForwardStatement(Stmt statement, SourceWriter w)
    {
        switch (statement)
        {
            case Assign assign:
                PushOld(assign, assign.Target, w);
                AliasAdjointArray(assign.Target, assign.Value, w);
                w.Line(Render.Expr(assign.Target) + Render.AssignOperator(assign.Kind) + Render.Expr(assign.Value) + ";");
                break;

            case CallStmt call:
            {
                string invocation = ForwardCall(call.Call);
                if (call.Target is null)
                {
                    w.Line(invocation + ";");
                }
                else if (plan.OldValueOf(call) == OldValue.Recorded)
                {
                    // The target's old value goes on the tape after the callee's records, so the reverse sweep gets it
                    // back first and re-evaluates the arguments (which may read the target) on the state they had.
                    string value = temps.Next("value");
                    w.Line("var " + value + " = " + invocation + ";");
                    PushOld(call, call.Target, w);
                    w.Line(Render.Expr(call.Target) + Render.AssignOperator(call.Kind) + value + ";");
                }
                else
                {
                    w.Line(Render.Expr(call.Target) + Render.AssignOperator(call.Kind) + invocation + ";");
                }

                break;
            }

            case If conditional:
            {
                bool recorded = plan.IsRecorded(conditional);
                w.Open("if (" + Render.Expr(conditional.Condition) + ")");
                ForwardBlock(conditional.Then, w);
                if (recorded)
                {
                    w.Line(AdjointNames.Tape + ".PushBool(true);");
                }

                w.Close();
                if (recorded || conditional.Else.Statements.Count > 0)
                {
                    w.Open("else");
                    ForwardBlock(conditional.Else, w);
                    if (recorded)
                    {
                        w.Line(AdjointNames.Tape + ".PushBool(false);");
                    }

                    w.Close();
                }

                break;
            }

            case Loop loop:
            {
                string? counter = plan.TripCounter(loop);
                bool recorded = counter is not null;
                if (recorded)
                {
                    w.Line("int " + counter + " = 0;");
                }

                w.Open(loop.TestFirst ? "while (" + Render.Expr(loop.Condition) + ")" : "do");
                ForwardBlock(loop.Body, w);
                ForwardBlock(loop.Step, w);
                if (recorded)
                {
                    w.Line(counter + "++;");
                }

                w.Close(loop.TestFirst ? string.Empty : " while (" + Render.Expr(loop.Condition) + ");");
                if (recorded)
                {
                    w.Line(AdjointNames.Tape + ".PushInt(" + counter + ");");
                }

                break;
            }

            case Throw thrown:
                w.Line(thrown.Text);
                break;

            case Effect effect:
                w.Line(Render.Expr(effect.Expression) + ";");
                break;

            case Block block:
                ForwardBlock(block, w);
                break;
        }
    }


    /// <summary>Pushes the value a write is about to overwrite, when the reverse sweep will need it back.</summary>
    private void PushOld(Stmt write, Expr target, SourceWriter w)
    {
        if (plan.OldValueOf(write) != OldValue.Recorded)
        {
            return;
        }

        if (target.Type.IsArray)
        {
            w.Line(AdjointNames.Tape + ".PushReference(" + Render.Expr(target) + ");");
            if (AdjointNames.Of(target, activity) is { } adjoint)
            {
                w.Line(AdjointNames.Tape + ".PushReference(" + adjoint + ");");
            }
        }
        else if (target.Type.TapeKind is { } tapeKind)
        {
            w.Line(AdjointNames.Tape + ".Push" + tapeKind + "(" + Render.Expr(target) + ");");
        }
    }

    /// <summary>
    /// An array-valued write also moves the adjoint array, so adjoints alias exactly as the primal arrays do. Written
    /// before the primal write, so a condition or index reads the state the value is evaluated on.
    /// </summary>
    private void AliasAdjointArray(Expr target, Expr value, SourceWriter w)
    {
        if (target.Type.IsFloatingArray && AdjointNames.Of(target, activity) is { } adjoint)
        {
            w.Line(adjoint + " = " + AdjointNames.OfArrayValue(value, activity) + ";");
        }
    }

    private string ForwardCall(Call call)
    {
        bool external = IsExternal(call);
        var arguments = call.Arguments.Select(argument => RenderArgument(argument, byRef: !external)).ToList();
        if (external)
        {
            return call.ContainingType + "." + call.Name + "(" + string.Join(", ", arguments) + ")";
        }

        arguments.Add(AdjointNames.Tape);
        if (!call.IsStatic)
        {
            arguments.Add(ReceiverGradient(call));
        }

        for (int i = 0; i < call.Parameters.Count; i++)
        {
            CalleeParameter parameter = call.Parameters[i];
            if (parameter.IsDifferentiable && parameter.Type.IsArray)
            {
                arguments.Add(ArrayAdjointArgument(call.Arguments[i].Value, parameter, external: false));
            }
        }

        return CalleePrefix(call) + AdjointNames.ForwardName(call.Name) + "(" + string.Join(", ", arguments) + ")";
    }

    // Generated sweeps take out parameters by ref: the forward sweep may record their old value.
    /// <summary>A call whose pullback is supplied by the user ([DerivativeOf]): its forward is the primal itself.</summary>
    private bool IsExternal(Call call) => call.Kind == CallKind.External || customPullbacks.ContainsKey(call.Key);

    private static string RenderArgument(Argument argument, bool byRef) => argument.Mode switch
    {
        RefMode.Ref => "ref " + Render.Expr(argument.Value),
        RefMode.Out => (byRef ? "ref " : "out ") + Render.Expr(argument.Value),
        _ => Render.Expr(argument.Value),
    };

    private static string CalleePrefix(Call call) =>
        call.IsStatic ? call.ContainingType + "." : call.Receiver is null ? "this." : Render.Atom(call.Receiver) + ".";

    private string ReceiverGradient(Call call) =>
        call.Receiver is null ? AdjointNames.Gradient : AdjointNames.Of(call.Receiver, activity) ?? AdjointNames.Gradient;

    /// <summary>
    /// The adjoint buffer passed for an array argument. Data without an adjoint gets a sink: shared across calls for
    /// generated callees, which only add into the adjoints of arrays they do not write (activity rejects a derivative
    /// written into such data), and exactly shaped zeros for a user's pullback, which may read its shape.
    /// </summary>
    private string ArrayAdjointArgument(Expr value, CalleeParameter parameter, bool external)
    {
        if (AdjointNames.Of(value, activity) is { } adjoint)
        {
            return adjoint;
        }

        if (parameter.MayWrite && !external)
        {
            throw new System.InvalidOperationException("An array without an adjoint is passed to '" + parameter.Name + "', which writes it.");
        }

        if (value.Type.IsSpan)
        {
            string element = value.Type.Element;
            return external
                ? "new " + element + "[" + Render.Atom(value) + ".Length]"
                : AdjointNames.Tape + (element == "float" ? ".SinkSingles(" : ".SinkDoubles(") + Render.Atom(value) + ".Length)";
        }

        string data = Render.Expr(value);
        return external ? "global::SourceDiff.Buffers.ZerosLike(" + data + ")" : AdjointNames.Tape + ".Sink(" + data + ")";
    }

    // ---------------------------------------------------------------- reverse sweep

    private void ReverseBlock(Block block, SourceWriter w)
    {
        for (int i = block.Statements.Count - 1; i >= 0; i--)
        {
            ReverseStatement(block.Statements[i], w);
        }
    }

    private void ReverseStatement(Stmt statement, SourceWriter w)
    {
        switch (statement)
        {
            case Assign assign:
                ReverseAssign(assign, w);
                break;

            case CallStmt call:
                ReverseCall(call, w);
                break;

            case If conditional when plan.IsRecorded(conditional):
            {
                w.Open("if (" + AdjointNames.Tape + ".PopBool())");
                ReverseBlock(conditional.Then, w);
                w.Close();
                var whenFalse = new SourceWriter();
                ReverseBlock(conditional.Else, whenFalse);
                if (!whenFalse.IsEmpty)
                {
                    w.Open("else");
                    w.Append(whenFalse);
                    w.Close();
                }

                break;
            }

            case Loop loop when plan.TripCounter(loop) is { } counter:
                w.Open("for (int " + counter + " = " + AdjointNames.Tape + ".PopInt(); " + counter + " > 0; " + counter + "--)");
                ReverseBlock(loop.Step, w);
                ReverseBlock(loop.Body, w);
                w.Close();
                break;

            case Block block:
                ReverseBlock(block, w);
                break;
        }
    }

    /// <summary>Pops (or recomputes) the value a write overwrote, so the state is again as it was before the write.</summary>
    private void Restore(Stmt write, Expr target, SourceWriter w)
    {
        switch (plan.OldValueOf(write))
        {
            case OldValue.Recomputed:
                Assign step = (Assign)write;
                w.Line(Render.Expr(target) + (step.Kind == AssignKind.Add ? " -= " : " += ") + Render.Expr(step.Value) + ";");
                break;

            case OldValue.Recorded when target.Type.IsArray:
                if (AdjointNames.Of(target, activity) is { } adjoint)
                {
                    w.Line(adjoint + " = " + AdjointNames.Tape + ".PopReference<" + target.Type.Display + ">()!;");
                }

                w.Line(Render.Expr(target) + " = " + AdjointNames.Tape + ".PopReference<" + target.Type.Display + ">()!;");
                break;

            case OldValue.Recorded:
                string pop = AdjointNames.Tape + ".Pop" + target.Type.TapeKind + "()";
                w.Line(Render.Expr(target) + " = " + TapeCast(target.Type, pop) + ";");
                break;
        }
    }

    private void ReverseAssign(Assign assign, SourceWriter w)
    {
        var body = new SourceWriter();
        Restore(assign, assign.Target, body);
        string? adjoint = assign.Target.Type.IsFloatingScalar ? AdjointNames.Of(assign.Target, activity) : null;
        if (adjoint is not null)
        {
            var backprop = new ExpressionAdjoint(body, activity, temps);
            string type = assign.Target.Type.Display;
            bool selfReference = assign.Target is Var self && IrWalk.Reads(assign.Value, self.Name);
            if (assign.Kind is AssignKind.Add or AssignKind.Subtract && !selfReference)
            {
                // x += e: the adjoint of x passes through unchanged; e receives it.
                if (activity.IsActive(assign.Value))
                {
                    string g = assign.Target is Var && assign.Kind == AssignKind.Add ? adjoint : Temp(body, type, (assign.Kind == AssignKind.Subtract ? "-" : string.Empty) + adjoint);
                    BackpropUnlessZero(backprop, body, assign.Value, g);
                }
            }
            else
            {
                bool valueActive = activity.IsActive(assign.Value);
                string g = valueActive || assign.Kind is AssignKind.Add or AssignKind.Subtract ? Temp(body, type, adjoint) : string.Empty;
                body.Line(adjoint + " = 0;");
                if (assign.Kind is AssignKind.Add or AssignKind.Subtract)
                {
                    body.Line(adjoint + " += " + g + ";");
                }

                if (valueActive)
                {
                    BackpropUnlessZero(backprop, body, assign.Value, assign.Kind == AssignKind.Subtract ? "-" + g : g);
                }
            }
        }

        if (!body.IsEmpty)
        {
            w.Line("// " + assign.Source);
            w.Append(body);
        }
    }

    private void ReverseCall(CallStmt statement, SourceWriter w)
    {
        Call call = statement.Call;
        var body = new SourceWriter();
        if (statement.Target is not null)
        {
            Restore(statement, statement.Target, body);
        }

        var backprop = new ExpressionAdjoint(body, activity, temps);
        bool external = IsExternal(call);
        var arguments = call.Arguments.Select(argument => RenderArgument(argument, byRef: !external)).ToList();
        if (!external)
        {
            arguments.Add(AdjointNames.Tape);
        }

        if (!call.ReturnType.IsVoid)
        {
            string? targetAdjoint = statement.Target is not null && call.ReturnType.IsFloatingScalar ? AdjointNames.Of(statement.Target, activity) : null;
            if (targetAdjoint is null)
            {
                arguments.Add("0");
            }
            else
            {
                arguments.Add(Temp(body, call.ReturnType.Display, targetAdjoint));
                body.Line(targetAdjoint + " = 0;");
            }
        }

        if (!external && !call.IsStatic)
        {
            arguments.Add(ReceiverGradient(call));
        }

        var pending = new List<(Expr Value, string Adjoint)>();
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
                arguments.Add(ArrayAdjointArgument(value, parameter, external));
            }
            else if (parameter.Mode is RefMode.Ref or RefMode.Out)
            {
                string? adjoint = AdjointNames.Of(value, activity);
                if (adjoint is null)
                {
                    adjoint = Temp(body, parameter.Type.Display, "0");
                }

                arguments.Add("ref " + adjoint);
            }
            else
            {
                string adjoint = Temp(body, parameter.Type.Display, "0");
                arguments.Add("ref " + adjoint);
                pending.Add((value, adjoint));
            }
        }

        string invocation = external
            ? customPullbacks[call.Key]
            : CalleePrefix(call) + AdjointNames.ReverseName(call.Name);
        body.Line(invocation + "(" + string.Join(", ", arguments) + ");");

        foreach ((Expr value, string adjoint) in pending)
        {
            BackpropUnlessZero(backprop, body, value, adjoint);
        }

        w.Line("// " + statement.Source);
        w.Append(body);
    }

    /// <summary>
    /// Propagates an adjoint through an expression, skipping it when the adjoint is exactly zero: a value that does not
    /// reach the result may have overflowed, and 0·∞ would turn a zero gradient into NaN. Sums need no guard.
    /// </summary>
    private static void BackpropUnlessZero(ExpressionAdjoint backprop, SourceWriter w, Expr value, string adjoint)
    {
        if (IsLinear(value))
        {
            backprop.Backprop(value, adjoint);
            return;
        }

        w.Open("if (" + adjoint.TrimStart('-') + " != 0)");
        backprop.Backprop(value, adjoint);
        w.Close();
    }

    private static bool IsLinear(Expr expr) => expr switch
    {
        Var or Element or Literal or Opaque or StopGradient => true,
        Unary { Operator: "-" } negation => IsLinear(negation.Operand),
        Binary { Operator: "+" or "-" } sum => IsLinear(sum.Left) && IsLinear(sum.Right),
        Cast cast => IsLinear(cast.Operand),
        _ => false,
    };

    /// <summary>A popped value converted back to its variable's type (small integers travel as int).</summary>
    public static string TapeCast(TypeRef type, string pop) =>
        type.Element is "double" or "float" or "int" or "long" or "bool" ? pop : "(" + type.Display + ")" + pop;

    private string Temp(SourceWriter w, string type, string value)
    {
        string name = temps.Next("g");
        w.Line(type + " " + name + " = " + value + ";");
        return name;
    }
}
