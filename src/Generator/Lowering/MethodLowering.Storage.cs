using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;
using SourceDiff.Rules;

namespace SourceDiff.Generator.Lowering;

/// <summary>Lowering of what expressions read and write: parameters, fields, write targets, properties and references.</summary>
internal sealed partial class MethodLowering
{
    private Var ParameterVar(IParameterSymbol parameter) =>
        inlinedParameters.TryGetValue(parameter.OriginalDefinition, out Expr? bound) && bound is Var variable ? variable : new(parameter.Name, parameter.RefKind is RefKind.Ref or RefKind.Out ? VarKind.RefParameter : VarKind.Parameter, TypeMapping.From(parameter.Type));

    private Var FieldVar(IFieldSymbol field, string path)
    {
        return new Var(path, FieldRoles.VarKindOf(field, known), TypeMapping.From(field.Type));
    }

    private Expr LowerFieldRead(IFieldReferenceOperation field, List<Stmt> output)
    {
        IFieldSymbol symbol = field.Field;
        TypeRef type = TypeMapping.From(symbol.Type);
        if (!symbol.IsStatic && MathNetOperations.IsArrayOfAlgebra(symbol.Type) && !known.Has(symbol, known.NoDerivative))
        {
            // Silently data otherwise: the optimizer would never see, nor train, the vectors in it.
            Unsupported(field, "Reading '" + symbol.Name + "', an array of MathNet vectors or matrices,",
                "it carries no derivative, so nothing in it would train: mark it [NoDerivative] if it is data, or hold each trainable vector or matrix in a field of its own (or in a layer object, one per element of an array of layers)");
            return Fallback(field);
        }

        if (symbol.IsStatic)
        {
            return Opaque.Static(TypeMapping.FullName(symbol.ContainingType), symbol.Name, type);
        }

        switch (field.Instance)
        {
            case IInstanceReferenceOperation:
                return FieldVar(symbol, symbol.Name);
            case IFieldReferenceOperation { Instance: IInstanceReferenceOperation, Field: var owner } when known.IsModelType(owner.Type):
                return FieldVar(symbol, owner.Name + "." + symbol.Name);
            case IPropertyReferenceOperation { Instance: IInstanceReferenceOperation } owner when known.IsModelType(owner.Type!) && LowerModelProperty(owner) is Var layerProperty:
                // A layer held in a get-only auto-property: the property names the layer as a field would.
                return FieldVar(symbol, layerProperty.Name + "." + symbol.Name);
            case ILocalReferenceOperation local when layerLocals.TryGetValue(local.Local, out Expr? layer) && layer is Var layerField:
                // A name for a layer held in a field of this: its fields are that layer's.
                return FieldVar(symbol, layerField.Name + "." + symbol.Name);
            default:
                if (!type.IsDifferentiable && field.Instance is not null)
                {
                    Expr receiver = field.Instance is ILocalReferenceOperation layerName && layerLocals.TryGetValue(layerName.Local, out Expr? namedLayer)
                        ? namedLayer
                        : LowerExpr(field.Instance, output);
                    return Opaque.Read(receiver, symbol.Name, type);
                }

                if ((field.Instance is IArrayElementReferenceOperation { Type: { } layerType } && known.IsModelType(layerType))
                    || (field.Instance is ILocalReferenceOperation layerLocal && layerLocals.TryGetValue(layerLocal.Local, out Expr? named) && named is Element))
                {
                    // The adjoint would live in one element of the Gradient's array of layer gradients, chosen at run time.
                    Unsupported(field, "Reading field '" + symbol.Name + "' of a layer held in an array ('" + field.Instance.Syntax + "')",
                        "have the layer's [Differentiable] method return it, or copy it into a [State] field of this where the layer computes it");
                    return Fallback(field);
                }

                Unsupported(field, "Reading field '" + symbol.Name + "' of another object", "read fields of this, or of a layer held in a field or get-only property of this");
                return Fallback(field);
        }
    }

    private Expr LowerTarget(IOperation target, List<Stmt> output)
    {
        switch (target)
        {
            case ILocalReferenceOperation local when refElements.TryGetValue(local.Local, out Element? cell):
                return cell;
            case ILocalReferenceOperation local:
                return DeclareLocal(local.Local);
            case IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared }:
                // F(x, out var y): the local is declared at the call, and written by it like any out argument.
                return DeclareLocal(declared.Local);
            case IParameterReferenceOperation parameter:
                return ParameterVar(parameter.Parameter);
            case IDiscardOperation discard when !TypeMapping.From(discard.Type).IsArray:
                // F(x, out _): a local nobody reads, written by the call like any out argument.
                return NewTemp("discard", TypeMapping.From(discard.Type));
            case IFieldReferenceOperation { Field.IsStatic: true } field:
                Report(DiagnosticDescriptors.StaticStateWrite, target.Syntax, MethodName, field.Field.Name);
                return Fallback(target);
            case IFieldReferenceOperation field:
                return LowerFieldRead(field, output);
            case IArrayElementReferenceOperation element:
                return LowerElementTarget(element.ArrayReference, element.Indices, element, output);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } algebra } element when TypeMapping.From(algebra.Type).IsMathNet:
                return LowerElementTarget(algebra, element.Arguments.Select(argument => argument.Value), element, output);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer when TypeMapping.From(instance.Type).IsSpan:
                return LowerProperty(indexer, output);
            case IPropertyReferenceOperation property when DerivativeRules.IsAutoProperty(property.Property) && LowerModelProperty(property) is { } modelProperty:
                return modelProperty;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } list } when IsFloatingList(list.Type):
                Unsupported(target, "Writing into the list '" + ConstructNames.Excerpt(list.Syntax) + "'", "write into an array; differentiable code reads lists only");
                return Fallback(target);
            default:
                Unsupported(target, "Assigning to " + ConstructNames.DescribeInSentence(target), "assign to a local, an array element, a ref parameter or a field of this");
                return Fallback(target);
        }
    }

    /// <summary>
    /// The element a write goes to. The reverse sweep finds it again after the write, to restore the old value and
    /// read its adjoint, so which array and which index must not depend on what the write changes: an array chosen
    /// in place (<c>(c ? a : b)[i] = x</c>) and an index that reads floating storage are evaluated once, into locals.
    /// </summary>
    private Expr LowerElementTarget(IOperation arrayReference, IEnumerable<IOperation> elementIndices, IOperation element, List<Stmt> output)
    {
        Expr array = LowerExpr(arrayReference, output);
        if (!IsStoragePath(array) && array.Type.IsSpan)
        {
            Unsupported(element, "Writing into a span chosen in place", "write into the span parameter itself");
        }
        else if (!IsStoragePath(array))
        {
            array = Spill(array, "target", arrayReference, output);
        }

        var indices = new List<Expr>();
        foreach (IOperation index in elementIndices)
        {
            Expr lowered = LowerExpr(index, output);
            indices.Add(ReadsFloatingStorage(lowered) ? Spill(lowered, "index", index, output) : lowered);
        }

        return new Element(array, indices.ToEquatableArray(), TypeMapping.From(element.Type));
    }

    /// <summary>A variable, or rows of one picked by indices that read no floating storage.</summary>
    private static bool IsStoragePath(Expr array) => array switch
    {
        Var => true,
        Element row => IsStoragePath(row.Array) && row.Indices.All(index => !ReadsFloatingStorage(index)),
        _ => false,
    };

    private static bool ReadsFloatingStorage(Expr expr)
    {
        var variables = new List<Var>();
        IrWalk.Variables(expr, variables);
        return variables.Any(v => v.Type.IsFloatingArray);
    }

    private Var Spill(Expr value, string stem, IOperation source, List<Stmt> output)
    {
        Var temp = NewTemp(stem, value.Type);
        output.Add(new Assign(temp, value, AssignKind.Declare, SourceText(source)));
        return temp;
    }

    private Expr LowerProperty(IPropertyReferenceOperation property, List<Stmt> output)
    {
        if (LowerSpanViewAccess(property, output) is { } viewAccess)
        {
            return viewAccess;
        }

        if (LowerModelProperty(property) is { } modelProperty)
        {
            return modelProperty;
        }

        TypeRef type = TypeMapping.From(property.Type);
        string name = property.Property.Name;
        if (property.Instance is { } algebra && TypeMapping.From(algebra.Type).IsMathNet)
        {
            if (property.Property.IsIndexer)
            {
                // v[i], m[i, j]: elements, as an array's.
                return new Element(MathNetStorage(LowerExpr(algebra, output), algebra, output), property.Arguments.Select(argument => LowerExpr(argument.Value, output)).ToEquatableArray(), type);
            }

            if (LowerMathNetShape(property, output) is { } shape)
            {
                return shape;
            }
        }

        if (TryLowerListElement(property, output) is { } listElement)
        {
            return listElement;
        }

        if (property.Instance is not null && TypeMapping.From(property.Instance.Type).IsSpan)
        {
            if (property.Property.IsIndexer && property.Arguments.Length == 1)
            {
                return new Element(LowerExpr(property.Instance, output), EquatableArray.Of(LowerExpr(property.Arguments[0].Value, output)), type);
            }

            if (name == "Length")
            {
                return Opaque.Read(LowerExpr(property.Instance, output), "Length", type);
            }
        }

        if (property.Instance?.Type is IArrayTypeSymbol && name is "Length" or "LongLength" or "Rank")
        {
            return Opaque.Read(LowerReference(property.Instance, output), name, type);
        }

        if (!type.IsDifferentiable && property.Arguments.Length == 0)
        {
            if (property.Property.IsStatic)
            {
                return Opaque.Static(TypeMapping.FullName(property.Property.ContainingType), name, type);
            }

            if (property.Instance is not null)
            {
                return Opaque.Read(LowerExpr(property.Instance, output), name, type);
            }
        }

        Unsupported(property, "The property '" + name + "'", "read floating values from fields, locals or parameters");
        return Fallback(property);
    }

    /// <summary>
    /// An array reference read only for its shape (<c>Layers[l].C.Length</c>): fields of any object are fine here,
    /// since no derivative flows through a length.
    /// </summary>
    private Expr LowerReference(IOperation operation, List<Stmt> output)
    {
        if (operation is IFieldReferenceOperation { Field.IsStatic: false, Instance: { } instance } field
            && instance is not IInstanceReferenceOperation
            && !(instance is IFieldReferenceOperation { Instance: IInstanceReferenceOperation } owner && known.IsModelType(owner.Field.Type)))
        {
            return Opaque.Read(LowerReference(instance, output), field.Field.Name, TypeMapping.From(field.Type));
        }

        return LowerExpr(operation, output);
    }
}
