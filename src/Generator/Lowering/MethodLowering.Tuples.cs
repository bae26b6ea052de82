using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Deconstruction of tuple literals, <c>(x, v) = (x + dt * v, v - dt * k * x)</c>, becomes one assignment per
/// element. Every right-hand side is evaluated before any target is written, as C# does, so a target the values
/// read goes through a temporary. Tuples never reach the IR: values of tuple type (a call returning one, a tuple
/// local) stay outside.
/// </summary>
internal sealed partial class MethodLowering
{
    private void LowerDeconstruction(IDeconstructionAssignmentOperation deconstruction, IOperation statement, List<Stmt> output)
    {
        IOperation targetOperation = deconstruction.Target is IDeclarationExpressionOperation declaration ? declaration.Expression : deconstruction.Target;
        if (targetOperation is not ITupleOperation targetTuple || targetTuple.Elements.Any(element => element is ITupleOperation or IDeclarationExpressionOperation { Expression: ITupleOperation }))
        {
            Unsupported(deconstruction, "Deconstructing into nested tuples", "deconstruct one level at a time");
            return;
        }

        List<Expr>? values = TupleElements(deconstruction.Value, targetTuple.Elements.Length, output);
        if (values is null)
        {
            return;
        }

        // A discard (_) has no target; its value is still evaluated, in order.
        var targets = new List<Expr?>();
        var declared = new List<bool>();
        foreach (IOperation element in targetTuple.Elements)
        {
            IOperation target = element is IDeclarationExpressionOperation declarationElement ? declarationElement.Expression : element;
            targets.Add(target is IDiscardOperation ? null : FixElementTarget(LowerTarget(target, output), target, output));
            declared.Add(element is IDeclarationExpressionOperation || deconstruction.Target is IDeclarationExpressionOperation);
        }

        // Fresh locals cannot be read by the values; anything else might be (a swap), so the values are held first.
        bool holdValues = targets.Where((target, i) => target is not null && !declared[i]).Any();
        string text = SourceText(statement);
        for (int i = 0; i < values.Count; i++)
        {
            Expr? target = targets[i];
            if (target is not null)
            {
                values[i] = Convert(values[i], target.Type);
                if (holdValues && values[i] is not Literal)
                {
                    values[i] = Spill(values[i], "element", deconstruction, output);
                }
            }
        }

        for (int i = 0; i < values.Count; i++)
        {
            if (targets[i] is { } target)
            {
                output.Add(new Assign(target, values[i], declared[i] ? AssignKind.Declare : AssignKind.Set, text));
            }
        }
    }

    /// <summary>
    /// C# picks the element a target names before any element is written (<c>(i, a[i]) = (2, x)</c> writes the old
    /// a[i]), so an index that is not a constant is held in a local.
    /// </summary>
    private Expr FixElementTarget(Expr target, IOperation source, List<Stmt> output) =>
        target is Element element
            ? element with { Indices = element.Indices.Select(index => index is Literal ? index : Spill(index, "index", source, output)).ToEquatableArray() }
            : target;

    /// <summary>
    /// The element values of a tuple literal, or of <c>c ? (a, b) : (b, a)</c> (one <c>?:</c> per element over a
    /// condition evaluated once); null, reported, for any other tuple-valued expression.
    /// </summary>
    private List<Expr>? TupleElements(IOperation value, int count, List<Stmt> output)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        switch (value)
        {
            case ITupleOperation tuple when tuple.Elements.Length == count:
                if (tuple.Elements.Any(element => element is ITupleOperation))
                {
                    Unsupported(value, "A nested tuple", "deconstruct one level at a time");
                    return null;
                }

                // Left to right, each element keeping the value it had before a later element's calls ((p, q) = (H, Step(x))).
                var elements = new List<Expr>();
                foreach (IOperation element in tuple.Elements)
                {
                    int mark = output.Count;
                    Expr lowered = LowerExpr(element, output);
                    for (int i = 0; i < elements.Count; i++)
                    {
                        elements[i] = ReadBefore(elements[i], mark, tuple.Elements[i], output);
                    }

                    elements.Add(lowered);
                }

                return elements;

            case IConditionalOperation { WhenFalse: not null } choice:
            {
                Expr condition = LowerExpr(choice.Condition, output);
                if (condition is not (Var or Literal))
                {
                    condition = Spill(condition, "test", choice.Condition, output);
                }

                // Each branch is evaluated only when chosen: no call with a pullback may hide in it.
                string? saved = hoistBlocker;
                hoistBlocker ??= "a branch of ?:";
                List<Expr>? whenTrue = TupleElements(choice.WhenTrue, count, output);
                List<Expr>? whenFalse = TupleElements(choice.WhenFalse, count, output);
                hoistBlocker = saved;
                if (whenTrue is null || whenFalse is null)
                {
                    return null;
                }

                return whenTrue.Select((chosen, i) =>
                {
                    TypeRef type = chosen.Type.Display == whenFalse[i].Type.Display || !whenFalse[i].Type.IsFloatingScalar ? chosen.Type : whenFalse[i].Type;
                    return (Expr)new Conditional(condition, Convert(chosen, type), Convert(whenFalse[i], type), type);
                }).ToList();
            }

            case IInvocationOperation invocation:
                Unsupported(value, "Deconstructing the tuple returned by '" + invocation.TargetMethod.Name + "'", "return one value, and pass the others as out parameters");
                return null;

            default:
                Unsupported(value, "Deconstructing " + ConstructNames.DescribeInSentence(value), "deconstruct a tuple literal such as (a, b), or assign each element");
                return null;
        }
    }
}
