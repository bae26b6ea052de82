using System;

namespace SourceDiff;

/// <summary>
/// How <see cref="GradientCheck"/> differentiates numerically and what it accepts. Immutable; derive variants with
/// <c>with</c>: <c>GradientCheckOptions.Default with { Mode = GradientCheckMode.Directional }</c>.
/// </summary>
/// <remarks>
/// A comparison passes when <c>|a − n| ≤ abs + rel·max(|a|, |n|) + rounding floor</c> (see
/// <see cref="GradientCheckEntry.RoundingFloor"/>). Unlike the pure relative distance <c>|a − n| / (|a| + |n|)</c>, this
/// stays meaningful when both values are near zero, where the relative distance of two tiny noisy numbers is
/// arbitrary. Coordinates held in <c>float</c> use the <c>Single…</c> settings.
/// </remarks>
public sealed record GradientCheckOptions
{
    /// <summary>Double machine epsilon, 2⁻⁵².</summary>
    private const double DoubleEpsilon = 2.220446049250313e-16;

    /// <summary>Single machine epsilon, 2⁻²³.</summary>
    private const double SingleEpsilon = 1.1920928955078125e-7;

    /// <summary>The defaults: full mode, Richardson extrapolation, the tolerances documented on each property.</summary>
    public static GradientCheckOptions Default { get; } = new();

    /// <summary>Every coordinate (default), or random directions.</summary>
    public GradientCheckMode Mode { get; init; } = GradientCheckMode.Full;

    /// <summary>
    /// Relative tolerance for <c>double</c> coordinates. Default 1e-6: the numeric derivative is good to about 1e-10
    /// with the default steps, so this leaves room for ill-conditioned losses (long sequences) while any real adjoint
    /// bug, which is wrong by a sizeable fraction, still fails.
    /// </summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>
    /// Absolute tolerance for <c>double</c> coordinates, on top of the rounding floor. Default 1e-8: covers the truncation
    /// error of the difference quotient where the gradient itself is near zero.
    /// </summary>
    public double AbsoluteTolerance { get; init; } = 1e-8;

    /// <summary>
    /// Relative tolerance for <c>float</c> coordinates. Default 1e-3: a <c>float</c> loss is only good to about 1e-7
    /// relative, which a difference quotient amplifies by 1/h.
    /// </summary>
    public double SingleRelativeTolerance { get; init; } = 1e-3;

    /// <summary>Absolute tolerance for <c>float</c> coordinates, on top of the rounding floor. Default 1e-5.</summary>
    public double SingleAbsoluteTolerance { get; init; } = 1e-5;

    /// <summary>
    /// Multiplier on the estimated rounding error of the difference quotient, <c>u·(|f(x+h)| + |f(x−h)|)/2h</c>, added to
    /// the absolute tolerance. Default 100: a loss summed over many terms rounds worse than one operation, and the floor
    /// stays far below any real gradient error (about 1e-11·|f| for double). 0 turns the floor off.
    /// </summary>
    public double RoundingAllowance { get; init; } = 100;

    /// <summary>
    /// Use Richardson extrapolation: central differences at h and h/2 combined to cancel the h² error term. Costs twice
    /// the evaluations and gives about 1e-12 instead of 1e-10 for smooth double functions, and an error estimate per
    /// coordinate. Default true.
    /// </summary>
    public bool Richardson { get; init; } = true;

    /// <summary>
    /// Base step for <c>double</c> coordinates: each coordinate <c>x</c> is perturbed by <c>h = RelativeStep·max(1, |x|)</c>.
    /// Null (default) picks the step that balances truncation against rounding: ε^(1/5) ≈ 7.4e-4 with Richardson
    /// (fourth-order error), ε^(1/3) ≈ 6.1e-6 without (second-order error), ε the machine epsilon.
    /// </summary>
    public double? RelativeStep { get; init; }

    /// <summary>
    /// Base step for <c>float</c> coordinates. Null (default): ε_f^(1/5) ≈ 0.041 with Richardson, ε_f^(1/3) ≈ 4.9e-3
    /// without. Smaller steps drown in the rounding of a <c>float</c> loss.
    /// </summary>
    public double? SingleRelativeStep { get; init; }

    /// <summary>
    /// How many times a disagreeing comparison whose finite difference is unreliable is redone with a step 10× smaller
    /// before it is reported <see cref="GradientCheckStatus.Inconclusive"/> instead of failed. Unreliable means that the
    /// estimates at h and h/2 differ by more than the tolerance and than rounding explains, or that the forward and
    /// backward slopes differ (a kink, such as ReLU's or <c>Abs</c>'s, or a jump within ±h). Default 3: a kink farther
    /// than about h/1000 from the point is then no longer stepped over, and the comparison is judged at the smaller step.
    /// A smaller step is not tried when its rounding floor would exceed the tolerance at the base step (so refinement
    /// never loosens the criterion by more than 2×), nor below 1024 units of roundoff. Agreeing comparisons cost nothing
    /// more; a disagreeing one costs 2 evaluations to judge without Richardson, 4 per smaller step, and the check
    /// evaluates <c>f</c> at the unperturbed point once. 0 turns refinement off: every unreliable disagreement is then
    /// inconclusive at the base step.
    /// </summary>
    public int StepRefinements { get; init; } = 3;

    /// <summary>Number of random directions in <see cref="GradientCheckMode.Directional"/> mode. Default 8.</summary>
    public int Directions { get; init; } = 8;

    /// <summary>Seed of the random directions, so that a failing check reproduces. Default 12345.</summary>
    public int Seed { get; init; } = 12345;

    /// <summary>How many of the worst comparisons the report lists. Default 10.</summary>
    public int ReportedCount { get; init; } = 10;

    /// <summary>The base step used for a coordinate of the given precision, after resolving the defaults.</summary>
    public double StepFor(bool single)
    {
        double? chosen = single ? SingleRelativeStep : RelativeStep;
        if (chosen is { } step)
        {
            return step;
        }

        double epsilon = single ? SingleEpsilon : DoubleEpsilon;
        return Richardson ? Math.Pow(epsilon, 0.2) : Math.Cbrt(epsilon);
    }

    /// <summary>Throws <see cref="ArgumentException"/> (naming <paramref name="parameterName"/>) when a setting is out of range.</summary>
    internal void Validate(string parameterName)
    {
        static bool NonNegative(double value) => value >= 0 && double.IsFinite(value);
        static bool StepOk(double? value) => value is null || (value > 0 && double.IsFinite(value.Value) && value < 1);

        string? problem =
            !Enum.IsDefined(Mode) ? $"Mode {Mode} is not defined." :
            !NonNegative(RelativeTolerance) ? $"RelativeTolerance must be finite and non-negative (is {RelativeTolerance})." :
            !NonNegative(AbsoluteTolerance) ? $"AbsoluteTolerance must be finite and non-negative (is {AbsoluteTolerance})." :
            !NonNegative(SingleRelativeTolerance) ? $"SingleRelativeTolerance must be finite and non-negative (is {SingleRelativeTolerance})." :
            !NonNegative(SingleAbsoluteTolerance) ? $"SingleAbsoluteTolerance must be finite and non-negative (is {SingleAbsoluteTolerance})." :
            !NonNegative(RoundingAllowance) ? $"RoundingAllowance must be finite and non-negative (is {RoundingAllowance})." :
            !StepOk(RelativeStep) ? $"RelativeStep must be in (0, 1) (is {RelativeStep})." :
            !StepOk(SingleRelativeStep) ? $"SingleRelativeStep must be in (0, 1) (is {SingleRelativeStep})." :
            Directions < 1 ? $"Directions must be at least 1 (is {Directions})." :
            StepRefinements < 0 ? $"StepRefinements must be non-negative (is {StepRefinements})." :
            ReportedCount < 0 ? $"ReportedCount must be non-negative (is {ReportedCount})." :
            null;
        if (problem is not null)
        {
            throw new ArgumentException(problem, parameterName);
        }
    }
}
