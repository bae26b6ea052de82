using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// Activity analysis: which variables can carry a derivative. Flow-insensitive and conservative: a variable is
/// active when it is a differentiable input (parameter, trainable or [State] field) or some write to it (or to one of
/// its elements) reads an active variable. A superset is always correct; it only costs adjoint work.
/// </summary>
internal sealed class Activity
{
    private readonly HashSet<string> active = new();
    private readonly SortedSet<string> dropped = new(System.StringComparer.Ordinal);

    /// <summary>
    /// [NoDerivative] parameters and data fields that receive a differentiable value: their adjoint would be dropped
    /// silently, so the method is rejected instead.
    /// </summary>
    public IReadOnlyCollection<string> DroppedDerivatives => dropped;

    private Activity()
    {
    }

    private readonly HashSet<string> useful = new();

    /// <summary>
    /// Varied (depends on a differentiable input) and useful (can reach the result or storage the caller sees). A
    /// varied scalar that never reaches an output gets no adjoint code: besides saving work, that keeps an overflow in
    /// a dead value from turning the gradient into NaN through 0·∞.
    /// </summary>
    public bool IsActive(Var variable) =>
        IsVaried(variable) && (variable.Type.IsArray || variable.IsNonLocal || useful.Contains(variable.Name));

    private bool IsVaried(Var variable) =>
        variable.Type.IsDifferentiable && (variable.Kind is VarKind.ParameterField or VarKind.StateField || active.Contains(variable.Name));

    private bool IsVaried(Expr expr)
    {
        if (!expr.Type.IsDifferentiable)
        {
            return false;
        }

        var leaves = new List<Var>();
        IrWalk.DerivativeLeaves(expr, leaves);
        return leaves.Exists(IsVaried);
    }

    /// <summary>Whether any derivative can flow out of this expression.</summary>
    public bool IsActive(Expr expr)
    {
        if (!expr.Type.IsDifferentiable)
        {
            return false;
        }

        var leaves = new List<Var>();
        IrWalk.DerivativeLeaves(expr, leaves);
        foreach (Var leaf in leaves)
        {
            if (IsActive(leaf))
            {
                return true;
            }
        }

        return false;
    }

    public static Activity Analyze(MethodModel method)
    {
        var activity = new Activity();
        foreach (ParameterModel parameter in method.Parameters)
        {
            if (parameter.IsDifferentiable)
            {
                activity.active.Add(parameter.Name);
            }
        }

        var statements = new List<Stmt>();
        IrWalk.Flatten(method.Body, statements);
        var nonDifferentiableParameters = new HashSet<string>();
        foreach (ParameterModel parameter in method.Parameters)
        {
            if (!parameter.IsDifferentiable)
            {
                nonDifferentiableParameters.Add(parameter.Name);
            }
        }

        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Stmt statement in statements)
            {
                switch (statement)
                {
                    case Assign assign:
                        if (activity.IsVaried(assign.Value))
                        {
                            changed |= activity.Mark(IrWalk.Root(assign.Target), nonDifferentiableParameters);
                        }

                        break;
                    case CallStmt call:
                        if (call.Target is not null)
                        {
                            changed |= activity.Mark(IrWalk.Root(call.Target), nonDifferentiableParameters);
                        }

                        for (int i = 0; i < call.Call.Arguments.Count; i++)
                        {
                            Argument argument = call.Call.Arguments[i];
                            if (i < call.Call.Parameters.Count && call.Call.Parameters[i] is { IsDifferentiable: true, MayWrite: true })
                            {
                                changed |= activity.Mark(IrWalk.Root(argument.Value), nonDifferentiableParameters);
                            }
                        }

                        break;
                }
            }
        }

        activity.FindUseful(method, statements);
        return activity;
    }

    /// <summary>Backward closure from the outputs: the result, ref/out parameters, arrays and fields.</summary>
    private void FindUseful(MethodModel method, List<Stmt> statements)
    {
        useful.Add("_result");
        foreach (ParameterModel parameter in method.Parameters)
        {
            if (parameter.Mode is RefMode.Ref or RefMode.Out)
            {
                useful.Add(parameter.Name);
            }
        }

        bool IsOutput(Expr? target) => target is not null && IrWalk.Root(target) is { } root && (root.Type.IsArray || root.IsNonLocal || useful.Contains(root.Name));

        void UseLeaves(Expr expr, ref bool changed)
        {
            var leaves = new List<Var>();
            IrWalk.DerivativeLeaves(expr, leaves);
            foreach (Var leaf in leaves)
            {
                changed |= useful.Add(leaf.Name);
            }
        }

        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Stmt statement in statements)
            {
                switch (statement)
                {
                    case Assign assign when IsOutput(assign.Target):
                        UseLeaves(assign.Value, ref changed);
                        break;
                    case CallStmt call when call.Target is null || IsOutput(call.Target) || !call.Call.IsStatic
                        || call.Call.Arguments.Any(a => a.Mode != RefMode.None || a.Value.Type.IsArray):
                        foreach (Argument argument in call.Call.Arguments)
                        {
                            UseLeaves(argument.Value, ref changed);
                        }

                        break;
                }
            }
        }
    }

    private bool Mark(Var? root, HashSet<string> excluded)
    {
        if (root is null || !root.Type.IsDifferentiable)
        {
            return false;
        }

        if (excluded.Contains(root.Name) || root.Kind == VarKind.DataField)
        {
            dropped.Add(root.Name);
            return false;
        }

        return active.Add(root.Name);
    }
}
