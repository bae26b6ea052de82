using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>Turns Roslyn types into <see cref="TypeRef"/>s.</summary>
internal static class TypeMapping
{
    public static TypeRef From(ITypeSymbol? type)
    {
        if (type is null)
        {
            return new TypeRef("?", EquatableArray<int>.Empty);
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic && generic.ContainingNamespace?.ToDisplayString() == "System"
            && generic.Name is "Span" or "ReadOnlySpan" && From(generic.TypeArguments[0]) is { IsFloatingScalar: true } spanElement)
        {
            return TypeRef.SpanOf(spanElement, generic.Name);
        }

        if (SourceDiff.Rules.DerivativeRules.IsMathNetAlgebra(type) && From(((INamedTypeSymbol)type).TypeArguments[0]) is { IsFloatingScalar: true } algebraElement)
        {
            return TypeRef.MathNetOf(algebraElement, type.Name);
        }

        ImmutableArray<int>.Builder ranks = ImmutableArray.CreateBuilder<int>();
        while (type is IArrayTypeSymbol array)
        {
            ranks.Add(array.Rank);
            type = array.ElementType;
        }

        string element = type.SpecialType switch
        {
            SpecialType.System_Double => "double",
            SpecialType.System_Single => "float",
            SpecialType.System_Int32 => "int",
            SpecialType.System_Int64 => "long",
            SpecialType.System_Int16 => "short",
            SpecialType.System_Byte => "byte",
            SpecialType.System_SByte => "sbyte",
            SpecialType.System_UInt16 => "ushort",
            SpecialType.System_UInt32 => "uint",
            SpecialType.System_UInt64 => "ulong",
            SpecialType.System_Char => "char",
            SpecialType.System_Boolean => "bool",
            SpecialType.System_Decimal => "decimal",
            SpecialType.System_String => "string",
            SpecialType.System_Object => "object",
            SpecialType.System_Void => "void",
            _ => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
        };
        return new TypeRef(element, new EquatableArray<int>(ranks.ToImmutable()));
    }

    public static RefMode From(RefKind kind) => kind switch
    {
        RefKind.Ref => RefMode.Ref,
        RefKind.Out => RefMode.Out,
        RefKind.In => RefMode.In,
        _ => RefMode.None,
    };

    public static string FullName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>Key identifying a method across the compilation: <c>global::N.T.M(double,double[])</c>.</summary>
    public static string MethodKey(IMethodSymbol method)
    {
        var parts = new System.Text.StringBuilder(FullName(method.ContainingType)).Append('.').Append(method.Name).Append('(');
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            if (i > 0)
            {
                parts.Append(',');
            }

            parts.Append(From(method.Parameters[i].Type).Display);
        }

        return parts.Append(')').ToString();
    }
}
