using Microsoft.CodeAnalysis;

namespace SourceDiff.Analyzers.Common;

/// <summary>What SourceDiff's contract says about a type: which values carry derivatives, which cannot.</summary>
internal static class TypeFacts
{
    public static bool IsFloating(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    public static bool IsInteger(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_SByte or SpecialType.System_Byte
            or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32
            or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_IntPtr or SpecialType.System_UIntPtr
            or SpecialType.System_Char;

    /// <summary>Floating scalars, arrays of them (any rank, jagged) and spans of them: the types that carry a derivative.</summary>
    public static bool CarriesDerivative(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return false;
            case IArrayTypeSymbol array:
                return CarriesDerivative(array.ElementType);
            case INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                when named.Name is "Span" or "ReadOnlySpan" && named.ContainingNamespace?.ToDisplayString() == "System":
                return CarriesDerivative(named.TypeArguments[0]);
            default:
                return IsFloating(type);
        }
    }
}
