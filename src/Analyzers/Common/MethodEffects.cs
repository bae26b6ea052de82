using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SourceDiff.Analyzers.Common;

/// <summary>What one method body does to state: its global accesses, the state it writes, and the methods it calls.</summary>
internal sealed class MethodEffects
{
    public static readonly MethodEffects None = new(ImmutableArray<StaticStateAccess>.Empty, null, ImmutableArray<IMethodSymbol>.Empty);

    private MethodEffects(ImmutableArray<StaticStateAccess> staticAccesses, ISymbol? firstStateWritten, ImmutableArray<IMethodSymbol> callees)
    {
        StaticAccesses = staticAccesses;
        FirstStateWritten = firstStateWritten;
        Callees = callees;
    }

    public ImmutableArray<StaticStateAccess> StaticAccesses { get; }

    /// <summary>The first field, static member or ref parameter the body writes (directly or element-wise), if any.</summary>
    public ISymbol? FirstStateWritten { get; }

    public ImmutableArray<IMethodSymbol> Callees { get; }

    public static MethodEffects Compute(IOperation body)
    {
        var staticAccesses = ImmutableArray.CreateBuilder<StaticStateAccess>();
        var callees = ImmutableArray.CreateBuilder<IMethodSymbol>();
        ISymbol? firstStateWritten = null;

        foreach (var operation in body.DescendantsAndSelf())
        {
            if (StaticState.Classify(operation) is { } access)
            {
                staticAccesses.Add(access);
                if (access.IsWrite)
                {
                    firstStateWritten ??= access.Member;
                }

                continue;
            }

            switch (operation)
            {
                case IFieldReferenceOperation { Field.IsStatic: false } field when IsStateWrite(operation):
                    firstStateWritten ??= field.Field;
                    break;
                case IParameterReferenceOperation { Parameter.RefKind: RefKind.Ref } parameter when IsStateWrite(operation):
                    firstStateWritten ??= parameter.Parameter;
                    break;
                case IInvocationOperation invocation:
                    callees.Add(invocation.TargetMethod);
                    break;
            }
        }

        return new MethodEffects(staticAccesses.ToImmutable(), firstStateWritten, callees.ToImmutable());
    }

    private static bool IsStateWrite(IOperation operation) =>
        WriteTargets.IsWritten(operation) || StaticState.IsArrayElementWritten(operation);
}
