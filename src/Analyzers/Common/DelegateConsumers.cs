using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SourceDiff.Analyzers.Common;

/// <summary>
/// Who runs a lambda, anonymous method or method group, as far as the code says. In ordinary code a delegate kept in
/// a local and called in place (a finite-difference helper's <c>() =&gt; m.Loss(xs)</c>) runs when the code says; one
/// handed to LINQ, Parallel or a task runs when and in whatever order they choose, and one handed to a differentiable
/// method runs inside differentiable code. Only those two make captured state or stateful calls a gradient hazard.
/// </summary>
internal static class DelegateConsumers
{
    /// <summary>The call the delegate is an argument of, through the conversions that make it a delegate.</summary>
    public static IInvocationOperation? Consumer(IOperation delegateSource)
    {
        var current = delegateSource.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current is IArgumentOperation { Parent: IInvocationOperation consumer } ? consumer : null;
    }

    /// <summary>
    /// The call that decides when this delegate, or a lambda or local function it is written in, runs in an order the
    /// code does not fix (LINQ, Parallel, tasks, threads) or runs inside differentiable code; null when none does.
    /// </summary>
    public static IInvocationOperation? HazardousConsumer(IOperation delegateSource, SourceDiffSymbols symbols)
    {
        for (IOperation? current = delegateSource; current is not null; current = EnclosingFunction(current))
        {
            if (Consumer(current) is { } consumer && (IsUnordered(consumer.TargetMethod) || symbols.IsDifferentiable(consumer.TargetMethod)))
            {
                return consumer;
            }
        }

        return null;
    }

    /// <summary>
    /// A delegate handed to SourceDiff's own runtime (GradientCheck): it restores the model's state before every
    /// evaluation and calls in a fixed order, which is exactly what makes a stateful call safe there.
    /// </summary>
    public static bool IsSourceDiffCallback(IOperation delegateSource) =>
        Consumer(delegateSource)?.TargetMethod.ContainingNamespace?.ToDisplayString() == "SourceDiff";

    /// <summary>Consumers that run their delegates lazily, concurrently or later: LINQ (and PLINQ), Parallel, tasks, threads, timers.</summary>
    private static bool IsUnordered(IMethodSymbol consumer) =>
        consumer.ContainingNamespace?.ToDisplayString() is "System.Linq" or "System.Threading.Tasks" or "System.Threading";

    private static IOperation? EnclosingFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }
}
