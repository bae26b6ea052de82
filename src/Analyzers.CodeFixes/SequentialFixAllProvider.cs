using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace SourceDiff.Analyzers.CodeFixes;

/// <summary>
/// Fix All for SourceDiff's code fixes: the fix of each diagnostic is computed and applied to the solution the previous
/// one left, instead of all being computed on the original solution and their text changes merged
/// (<see cref="WellKnownFixAllProviders.BatchFixer"/>). Batch merging goes wrong for every one of them: two writes of one
/// field ask for the same <c>[State]</c> attribute (or the same split declaration) twice; two globals read by one
/// method each rewrite its parameter list and every call of it; two <c>Select</c> loops in one block would pick the
/// same array name. Computed one after another, a fix sees the previous ones: a field already made <c>[State]</c> or an
/// instance field is no longer offered a fix, and names are chosen among those now in scope.
/// </summary>
/// <remarks>
/// Each diagnostic is found again after the fixes before it through an annotation on its syntax node; a diagnostic whose
/// node an earlier fix replaced (a second use of a global the method now takes as a parameter) has been fixed with it.
/// </remarks>
internal sealed class SequentialFixAllProvider : FixAllProvider
{
    private const string AnnotationKind = "SourceDiff.FixAll";

    public static SequentialFixAllProvider Instance { get; } = new();

    private SequentialFixAllProvider()
    {
    }

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var diagnostics = await DiagnosticsInScopeAsync(fixAllContext).ConfigureAwait(false);
        if (diagnostics.IsEmpty)
        {
            return null;
        }

        return CodeAction.Create(
            fixAllContext.Scope switch
            {
                FixAllScope.Document => "Fix all occurrences in document",
                FixAllScope.Project => "Fix all occurrences in project",
                _ => "Fix all occurrences in solution",
            },
            cancellation => FixAllAsync(fixAllContext, diagnostics, cancellation),
            fixAllContext.CodeActionEquivalenceKey);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsInScopeAsync(FixAllContext context)
    {
        switch (context.Scope)
        {
            case FixAllScope.Document when context.Document is not null:
                return await context.GetDocumentDiagnosticsAsync(context.Document).ConfigureAwait(false);
            case FixAllScope.Project:
                return await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false);
            case FixAllScope.Solution:
                var all = ImmutableArray.CreateBuilder<Diagnostic>();
                foreach (var project in context.Solution.Projects)
                {
                    all.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                }

                return all.ToImmutable();
            default:
                return ImmutableArray<Diagnostic>.Empty;
        }
    }

    private static async Task<Solution> FixAllAsync(FixAllContext context, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellation)
    {
        var (solution, marked) = await AnnotateAsync(context.Solution, diagnostics, cancellation).ConfigureAwait(false);
        foreach (var (documentId, annotation, diagnostic) in marked)
        {
            var document = solution.GetDocument(documentId);
            var root = document is null ? null : await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
            var node = root?.GetAnnotatedNodes(annotation).FirstOrDefault();
            if (document is null || node is null)
            {
                continue;
            }

            var located = Diagnostic.Create(diagnostic.Descriptor, Location.Create(root!.SyntaxTree, node.Span), diagnostic.Properties);
            CodeAction? action = null;
            var fixContext = new CodeFixContext(
                document,
                located,
                (offered, _) =>
                {
                    if (action is null && offered.EquivalenceKey == context.CodeActionEquivalenceKey)
                    {
                        action = offered;
                    }
                },
                cancellation);
            await context.CodeFixProvider.RegisterCodeFixesAsync(fixContext).ConfigureAwait(false);
            if (action is null)
            {
                continue;
            }

            var operations = await action.GetOperationsAsync(cancellation).ConfigureAwait(false);
            if (operations.OfType<ApplyChangesOperation>().FirstOrDefault() is { } apply)
            {
                solution = apply.ChangedSolution;
            }
        }

        return solution;
    }

    /// <summary>Marks the node of every diagnostic (one mark per node), in source order within each document.</summary>
    private static async Task<(Solution Solution, List<(DocumentId Document, SyntaxAnnotation Annotation, Diagnostic Diagnostic)> Marked)> AnnotateAsync(
        Solution solution, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellation)
    {
        var marked = new List<(DocumentId, SyntaxAnnotation, Diagnostic)>();
        foreach (var inTree in diagnostics.Where(d => d.Location.IsInSource).GroupBy(d => d.Location.SourceTree!))
        {
            var document = solution.GetDocument(inTree.Key);
            var root = document is null ? null : await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
            if (document is null || root is null)
            {
                continue;
            }

            var annotations = new Dictionary<SyntaxNode, SyntaxAnnotation>();
            foreach (var diagnostic in inTree.OrderBy(d => d.Location.SourceSpan.Start))
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                if (!annotations.ContainsKey(node))
                {
                    annotations[node] = new SyntaxAnnotation(AnnotationKind);
                    marked.Add((document.Id, annotations[node], diagnostic));
                }
            }

            root = root.ReplaceNodes(annotations.Keys, (original, current) => current.WithAdditionalAnnotations(annotations[original]));
            solution = solution.WithDocumentSyntaxRoot(document.Id, root);
        }

        return (solution, marked);
    }
}
