using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Rules;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Lowering of a model's properties: an auto-property is storage, a field by another name (same role, same adjoint,
/// <c>gradient.W</c>), whether it is the model's own or a layer's; a computed property of <c>this</c> that carries no
/// derivative (<c>int N => W.Length</c>) is evaluated where it stands, like an integer helper method of <c>this</c>.
/// </summary>
internal sealed partial class MethodLowering
{
    /// <summary>The model property <paramref name="property"/> reads or writes, or null when it is not one.</summary>
    private Expr? LowerModelProperty(IPropertyReferenceOperation property)
    {
        IPropertySymbol symbol = property.Property;
        if (symbol.IsStatic || property.Arguments.Length > 0)
        {
            return null;
        }

        if (DerivativeRules.IsAutoProperty(symbol))
        {
            switch (property.Instance)
            {
                case IInstanceReferenceOperation:
                    return PropertyVar(symbol, symbol.Name);
                case IFieldReferenceOperation { Instance: IInstanceReferenceOperation, Field: var owner } when known.IsModelType(owner.Type):
                    return PropertyVar(symbol, owner.Name + "." + symbol.Name);
                case IPropertyReferenceOperation { Instance: IInstanceReferenceOperation, Property: var owner } when DerivativeRules.IsAutoProperty(owner) && known.IsModelType(owner.Type):
                    return PropertyVar(symbol, owner.Name + "." + symbol.Name);
            }
        }

        if (property.Instance is IInstanceReferenceOperation)
        {
            TypeRef type = TypeMapping.From(property.Type);
            if (!type.IsDifferentiable)
            {
                return new Opaque(null, null, symbol.Name, null, type);
            }

            // A computed floating property hides arithmetic the adjoint would have to differentiate.
            Unsupported(property, "The computed property '" + symbol.Name + "'", "make it a [Differentiable] method and call it, or an auto-property");
            return Fallback(property);
        }

        return null;
    }

    private Var PropertyVar(IPropertySymbol property, string path) =>
        new(path, FieldRoles.VarKindOf(property, known), TypeMapping.From(property.Type));
}
