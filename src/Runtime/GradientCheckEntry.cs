using System;

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
/// <param name="Step">
/// The step <c>h</c> actually taken (after rounding <c>x ± h</c> to the buffer's precision); smaller than the base step
/// when the comparison was redone with a smaller one (see <see cref="GradientCheckOptions.StepRefinements"/>).
/// </param>
/// <param name="NumericErrorEstimate">
/// How far the two Richardson levels (h and h/2) disagreed, an estimate of the numeric error; without Richardson, NaN
/// unless a disagreement made the checker difference at h/2 too. A comparison only fails where this is within the
/// tolerance (or explained by rounding); where it is not, the finite difference itself is unreliable.
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
    private readonly GradientCheckStatus? status;

    /// <summary><c>|Analytic − Numeric|</c> (infinite when either is not finite and they differ).</summary>
    public double AbsoluteError => Analytic == Numeric ? 0 : double.IsFinite(Analytic) && double.IsFinite(Numeric)
        ? Math.Abs(Analytic - Numeric)
        : double.PositiveInfinity;

    /// <summary>
    /// <see cref="AbsoluteError"/> / <see cref="Tolerance"/>: the comparison agrees when this is at most 1. It is the
    /// number to sort by, because it is comparable across coordinates of very different magnitude.
    /// </summary>
    public double Error => AbsoluteError == 0 ? 0 : AbsoluteError / Tolerance;

    /// <summary>
    /// The verdict. The checker sets it; when not set, it is <see cref="GradientCheckStatus.Passed"/> if
    /// <see cref="Error"/> is at most 1 and <see cref="GradientCheckStatus.Failed"/> otherwise.
    /// <see cref="GradientCheckStatus.Inconclusive"/> entries have an error above 1 that says nothing about the
    /// gradient, because the finite difference is unreliable there (see <see cref="Reason"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not a defined status.</exception>
    public GradientCheckStatus Status
    {
        get => status ?? (Error <= 1 ? GradientCheckStatus.Passed : GradientCheckStatus.Failed);
        init => status = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Status), value, "Not a defined status.");
    }

    /// <summary>
    /// Why the status is what it is, when there is more to say than the numbers: what made the comparison inconclusive
    /// (and at which step), why a failure is trustworthy or which value was not finite, or the smaller step a passing
    /// comparison needed. Null for a plain pass at the base step, and for the returned-value comparison.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Whether <see cref="Status"/> is <see cref="GradientCheckStatus.Passed"/>. False for an inconclusive entry, which
    /// neither passed nor failed.
    /// </summary>
    public bool Passed => Status == GradientCheckStatus.Passed;
}
