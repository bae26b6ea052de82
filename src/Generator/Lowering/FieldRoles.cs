using Microsoft.CodeAnalysis;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// The one rule for what an instance field is to its model: discovery builds the model's Gradient from it and lowering
/// decides where a field's adjoint lives from it, so the two can never disagree.
/// </summary>
internal static class FieldRoles
{
    /// <summary>
    /// The role of <paramref name="field"/>, or null when it plays none (static and const fields, and fields of types
    /// differentiable code neither differentiates nor records).
    /// </summary>
    public static FieldRole? Classify(IFieldSymbol field, KnownSymbols known)
    {
        if (field.IsStatic || field.IsConst)
        {
            return null;
        }

        TypeRef type = TypeMapping.From(field.Type);
        if (type.IsDifferentiable)
        {
            // [NoDerivative] wins over [State]: the user asked for no derivative. A readonly scalar can be written by
            // neither a method nor an optimizer (nor handed out as a writable span): it is a constant of the model.
            if (known.Has(field, known.NoDerivative) || (field.IsReadOnly && !type.IsArray))
            {
                return FieldRole.Data;
            }

            return known.Has(field, known.State) ? FieldRole.State : FieldRole.Parameter;
        }

        // Layers: a field holding a model, or a one-dimensional array of them (what a call's receiver may be).
        ITypeSymbol element = field.Type is IArrayTypeSymbol { Rank: 1 } array ? array.ElementType : field.Type;
        if (known.IsModelType(element))
        {
            return FieldRole.Layer;
        }

        return type.Scalar.TapeKind is not null ? FieldRole.Data : null;
    }

    /// <summary>Where lowering keeps a field's adjoint; fields with no role carry no derivative.</summary>
    public static VarKind VarKindOf(IFieldSymbol field, KnownSymbols known) => Classify(field, known) switch
    {
        FieldRole.Parameter => VarKind.ParameterField,
        FieldRole.State => VarKind.StateField,
        FieldRole.Layer => VarKind.LayerField,
        _ => VarKind.DataField,
    };
}
