namespace SourceDiff;

/// <summary>Which finite differences <see cref="GradientCheck"/> compares the analytic gradient with.</summary>
public enum GradientCheckMode
{
    /// <summary>
    /// One central difference per coordinate: names the exact coordinate that is wrong. Costs 2 evaluations per
    /// coordinate (4 with Richardson extrapolation).
    /// </summary>
    Full,

    /// <summary>
    /// <see cref="GradientCheckOptions.Directions"/> seeded random directions <c>v</c>; compares <c>⟨∇f, v⟩</c> with the
    /// central difference of <c>f</c> along <c>v</c>. The cost does not grow with the number of coordinates, so it suits
    /// large models; it says that the gradient is wrong, not where.
    /// </summary>
    Directional,
}
