using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// A second name for a layer of this: <c>var layer = Layers[i];</c>, <c>var cell = Cell;</c>, and the variable of
/// <c>foreach (var layer in Layers)</c>. The layer's adjoint lives in the matching member of the caller's Gradient, so
/// every call through the name is lowered as a call through the member it names; an array index is evaluated once,
/// into a local nothing else writes, so the name keeps meaning the layer it was bound to, as a reference would.
/// </summary>
internal sealed partial class MethodLowering
{
    private readonly Dictionary<ILocalSymbol, Expr> layerLocals = new(SymbolEqualityComparer.Default);

    private bool TryLowerLayerLocal(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, List<Stmt> output)
    {
        ILocalSymbol local = declarator.Symbol;
        if (local.IsRef || initializer is null || !known.IsModelType(local.Type) || IsReassigned(local))
        {
            return false;
        }

        IOperation value = initializer.Value;
        while (value is IConversionOperation { Conversion.IsIdentity: true } or IConversionOperation { IsImplicit: true })
        {
            value = ((IConversionOperation)value).Operand;
        }

        switch (value)
        {
            case IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field when known.IsModelType(field.Field.Type):
                layerLocals[local] = FieldVar(field.Field, field.Field.Name);
                return true;
            case IPropertyReferenceOperation { Instance: IInstanceReferenceOperation } property when known.IsModelType(property.Type!) && LowerModelProperty(property) is { } member:
                layerLocals[local] = member;
                return true;
            case IArrayElementReferenceOperation { ArrayReference: IFieldReferenceOperation { Instance: IInstanceReferenceOperation } arrayField } element
                when arrayField.Field.Type is IArrayTypeSymbol { Rank: 1, ElementType: var layerType } && known.IsModelType(layerType):
                var indices = new List<Expr>();
                foreach (IOperation index in element.Indices)
                {
                    Expr lowered = LowerExpr(index, output);
                    indices.Add(lowered is Literal ? lowered : Spill(lowered, local.Name + "Index", index, output));
                }

                layerLocals[local] = new Element(FieldVar(arrayField.Field, arrayField.Field.Name), indices.ToEquatableArray(), TypeMapping.From(element.Type));
                return true;
            default:
                return false;
        }
    }

    /// <summary><c>foreach (var layer in Layers)</c> over an array field of layers: an index loop whose variable names <c>Layers[index]</c>.</summary>
    private bool TryLowerForEachOverLayers(IForEachLoopOperation forEach, IOperation collection, List<Stmt> output, out bool mayExit)
    {
        mayExit = false;
        if (collection is not IFieldReferenceOperation { Instance: IInstanceReferenceOperation, Field: { Type: IArrayTypeSymbol { Rank: 1, ElementType: var layerType } } field }
            || !known.IsModelType(layerType)
            || forEach.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: var item }
            || IsReassigned(item))
        {
            return false;
        }

        Var layers = FieldVar(field, field.Name);
        Var index = NewTemp("index", TypeRef.Int);
        output.Add(new Assign(index, Zero, AssignKind.Declare, "foreach"));
        layerLocals[item] = new Element(layers, EquatableArray.Of<Expr>(index), TypeMapping.From(layerType));
        Expr condition = new Binary("<", index, Opaque.Read(layers, "Length", TypeRef.Int), TypeRef.Bool);
        ExitScan exits = ScanExits(forEach.Body);
        var stepStatements = new List<Stmt> { new Assign(index, new Literal("1", TypeRef.Int), AssignKind.Add, "(next layer)") };
        mayExit = FinishLoop(condition, LowerBody(forEach.Body).Statements.ToList(), stepStatements, exits, testFirst: true, output);
        return true;
    }

    /// <summary>
    /// A layer local used other than as the receiver of a call or to read a field: handed to a method, compared,
    /// stored. Its uses would need the Gradient member it names, which a value does not carry.
    /// </summary>
    private Expr ReportLayerLocalUse(ILocalReferenceOperation use)
    {
        Unsupported(use, "Using the layer '" + use.Local.Name + "' as a value", "call its [Differentiable] methods (" + use.Local.Name + ".Step(x)) or read its fields; pass data, not layers, to other methods");
        return Fallback(use);
    }

    /// <summary>Whether the method assigns the local again (or passes it by ref), by name: a false match only costs the alias.</summary>
    private static bool IsReassigned(ILocalSymbol local)
    {
        SyntaxNode? body = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax().FirstAncestorOrSelf<MemberDeclarationSyntax>();
        return body is null || body.DescendantNodes().Any(node => node switch
        {
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: var name } } => name == local.Name,
            ArgumentSyntax { RefKindKeyword.ValueText: "ref" or "out", Expression: IdentifierNameSyntax { Identifier.ValueText: var name } } => name == local.Name,
            _ => false,
        });
    }
}
