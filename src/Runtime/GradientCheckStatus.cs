namespace SourceDiff;

/// <summary>The verdict on one comparison of a <see cref="GradientCheck"/> (see <see cref="GradientCheckEntry.Status"/>).</summary>
public enum GradientCheckStatus
{
    /// <summary>The analytic value agrees with the finite difference within the tolerance.</summary>
    Passed,

    /// <summary>
    /// The analytic value disagrees with a finite difference that is reliable at this point (its Richardson levels agree
    /// and its one-sided slopes match), or a value is not finite: the gradient is wrong here.
    /// </summary>
    Failed,

    /// <summary>
    /// The analytic value disagrees with the finite difference, but the difference itself is unreliable at every step
    /// tried: the function is not smooth within the step (a kink such as ReLU or <c>Abs</c>, or a jump), or it curves
    /// too much for it. Nothing can be said about the gradient here, so this does not fail the check; the reason is in
    /// <see cref="GradientCheckEntry.Reason"/>.
    /// </summary>
    Inconclusive,
}
