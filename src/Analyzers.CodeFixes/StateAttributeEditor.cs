using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SourceDiff.Analyzers.CodeFixes;

/// <summary>
/// Rewrites a field declaration so that one of its variables carries <c>[State]</c> (and optionally loses
/// <c>static</c>). A declaration of several variables is split, because an attribute applies to all of them.
/// </summary>
internal static class StateAttributeEditor
{
    // Parsed rather than built with SyntaxFactory: built tokens carry elastic trivia, and the code action's cleanup
    // would then reformat the declaration and move the attribute onto a line of its own.
    private static readonly AttributeListSyntax StateAttributeList =
        ((FieldDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration("[State] int x;")!).AttributeLists[0];

    public static SyntaxNode AddState(SyntaxNode root, VariableDeclaratorSyntax variable, bool removeStatic)
    {
        var field = (FieldDeclarationSyntax)variable.Parent!.Parent!;
        var stateField = field;
        if (field.Declaration.Variables.Count > 1)
        {
            var remaining = field.WithDeclaration(field.Declaration.WithVariables(field.Declaration.Variables.Remove(variable)));
            var indentation = SyntaxFactory.TriviaList(field.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault());
            stateField = field
                .WithDeclaration(field.Declaration.WithVariables(SyntaxFactory.SingletonSeparatedList(variable.WithoutTrivia())))
                .WithLeadingTrivia(indentation);
            var rewritten = WithState(stateField, removeStatic);
            return root.ReplaceNode(field, new SyntaxNode[] { remaining, rewritten });
        }

        return root.ReplaceNode(field, WithState(stateField, removeStatic));
    }

    /// <summary>Adds <c>using SourceDiff;</c> when the file does not already import it.</summary>
    public static CompilationUnitSyntax EnsureUsing(CompilationUnitSyntax unit)
    {
        if (unit.Usings.Any(u => u.Name?.ToString() == "SourceDiff")
            || unit.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Any(n => n.Name.ToString() == "SourceDiff" || n.Usings.Any(u => u.Name?.ToString() == "SourceDiff")))
        {
            return unit;
        }

        var newline = unit.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var endOfLine = newline == default ? SyntaxFactory.LineFeed : newline;
        var directive = SyntaxFactory.ParseCompilationUnit("using SourceDiff;").Usings[0].WithTrailingTrivia(endOfLine);
        if (unit.Usings.Count == 0 && unit.Members.Count > 0)
        {
            // Keep a blank line between the new using and the first declaration.
            var first = unit.Members[0];
            unit = unit.ReplaceNode(first, first.WithLeadingTrivia(first.GetLeadingTrivia().Insert(0, endOfLine)));
        }

        return unit.WithUsings(unit.Usings.Add(directive));
    }

    private static FieldDeclarationSyntax WithState(FieldDeclarationSyntax field, bool removeStatic)
    {
        if (removeStatic)
        {
            var staticKeyword = field.Modifiers.First(m => m.IsKind(SyntaxKind.StaticKeyword));
            var index = field.Modifiers.IndexOf(staticKeyword);
            var modifiers = field.Modifiers.RemoveAt(index);
            field = index == 0 && modifiers.Count > 0
                ? field.WithModifiers(modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia(staticKeyword.LeadingTrivia)))
                : field.WithModifiers(modifiers);
            if (field.Modifiers.Count == 0)
            {
                field = field.WithDeclaration(field.Declaration.WithLeadingTrivia(staticKeyword.LeadingTrivia));
            }
        }

        var leading = field.GetLeadingTrivia();
        var attribute = StateAttributeList.WithLeadingTrivia(leading).WithTrailingTrivia(SyntaxFactory.Space);
        field = field.WithoutLeadingTrivia();
        return field.WithAttributeLists(field.AttributeLists.Insert(0, attribute));
    }
}
