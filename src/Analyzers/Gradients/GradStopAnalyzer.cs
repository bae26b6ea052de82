using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Analyzers.Common;

namespace SourceDiff.Analyzers.Gradients;

/// <summary>SD2001: every <c>Grad.Stop</c>, so that a truncated gradient is always visible.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GradStopAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.GradStop);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (SourceDiffSymbols.TryCreate(start.Compilation) is not { Grad: not null } symbols)
            {
                return;
            }

            start.RegisterOperationAction(operation => Analyze(operation, symbols), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, SourceDiffSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!symbols.IsGradStop(invocation.TargetMethod) || invocation.Arguments.Length != 1)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.GradStop,
            invocation.Syntax.GetLocation(),
            invocation.Arguments[0].Value.Syntax.ToString()));
    }
}
