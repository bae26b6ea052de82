namespace SourceDiff;

/// <summary>Operations with a special meaning inside <c>[Differentiable]</c> code.</summary>
public static class Grad
{
    /// <summary>
    /// Returns <paramref name="value"/> unchanged, but no derivative flows through it: the generated adjoint treats it
    /// as a constant. Explicit truncated back-propagation through time is written with it
    /// (<c>if (t % k == 0) H = Grad.Stop(H);</c>); the analyzers report every use, so truncation is never silent.
    /// </summary>
    public static double Stop(double value) => value;

    /// <inheritdoc cref="Stop(double)"/>
    public static float Stop(float value) => value;
}
