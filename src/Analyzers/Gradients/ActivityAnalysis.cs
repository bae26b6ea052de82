using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Analyzers.Common;
using SourceDiff.Rules;

namespace SourceDiff.Analyzers.Gradients;

/// <summary>
/// A flow-insensitive "varied" analysis of one differentiable method: which values depend on a differentiable input.
/// Seeds are the differentiable parameters and the instance fields the generator gives an adjoint (parameters and [State], by DerivativeRules.RoleOf); a local becomes
/// varied when anything varied is assigned to it, iterated to a fixed point. Values of integer or boolean type, and the
/// results of Grad.Stop and of zero-derivative functions, carry no derivative and stop the spread. Over-approximating
/// is the safe side: it can only make SD1005 report a cast whose input really depends on the inputs somewhere.
/// </summary>
internal sealed class ActivityAnalysis
{
    private readonly SourceDiffSymbols _symbols;
    private readonly HashSet<ISymbol> _varied = new(SymbolEqualityComparer.Default);

    private readonly Lazy<DirectFlow> _directFlow;

    public ActivityAnalysis(IMethodSymbol method, IEnumerable<IOperation> blocks, SourceDiffSymbols symbols)
    {
        _symbols = symbols;
        _directFlow = new Lazy<DirectFlow>(() => new DirectFlow(blocks, symbols));
        foreach (var parameter in method.Parameters)
        {
            if (DerivativeRules.CarriesDerivative(parameter.Type) && !symbols.IsNoDerivative(parameter))
            {
                _varied.Add(parameter);
            }
        }

        Propagate(blocks);
    }

    /// <summary>The first varied variable or field the value reads, to name in a message; null when it is constant.</summary>
    public ISymbol? VariedSource(IOperation value)
    {
        if (IsNonDerivativeType(value.Type))
        {
            return null;
        }

        switch (value)
        {
            case ILiteralOperation:
                return null;
            case ILocalReferenceOperation local:
                return _varied.Contains(local.Local) ? local.Local : null;
            case IParameterReferenceOperation parameter:
                return _varied.Contains(parameter.Parameter) ? parameter.Parameter : null;
            case IFieldReferenceOperation field:
                return IsVariedField(field.Field) ? field.Field : null;
            case IPropertyReferenceOperation { Property: var property } when DerivativeRules.IsAutoProperty(property):
                // An auto-property is storage, like a field of the same name.
                return DerivativeRules.CarriesAdjoint(_symbols.RoleOf(property)) ? property : null;
            case IArrayElementReferenceOperation element:
                return VariedSource(element.ArrayReference);
            case IConditionalOperation conditional:
                return VariedSource(conditional.WhenTrue) ?? (conditional.WhenFalse is { } whenFalse ? VariedSource(whenFalse) : null);
            case IInvocationOperation invocation:
                if (_symbols.IsGradStop(invocation.TargetMethod) || DerivativeRules.ZeroDerivativeFunction(invocation.TargetMethod) is not null)
                {
                    return null;
                }

                // An instance differentiable method reads the object's parameters even when its arguments are constant.
                if (_symbols.IsDifferentiable(invocation.TargetMethod) && !invocation.TargetMethod.IsStatic)
                {
                    return invocation.TargetMethod;
                }

                return invocation.Arguments.Select(argument => VariedSource(argument.Value)).FirstOrDefault(source => source is not null);
            default:
                return value.ChildOperations.Select(VariedSource).FirstOrDefault(source => source is not null);
        }
    }

    /// <summary>
    /// The first varied variable or field <paramref name="value"/> reads whose derivative has no other way to the
    /// result: null when every one of them also reaches it directly, as <c>t</c> does in <c>t - (int)t</c>.
    /// </summary>
    public ISymbol? VariedSourceWithoutDirectPath(IOperation value)
    {
        if (VariedSource(value) is null)
        {
            return null;
        }

        var directFlow = _directFlow.Value;
        var pending = new Stack<IOperation>();
        pending.Push(value);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (IsNonDerivativeType(operation.Type))
            {
                continue;
            }

            switch (operation)
            {
                case IInvocationOperation invocation when _symbols.IsGradStop(invocation.TargetMethod) || DerivativeRules.ZeroDerivativeFunction(invocation.TargetMethod) is not null:
                    continue;
                case IInvocationOperation invocation when _symbols.IsDifferentiable(invocation.TargetMethod) && !invocation.TargetMethod.IsStatic:
                    // The object's parameters are read inside the call; nothing else in the method reads them for it.
                    return invocation.TargetMethod;
                case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                    when operation is not IPropertyReferenceOperation { Property: var property } || DerivativeRules.IsAutoProperty(property):
                    if (VariedSource(operation) is { } variable && !directFlow.Reaches(variable))
                    {
                        return variable;
                    }

                    continue;
                case IArrayElementReferenceOperation element:
                    if (VariedSource(element) is { } array && !directFlow.ReachesElement(array, element))
                    {
                        return array;
                    }

                    continue;
            }

            // Children are pushed last to first, so the message names the first source in reading order.
            foreach (var child in operation.ChildOperations.Reverse())
            {
                pending.Push(child);
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="source"/> also reaches the result along a path that keeps its derivative.</summary>
    public bool ReachesResultDirectly(ISymbol source) => _directFlow.Value.Reaches(source);

    /// <summary>True when a comparison inside <paramref name="condition"/> reads a varied value.</summary>
    public ISymbol? VariedComparison(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is IBinaryOperation binary && IsComparison(binary.OperatorKind)
                && (VariedSource(binary.LeftOperand) ?? VariedSource(binary.RightOperand)) is { } source)
            {
                return source;
            }
        }

        return null;
    }

    private static bool IsComparison(BinaryOperatorKind kind) =>
        kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
            or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
            or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals;

    private static bool IsNonDerivativeType(ITypeSymbol? type) =>
        type is not null && (DerivativeRules.IsInteger(type) || type.SpecialType == SpecialType.System_Boolean);

    private bool IsVariedField(IFieldSymbol field) => DerivativeRules.CarriesAdjoint(_symbols.RoleOf(field));

    private void Propagate(IEnumerable<IOperation> blocks)
    {
        var flows = new List<(ISymbol Target, IOperation Value)>();
        foreach (var operation in blocks.SelectMany(block => block.DescendantsAndSelf()))
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                    flows.Add((declarator.Symbol, initializer.Value));
                    break;
                case IAssignmentOperation assignment when RootVariable(assignment.Target) is { } target:
                    flows.Add((target, assignment.Value));
                    break;
                case IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation variable } loop:
                    flows.Add((variable.Symbol, loop.Collection));
                    break;
                case IInvocationOperation invocation:
                    // A differentiable call writes its ref/out and array outputs from its varied inputs.
                    foreach (var argument in invocation.Arguments)
                    {
                        if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out && RootVariable(argument.Value) is { } written)
                        {
                            flows.Add((written, invocation));
                        }
                    }

                    break;
            }
        }

        bool changed;
        do
        {
            changed = false;
            foreach (var (target, value) in flows)
            {
                if (!_varied.Contains(target) && VariedSource(value) is not null)
                {
                    _varied.Add(target);
                    changed = true;
                }
            }
        }
        while (changed);
    }

    private static ISymbol? RootVariable(IOperation target)
    {
        while (target is IArrayElementReferenceOperation element)
        {
            target = element.ArrayReference;
        }

        return target switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
    }
}
