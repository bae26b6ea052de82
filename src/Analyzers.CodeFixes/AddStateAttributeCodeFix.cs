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

namespace SourceDiff.Analyzers.CodeFixes;

/// <summary>SD1004: mark the written field <c>[State]</c>, wherever it is declared.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddStateAttributeCodeFix)), Shared]
public sealed class AddStateAttributeCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnmarkedStateFieldId);

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
        if (model.GetSymbolInfo(node, context.CancellationToken).Symbol is not IFieldSymbol field
            || field.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration
            || IsMarkedState(field))
        {
            // A field already [State] has nothing to fix: Fix All may come back to it from its second write.
            return;
        }

        var solution = context.Document.Project.Solution;
        var fieldDocument = solution.GetDocument(declaration.SyntaxTree);
        if (fieldDocument is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Mark '{field.Name}' [State]",
                cancellation => AddStateAsync(fieldDocument, declaration, cancellation),
                equivalenceKey: nameof(AddStateAttributeCodeFix)),
            context.Diagnostics);
    }

    private static bool IsMarkedState(IFieldSymbol field) =>
        field.GetAttributes().Any(a => a.AttributeClass is { Name: "StateAttribute", ContainingNamespace: { Name: "SourceDiff", ContainingNamespace.IsGlobalNamespace: true } });

    private static async Task<Solution> AddStateAsync(Document document, SyntaxReference declaration, CancellationToken cancellation)
    {
        var root = (CompilationUnitSyntax)(await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false))!;
        var variable = (VariableDeclaratorSyntax)root.FindNode(declaration.Span);
        var edited = (CompilationUnitSyntax)StateAttributeEditor.AddState(root, variable, removeStatic: false);
        return document.WithSyntaxRoot(StateAttributeEditor.EnsureUsing(edited)).Project.Solution;
    }
}
