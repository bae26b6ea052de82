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
using Microsoft.CodeAnalysis.FindSymbols;

namespace SourceDiff.Analyzers.CodeFixes;

/// <summary>
/// SD1001: turn a static field into an instance <c>[State]</c> field, so each model object owns its hidden state and
/// the generated gradient can save and restore it. Offered only when that changes no other code's meaning: every
/// reference is in an instance member of the field's own (non-static) type. <c>Type.H</c> references become <c>H</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StaticStateToInstanceFieldCodeFix)), Shared]
public sealed class StaticStateToInstanceFieldCodeFix : CodeFixProvider
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
        if (model.GetSymbolInfo(node, context.CancellationToken).Symbol is not IFieldSymbol { IsStatic: true, ContainingType: { IsStatic: false, TypeKind: TypeKind.Class or TypeKind.Struct } } field
            || field.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration)
        {
            return;
        }

        var solution = context.Document.Project.Solution;
        var references = await ReferencesInInstanceMembersAsync(field, solution, context.CancellationToken).ConfigureAwait(false);
        if (references is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Make '{field.Name}' an instance [State] field",
                cancellation => ApplyAsync(solution, declaration, references, cancellation),
                equivalenceKey: nameof(StaticStateToInstanceFieldCodeFix)),
            context.Diagnostics);
    }

    /// <summary>The field's references, or null when one of them is not in an instance member of the field's type.</summary>
    private static async Task<List<(DocumentId Document, TextSpanNode Reference)>?> ReferencesInInstanceMembersAsync(
        IFieldSymbol field, Solution solution, CancellationToken cancellation)
    {
        var found = new List<(DocumentId, TextSpanNode)>();
        foreach (var referenced in await SymbolFinder.FindReferencesAsync(field, solution, cancellation).ConfigureAwait(false))
        {
            foreach (var location in referenced.Locations)
            {
                var root = await location.Document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
                var model = await location.Document.GetSemanticModelAsync(cancellation).ConfigureAwait(false);
                var node = root!.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                if (!IsInInstanceMemberOf(node, field.ContainingType, model!, cancellation))
                {
                    return null;
                }

                found.Add((location.Document.Id, new TextSpanNode(node)));
            }
        }

        return found;
    }

    private static bool IsInInstanceMemberOf(SyntaxNode node, INamedTypeSymbol type, SemanticModel model, CancellationToken cancellation)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax function when function.Modifiers.Any(SyntaxKind.StaticKeyword):
                case LocalFunctionStatementSyntax local when local.Modifiers.Any(SyntaxKind.StaticKeyword):
                case FieldDeclarationSyntax:
                    return false;
                case BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax:
                    var member = model.GetDeclaredSymbol(ancestor, cancellation);
                    return member is { IsStatic: false } && SymbolEqualityComparer.Default.Equals(member.ContainingType, type);
            }
        }

        return false;
    }

    private static async Task<Solution> ApplyAsync(
        Solution solution, SyntaxReference declaration, List<(DocumentId Document, TextSpanNode Reference)> references, CancellationToken cancellation)
    {
        var declarationDocument = solution.GetDocument(declaration.SyntaxTree)!.Id;
        var documents = references.Select(r => r.Document).Append(declarationDocument).Distinct();
        foreach (var documentId in documents)
        {
            var document = solution.GetDocument(documentId)!;
            var root = (await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false))!;
            var qualified = references
                .Where(r => r.Document == documentId)
                .Select(r => r.Reference.Find(root))
                .Where(node => node.Parent is MemberAccessExpressionSyntax access && access.Name == node)
                .Select(node => node.Parent!)
                .ToList();

            var marker = new SyntaxAnnotation();
            var declarator = documentId == declarationDocument ? root.FindNode(declaration.Span) : null;
            root = root.ReplaceNodes(
                qualified.Concat(declarator is null ? Enumerable.Empty<SyntaxNode>() : new[] { declarator }),
                (original, current) => original == declarator
                    ? current.WithAdditionalAnnotations(marker)
                    : ((MemberAccessExpressionSyntax)current).Name.WithTriviaFrom(current));

            if (declarator is not null)
            {
                var variable = (VariableDeclaratorSyntax)root.GetAnnotatedNodes(marker).Single();
                root = StateAttributeEditor.EnsureUsing((CompilationUnitSyntax)StateAttributeEditor.AddState(root, variable, removeStatic: true));
            }

            solution = solution.WithDocumentSyntaxRoot(documentId, root);
        }

        return solution;
    }
}
