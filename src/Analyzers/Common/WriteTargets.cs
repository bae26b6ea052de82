using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SourceDiff.Analyzers.Common;

/// <summary>Recognises operations that are the target of a write: assignments, ++/--, deconstruction, ref/out arguments.</summary>
internal static class WriteTargets
{
    /// <summary>True when <paramref name="operation"/> itself is assigned, incremented or passed by ref/out.</summary>
    public static bool IsWritten(IOperation operation)
    {
        var child = operation;
        var parent = operation.Parent;

        // A deconstruction target sits inside a tuple: (a, H) = (1, 2).
        while (parent is ITupleOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IAssignmentOperation assignment => assignment.Target == child,
            IIncrementOrDecrementOperation increment => increment.Target == child,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
            _ => false,
        };
    }

    /// <summary>
    /// For a write into an element (<c>W[i] = …</c>, <c>W[i][j] += …</c>), the operation naming the array being written
    /// (<c>W</c>); for a direct write, the operation itself; null when nothing is written.
    /// </summary>
    public static IOperation? WrittenStorage(IOperation operation)
    {
        if (!IsWritten(operation))
        {
            return null;
        }

        var storage = operation;
        while (storage is IArrayElementReferenceOperation element)
        {
            storage = element.ArrayReference;
        }

        return storage;
    }
}
