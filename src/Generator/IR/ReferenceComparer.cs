using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace SourceDiff.Generator.IR;

/// <summary>Identity comparison for IR nodes, whose records otherwise compare by value (netstandard2.0 lacks one).</summary>
internal sealed class ReferenceComparer : IEqualityComparer<object>
{
    public static readonly ReferenceComparer Instance = new();

    public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

    public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
}
