using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SourceDiff.Analyzers.CodeFixes;

/// <summary>Layout facts read off existing code, so inserted code matches the file it goes into.</summary>
internal static class SyntaxText
{
    public static string EndOfLine(SyntaxNode root) =>
        root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToFullString() is { Length: > 0 } eol ? eol : "\n";

    /// <summary>The whitespace that indents the line <paramref name="node"/> starts on.</summary>
    public static string Indentation(SyntaxNode node) =>
        node.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToFullString();

    /// <summary>One indentation step in the file's style: a tab if the node is indented with tabs, else four spaces.</summary>
    public static string IndentUnit(SyntaxNode node) => Indentation(node).Contains("\t") ? "\t" : "    ";

    /// <summary><paramref name="preferred"/>, or it with a number appended, whichever is free at <paramref name="position"/>.</summary>
    public static string UniqueName(SemanticModel model, int position, string preferred, params SyntaxNode[] alsoAvoidDeclarationsIn)
    {
        for (var suffix = 1; ; suffix++)
        {
            var candidate = suffix == 1 ? preferred : preferred + suffix;
            var declaredInside = alsoAvoidDeclarationsIn.Any(scope => scope.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == candidate));
            if (!declaredInside && model.LookupSymbols(position, name: candidate).IsEmpty)
            {
                return candidate;
            }
        }
    }

    public static string CamelCase(string name)
    {
        var trimmed = name.TrimStart('_');
        return trimmed.Length == 0 ? name : char.ToLowerInvariant(trimmed[0]) + trimmed.Substring(1);
    }
}
