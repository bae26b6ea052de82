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

/// <summary>
/// SD1003: replace <c>xs.Select(x => Step(x))</c> over an array or list with a <c>for</c> loop that fills an array, so the
/// stateful calls happen once each, in index order, at a point the code fixes. <c>var ys = xs.Select(…).ToArray();</c>
/// becomes the loop filling <c>ys</c>; anywhere else the loop fills a new array just before the statement.
/// Offered only when the rewrite is mechanical: a lambda with one parameter and an expression body (or a method group),
/// a source that is a variable or field (so evaluating it again is harmless), and a statement inside a block.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SelectToForLoopCodeFix)), Shared]
public sealed class SelectToForLoopCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnorderedStatefulCallId);

    public override FixAllProvider? GetFixAllProvider() => SequentialFixAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var node = root.FindNode(context.Span, getInnermostNodeForTie: true);
        if (Rewrite(root, model, node, context.CancellationToken) is not { } rewritten)
        {
            return;
        }

        var calledName = model.GetSymbolInfo(node, context.CancellationToken).Symbol?.Name ?? "the call";
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Call '{calledName}' in a for loop",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(rewritten)),
                equivalenceKey: nameof(SelectToForLoopCodeFix)),
            context.Diagnostics);
    }

    private static SyntaxNode? Rewrite(SyntaxNode root, SemanticModel model, SyntaxNode flagged, CancellationToken cancellation)
    {
        var lambda = flagged.FirstAncestorOrSelf<LambdaExpressionSyntax>();
        var argument = lambda is not null ? lambda.Parent as ArgumentSyntax : flagged.Parent as ArgumentSyntax;
        if (argument?.Parent is not ArgumentListSyntax { Arguments.Count: 1, Parent: InvocationExpressionSyntax select }
            || select.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Select" } selectAccess
            || model.GetSymbolInfo(select, cancellation).Symbol is not IMethodSymbol selectMethod
            || selectMethod.ReducedFrom?.ContainingType.ToDisplayString() != "System.Linq.Enumerable"
            || selectMethod.Parameters.Length != 1
            || selectMethod.Parameters[0].Type is not INamedTypeSymbol { TypeArguments.Length: 2 })
        {
            return null;
        }

        var source = selectAccess.Expression;
        var lengthMember = model.GetTypeInfo(source, cancellation).Type switch
        {
            IArrayTypeSymbol { Rank: 1 } => "Length",
            INamedTypeSymbol { Name: "List", ContainingNamespace: var ns } when ns.ToDisplayString() == "System.Collections.Generic" => "Count",
            _ => null,
        };
        var statement = select.Parent?.FirstAncestorOrSelf<StatementSyntax>();
        if (lengthMember is null || !IsStable(source) || statement?.Parent is not BlockSyntax)
        {
            return null;
        }

        var index = SyntaxText.UniqueName(model, statement.SpanStart, "i", lambda ?? flagged);
        var element = $"{source}[{index}]";
        var body = lambda is null ? $"{flagged}({element})" : InlineParameter(lambda, model, element, cancellation);
        if (body is null)
        {
            return null;
        }

        var resultType = selectMethod.TypeArguments[1].ToMinimalDisplayString(model, statement.SpanStart);
        var eol = SyntaxText.EndOfLine(root);
        var indent = SyntaxText.Indentation(statement);
        var unit = SyntaxText.IndentUnit(statement);
        string Loop(string target) =>
            $"{indent}for (int {index} = 0; {index} < {source}.{lengthMember}; {index}++){eol}"
            + $"{indent}{{{eol}{indent}{unit}{target}[{index}] = {body};{eol}{indent}}}";

        // var ys = xs.Select(...).ToArray();  becomes the loop filling ys itself.
        if (select.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToArray", Parent: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } toArray }
            && toArray.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            && declarator.Parent is VariableDeclarationSyntax { Variables.Count: 1 } declaration
            && declaration.Parent == statement)
        {
            var name = declarator.Identifier.ValueText;
            var allocation = SyntaxFactory.ParseStatement(
                $"{statement.GetLeadingTrivia().ToFullString()}{declaration.Type} {name} = new {ArrayOf(resultType, $"{source}.{lengthMember}")};{eol}");
            var loop = SyntaxFactory.ParseStatement(Loop(name)).WithTrailingTrivia(statement.GetTrailingTrivia());
            return root.ReplaceNode(statement, new SyntaxNode[] { allocation, loop });
        }

        var calledName = model.GetSymbolInfo(flagged, cancellation).Symbol?.Name ?? "step";
        var results = SyntaxText.UniqueName(model, statement.SpanStart, SyntaxText.CamelCase(calledName) + "Results", lambda ?? flagged);
        var resultsAllocation = SyntaxFactory.ParseStatement(
            $"{statement.GetLeadingTrivia().ToFullString()}var {results} = new {ArrayOf(resultType, $"{source}.{lengthMember}")};{eol}");
        var resultsLoop = SyntaxFactory.ParseStatement(Loop(results) + eol);
        var rewrittenStatement = statement
            .ReplaceNode(select, SyntaxFactory.IdentifierName(results).WithTriviaFrom(select))
            .WithLeadingTrivia(SyntaxFactory.Whitespace(indent));
        return root.ReplaceNode(statement, new SyntaxNode[] { resultsAllocation, resultsLoop, rewrittenStatement });
    }

    /// <summary>The lambda's expression body with its parameter replaced by the element access; null if not mechanical.</summary>
    private static string? InlineParameter(LambdaExpressionSyntax lambda, SemanticModel model, string element, CancellationToken cancellation)
    {
        var parameter = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Parameter,
            ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0],
            _ => null,
        };
        var body = lambda.ExpressionBody
            ?? (lambda.Block is { Statements.Count: 1 } block && block.Statements[0] is ReturnStatementSyntax { Expression: { } returned } ? returned : null);
        if (parameter is null || body is null)
        {
            return null;
        }

        var parameterSymbol = model.GetDeclaredSymbol(parameter, cancellation);
        var references = body.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Where(name => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellation).Symbol, parameterSymbol))
            .ToList();

        // Writing the parameter would write the source array once it is inlined.
        if (references.Any(reference => reference.Parent is AssignmentExpressionSyntax assignment && assignment.Left == reference
            || reference.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not 0 }))
        {
            return null;
        }

        return body.ReplaceNodes(references, (original, _) => SyntaxFactory.ParseExpression(element).WithTriviaFrom(original)).ToString();
    }

    /// <summary>"new double[n]" for double, "new double[n][]" for double[]: the length goes in the first brackets.</summary>
    private static string ArrayOf(string elementType, string length)
    {
        var firstBracket = elementType.IndexOf('[');
        return firstBracket < 0
            ? $"{elementType}[{length}]"
            : $"{elementType.Substring(0, firstBracket)}[{length}]{elementType.Substring(firstBracket)}";
    }

    /// <summary>A variable, field or member chain of them: evaluating it once per iteration cannot change anything.</summary>
    private static bool IsStable(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax or ThisExpressionSyntax => true,
        MemberAccessExpressionSyntax access => IsStable(access.Expression),
        _ => false,
    };
}
