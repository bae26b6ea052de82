using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Analyzers.Common;

namespace SourceDiff.Analyzers.State;

/// <summary>SD1001: a differentiable method, or a helper it calls, reads or writes static mutable state.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StaticMutableStateAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.StaticMutableState);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (SourceDiffSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            var effects = new MethodEffectsCache(start.Compilation, symbols);
            start.RegisterOperationBlockStartAction(block =>
            {
                if (block.OwningSymbol is not IMethodSymbol method || !symbols.IsDifferentiable(method))
                {
                    return;
                }

                block.RegisterOperationAction(
                    operation => ReportDirectAccess(operation, method),
                    OperationKind.FieldReference,
                    OperationKind.PropertyReference);
                block.RegisterOperationAction(
                    operation => ReportAccessThroughHelper(operation, method, symbols, effects),
                    OperationKind.Invocation);
            });
        });
    }

    private static void ReportDirectAccess(OperationAnalysisContext context, IMethodSymbol method)
    {
        if (StaticState.Classify(context.Operation) is not { } access)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.StaticMutableState,
            context.Operation.Syntax.GetLocation(),
            method.Name,
            access.IsWrite ? "writes" : "reads",
            access.Member.Name));
    }

    private static void ReportAccessThroughHelper(
        OperationAnalysisContext context, IMethodSymbol method, SourceDiffSymbols symbols, MethodEffectsCache effects)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var callee = invocation.TargetMethod;
        // A local function's body is part of this method's block and is reported where it touches the global.
        if (callee.DeclaringSyntaxReferences.IsEmpty || callee.MethodKind == MethodKind.LocalFunction
            || symbols.IsDifferentiable(callee) || symbols.IsGradStop(callee))
        {
            return;
        }

        if (effects.StaticAccessThroughHelper(callee) is not { } access)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.StaticMutableState,
            invocation.Syntax.GetLocation(),
            method.Name,
            $"calls '{callee.Name}', which {(access.IsWrite ? "writes" : "reads")}",
            access.Member.Name));
    }
}
