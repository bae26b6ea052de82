using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SourceDiff.Rules;

namespace SourceDiff.Analyzers.Common;

/// <summary>
/// The SourceDiff runtime symbols of one compilation, resolved once at compilation start.
/// A compilation that does not reference the runtime gets no instance, and the analyzers register nothing.
/// </summary>
internal sealed class SourceDiffSymbols
{
    private SourceDiffSymbols(
        INamedTypeSymbol differentiable,
        INamedTypeSymbol? noDerivative,
        INamedTypeSymbol? state,
        INamedTypeSymbol? grad)
    {
        Differentiable = differentiable;
        NoDerivative = noDerivative;
        State = state;
        Grad = grad;
    }

    public INamedTypeSymbol Differentiable { get; }

    public INamedTypeSymbol? NoDerivative { get; }

    public INamedTypeSymbol? State { get; }

    public INamedTypeSymbol? Grad { get; }

    public static SourceDiffSymbols? TryCreate(Compilation compilation)
    {
        var differentiable = compilation.GetTypeByMetadataName("SourceDiff.DifferentiableAttribute");
        if (differentiable is null)
        {
            return null;
        }

        return new SourceDiffSymbols(
            differentiable,
            compilation.GetTypeByMetadataName("SourceDiff.NoDerivativeAttribute"),
            compilation.GetTypeByMetadataName("SourceDiff.StateAttribute"),
            compilation.GetTypeByMetadataName("SourceDiff.Grad"));
    }

    public bool IsDifferentiable(IMethodSymbol method) => HasAttribute(method.OriginalDefinition.GetAttributes(), Differentiable);

    public bool IsState(IFieldSymbol field) => HasAttribute(field.GetAttributes(), State);

    public bool IsState(IPropertySymbol property) => HasAttribute(property.GetAttributes(), State);

    public bool IsNoDerivative(ISymbol symbol) => HasAttribute(symbol.GetAttributes(), NoDerivative);

    /// <summary>The field's role by the rules the generator applies (<see cref="DerivativeRules.RoleOf"/>).</summary>
    public FieldRole? RoleOf(IFieldSymbol field) => DerivativeRules.RoleOf(field, IsNoDerivative(field), IsState(field), HoldsModel);

    /// <summary>An instance auto-property's role: that of a field of the same name (<see cref="DerivativeRules.RoleOf(IPropertySymbol, bool, bool, Func{ITypeSymbol, bool})"/>).</summary>
    public FieldRole? RoleOf(IPropertySymbol property) => DerivativeRules.RoleOf(property, IsNoDerivative(property), IsState(property), HoldsModel);

    private bool HoldsModel(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named)
        {
            return false;
        }

        foreach (ISymbol member in named.GetMembers())
        {
            if (member is IMethodSymbol { IsStatic: false } method && IsDifferentiable(method))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsGradStop(IMethodSymbol method) =>
        method.Name == "Stop" && SymbolEqualityComparer.Default.Equals(method.ContainingType, Grad);

    /// <summary>The differentiable method whose body contains this symbol (through lambdas and local functions), if any.</summary>
    public IMethodSymbol? EnclosingDifferentiableMethod(ISymbol? symbol)
    {
        for (var current = symbol; current is not null; current = current.ContainingSymbol)
        {
            if (current is IMethodSymbol method && method.MethodKind is not (MethodKind.AnonymousFunction or MethodKind.LocalFunction))
            {
                return IsDifferentiable(method) ? method : null;
            }
        }

        return null;
    }

    private static bool HasAttribute(ImmutableArray<AttributeData> attributes, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return false;
        }

        foreach (var attribute in attributes)
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }
}
