using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace SourceDiff.Analyzers.Common;

/// <summary>
/// Effects of source methods, computed once per compilation and shared by concurrent callbacks. A method declared in
/// metadata has no visible body and no effects.
/// </summary>
internal sealed class MethodEffectsCache
{
    private readonly Compilation _compilation;
    private readonly SourceDiffSymbols _symbols;
    private readonly ConcurrentDictionary<IMethodSymbol, MethodEffects> _effects = new(SymbolEqualityComparer.Default);

    public MethodEffectsCache(Compilation compilation, SourceDiffSymbols symbols)
    {
        _compilation = compilation;
        _symbols = symbols;
    }

    public MethodEffects Get(IMethodSymbol method) => _effects.GetOrAdd(method.OriginalDefinition, Compute);

    /// <summary>
    /// The state a differentiable method writes, itself or through the differentiable methods it calls; null when
    /// it is pure apart from its result and array outputs.
    /// </summary>
    public ISymbol? StateWrittenBy(IMethodSymbol method) => StateWrittenBy(method.OriginalDefinition, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));

    /// <summary>
    /// The first static access made by a helper that differentiable code calls, itself or through helpers it calls
    /// in turn. Differentiable callees are not followed: their own bodies are reported where they are written.
    /// </summary>
    public StaticStateAccess? StaticAccessThroughHelper(IMethodSymbol helper) =>
        StaticAccessThroughHelper(helper.OriginalDefinition, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));

    private ISymbol? StateWrittenBy(IMethodSymbol method, HashSet<IMethodSymbol> visited)
    {
        if (!visited.Add(method))
        {
            return null;
        }

        var effects = Get(method);
        if (effects.FirstStateWritten is { } written)
        {
            return written;
        }

        foreach (var callee in effects.Callees)
        {
            if (_symbols.IsDifferentiable(callee) && StateWrittenBy(callee.OriginalDefinition, visited) is { } calleeWritten)
            {
                return calleeWritten;
            }
        }

        return null;
    }

    private StaticStateAccess? StaticAccessThroughHelper(IMethodSymbol helper, HashSet<IMethodSymbol> visited)
    {
        if (_symbols.IsDifferentiable(helper) || !visited.Add(helper))
        {
            return null;
        }

        var effects = Get(helper);
        if (!effects.StaticAccesses.IsEmpty)
        {
            return effects.StaticAccesses[0];
        }

        foreach (var callee in effects.Callees)
        {
            if (StaticAccessThroughHelper(callee.OriginalDefinition, visited) is { } access)
            {
                return access;
            }
        }

        return null;
    }

    private MethodEffects Compute(IMethodSymbol method)
    {
        method = method.PartialImplementationPart ?? method;
        if (method.DeclaringSyntaxReferences.IsEmpty)
        {
            return MethodEffects.None;
        }

        // Only the declaring tree's semantic model can bind a callee's body; binding it here, once per method and
        // cached, is what lets the IDE report a stateful callee at the call site without a compilation-end pass.
        var reference = method.DeclaringSyntaxReferences[0];
        var syntax = reference.GetSyntax();
#pragma warning disable RS1030 // The callee lives in another tree than the callback's; there is no other model to use.
        var model = _compilation.GetSemanticModel(reference.SyntaxTree);
#pragma warning restore RS1030
        var body = model.GetOperation(syntax);
        return body is null ? MethodEffects.None : MethodEffects.Compute(body);
    }
}
