using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Analyzers.Common;
using SourceDiff.Rules;

namespace SourceDiff.Analyzers.Gradients;

/// <summary>
/// SD1005: inside a differentiable method, a value that depends on a differentiable input goes through an operation
/// whose derivative is zero almost everywhere (cast to an integer type, Round/Floor/Ceiling/Truncate/Sign, Convert.ToInt32,
/// a comparison turned into constants). The generated adjoint differentiates those as zero, so the gradient vanishes
/// there without a word. Choosing between differentiable values with ?: is fine and not reported, and so is a step of
/// a value that also reaches the result directly (<c>t - (int)t</c>, <c>mask * x</c>): its gradient still flows.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ZeroDerivativeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ZeroDerivativeOperation);

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

            start.RegisterOperationBlockStartAction(block =>
            {
                if (block.OwningSymbol is not IMethodSymbol method || !symbols.IsDifferentiable(method))
                {
                    return;
                }

                var body = block.OperationBlocks;
                var activity = new Lazy<ActivityAnalysis>(
                    () => new ActivityAnalysis(method, body, symbols),
                    LazyThreadSafetyMode.ExecutionAndPublication);
                block.RegisterOperationAction(operation => AnalyzeConversion(operation, activity), OperationKind.Conversion);
                block.RegisterOperationAction(operation => AnalyzeInvocation(operation, activity), OperationKind.Invocation);
                block.RegisterOperationAction(operation => AnalyzeConditional(operation, activity), OperationKind.Conditional);
            });
        });
    }

    private static void AnalyzeConversion(OperationAnalysisContext context, Lazy<ActivityAnalysis> activity)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (conversion.IsImplicit || !DerivativeRules.IsFloating(conversion.Operand.Type) || !DerivativeRules.IsInteger(conversion.Type))
        {
            return;
        }

        if (activity.Value.VariedSourceWithoutDirectPath(conversion.Operand) is { } source)
        {
            Report(context, $"the cast to '{conversion.Type!.ToDisplayString()}'", source);
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, Lazy<ActivityAnalysis> activity)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.Arguments.IsEmpty || DerivativeRules.ZeroDerivativeFunction(invocation.TargetMethod) is not { } description)
        {
            return;
        }

        var argument = invocation.Arguments[0].Value;
        var source = argument.Type?.SpecialType == SpecialType.System_Boolean
            ? activity.Value.VariedComparison(argument) is { } compared && !activity.Value.ReachesResultDirectly(compared) ? compared : null
            : activity.Value.VariedSourceWithoutDirectPath(argument);
        if (source is not null)
        {
            Report(context, description, source);
        }
    }

    private static void AnalyzeConditional(OperationAnalysisContext context, Lazy<ActivityAnalysis> activity)
    {
        // x > 0 ? 1.0 : 0.0 is a step function written by hand; x > 0 ? x : 0.0 selects a value and keeps its derivative.
        var conditional = (IConditionalOperation)context.Operation;
        if (conditional.WhenFalse is not { } whenFalse
            || !conditional.WhenTrue.ConstantValue.HasValue
            || !whenFalse.ConstantValue.HasValue
            || conditional.Type?.SpecialType == SpecialType.System_Boolean)
        {
            return;
        }

        if (activity.Value.VariedComparison(conditional.Condition) is { } source && !activity.Value.ReachesResultDirectly(source))
        {
            Report(context, $"the comparison '{conditional.Condition.Syntax}' turned into constants", source);
        }
    }

    private static void Report(OperationAnalysisContext context, string operation, ISymbol source) =>
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ZeroDerivativeOperation,
            context.Operation.Syntax.GetLocation(),
            operation,
            source.Name));
}
