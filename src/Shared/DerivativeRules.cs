using System;
using Microsoft.CodeAnalysis;

namespace SourceDiff.Rules;

/// <summary>What an instance field is to its model.</summary>
internal enum FieldRole
{
    /// <summary>A trainable parameter: part of the Gradient's public algebra.</summary>
    Parameter,

    /// <summary>A <c>[State]</c> field: differentiated through, its adjoint kept internally.</summary>
    State,

    /// <summary>A field holding a layer (a type with differentiable instance methods).</summary>
    Layer,

    /// <summary>Other numeric data a method may write (counters, [NoDerivative] buffers): part of the state snapshot only.</summary>
    Data,
}

/// <summary>
/// The rules of SourceDiff's contract that both the generator and the analyzers apply to symbols: which types carry a
/// derivative, which library functions have a zero derivative, and what role a field plays. This file is compiled into
/// both assemblies (linked source), so an analyzer can never flag a value the generator gives no adjoint, or miss one
/// it does.
/// </summary>
internal static class DerivativeRules
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

    /// <summary>
    /// Floating scalars, arrays of them (any rank, jagged), spans of them and MathNet vectors and matrices of them: the
    /// types that carry a derivative. (Arrays of MathNet vectors do not: their elements are objects, not storage.)
    /// </summary>
    public static bool CarriesDerivative(ITypeSymbol? type) => type switch
    {
        null => false,
        IArrayTypeSymbol array => !IsMathNetAlgebra(array.ElementType) && CarriesDerivative(array.ElementType),
        INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            when named.Name is "Span" or "ReadOnlySpan" && named.ContainingNamespace?.ToDisplayString() == "System" => IsFloating(named.TypeArguments[0]),
        INamedTypeSymbol named when IsMathNetAlgebra(named) => IsFloating(named.TypeArguments[0]),
        _ => IsFloating(type),
    };

    /// <summary>MathNet.Numerics' <c>Vector&lt;T&gt;</c> or <c>Matrix&lt;T&gt;</c>.</summary>
    public static bool IsMathNetAlgebra(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Vector" or "Matrix", Arity: 1 } named && named.ContainingNamespace?.ToDisplayString() == "MathNet.Numerics.LinearAlgebra";

    /// <summary>
    /// The role of an instance field, or null when it plays none (static and const fields, and fields of types
    /// differentiable code neither differentiates nor records). <paramref name="holdsModel"/> says whether a type has
    /// differentiable instance methods and can be extended.
    /// </summary>
    public static FieldRole? RoleOf(IFieldSymbol field, bool noDerivative, bool state, Func<ITypeSymbol, bool> holdsModel)
    {
        if (field.IsStatic || field.IsConst)
        {
            return null;
        }

        // A readonly scalar can be written by neither a method nor an optimizer (nor handed out as a writable span):
        // it is a constant of the model.
        // A readonly array or MathNet vector is a reference to storage an optimizer still writes: a parameter.
        return RoleOf(field.Type, isConstant: field.IsReadOnly && field.Type is not IArrayTypeSymbol && !IsMathNetAlgebra(field.Type), noDerivative, state, holdsModel);
    }

    /// <summary>
    /// The role of an instance auto-property (<see cref="IsAutoProperty"/>): that of a field of the same name and type.
    /// Get-only and init properties are parameters all the same, since an optimizer writes their backing field.
    /// </summary>
    public static FieldRole? RoleOf(IPropertySymbol property, bool noDerivative, bool state, Func<ITypeSymbol, bool> holdsModel) =>
        property.IsStatic || !IsAutoProperty(property) ? null : RoleOf(property.Type, isConstant: false, noDerivative, state, holdsModel);

    /// <summary>A property with a compiler-generated backing field (auto-properties, positional record parameters): storage, like a field.</summary>
    public static bool IsAutoProperty(IPropertySymbol property) => BackingField(property) is not null;

    /// <summary>The compiler-generated field behind an auto-property, or null for a computed property.</summary>
    public static IFieldSymbol? BackingField(IPropertySymbol property)
    {
        if (property.IsIndexer || property.ReturnsByRef || property.ReturnsByRefReadonly)
        {
            return null;
        }

        foreach (ISymbol member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property))
            {
                return field;
            }
        }

        return null;
    }

    private static FieldRole? RoleOf(ITypeSymbol type, bool isConstant, bool noDerivative, bool state, Func<ITypeSymbol, bool> holdsModel)
    {
        if (CarriesDerivative(type))
        {
            // [NoDerivative] wins over [State]: the user asked for no derivative.
            if (noDerivative || isConstant)
            {
                return FieldRole.Data;
            }

            return state ? FieldRole.State : FieldRole.Parameter;
        }

        // Layers: a field holding a model, or a one-dimensional array of them (what a call's receiver may be).
        ITypeSymbol element = type is IArrayTypeSymbol { Rank: 1 } array ? array.ElementType : type;
        if (holdsModel(element))
        {
            return FieldRole.Layer;
        }

        ITypeSymbol scalar = type;
        while (scalar is IArrayTypeSymbol nested)
        {
            scalar = nested.ElementType;
        }

        // Integers and booleans are recorded like any state a method may write (native-sized integers are not).
        return scalar.SpecialType is SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte
            or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
            or SpecialType.System_Int64 or SpecialType.System_UInt64 ? FieldRole.Data : null;
    }

    /// <summary>
    /// Whether a field's value varies with the model's parameters (a parameter or a <c>[State]</c> field): what the
    /// generator gives an adjoint.
    /// </summary>
    public static bool CarriesAdjoint(FieldRole? role) => role is FieldRole.Parameter or FieldRole.State;

    /// <summary>"'Math.Floor'" for a library function whose derivative is zero (or undefined) almost everywhere, else null.</summary>
    public static string? ZeroDerivativeFunction(IMethodSymbol method)
    {
        INamedTypeSymbol? type = method.ContainingType;
        if (type?.ContainingNamespace?.ToDisplayString() != "System")
        {
            return null;
        }

        bool isStepFunction = type.Name switch
        {
            "Math" or "MathF" or "Double" or "Single" => method.Name is "Round" or "Floor" or "Ceiling" or "Truncate" or "Sign",
            "Convert" => method.Name.StartsWith("ToInt", StringComparison.Ordinal)
                || method.Name.StartsWith("ToUInt", StringComparison.Ordinal)
                || method.Name is "ToByte" or "ToSByte" or "ToChar" or "ToBoolean"
                || (method.Name is "ToDouble" or "ToSingle" && method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean),
            _ => false,
        };

        return isStepFunction ? $"'{type.Name}.{method.Name}'" : null;
    }
}
