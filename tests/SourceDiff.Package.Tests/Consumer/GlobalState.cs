// The consumer's own style (see Models.cs).
#pragma warning disable CA1062, CA1515, CA2211

using SourceDiff;

namespace Consumer;

/// <summary>A differentiable method that reads a static mutable field: SD1001 here, and only here.</summary>
public static partial class GlobalState
{
    /// <summary>A global every caller shares.</summary>
    public static double Scale = 2.0;

    /// <summary>Scales its input by the global.</summary>
    /// <param name="x">The input.</param>
    /// <returns>The scaled input.</returns>
    [Differentiable]
    public static double Scaled(double x) => Scale * x;
}
