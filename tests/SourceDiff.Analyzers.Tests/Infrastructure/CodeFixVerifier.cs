using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Sdk;

namespace SourceDiff.Analyzers.Tests.Infrastructure;

/// <summary>
/// Applies <typeparamref name="TCodeFix"/> to the diagnostic of <typeparamref name="TAnalyzer"/> marked <c>[|…|]</c> in a
/// whole source file (no prelude: the file is compared byte for byte, line endings aside), and checks the result text and
/// that it still compiles. Runs in an <see cref="AdhocWorkspace"/>, as the IDE applies a code action.
/// </summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static async Task VerifyAsync(string before, string after, string? actionTitle = null)
    {
        string text = await ApplyAsync(before, actionTitle);
        Assert.Equal(Normalize(after), Normalize(text));
    }

    /// <summary>Applies the fix offered for the marked diagnostic; returns the fixed text, which must compile.</summary>
    public static async Task<string> ApplyAsync(string before, string? actionTitle = null)
    {
        var (document, actions) = await ActionsAsync(before);
        var action = actionTitle is null
            ? Assert.Single(actions)
            : actions.SingleOrDefault(a => a.Title == actionTitle)
                ?? throw new XunitException($"No code action titled '{actionTitle}'. Offered: {string.Join(", ", actions.Select(a => a.Title))}");

        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        var text = (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();

        var compilation = (await changed.Projects.Single().GetCompilationAsync())!;
        AnalyzerRunner.AssertCompiles(compilation);
        return text;
    }

    /// <summary>
    /// Applies the fix's Fix All, document scope, to every diagnostic the analyzer reports in <paramref name="before"/>,
    /// each marked <c>[|…|]</c> (two or more), as the IDE's "Fix all occurrences in document" does; checks the text and
    /// that it compiles.
    /// </summary>
    public static async Task VerifyFixAllAsync(string before, string after)
    {
        var fix = new TCodeFix();
        var (source, expected) = Markup.Parse(before, fix.FixableDiagnosticIds[0]);
        Assert.True(expected.Count >= 2, "Fix All needs two or more marked diagnostics.");
        var document = CreateDocument(source);
        var compilation = (await document.Project.GetCompilationAsync())!;
        AnalyzerRunner.AssertCompiles(compilation);
        var diagnostics = await AnalyzerRunner.RunAsync(compilation, new TAnalyzer());
        foreach (var marked in expected)
        {
            Assert.Contains(diagnostics, d => d.Id == marked.Id && d.Location.SourceSpan == marked.Span);
        }

        // The equivalence key of the fix offered for the first marked diagnostic names the fix to apply everywhere.
        var first = diagnostics.First(d => d.Id == expected[0].Id && d.Location.SourceSpan == expected[0].Span);
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, first, (action, _) => actions.Add(action), CancellationToken.None));
        var key = Assert.Single(actions).EquivalenceKey;

        var provider = fix.GetFixAllProvider() ?? throw new XunitException($"{typeof(TCodeFix).Name} does not support Fix All.");
        var context = new FixAllContext(
            document, fix, FixAllScope.Document, key, fix.FixableDiagnosticIds, new AnalyzerDiagnostics(new TAnalyzer()), CancellationToken.None);
        var fixAll = await provider.GetFixAsync(context) ?? throw new XunitException("Fix All offered no action.");
        var operations = await fixAll.GetOperationsAsync(CancellationToken.None);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        var text = (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
        AnalyzerRunner.AssertCompiles((await changed.Projects.Single().GetCompilationAsync())!);
        Assert.Equal(Normalize(after), Normalize(text));
    }

    public static async Task VerifyNoFixAsync(string before)
    {
        var (_, actions) = await ActionsAsync(before);
        Assert.Empty(actions);
    }

    private static async Task<(Document Document, IReadOnlyList<CodeAction> Actions)> ActionsAsync(string before)
    {
        var fix = new TCodeFix();
        var (source, expected) = Markup.Parse(before, fix.FixableDiagnosticIds[0]);
        var marked = Assert.Single(expected);

        var document = CreateDocument(source);

        var compilation = (await document.Project.GetCompilationAsync())!;
        AnalyzerRunner.AssertCompiles(compilation);
        var diagnostics = await AnalyzerRunner.RunAsync(compilation, new TAnalyzer());
        var diagnostic = diagnostics.SingleOrDefault(d => d.Id == marked.Id && d.Location.SourceSpan == marked.Span)
            ?? throw new XunitException($"No {marked.Id} at the marked span '{source.Substring(marked.Span.Start, marked.Span.Length)}'. Reported: "
                + string.Join("; ", diagnostics.Select(d => $"{d.Id} '{source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}'")));

        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return (document, actions);
    }

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Test",
            "Test",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: TestCompilation.ParseOptions,
            metadataReferences: TestCompilation.FrameworkReferences.AddRange(TestCompilation.RuntimeReferences)));
        return workspace.AddDocument(project.Id, "Test0.cs", SourceText.From(source));
    }

    /// <summary>The diagnostics Fix All collects, from the analyzer run on the project as it is when asked.</summary>
    private sealed class AnalyzerDiagnostics(DiagnosticAnalyzer analyzer) : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return (await GetAllDiagnosticsAsync(document.Project, cancellationToken)).Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        {
            var compilation = (await project.GetCompilationAsync(cancellationToken))!;
            return await AnalyzerRunner.RunAsync(compilation, analyzer);
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");
}
