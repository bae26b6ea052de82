using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Span locals and ref locals: second names for storage (a view of an array, stack memory, one element), whose adjoint
/// would have to be the same view of the adjoint storage. They stay outside; each kind is reported once, at its
/// declaration, saying what to write instead, and its initializer is not lowered (so nothing else is reported for it).
/// </summary>
internal sealed partial class MethodLowering
{
    private static bool IsViewLocal(ILocalSymbol local) => local.IsRef || TypeMapping.From(local.Type).IsSpan;

    private void ReportViewLocal(ILocalSymbol local)
    {
        if (local.IsRef && IsRefRebound(local))
        {
            return;   // the '= ref' assignment is reported where it stands ("A ref assignment"): one error, at the cause
        }

        SyntaxNode? declaration = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
        ExpressionSyntax? value = (declaration as VariableDeclaratorSyntax)?.Initializer?.Value;
        while (value is RefExpressionSyntax reference)
        {
            value = reference.Expression;
        }

        (string Construct, string Instead) text = value switch
        {
            _ when local.IsRef && value is ElementAccessExpressionSyntax element =>
                ("The ref local '" + local.Name + "' to " + element,
                 "read and write the element itself (" + element + " += …), or copy it into a double local and store it back"),
            _ when local.IsRef => ("The ref local '" + local.Name + "'", "read and write the storage it refers to directly"),
            StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax =>
                ("The stackalloc scratch span '" + local.Name + "'", "use a local array (double[] " + local.Name + " = new double[n];), which gets an adjoint array"),
            _ => ("The span local '" + local.Name + "'" + (value is null ? string.Empty : " (" + ConstructNames.Excerpt(value) + ")"),
                  "index the array with the view's offset (w[start + j]), or pass the view to a [Differentiable] method taking a Span<double> parameter"),
        };

        Report(DiagnosticDescriptors.UnsupportedConstruct, declaration ?? method.DeclaringSyntaxReferences[0].GetSyntax(), text.Construct, MethodName, text.Instead);
    }
}

/// <summary>
/// <c>ref double cell = ref grid[i, j];</c>: every use of <c>cell</c> is that element. The array and the indices are
/// evaluated once, into locals nothing else writes, so the element stays the one the ref was bound to whatever the
/// code does to <c>grid</c>, <c>i</c> or <c>j</c> afterwards, as a ref would.
/// </summary>
internal sealed partial class MethodLowering
{
    private readonly Dictionary<ILocalSymbol, Element> refElements = new(SymbolEqualityComparer.Default);

    private bool TryLowerRefElementLocal(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, List<Stmt> output)
    {
        ILocalSymbol local = declarator.Symbol;
        if (!local.IsRef || initializer?.Value is not IArrayElementReferenceOperation element || !TypeMapping.From(element.Type).IsFloatingScalar
            || IsRefRebound(local))
        {
            return false;
        }

        Expr array = LowerExpr(element.ArrayReference, output);
        string stem = local.Name + "Array";
        Var arrayOfCell = Spill(array, stem, element.ArrayReference, output);
        var indices = new List<Expr>();
        foreach (IOperation index in element.Indices)
        {
            Expr lowered = LowerExpr(index, output);
            indices.Add(lowered is Literal ? lowered : Spill(lowered, local.Name + "Index", index, output));
        }

        refElements[local] = new Element(arrayOfCell, indices.ToEquatableArray(), TypeMapping.From(element.Type));
        return true;
    }

    /// <summary>
    /// Whether the method binds the ref local again (<c>cell = ref other[k];</c>), by name: a second binding cannot be
    /// one element, and a false match only costs a diagnostic.
    /// </summary>
    private static bool IsRefRebound(ILocalSymbol local)
    {
        SyntaxNode? body = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax().FirstAncestorOrSelf<MemberDeclarationSyntax>();
        return body is not null && body.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(assignment =>
            assignment.Right is RefExpressionSyntax && assignment.Left is IdentifierNameSyntax { Identifier.ValueText: var name } && name == local.Name);
    }
}
