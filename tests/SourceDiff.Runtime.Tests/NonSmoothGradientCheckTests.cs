using System;
using System.Linq;
using SourceDiff.Runtime.Tests.Models;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// Kinks and other points where the finite difference is unreliable: a correct gradient there is never reported as
/// failed (it is passed at a smaller step, or inconclusive with the reason), and a wrong gradient at a smooth point,
/// or near a kink once the step is below the kink's distance, still fails.
/// </summary>
public class NonSmoothGradientCheckTests
{
    // Unit 1's pre-activation on sample 0: the inputs of that sample are 0.9 and −0.6, so the base step 7.4e-4 (and
    // h/2) moves it by up to 6.7e-4, across the kink, when W1[2], W1[3] or B1[1] is perturbed; nothing else moves it.
    private const double KinkDistance = 2.4e-5;
    private static readonly string[] KinkedCoordinates = ["W1[2]", "W1[3]", "B1[1]"];

    private static readonly GradientCheckOptions NoRefinement = GradientCheckOptions.Default with { StepRefinements = 0, ReportedCount = 20 };

    private static ReluNetwork KinkedNetwork(double distance)
    {
        var net = new ReluNetwork();
        net.PlaceKink(unit: 1, sample: 0, distance);
        return net;
    }

    private static GradientCheckReport Check(ReluNetwork net, GradientCheckOptions options, Action<double[], double[]>? corrupt = null)
    {
        var dW1 = new double[net.W1.Length];
        var dB1 = new double[net.B1.Length];
        var dW2 = new double[net.W2.Length];
        var dB2 = new double[net.B2.Length];
        return GradientCheck.Check(
            net.Loss,
            () =>
            {
                double loss = net.LossGradient(dW1, dB1, dW2, dB2);
                corrupt?.Invoke(dW1, dW2);
                return loss;
            },
            options,
            GradientCheck.Input(net.W1, dW1, "W1"),
            GradientCheck.Input(net.B1, dB1, "B1"),
            GradientCheck.Input(net.W2, dW2, "W2"),
            GradientCheck.Input(net.B2, dB2, "B2"));
    }

    [Fact]
    public void Relu_KinkWithinTheBaseStep_WithoutRefinement_IsInconclusiveWithItsReason_AndPassesElsewhere()
    {
        ReluNetwork net = KinkedNetwork(KinkDistance);
        Assert.Equal(KinkDistance, net.PreActivation(1, 0), 15);

        GradientCheckReport report = Check(net, NoRefinement);

        Assert.Equal(KinkedCoordinates, report.Inconclusive.Select(e => e.Coordinate));
        foreach (GradientCheckEntry entry in report.Inconclusive)
        {
            Assert.Equal(GradientCheckStatus.Inconclusive, entry.Status);
            Assert.False(entry.Passed);
            Assert.True(entry.Error > 1, "out of tolerance: the checker before this status would have reported a failure");
            Assert.True(entry.NumericErrorEstimate > entry.Tolerance, "and its own error estimate said the difference is unreliable");
            Assert.Contains("not smooth", entry.Reason);
            Assert.Contains("kink", entry.Reason);
        }

        Assert.Empty(report.Failures);
        Assert.True(report.Passed, report.ToString());
        report.ThrowIfFailed();
        Assert.Equal(13 + 1, report.CheckedCount);
        Assert.Equal(13 + 1 - 3, report.Worst.Count);          // every conclusive comparison, and each passed
        Assert.All(report.Worst, e => Assert.Equal(GradientCheckStatus.Passed, e.Status));
        Assert.True(report.MaxError <= 1);
        Assert.Equal(4 * 13 + 1, report.Evaluations);          // f at the point is the returned-value check's evaluation

        string text = report.ToString();
        Assert.StartsWith("Gradient check of function passed: 14 comparisons, 3 inconclusive", text);
        Assert.Contains("Inconclusive coordinates", text);
        Assert.All(KinkedCoordinates, c => Assert.Contains($"  {c}: analytic ", text));
        Assert.Contains("StepRefinements is 0", text);
    }

    [Fact]
    public void Relu_KinkWithinTheBaseStep_IsSteppedOverByDefault_AndPassesAtASmallerStep()
    {
        GradientCheckReport report = Check(KinkedNetwork(KinkDistance), GradientCheckOptions.Default with { ReportedCount = 20 });

        Assert.True(report.Passed, report.ToString());
        Assert.Empty(report.Inconclusive);
        GradientCheckEntry[] kinked = report.Worst.Where(e => KinkedCoordinates.Contains(e.Coordinate)).ToArray();
        Assert.Equal(3, kinked.Length);
        Assert.All(kinked, e =>
        {
            Assert.Equal(GradientCheckStatus.Passed, e.Status);
            Assert.True(e.Step <= report.RelativeStep / 100 * 1.1);   // two refinements; every |x| here is below 1.1
            Assert.StartsWith("passed at the smaller step", e.Reason);
        });
        Assert.All(report.Worst.Except(kinked), e => Assert.Null(e.Reason));
        Assert.Contains("ok at a smaller h", report.ToString());
    }

    [Fact]
    public void Relu_KinkNearerThanTheSmallestStep_IsInconclusiveWithDefaults()
    {
        GradientCheckReport report = Check(KinkedNetwork(1e-12), GradientCheckOptions.Default);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(KinkedCoordinates, report.Inconclusive.Select(e => e.Coordinate));
        Assert.All(report.Inconclusive, e => Assert.Contains("still so after 3 smaller steps", e.Reason));
    }

    [Fact]
    public void Relu_WrongGradientAtASmoothCoordinate_FailsBesideTheInconclusiveOnes()
    {
        // W2[0] multiplies unit 0, whose pre-activations are all far from 0: a smooth coordinate, wrong by 1%.
        GradientCheckReport report = Check(KinkedNetwork(KinkDistance), NoRefinement, (dW1, dW2) => dW2[0] *= 1.01);

        GradientCheckEntry failure = Assert.Single(report.Failures);
        Assert.Equal("W2[0]", failure.Coordinate);
        Assert.Equal(GradientCheckStatus.Failed, failure.Status);
        Assert.Contains("where the difference is reliable", failure.Reason);
        Assert.Equal(KinkedCoordinates, report.Inconclusive.Select(e => e.Coordinate));
        Assert.False(report.Passed);
        GradientCheckException thrown = Assert.Throws<GradientCheckException>(report.ThrowIfFailed);
        Assert.StartsWith("Gradient check of function FAILED: 1 of 14 comparisons out of tolerance, 3 inconclusive", thrown.Message);
    }

    [Fact]
    public void Relu_WrongGradientNextToAKink_FailsOnceTheStepIsBelowTheKinksDistance()
    {
        GradientCheckReport report = Check(KinkedNetwork(KinkDistance), GradientCheckOptions.Default, (dW1, dW2) => dW1[2] *= 2);

        GradientCheckEntry failure = Assert.Single(report.Failures);
        Assert.Equal("W1[2]", failure.Coordinate);
        Assert.True(failure.Step < report.RelativeStep / 10, report.ToString());
        Assert.Contains("At larger steps f is not smooth", failure.Reason);
        Assert.Empty(report.Inconclusive);
    }

    [Fact]
    public void Relu_Directional_KinkIsSteppedOver_OrInconclusiveWithoutRefinement_NeverFailed()
    {
        ReluNetwork net = KinkedNetwork(KinkDistance);
        GradientCheckOptions directional = GradientCheckOptions.Default with { Mode = GradientCheckMode.Directional };

        GradientCheckReport refined = Check(net, directional);
        GradientCheckReport unrefined = Check(net, directional with { StepRefinements = 0 });

        Assert.True(refined.Passed, refined.ToString());
        Assert.Empty(refined.Inconclusive);
        Assert.True(unrefined.Passed, unrefined.ToString());
        Assert.NotEmpty(unrefined.Inconclusive);
        Assert.All(unrefined.Inconclusive, e => Assert.Equal("direction", e.Name));
        Assert.Contains("Inconclusive directions", unrefined.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Abs_ExactlyAtTheKink_OneSidedDerivative_IsInconclusiveNotFailed(bool richardson)
    {
        // d|x|/dx at 0 taken as +1 (the convention of x >= 0 ? 1 : -1): the central difference there is 0 at every
        // step, the mean of the one-sided slopes, and no step can tell which one-sided value is meant.
        double[] x = [0.0, 0.5];
        double[] dx = [1.0, 1.0];

        GradientCheckReport report = GradientCheck.Check(
            () => Math.Abs(x[0]) + x[1] * x[1], GradientCheckOptions.Default with { Richardson = richardson }, GradientCheck.Input(x, dx));

        GradientCheckEntry kink = Assert.Single(report.Inconclusive);
        Assert.Equal("x[0]", kink.Coordinate);
        Assert.Equal(0, kink.Numeric);
        Assert.Contains("forward and backward slopes differ by 2", kink.Reason);
        Assert.Empty(report.Failures);
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(GradientCheckStatus.Passed, Assert.Single(report.Worst).Status);
        Assert.Equal([0.0, 0.5], x);
    }

    [Fact]
    public void Abs_ExactlyAtTheKink_SubgradientZero_AgreesWithTheCentralDifference()
    {
        // SourceDiff's own convention (as for Atan2 at the origin): 0, the mean of the one-sided slopes.
        double[] x = [0.0];

        GradientCheckReport report = GradientCheck.Check(() => Math.Abs(x[0]), GradientCheck.Input(x, new[] { 0.0 }));

        Assert.True(report.Passed, report.ToString());
        Assert.Empty(report.Inconclusive);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DeliberatelyWrongGradient_AtASmoothPoint_IsFailedNotInconclusive(bool richardson)
    {
        // f = sin(x0)·x1 + x1³; ∂f/∂x0 written as −sin(x0)·x1 instead of cos(x0)·x1.
        double[] x = [0.4, 1.3];
        double[] dx = [-Math.Sin(0.4) * 1.3, Math.Sin(0.4) + 3 * 1.3 * 1.3];

        GradientCheckReport report = GradientCheck.Check(
            () => Math.Sin(x[0]) * x[1] + x[1] * x[1] * x[1], GradientCheckOptions.Default with { Richardson = richardson }, GradientCheck.Input(x, dx));

        GradientCheckEntry failure = Assert.Single(report.Failures);
        Assert.Equal("x[0]", failure.Coordinate);
        Assert.Equal(GradientCheckStatus.Failed, failure.Status);
        Assert.Contains("where the difference is reliable", failure.Reason);
        Assert.True(failure.NumericErrorEstimate <= failure.Tolerance);  // without Richardson too: judging takes h/2
        Assert.Empty(report.Inconclusive);
        Assert.False(report.Passed);
    }

    [Fact]
    public void StrongCurvature_WrongGradient_FailsAtASmallerStep_OrIsInconclusiveWithoutRefinement()
    {
        // exp(10x) at 1: at the base step the Richardson levels differ by 0.5, more than the tolerance 0.22, so an error
        // of 0.44 cannot be judged there; at h/10 they agree to 0.005 and it is a failure.
        double[] x = [1.0];
        double[] dx = [10 * Math.Exp(10.0) * (1 + 2e-6)];

        GradientCheckReport refined = GradientCheck.Check(() => Math.Exp(10 * x[0]), GradientCheck.Input(x, dx));
        GradientCheckReport unrefined = GradientCheck.Check(
            () => Math.Exp(10 * x[0]), GradientCheckOptions.Default with { StepRefinements = 0 }, GradientCheck.Input(x, dx));

        GradientCheckEntry failure = Assert.Single(refined.Failures);
        Assert.Equal(refined.RelativeStep / 10, failure.Step, 12);
        Assert.Contains("At larger steps the estimates at h = ", failure.Reason);
        GradientCheckEntry inconclusive = Assert.Single(unrefined.Inconclusive);
        Assert.Contains("more than the tolerance", inconclusive.Reason);
        Assert.True(unrefined.Passed);
    }

    [Fact]
    public void JumpWithinTheBaseStep_ZeroDerivativeOfRound_PassesAtASmallerStep()
    {
        // Round(10x)/10 jumps at x = 0.35, 1e-4 away: the base step straddles the jump, h/10 does not, and there the
        // slope really is 0. The checker cannot flag a derivative that is zero almost everywhere; SD1005 does (docs).
        double[] x = [0.3499];

        GradientCheckReport report = GradientCheck.Check(() => Math.Round(10 * x[0]) / 10, GradientCheck.Input(x, new[] { 0.0 }));

        GradientCheckEntry entry = Assert.Single(report.Worst);
        Assert.Equal(GradientCheckStatus.Passed, entry.Status);
        Assert.StartsWith("passed at the smaller step", entry.Reason);
        Assert.Contains("not smooth", entry.Reason);
    }

    [Fact]
    public void NotFiniteAtThePoint_IsFailedNotInconclusive()
    {
        double[] x = [0.0];

        GradientCheckReport report = GradientCheck.Check(() => 1 / x[0], GradientCheck.Input(x, new[] { 0.0 }));

        GradientCheckEntry failure = Assert.Single(report.Failures);
        Assert.Equal("f is not finite at the point itself.", failure.Reason);
        Assert.Empty(report.Inconclusive);
    }

    [Fact]
    public void ReportedCount_LimitsTheListedInconclusive_NotTheirCount()
    {
        GradientCheckReport report = Check(KinkedNetwork(KinkDistance), NoRefinement with { ReportedCount = 1 });

        string text = report.ToString();

        Assert.Equal(3, report.Inconclusive.Count);
        Assert.Contains("3 inconclusive", text);
        Assert.Contains("  W1[2]: analytic ", text);
        Assert.DoesNotContain("  B1[1]: analytic ", text);
        Assert.Contains("… and 2 more", text);
    }

    [Fact]
    public void NegativeStepRefinements_ThrowsNamingOptions()
    {
        var thrown = Assert.Throws<ArgumentException>(() => GradientCheck.Check(
            () => 0, GradientCheckOptions.Default with { StepRefinements = -1 }, GradientCheck.Input(new double[1], new double[1], "a")));

        Assert.Equal("options", thrown.ParamName);
        Assert.Contains("StepRefinements", thrown.Message);
    }

    [Fact]
    public void Entry_StatusFollowsTheErrorUnlessSet_AndMustBeDefined()
    {
        var wrong = new GradientCheckEntry("w", 0, "w[0]", 5, 4, Tolerance: 1e-8, RoundingFloor: 0, Step: 1e-3, NumericErrorEstimate: 0);
        var right = wrong with { Analytic = 4 };

        Assert.Equal(GradientCheckStatus.Failed, wrong.Status);
        Assert.Equal(GradientCheckStatus.Passed, right.Status);
        Assert.False((wrong with { Status = GradientCheckStatus.Inconclusive }).Passed);
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => wrong with { Status = (GradientCheckStatus)7 });
        Assert.Equal("Status", thrown.ParamName);
    }
}
