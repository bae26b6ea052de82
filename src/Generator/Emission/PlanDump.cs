using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Plan;

namespace SourceDiff.Generator.Emission;

/// <summary>
/// A readable dump of a <see cref="SweepPlan"/>: the method's statements in order, each with what its sweeps do.
/// Written into the generated file as a comment with <c>&lt;SourceDiffEmitPlan&gt;true&lt;/SourceDiffEmitPlan&gt;</c>, and
/// snapshot-tested beside the generated code, so a change of decision shows up as a one-line diff.
/// </summary>
internal static class PlanDump
{
    public static string Of(SweepPlan plan)
    {
        var w = new SourceWriter();
        w.Line("Sweep plan of " + plan.Method.Name);
        w.Line("active: " + List(ActiveVariables(plan)));
        w.Line("saved when the forward sweep ends: " + List(plan.SavedAtEnd.Select(v => v.Name + (v.Type.IsArray && plan.Activity.IsActive(v) ? " (and its adjoint)" : string.Empty))));
        w.Line("restored for the caller: " + List(plan.RestoredFields.Select(f => "field " + f.Field.Name + (f.Reassignable ? " (reference and contents)" : string.Empty))
            .Concat(plan.RestoredArguments.Select(a => a.Parameter.Name + " (" + Describe(a.How) + ")"))));
        w.Open("body");
        Statements(w, plan, plan.Method.Body);
        w.Close();
        return w.ToString();
    }

    private static IEnumerable<string> ActiveVariables(SweepPlan plan) =>
        plan.Method.Parameters.Select(p => new Var(p.Name, p.Mode == RefMode.None ? VarKind.Parameter : VarKind.RefParameter, p.Type))
            .Concat(plan.Method.Locals.Select(l => new Var(l.Name, VarKind.Local, l.Type)))
            .Where(plan.Activity.IsActive)
            .Select(v => v.Name);

    private static string List(IEnumerable<string> items)
    {
        string joined = string.Join(", ", items);
        return joined.Length == 0 ? "nothing" : joined;
    }

    private static string Describe(ArgumentRestore how) => how switch
    {
        ArgumentRestore.Value => "value",
        ArgumentRestore.SpanContents => "span contents",
        _ => "array contents",
    };

    private static void Statements(SourceWriter w, SweepPlan plan, Block block)
    {
        foreach (Stmt statement in block.Statements)
        {
            switch (statement)
            {
                case Assign assign:
                    w.Line(Render.Expr(assign.Target) + Render.AssignOperator(assign.Kind) + Render.Expr(assign.Value) + "  [" + Write(plan, assign, assign.Target) + "]");
                    break;
                case CallStmt call:
                    string invocation = call.Call.Name + "(" + string.Join(", ", call.Call.Arguments.Select(a => Render.Expr(a.Value))) + ")";
                    w.Line(call.Target is null
                        ? invocation + "  [reverse: the callee's]"
                        : Render.Expr(call.Target) + Render.AssignOperator(call.Kind) + invocation + "  [" + Write(plan, call, call.Target) + "; reverse: the callee's]");
                    break;
                case If branch:
                    w.Open("if (" + Render.Expr(branch.Condition) + ")" + (plan.IsRecorded(branch) ? "  [branch recorded]" : "  [nothing to reverse]"));
                    Statements(w, plan, branch.Then);
                    w.Close();
                    if (branch.Else.Statements.Count > 0)
                    {
                        w.Open("else");
                        Statements(w, plan, branch.Else);
                        w.Close();
                    }

                    break;
                case Loop loop:
                    string header = (loop.TestFirst ? "while (" : "do … while (") + Render.Expr(loop.Condition) + ")";
                    string how = plan.TripCounter(loop) is { } counter ? "  [trip count recorded: " + counter + "]"
                        : plan.CountedReplayOf(loop) is { } replay ? "  [counted: replayed from " + Render.Expr(replay.Loop.First) + ", no tape]"
                        : "  [nothing to reverse]";
                    w.Open(header + how);
                    Statements(w, plan, loop.Body);
                    if (loop.Step.Statements.Count > 0)
                    {
                        w.Line("step:");
                        Statements(w, plan, loop.Step);
                    }

                    w.Close();
                    break;
                case NonDifferentiableCall effect:
                    w.Line(Render.Expr(effect.Expression) + "  [nothing to reverse]");
                    break;
                case Throw:
                    w.Line("throw");
                    break;
                case Block inner:
                    Statements(w, plan, inner);
                    break;
            }
        }
    }

    private static string Write(SweepPlan plan, Stmt write, Expr target)
    {
        string old = plan.OldValueOf(write) switch
        {
            OldValue.Recorded => "old value recorded",
            OldValue.Recomputed => "old value recomputed",
            OldValue.Reloaded => "old value reloaded from " + Render.Expr(plan.ReloadSourceOf(write)),
            _ => "old value not needed",
        };
        return old + (plan.Activity.HasAdjoint(target) ? ", adjoint" : string.Empty)
            + (write is Assign assign && plan.ReusesResult(assign) ? ", result reused" : string.Empty)
            + (write is Assign declaration && plan.Rematerializes(declaration) ? ", recomputed by the reverse sweep" : string.Empty);
    }
}
