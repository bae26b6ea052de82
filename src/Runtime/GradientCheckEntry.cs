namespace SourceDiff;

/// <summary>
/// One comparison made by <see cref="GradientCheck"/>: a coordinate (full mode), a random direction (directional mode),
/// or the value returned by a gradient method against the function's own value.
/// </summary>
/// <param name="Name">The buffer or input name (<c>W1</c>, <c>x</c>), <c>direction</c>, or <c>value</c>.</param>
/// <param name="Index">Flat index within the buffer, 0 for a scalar, the direction number, or -1 for the value.</param>
/// <param name="Coordinate">Readable position, e.g. <c>W1[3]</c>, <c>W[1,2]</c>, <c>x</c>, <c>direction 4</c>.</param>
/// <param name="Analytic">The analytic derivative (or directional derivative) in double precision.</param>
/// <param name="Numeric">The finite-difference estimate.</param>
/// <param name="Tolerance">
/// The allowed <c>|Analytic − Numeric|</c>: <c>abs + rel·max(|Analytic|, |Numeric|) + RoundingFloor</c>.
/// </param>
/// <param name="RoundingFloor">
/// The part of <see cref="Tolerance"/> that covers rounding in the evaluations of <c>f</c>:
/// <c>allowance · u · (|f(x+h)| + |f(x−h)|) / 2h</c> (combined over the Richardson levels), <c>u</c> the unit roundoff of
/// the coordinate's precision. A fixed absolute floor cannot be sound: this error grows with <c>|f|</c>.
/// </param>
/// <param name="Step">The step <c>h</c> actually taken (after rounding <c>x ± h</c> to the buffer's precision).</param>
/// <param name="NumericErrorEstimate">
/// How far the two Richardson levels disagreed (an estimate of the numeric error), or NaN without Richardson.
/// When it is comparable to <see cref="Tolerance"/>, the finite difference itself is unreliable at this point
/// (a kink, a discontinuity, or a step too small for the precision).
/// </param>
public sealed record GradientCheckEntry(
    string Name,
    int Index,
    string Coordinate,
    double Analytic,
    double Numeric,
    double Tolerance,
    double RoundingFloor,
    double Step,
    double NumericErrorEstimate)
{
    /// <summary><c>|Analytic − Numeric|</c> (infinite when either is not finite and they differ).</summary>
    public double AbsoluteError => Analytic == Numeric ? 0 : double.IsFinite(Analytic) && double.IsFinite(Numeric)
        ? System.Math.Abs(Analytic - Numeric)
        : double.PositiveInfinity;

    /// <summary>
    /// <see cref="AbsoluteError"/> / <see cref="Tolerance"/>: the comparison passes when this is at most 1. It is the
    /// number to sort by, because it is comparable across coordinates of very different magnitude.
    /// </summary>
    public double Error => AbsoluteError == 0 ? 0 : AbsoluteError / Tolerance;

    /// <summary>Whether <see cref="Error"/> is at most 1.</summary>
    public bool Passed => Error <= 1;
}
