using Microsoft.CodeAnalysis;

namespace SourceDiff.Generator.Lowering;

/// <summary>The attribute and library types lowering recognises, resolved once per method.</summary>
internal sealed class KnownSymbols
{
    public const string DifferentiableAttribute = "SourceDiff.DifferentiableAttribute";
    public const string DerivativeOfAttribute = "SourceDiff.DerivativeOfAttribute";

    private KnownSymbols(Compilation compilation)
    {
        Differentiable = compilation.GetTypeByMetadataName(DifferentiableAttribute);
        NoDerivative = compilation.GetTypeByMetadataName("SourceDiff.NoDerivativeAttribute");
        State = compilation.GetTypeByMetadataName("SourceDiff.StateAttribute");
        Checkpoint = compilation.GetTypeByMetadataName("SourceDiff.CheckpointAttribute");
        Grad = compilation.GetTypeByMetadataName("SourceDiff.Grad");
        Math = compilation.GetTypeByMetadataName("System.Math");
        MathF = compilation.GetTypeByMetadataName("System.MathF");
    }

    public INamedTypeSymbol? Differentiable { get; }

    public INamedTypeSymbol? NoDerivative { get; }

    public INamedTypeSymbol? State { get; }

    public INamedTypeSymbol? Checkpoint { get; }

    public INamedTypeSymbol? Grad { get; }

    public INamedTypeSymbol? Math { get; }

    public INamedTypeSymbol? MathF { get; }

    public static KnownSymbols From(Compilation compilation) => new(compilation);

    public bool Has(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return false;
        }

        foreach (AttributeData data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsDifferentiable(IMethodSymbol method) => Has(method.OriginalDefinition, Differentiable);

    /// <summary>
    /// Whether a type has differentiable instance methods and can be extended (partial), so that it gets a Gradient
    /// and a field of it is a layer.
    /// </summary>
    public bool IsModelType(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named || type.SpecialType != SpecialType.None || type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || !MethodParser.IsPartial(named))
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
}
