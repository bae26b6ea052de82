using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Analyzers.Common;

namespace SourceDiff.Analyzers.State;

/// <summary>
/// SD1003: a stateful differentiable method is called from a lambda or anonymous method, or converted to a delegate,
/// that LINQ's lazy operators, Parallel, a task or a differentiable method runs (or that sits in differentiable code).
/// Whoever invokes the delegate decides when and in which order the calls happen, so the state each call sees is not
/// what a loop written in the code would give: story 1's <c>m.(x)</c>. A delegate kept in a local and called in place
/// runs when the code says and is not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnorderedStatefulCallAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnorderedStatefulCall);

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
            start.RegisterOperationAction(operation => AnalyzeInvocation(operation, symbols, effects), OperationKind.Invocation);
            start.RegisterOperationAction(operation => AnalyzeMethodReference(operation, symbols, effects), OperationKind.MethodReference);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, SourceDiffSymbols symbols, MethodEffectsCache effects)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var callee = invocation.TargetMethod;
        // Most calls are not inside a lambda: the parent walk is cheaper than reading the callee's attributes.
        if (EnclosingAnonymousFunction(invocation) is not { } function || !symbols.IsDifferentiable(callee))
        {
            return;
        }

        if (effects.StateWrittenBy(callee) is not { } state || !RunsOutOfOrder(function, context.ContainingSymbol, symbols))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnorderedStatefulCall,
            invocation.Syntax.GetLocation(),
            callee.Name,
            state.Name,
            DescribeConsumer(function, "a lambda")));
    }

    private static void AnalyzeMethodReference(OperationAnalysisContext context, SourceDiffSymbols symbols, MethodEffectsCache effects)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        var method = reference.Method;
        if (!symbols.IsDifferentiable(method) || effects.StateWrittenBy(method) is not { } state || !RunsOutOfOrder(reference, context.ContainingSymbol, symbols))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnorderedStatefulCall,
            reference.Syntax.GetLocation(),
            method.Name,
            state.Name,
            DescribeConsumer(reference, "a delegate")));
    }

    private static IAnonymousFunctionOperation? EnclosingAnonymousFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation function)
            {
                return function;
            }
        }

        return null;
    }

    /// <summary>"a lambda passed to 'Select'" when the delegate is an argument, else just what it is.</summary>
    private static string DescribeConsumer(IOperation delegateSource, string what) =>
        DelegateConsumers.Consumer(delegateSource) is { } consumer ? $"{what} passed to '{consumer.TargetMethod.Name}'" : what;

    /// <summary>
    /// In differentiable code any delegate counts; elsewhere only one handed to a consumer that picks the order of its
    /// calls (LINQ, Parallel, tasks) or to a differentiable method. SourceDiff's own GradientCheck restores the state
    /// before every evaluation, so a loss handed to it is safe.
    /// </summary>
    private static bool RunsOutOfOrder(IOperation delegateSource, ISymbol containingMember, SourceDiffSymbols symbols) =>
        !DelegateConsumers.IsSourceDiffCallback(delegateSource)
        && (symbols.EnclosingDifferentiableMethod(containingMember) is not null || DelegateConsumers.HazardousConsumer(delegateSource, symbols) is not null);
}
