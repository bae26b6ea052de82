using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SourceDiff.Analyzers.Common;

/// <summary>One read or write of global mutable state, found at <see cref="Site"/>.</summary>
internal readonly record struct StaticStateAccess(ISymbol Member, bool IsWrite, IOperation Site);

/// <summary>Decides whether an operation touches static (global) mutable state.</summary>
internal static class StaticState
{
    /// <summary>
    /// A static field that is neither const nor readonly, a static property with a setter, or the elements of a
    /// static readonly array being written. Reading a static readonly table, a const or a get-only property is not state.
    /// </summary>
    public static StaticStateAccess? Classify(IOperation operation)
    {
        switch (operation)
        {
            case IFieldReferenceOperation { Field: { IsStatic: true, IsConst: false } field }:
                var elementsWritten = IsArrayElementWritten(operation);
                if (field.IsReadOnly && !elementsWritten)
                {
                    return null;
                }

                return new StaticStateAccess(field, elementsWritten || WriteTargets.IsWritten(operation), operation);

            case IPropertyReferenceOperation { Property: { IsStatic: true, SetMethod: { IsInitOnly: false } } property }:
                return new StaticStateAccess(property, WriteTargets.IsWritten(operation), operation);

            default:
                return null;
        }
    }

    /// <summary>True when <paramref name="array"/> is the array of an element (at any depth) that is written.</summary>
    public static bool IsArrayElementWritten(IOperation array)
    {
        var current = array;
        while (current.Parent is IArrayElementReferenceOperation element && element.ArrayReference == current)
        {
            current = element;
        }

        return current != array && WriteTargets.IsWritten(current);
    }
}
