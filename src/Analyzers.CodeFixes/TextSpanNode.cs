using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SourceDiff.Analyzers.CodeFixes;

/// <summary>A node remembered by its span, so it can be found again in the same, unedited tree.</summary>
internal readonly record struct TextSpanNode(TextSpan Span)
{
    public TextSpanNode(SyntaxNode node)
        : this(node.Span)
    {
    }

    public SyntaxNode Find(SyntaxNode root) => root.FindNode(Span, getInnermostNodeForTie: true);
}
