using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;

namespace SourceDiff.Analyzers.CodeFixes;

/// <summary>
/// SD1001: pass the static field into the differentiable method as a <c>ref</c> parameter (by value for a readonly
/// array), so the method differentiates through hidden state it is given instead of a global, and every caller says
/// which storage it uses. The method's uses of the field become the parameter; each call site gains <c>ref Field</c>.
/// Offered when every reference to the method is a plain call and its signature has no optional or params parameters.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StaticStateToRefParameterCodeFix)), Shared]
public sealed class StaticStateToRefParameterCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.StaticMutableStateId);

    public override FixAllProvider? GetFixAllProvider() => SequentialFixAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (model is null || root is null)
        {
            return;
        }

        var node = root.FindNode(context.Span, getInnermostNodeForTie: true);
        var declaration = node.FirstAncestorOrSelf<MethodDeclarationSyntax>();
        if (declaration?.Body is null && declaration?.ExpressionBody is null
            || model.GetSymbolInfo(node, context.CancellationToken).Symbol is not IFieldSymbol { IsStatic: true } field
            || model.GetDeclaredSymbol(declaration!, context.CancellationToken) is not { } method
            || !HasPlainSignature(method))
        {
            return;
        }

        var solution = context.Document.Project.Solution;
        var calls = await CallsAsync(method, solution, context.CancellationToken).ConfigureAwait(false);
        if (calls is null)
        {
            return;
        }

        var parameterName = SyntaxText.UniqueName(model, declaration!.SpanStart, SyntaxText.CamelCase(field.Name), declaration);
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Pass '{field.Name}' to '{method.Name}' as a ref parameter",
                cancellation => ApplyAsync(solution, context.Document.Id, declaration, field, parameterName, calls, cancellation),
                equivalenceKey: nameof(StaticStateToRefParameterCodeFix)),
            context.Diagnostics);
    }

    private static bool HasPlainSignature(IMethodSymbol method) =>
        method.MethodKind == MethodKind.Ordinary
        && !method.IsVirtual && !method.IsOverride && !method.IsAbstract && !method.IsExtensionMethod
        && method.PartialDefinitionPart is null && method.PartialImplementationPart is null
        && method.ExplicitInterfaceImplementations.IsEmpty
        && method.ContainingType.AllInterfaces.SelectMany(i => i.GetMembers()).All(m => !SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(m), method))
        && method.Parameters.All(p => !p.IsOptional && !p.IsParams);

    /// <summary>Every call of the method, or null when it is also used as a method group (a delegate could not pass the ref).</summary>
    private static async Task<List<(DocumentId Document, TextSpanNode Call)>?> CallsAsync(IMethodSymbol method, Solution solution, CancellationToken cancellation)
    {
        var calls = new List<(DocumentId, TextSpanNode)>();
        foreach (var referenced in await SymbolFinder.FindReferencesAsync(method, solution, cancellation).ConfigureAwait(false))
        {
            foreach (var location in referenced.Locations)
            {
                var root = await location.Document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
                var name = root!.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                var callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                if (callee.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != callee)
                {
                    return null;
                }

                calls.Add((location.Document.Id, new TextSpanNode(invocation.ArgumentList)));
            }
        }

        return calls;
    }

    private static async Task<Solution> ApplyAsync(
        Solution solution,
        DocumentId methodDocument,
        MethodDeclarationSyntax declaration,
        IFieldSymbol field,
        string parameterName,
        List<(DocumentId Document, TextSpanNode Call)> calls,
        CancellationToken cancellation)
    {
        var byReference = !field.IsReadOnly;
        var editor = new SolutionEditor(solution);

        var methodEditor = await editor.GetDocumentEditorAsync(methodDocument, cancellation).ConfigureAwait(false);
        var model = methodEditor.SemanticModel;
        var type = field.Type.ToMinimalDisplayString(model, declaration.SpanStart);
        var parameter = SyntaxFactory.ParseParameterList($"({(byReference ? "ref " : "")}{type} {parameterName})").Parameters[0];
        methodEditor.ReplaceNode(declaration.ParameterList, (current, _) => ((ParameterListSyntax)current).AddParameters(parameter));
        foreach (var use in declaration.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(use, cancellation).Symbol, field))
            {
                var replaced = use.Parent is MemberAccessExpressionSyntax access && access.Name == use ? (SyntaxNode)access : use;
                methodEditor.ReplaceNode(replaced, SyntaxFactory.IdentifierName(parameterName).WithTriviaFrom(replaced));
            }
        }

        foreach (var (documentId, call) in calls)
        {
            var callEditor = await editor.GetDocumentEditorAsync(documentId, cancellation).ConfigureAwait(false);
            var argumentList = (ArgumentListSyntax)call.Find(callEditor.OriginalRoot);
            var insideMethod = documentId == methodDocument && declaration.Span.Contains(argumentList.Span);
            var storage = insideMethod
                ? parameterName
                : field.ContainingType.ToMinimalDisplayString(callEditor.SemanticModel, argumentList.SpanStart) + "." + field.Name;
            if (!insideMethod && callEditor.SemanticModel.LookupSymbols(argumentList.SpanStart, name: field.Name).FirstOrDefault() is { } visible
                && SymbolEqualityComparer.Default.Equals(visible, field))
            {
                storage = field.Name;
            }

            var argument = SyntaxFactory.ParseArgumentList($"({(byReference ? "ref " : "")}{storage})").Arguments[0];
            callEditor.ReplaceNode(argumentList, (current, _) => ((ArgumentListSyntax)current).AddArguments(argument));
        }

        return editor.GetChangedSolution();
    }
}
