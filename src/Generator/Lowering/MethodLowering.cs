using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Lowers the body of a <c>[Differentiable]</c> method (its IOperation tree) to the IR: locals renamed to unique
/// names, calls with pullbacks hoisted into statements of their own, <c>foreach</c> and <c>for</c> turned into
/// structured loops, and <c>break</c>/<c>continue</c>/early <c>return</c> turned into a flow flag plus guards, so that
/// every later stage only sees straight-line code, <c>if</c> and loops.
/// </summary>
internal sealed partial class MethodLowering
{
    // Values of the flow flag: what the innermost construct being left is waiting for.
    private const int FlowContinue = 1;
    private const int FlowBreak = 2;
    private const int FlowReturn = 3;

    private readonly IMethodSymbol method;
    private readonly KnownSymbols known;

    // Which parameters a callee may write through; shared with the field scan, one rule for both.
    private readonly FieldAccessScan fieldAccess;
    private readonly CancellationToken cancellationToken;
    private readonly SiteTable sites;
    private readonly List<DiagnosticInfo> diagnostics = new();
    private readonly Dictionary<ILocalSymbol, Var> locals = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> usedNames = new();
    private readonly List<LocalModel> localModels = new();
    private readonly Dictionary<string, int> tempCounters = new();
    private Var? flow;
    private Var? result;

    public MethodLowering(IMethodSymbol method, KnownSymbols known, FieldAccessScan fieldAccess, SiteTable sites, CancellationToken cancellationToken)
    {
        this.sites = sites;
        this.method = method;
        this.known = known;
        this.fieldAccess = fieldAccess;
        this.cancellationToken = cancellationToken;
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            usedNames.Add(parameter.Name);
        }
    }

    public List<DiagnosticInfo> Diagnostics => diagnostics;

    public IReadOnlyList<LocalModel> Locals => localModels;

    /// <summary>The lowered body; the method's result, if any, is left in the local <c>_result</c>.</summary>
    public Block Lower(IMethodBodyBaseOperation body)
    {
        if (!method.ReturnsVoid)
        {
            result = NewTemp("result", TypeMapping.From(method.ReturnType));
        }

        IBlockOperation? block = body.BlockBody ?? body.ExpressionBody;
        if (block is null)
        {
            Report(DiagnosticDescriptors.UnsupportedSignature, body.Syntax, method.Name, "has no body");
            return Block.Empty;
        }

        return new Block(LowerSequence(block.Operations, isMethodLevel: true).ToEquatableArray());
    }

    private string MethodName => method.Name;

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] arguments) =>
        diagnostics.Add(sites.Diagnostic(descriptor, node.GetLocation(), arguments));

    private void Unsupported(IOperation operation, string construct, string instead)
    {
        Report(DiagnosticDescriptors.UnsupportedConstruct, operation.Syntax, construct, MethodName, instead);
        SupersedeCascades(operation);
    }

    private Var NewTemp(string stem, TypeRef type)
    {
        tempCounters.TryGetValue(stem, out int count);
        tempCounters[stem] = count + 1;
        string name = count == 0 && stem == "result" ? "_result" : "_" + stem + count;
        while (!usedNames.Add(name))
        {
            name += "_";
        }

        var variable = new Var(name, VarKind.Local, type);
        localModels.Add(new LocalModel(name, type));
        return variable;
    }

    private Var DeclareLocal(ILocalSymbol local)
    {
        if (locals.TryGetValue(local, out Var? existing))
        {
            return existing;
        }

        string name = local.Name;
        for (int suffix = 2; !usedNames.Add(name); suffix++)
        {
            name = local.Name + "_" + suffix;
        }

        var variable = new Var(name, VarKind.Local, TypeMapping.From(local.Type));
        if (IsViewLocal(local))
        {
            ReportViewLocal(local);
        }

        locals.Add(local, variable);
        localModels.Add(new LocalModel(name, variable.Type));
        return variable;
    }

    private Var Flow
    {
        get
        {
            if (flow is null)
            {
                flow = NewTemp("flow", TypeRef.Int);
            }

            return flow;
        }
    }

    private static string SourceText(IOperation operation)
    {
        // Only the start of a long statement is shown, and only the start is read (a chain may have thousands of terms).
        SyntaxNode syntax = operation.Syntax;
        string text = syntax.Span.Length > 400
            ? syntax.SyntaxTree.GetText().ToString(new Microsoft.CodeAnalysis.Text.TextSpan(syntax.SpanStart, 400)) + " …"
            : syntax.ToString();
        int newline = text.IndexOfAny(new[] { '\r', '\n' });
        if (newline >= 0)
        {
            text = text.Substring(0, newline).TrimEnd() + " …";
        }

        return text.Trim();
    }
}
