using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Analyzers.Common;

namespace SourceDiff.Analyzers.State;

/// <summary>
/// SD1002: a lambda, anonymous method or local function captures a local or parameter that is reassigned somewhere
/// in the enclosing member, and the function is part of differentiable code: it sits in a [Differentiable] method,
/// is passed to one, or calls one and is handed to a consumer that runs it when it chooses (LINQ, Parallel, a task).
/// The captured variable is shared mutable state whose value depends on when the delegate runs. A function of
/// ordinary code kept in a local and called in place (a finite-difference helper) runs when the code says: not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CapturedMutableVariableAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.CapturedMutableVariable);

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

            start.RegisterOperationAction(
                operation => Analyze(operation, symbols),
                OperationKind.AnonymousFunction,
                OperationKind.LocalFunction);
        });
    }

    private static void Analyze(OperationAnalysisContext context, SourceDiffSymbols symbols)
    {
        var (function, body) = context.Operation switch
        {
            IAnonymousFunctionOperation lambda => ((IMethodSymbol)lambda.Symbol, (IOperation)lambda.Body),
            ILocalFunctionOperation local => (local.Symbol, (IOperation?)local.Body ?? local.IgnoredBody),
            _ => (null, null),
        };
        if (function is null || body is null || DifferentiableUse(context.Operation, context.ContainingSymbol, body, symbols) is not { } use)
        {
            return;
        }

        var functionSpan = context.Operation.Syntax.Span;
        HashSet<ISymbol>? reassigned = null;
        var reported = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var reference in OwnVariableReferences(body))
        {
            var variable = reference switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (variable is null || IsDeclaredInside(variable, functionSpan) || reported.Contains(variable))
            {
                continue;
            }

            reassigned ??= ReassignedVariables(Root(context.Operation));
            if (!reassigned.Contains(variable))
            {
                continue;
            }

            reported.Add(variable);
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.CapturedMutableVariable,
                reference.Syntax.GetLocation(),
                Describe(context.Operation, function),
                variable.Name,
                use));
        }
    }

    /// <summary>Why this function counts as differentiable code, worded for the message; null when it does not.</summary>
    private static string? DifferentiableUse(IOperation function, ISymbol containingMember, IOperation body, SourceDiffSymbols symbols)
    {
        if (symbols.EnclosingDifferentiableMethod(containingMember) is { } enclosing)
        {
            // A local function of differentiable code is differentiated where it is called, reading its captures as
            // they are then, exactly as the code runs; only a delegate made of it could run at another time.
            return function is ILocalFunctionOperation local && !IsUsedAsDelegate(local, enclosing)
                ? null
                : $"is used in differentiable method '{enclosing.Name}'";
        }

        // Outside differentiable code a function is only a hazard where it does not run when the code says: handed to
        // LINQ, Parallel or a task, or to a differentiable method. One kept in a local and called in place is not.
        if (DelegateConsumers.HazardousConsumer(function, symbols) is not { } consumer)
        {
            return null;
        }

        if (symbols.IsDifferentiable(consumer.TargetMethod))
        {
            return $"is passed to differentiable method '{consumer.TargetMethod.Name}'";
        }

        foreach (var operation in body.Descendants())
        {
            var target = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IMethodReferenceOperation reference => reference.Method,
                _ => null,
            };
            if (target is not null && symbols.IsDifferentiable(target))
            {
                return $"calls differentiable method '{target.Name}' and is passed to '{consumer.TargetMethod.Name}'";
            }
        }

        return null;
    }

    private static bool IsUsedAsDelegate(ILocalFunctionOperation local, IMethodSymbol enclosing)
    {
        foreach (SyntaxReference reference in enclosing.DeclaringSyntaxReferences)
        {
            IOperation? root = local.SemanticModel?.GetOperation(reference.GetSyntax());
            if (root is null)
            {
                return true;
            }

            foreach (IOperation operation in root.DescendantsAndSelf())
            {
                if (operation is IMethodReferenceOperation methodReference && SymbolEqualityComparer.Default.Equals(methodReference.Method, local.Symbol))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Variable references of this function's own body; nested functions report their own captures.</summary>
    private static IEnumerable<IOperation> OwnVariableReferences(IOperation body)
    {
        var pending = new Stack<IOperation>();
        pending.Push(body);
        var ordered = new List<IOperation>();
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is ILocalReferenceOperation or IParameterReferenceOperation)
            {
                ordered.Add(operation);
            }

            foreach (var child in operation.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    pending.Push(child);
                }
            }
        }

        // Report the first reference in source order, whatever order the walk found them in.
        ordered.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));
        return ordered;
    }

    private static bool IsDeclaredInside(ISymbol variable, Microsoft.CodeAnalysis.Text.TextSpan functionSpan)
    {
        foreach (var location in variable.Locations)
        {
            if (location.IsInSource && functionSpan.Contains(location.SourceSpan))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>Locals and parameters assigned after their declaration, anywhere in the member (lambdas included).</summary>
    private static HashSet<ISymbol> ReassignedVariables(IOperation root)
    {
        var reassigned = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case ILocalReferenceOperation { IsDeclaration: false } local when WriteTargets.IsWritten(local):
                    reassigned.Add(local.Local);
                    break;
                case IParameterReferenceOperation parameter when WriteTargets.IsWritten(parameter):
                    reassigned.Add(parameter.Parameter);
                    break;
            }
        }

        return reassigned;
    }

    private static string Describe(IOperation function, IMethodSymbol symbol) => function switch
    {
        ILocalFunctionOperation => $"local function '{symbol.Name}'",
        _ when function.Syntax is AnonymousMethodExpressionSyntax => "anonymous method",
        _ => "lambda",
    };
}
