using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Derivatives;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// Activity analysis: which variables can carry a derivative. Flow-insensitive and conservative: a variable is
/// active when it is a differentiable input (parameter, trainable or [State] field) or some write to it (or to one of
/// its elements) reads an active variable. Arrays are analysed per storage object (<see cref="ArrayStorage"/>): an
/// array variable is active when any array it may refer to holds a derivative. A superset is always correct; it only
/// costs adjoint work.
/// </summary>
internal sealed class Activity : IActivityFacts
{
    private readonly HashSet<string> active = new();
    private readonly HashSet<string> writtenObjects = new();
    private readonly HashSet<string> nonDifferentiableParameters = new();
    private readonly SortedDictionary<string, Stmt> dropped = new(System.StringComparer.Ordinal);
    private readonly SortedDictionary<string, Stmt> untrackedWrites = new(System.StringComparer.Ordinal);
    private readonly HashSet<string> useful = new();

    private Activity(ArrayStorage storage)
    {
        Storage = storage;
    }

    /// <summary>Which storage each array variable may refer to.</summary>
    public ArrayStorage Storage { get; }

    /// <summary>
    /// [NoDerivative] parameters and data fields that receive a differentiable value (directly or through an alias):
    /// their adjoint would be dropped silently, so the method is rejected instead.
    /// </summary>
    public IEnumerable<(string Name, Stmt Write)> DroppedDerivatives => dropped.Select(entry => (entry.Key, entry.Value));

    /// <summary>
    /// Statements that write a differentiable value into an array that may be storage SourceDiff cannot see (a static
    /// table, another object's array, a call result): its adjoint would be lost, so the method is rejected.
    /// </summary>
    public IEnumerable<Stmt> UntrackedWrites => untrackedWrites.Values;

    /// <summary>
    /// Varied (depends on a differentiable input) and useful (can reach the result or storage the caller sees). A
    /// varied scalar that never reaches an output gets no adjoint code: besides saving work, that keeps an overflow in
    /// a dead value from turning the gradient into NaN through 0·∞.
    /// </summary>
    public bool IsActive(Var variable) =>
        IsVaried(variable) && (variable.Type.IsArray || variable.IsNonLocal || useful.Contains(variable.Name));

    /// <summary>
    /// Whether an lvalue or array-valued expression has adjoint storage in generated code: an active variable, a layer,
    /// an element of an array with an adjoint, or a <c>?:</c> between arrays either of which has one.
    /// </summary>
    public bool HasAdjoint(Expr expr) => expr switch
    {
        Var variable => IsActive(variable) || variable.Kind == VarKind.LayerField,
        Element element => HasAdjoint(element.Array),
        View view => HasAdjoint(view.Storage),
        Conditional { Type.IsArray: true } choice => HasAdjoint(choice.WhenTrue) || HasAdjoint(choice.WhenFalse),
        _ => false,
    };

    /// <summary>
    /// Whether a variable has adjoint storage of its own: locals, differentiable parameters, trainable and [State]
    /// fields. [NoDerivative] parameters and data fields have none: an alias of them gets a sink for its adjoint.
    /// </summary>
    public bool OwnsAdjoint(Var variable) => variable.Kind switch
    {
        VarKind.Local => true,
        VarKind.Parameter or VarKind.RefParameter => !nonDifferentiableParameters.Contains(variable.Name),
        VarKind.ParameterField or VarKind.StateField => true,
        _ => false,
    };

    private bool IsVaried(Var variable)
    {
        if (!variable.Type.IsDifferentiable)
        {
            return false;
        }

        if (variable.Type.IsArray)
        {
            return OwnsAdjoint(variable)
                && (variable.Kind is VarKind.ParameterField or VarKind.StateField || Storage.Reachable(variable).Any(HoldsDerivative));
        }

        return variable.Kind is VarKind.ParameterField or VarKind.StateField || active.Contains(variable.Name);
    }

    /// <summary>An array object holds a derivative when it is a differentiable input (or a row of one), or receives one.</summary>
    private bool HoldsDerivative(string obj) =>
        writtenObjects.Contains(obj) || (Storage.InputOf(obj) is { } input && OwnsAdjoint(input));

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
        var activity = new Activity(ArrayStorage.Analyze(method));
        foreach (ParameterModel parameter in method.Parameters)
        {
            if (parameter.IsDifferentiable)
            {
                activity.active.Add(parameter.Name);
            }
            else
            {
                activity.nonDifferentiableParameters.Add(parameter.Name);
            }
        }

        List<Stmt> statements = IrWalk.Flatten(method.Body);
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
                            changed |= activity.MarkWrite(assign.Target, assign, writesElements: false);
                        }

                        break;
                    case CallStmt call:
                        // A kernel's result and destination are functions of its inputs alone: varied only by a varied input.
                        if (call.Call.Kind == CallKind.Kernel && !call.Call.Arguments.Any(argument => activity.IsVaried(argument.Value)))
                        {
                            break;
                        }

                        if (call.Target is not null)
                        {
                            changed |= activity.MarkWrite(call.Target, call, writesElements: false);
                        }

                        for (int i = 0; i < call.Call.Arguments.Count; i++)
                        {
                            Argument argument = call.Call.Arguments[i];
                            if (i < call.Call.Parameters.Count && call.Call.Parameters[i] is { IsDifferentiable: true, MayWrite: true })
                            {
                                changed |= activity.MarkWrite(argument.Value, call, writesElements: true);
                            }
                        }

                        break;
                }
            }
        }

        activity.FindUseful(method, statements);
        return activity;
    }

    /// <summary>
    /// Records that a differentiable value is written into <paramref name="target"/>: a variable, an element, a row,
    /// or (with <paramref name="writesElements"/>) the elements of an array a callee writes.
    /// </summary>
    private bool MarkWrite(Expr target, Stmt write, bool writesElements)
    {
        if (!target.Type.IsDifferentiable)
        {
            return false;
        }

        if (target is Var variable && !(writesElements && variable.Type.IsArray))
        {
            if (!OwnsAdjoint(variable))
            {
                // A [NoDerivative] scalar, or a [NoDerivative] array pointed at differentiable storage: the derivative
                // would be dropped, or reads through it would have no adjoint.
                Drop(variable.Name, write);
                return false;
            }

            // An array variable is active through the objects it refers to.
            return !variable.Type.IsArray && active.Add(variable.Name);
        }

        // A callee may write anything reachable from an array argument; an element write changes the array it is in.
        IReadOnlyCollection<string> objects = writesElements && target.Type.IsArray
            ? Storage.Closure(Storage.Objects(target))
            : Storage.Objects(((Element)target).Array);
        bool changed = false;
        foreach (string obj in objects)
        {
            if (obj == ArrayStorage.Untracked)
            {
                string source = write is Assign assign ? assign.Source : ((CallStmt)write).Source;
                if (!untrackedWrites.ContainsKey(source))
                {
                    untrackedWrites[source] = write;
                }
            }
            else if (Storage.InputOf(obj) is { } input && !OwnsAdjoint(input))
            {
                Drop(input.Name, write);
            }

            changed |= writtenObjects.Add(obj);
        }

        return changed;
    }

    /// <summary>Remembers the first write that drops a derivative into storage without an adjoint, to report it there.</summary>
    private void Drop(string name, Stmt write)
    {
        if (!dropped.ContainsKey(name))
        {
            dropped[name] = write;
        }
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

        bool IsOutput(Expr? target) => target switch
        {
            null => false,
            Element => true,
            Var variable => variable.Type.IsArray || variable.IsNonLocal || useful.Contains(variable.Name),
            _ => false,
        };

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
}
