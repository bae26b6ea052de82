using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Analyzers.Common;
using SourceDiff.Rules;

namespace SourceDiff.Analyzers.Gradients;

/// <summary>
/// Which variables and fields reach a result of a differentiable method along a path that keeps their derivative:
/// never through an integer or boolean value, a zero-derivative function or Grad.Stop. Results are the returned value,
/// writes to fields, to ref/out parameters and into arrays the caller sees, and the arguments of calls made for their
/// effect. A value that reaches a result this way keeps its gradient even where it also goes through a step
/// (<c>int i = (int)t; double frac = t - i;</c>), so SD1005 is not about it. Flow-insensitive, iterated to a fixed
/// point backwards from the results; over-approximating only removes warnings.
/// </summary>
internal sealed class DirectFlow
{
    private readonly SourceDiffSymbols _symbols;
    // Read anywhere on a direct path (whole or one element): enough to make a local's own inputs reach.
    private readonly HashSet<ISymbol> _reaching = new(SymbolEqualityComparer.Default);

    // Read as a whole (scalars; arrays passed on or copied), so every element of it reaches.
    private readonly HashSet<ISymbol> _reachingWhole = new(SymbolEqualityComparer.Default);

    // Array elements read directly, by the array and the element's text (w[0][i]): w[1] reaching says nothing of w[0].
    private readonly HashSet<(ISymbol Array, string Element)> _reachingElements = new(ElementComparer.Instance);

    public DirectFlow(IEnumerable<IOperation> blocks, SourceDiffSymbols symbols)
    {
        _symbols = symbols;
        var flows = new List<(ISymbol Target, IOperation Value)>();
        var results = new List<IOperation>();
        foreach (var operation in blocks.SelectMany(block => block.DescendantsAndSelf()))
        {
            switch (operation)
            {
                case IReturnOperation { ReturnedValue: { } returned }:
                    results.Add(returned);
                    break;
                case IAssignmentOperation assignment:
                    if (LocalRoot(assignment.Target) is { } local)
                    {
                        flows.Add((local, assignment.Value));
                    }
                    else
                    {
                        results.Add(assignment.Value);
                    }

                    break;
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                    flows.Add((declarator.Symbol, initializer.Value));
                    break;
                case IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation variable } loop:
                    flows.Add((variable.Symbol, loop.Collection));
                    break;
                case IInvocationOperation invocation when invocation.Parent is IExpressionStatementOperation:
                    results.Add(invocation);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument when LocalRoot(argument.Value) is { } written && argument.Parent is IInvocationOperation call:
                    flows.Add((written, call));
                    break;
            }
        }

        foreach (var result in results)
        {
            AddDirectReads(result);
        }

        bool changed;
        do
        {
            changed = false;
            foreach (var (target, value) in flows)
            {
                if (_reaching.Contains(target) && AddDirectReads(value))
                {
                    changed = true;
                }
            }
        }
        while (changed);
    }

    public bool Reaches(ISymbol symbol) => _reaching.Contains(symbol);

    /// <summary>True when this element of <paramref name="array"/> (or the whole array) reaches a result directly.</summary>
    public bool ReachesElement(ISymbol array, IArrayElementReferenceOperation element) =>
        _reachingWhole.Contains(array) || _reachingElements.Contains((array, ElementText(element)));

    /// <summary>Marks what <paramref name="value"/> reads with its derivative kept; true when that added anything.</summary>
    private bool AddDirectReads(IOperation value)
    {
        bool added = false;
        var pending = new Stack<IOperation>();
        pending.Push(value);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation.Type is { } type && (DerivativeRules.IsInteger(type) || type.SpecialType == SpecialType.System_Boolean))
            {
                continue;
            }

            switch (operation)
            {
                case ILocalReferenceOperation local:
                    added |= AddWhole(local.Local);
                    continue;
                case IParameterReferenceOperation parameter:
                    added |= AddWhole(parameter.Parameter);
                    continue;
                case IFieldReferenceOperation field:
                    added |= AddWhole(field.Field);
                    continue;
                case IPropertyReferenceOperation { Property: var property } when DerivativeRules.IsAutoProperty(property):
                    added |= AddWhole(property);
                    continue;
                case IArrayElementReferenceOperation element when Root(element) is { } array:
                    _reachingElements.Add((array, ElementText(element)));
                    added |= _reaching.Add(array);
                    continue;
                case IInvocationOperation invocation when _symbols.IsGradStop(invocation.TargetMethod) || DerivativeRules.ZeroDerivativeFunction(invocation.TargetMethod) is not null:
                    continue;
                case IAnonymousFunctionOperation:
                    continue;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return added;
    }

    private bool AddWhole(ISymbol symbol)
    {
        _reachingWhole.Add(symbol);
        return _reaching.Add(symbol);
    }

    private static ISymbol? Root(IArrayElementReferenceOperation element)
    {
        IOperation array = element.ArrayReference;
        while (array is IArrayElementReferenceOperation inner)
        {
            array = inner.ArrayReference;
        }

        return array switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation { Property: var property } when DerivativeRules.IsAutoProperty(property) => property,
            _ => null,
        };
    }

    private static string ElementText(IArrayElementReferenceOperation element) =>
        new string(element.Syntax.ToString().Where(c => !char.IsWhiteSpace(c)).ToArray());

    private sealed class ElementComparer : IEqualityComparer<(ISymbol Array, string Element)>
    {
        public static readonly ElementComparer Instance = new();

        public bool Equals((ISymbol Array, string Element) x, (ISymbol Array, string Element) y) =>
            SymbolEqualityComparer.Default.Equals(x.Array, y.Array) && x.Element == y.Element;

        public int GetHashCode((ISymbol Array, string Element) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Array) * 397) ^ obj.Element.GetHashCode();
    }

    /// <summary>The local a write lands in (a local array's element counts), or null for fields, parameters and other storage.</summary>
    private static ISymbol? LocalRoot(IOperation target)
    {
        while (target is IArrayElementReferenceOperation element)
        {
            target = element.ArrayReference;
        }

        return target is ILocalReferenceOperation local ? local.Local : null;
    }
}
