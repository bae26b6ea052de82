using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace SourceDiff.Verification.Tests.Fuzzing;

/// <summary>
/// A mutation of one of the <see cref="FuzzSources"/>: a truncation at a character, the deletion of a few tokens, or
/// the deletion of a few whole statements, attributes, members, parameters or arguments (which, unlike most token
/// deletions, often leaves code that still compiles, the case where generated code must compile too).
/// The fields are raw random numbers reduced modulo the source's size when applied, so CsCheck shrinks a failing
/// mutation towards fewer deletions and earlier positions without knowing anything about C#.
/// </summary>
public sealed record SourceMutation(int SourceIndex, MutationKind Kind, ImmutableArray<int> Positions)
{
    public static Gen<SourceMutation> Gen { get; } =
        CsCheck.Gen.Select(
            CsCheck.Gen.Int[0, FuzzSources.All.Length - 1],
            CsCheck.Gen.Enum<MutationKind>(),
            CsCheck.Gen.Int[0, int.MaxValue].Array[1, 4],
            (source, kind, positions) => new SourceMutation(source, kind, positions.ToImmutableArray()));

    public string SourceName => FuzzSources.All[SourceIndex].Name;

    /// <summary>The mutated text.</summary>
    public string Apply()
    {
        string source = FuzzSources.All[SourceIndex].Source;
        if (Kind == MutationKind.Truncate)
        {
            return source[..(Positions[0] % (source.Length + 1))];
        }

        // Spans without trivia: deleting one joins its neighbours' trivia, as a user's deletion would.
        SyntaxNode root = CSharpSyntaxTree.ParseText(source).GetRoot();
        TextSpan[] candidates = Kind == MutationKind.DeleteTokens
            ? root.DescendantTokens().Select(t => t.Span).ToArray()
            : root.DescendantNodes().Where(IsDeletable).Select(n => n.Span).ToArray();
        var chosen = Positions.Select(p => candidates[p % candidates.Length]).Distinct().OrderByDescending(s => s.Start).ToList();

        // Overlapping node spans (a statement inside a deleted block) would delete twice; keep the outermost.
        var text = new StringBuilder(source);
        var removed = new List<TextSpan>();
        foreach (TextSpan span in chosen.OrderByDescending(s => s.Length))
        {
            if (!removed.Any(r => r.OverlapsWith(span) || r.Contains(span)))
            {
                removed.Add(span);
            }
        }

        foreach (TextSpan span in removed.OrderByDescending(s => s.Start))
        {
            text.Remove(span.Start, span.Length);
        }

        return text.ToString();
    }

    public override string ToString() =>
        $"{SourceName}: {Kind} at [{string.Join(", ", Positions)}]{Environment.NewLine}{Apply()}";

    private static bool IsDeletable(SyntaxNode node) =>
        node is StatementSyntax and not BlockSyntax { Parent: BaseMethodDeclarationSyntax }
            or AttributeListSyntax or MemberDeclarationSyntax and not BaseNamespaceDeclarationSyntax
            or ParameterSyntax or ArgumentSyntax;
}

public enum MutationKind
{
    Truncate,
    DeleteTokens,
    DeleteNodes,
}
