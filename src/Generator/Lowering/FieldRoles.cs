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

    /// <summary>Where lowering keeps a field's adjoint; fields with no role carry no derivative.</summary>
    public static VarKind VarKindOf(IFieldSymbol field, KnownSymbols known) => Classify(field, known) switch
    {
        FieldRole.Parameter => VarKind.ParameterField,
        FieldRole.State => VarKind.StateField,
        FieldRole.Layer => VarKind.LayerField,
        _ => VarKind.DataField,
    };
}
