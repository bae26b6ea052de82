using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceDiff.Generator.Diagnostics;

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
            _ => ("The span local '" + local.Name + "'" + (value is null ? string.Empty : " (" + Shorten(value.ToString()) + ")"),
                  "index the array with the view's offset (w[start + j]), or pass the view to a [Differentiable] method taking a Span<double> parameter"),
        };

        Report(DiagnosticDescriptors.UnsupportedConstruct, declaration ?? method.DeclaringSyntaxReferences[0].GetSyntax(), text.Construct, MethodName, text.Instead);
    }
}
