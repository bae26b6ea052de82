using Microsoft.CodeAnalysis;
using SourceDiff.Generator.IR;
using SourceDiff.Rules;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Field roles for the generator: discovery builds the model's Gradient from them and lowering decides where a field's
/// adjoint lives from them, by the rule the analyzers share (<see cref="DerivativeRules.RoleOf"/>).
/// </summary>
internal static class FieldRoles
{
    /// <summary>The role of <paramref name="field"/>, or null when it plays none.</summary>
    public static FieldRole? Classify(IFieldSymbol field, KnownSymbols known) =>
        DerivativeRules.RoleOf(field, known.Has(field, known.NoDerivative), known.Has(field, known.State), known.IsModelType);

    /// <summary>
    /// The role of an auto-property (a field by another name), or null for computed properties. Its attributes may
    /// sit on the property or, with <c>[field: …]</c>, on its backing field.
    /// </summary>
    public static FieldRole? Classify(IPropertySymbol property, KnownSymbols known)
    {
        IFieldSymbol? backing = DerivativeRules.BackingField(property);
        bool Has(INamedTypeSymbol? attribute) => known.Has(property, attribute) || (backing is not null && known.Has(backing, attribute));
        return DerivativeRules.RoleOf(property, Has(known.NoDerivative), Has(known.State), known.IsModelType);
    }

    /// <summary>Where lowering keeps a field's adjoint; fields with no role carry no derivative.</summary>
    public static VarKind VarKindOf(IFieldSymbol field, KnownSymbols known) => VarKindOf(Classify(field, known));

    public static VarKind VarKindOf(IPropertySymbol property, KnownSymbols known) => VarKindOf(Classify(property, known));

    private static VarKind VarKindOf(FieldRole? role) => role switch
    {
        FieldRole.Parameter => VarKind.ParameterField,
        FieldRole.State => VarKind.StateField,
        FieldRole.Layer => VarKind.LayerField,
        _ => VarKind.DataField,
    };
}
