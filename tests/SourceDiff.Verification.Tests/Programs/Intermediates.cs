using System;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>
/// The largest magnitude an operation of the reference twin produced since <see cref="Reset"/>. When an intermediate
/// overflows (<c>exp(800)</c>, then <c>atan</c> of it), the primal can still be finite while reverse mode, by IEEE
/// arithmetic, gives NaN or ∞ (<c>0·∞</c>), as PyTorch and JAX do: the oracle cannot judge such a point, and says so
/// instead of calling it a wrong gradient.
/// </summary>
public static class Intermediates
{
    [ThreadStatic] private static double largest;

    public static double Largest => largest;

    public static void Reset() => largest = 0;

    public static double Track(double value)
    {
        double magnitude = double.IsNaN(value) ? double.PositiveInfinity : Math.Abs(value);
        if (magnitude > largest)
        {
            largest = magnitude;
        }

        return value;
    }

    /// <summary>Tracks every element a TensorPrimitives call of the twin wrote.</summary>
    public static void TrackSpan(ReadOnlySpan<double> values)
    {
        foreach (double value in values)
        {
            Track(value);
        }
    }

    /// <summary>Tracks every element of a MathNet vector the twin computed (<see cref="ProgramFeatures.MathNetCalls"/>).</summary>
    public static MathNet.Numerics.LinearAlgebra.Vector<double> Track(MathNet.Numerics.LinearAlgebra.Vector<double> values)
    {
        foreach (double value in values)
        {
            Track(value);
        }

        return values;
    }

    /// <summary>Tracks every element of a MathNet matrix the twin computed.</summary>
    public static MathNet.Numerics.LinearAlgebra.Matrix<double> Track(MathNet.Numerics.LinearAlgebra.Matrix<double> values)
    {
        foreach (double value in values.Enumerate())
        {
            Track(value);
        }

        return values;
    }

    /// <summary>
    /// A value that is positive in exact arithmetic but underflowed to 0 (<c>exp(-800)</c>) before a square root: the
    /// root's derivative there is ∞, and the chain rule's ∞·0 is NaN in any reverse mode; like an overflow, the point
    /// cannot be judged.
    /// </summary>
    public static double TrackUnderflow(double value)
    {
        if (value == 0)
        {
            largest = double.PositiveInfinity;
        }

        return value;
    }
}
