using System;
using SourceDiff.Tests.Generator;
using Xunit;

namespace SourceDiff.Tests.Models;

/// <summary>
/// Functions with custom pullbacks that let a test act while a gradient call runs: <see cref="Probe"/>'s pullback runs
/// <see cref="DuringReverse"/> in the reverse sweep; <see cref="Guard"/> throws in the primal (so in the forward sweep)
/// once it has been called <see cref="AllowedGuards"/> times (0: never). Thread-static, so tests running in parallel do not meet.
/// </summary>
public static class SweepHooks
{
    [ThreadStatic] public static Action? DuringReverse;
    [ThreadStatic] public static int AllowedGuards;
    [ThreadStatic] public static int Guards;

    public static double Probe(double x) => x;

    [DerivativeOf(typeof(SweepHooks), nameof(Probe))]
    public static void ProbePullback(double x, double dResult, ref double dX)
    {
        DuringReverse?.Invoke();
        dX += dResult;
    }

    public static double Guard(double x) => AllowedGuards > 0 && ++Guards > AllowedGuards ? throw new InvalidOperationException("guard tripped") : x;

    [DerivativeOf(typeof(SweepHooks), nameof(Guard))]
    public static void GuardPullback(double x, double dResult, ref double dX) => dX += dResult;
}

/// <summary>A recurrent model writing a [State] array, a counter, and reading (never writing) its parameter array.</summary>
public partial class HookedRecurrence
{
    public double[] W = { 0.5, -0.3 };
    [State] public double[] H = { 0.1, 0.2 };
    [NoDerivative] public int Steps;

    private int Tick() => ++Steps;

    [Differentiable]
    public double Loss([NoDerivative] double[] xs)
    {
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            int step = Tick();
            for (int k = 0; k < H.Length; k++)
            {
                H[k] = Math.Tanh(W[k] * xs[t] + 0.5 * H[k]);
            }

            loss += SweepHooks.Probe(SweepHooks.Guard(H[0] * H[1])) * step;
        }

        return loss;
    }
}

/// <summary>Issue 8, items 10 and 11: what the model holds after a gradient call, and after one that throws.</summary>
public class FinalStateTests
{
    private static readonly double[] Xs = { 0.4, -1.3, 2.2, 0.8 };

    private static HookedRecurrence AfterPrimal()
    {
        var reference = new HookedRecurrence();
        reference.Loss(Xs);
        return reference;
    }

    private static void Run(Action hook, Action call)
    {
        SweepHooks.DuringReverse = hook;
        try
        {
            call();
        }
        finally
        {
            SweepHooks.DuringReverse = null;
        }
    }

    [Fact]
    public void AfterAGradientCallTheModelHoldsWhatThePrimalLeavesInTheSameArrays()
    {
        var model = new HookedRecurrence();
        double[] state = model.H;
        var gradient = new HookedRecurrence.Gradient(model);
        Run(() => { }, () => model.LossGradient(Xs, gradient));
        HookedRecurrence reference = AfterPrimal();
        Assert.Same(state, model.H);
        Assert.Equal(reference.H, model.H);
        Assert.Equal(reference.Steps, model.Steps);
        var fresh = new HookedRecurrence();
        GradientCheck.Check(fresh, () => fresh.Loss(Xs), (HookedRecurrence.Gradient g) => fresh.LossGradient(Xs, g)).ThrowIfFailed();
    }

    [Fact]
    public void AParameterUpdatedByAnotherPartyDuringTheCallIsNotPutBack()
    {
        var model = new HookedRecurrence();
        var gradient = new HookedRecurrence.Gradient(model);
        Run(() => model.W[0] = 42, () => model.LossGradient(Xs, gradient));
        Assert.Equal(42, model.W[0]);
        Assert.Equal(AfterPrimal().H, model.H);   // the [State] array is still put back exactly

        model = new HookedRecurrence();
        Run(() => model.W[1] = -42, () => model.LossPullback(Xs, 1.0, gradient));
        Assert.Equal(-42, model.W[1]);
        Assert.Equal(AfterPrimal().H, model.H);
    }

    [Fact]
    public void AnExceptionInTheReverseSweepLeavesWhatThePrimalLeaves()
    {
        var model = new HookedRecurrence();
        var gradient = new HookedRecurrence.Gradient(model);
        int calls = 0;
        Action throwOnSecond = () =>
        {
            if (++calls == 2)
            {
                throw new InvalidOperationException("pullback failed");
            }
        };
        Assert.Throws<InvalidOperationException>(() => Run(throwOnSecond, () => model.LossGradient(Xs, gradient)));
        HookedRecurrence reference = AfterPrimal();
        Assert.Equal(reference.H, model.H);
        Assert.Equal(reference.Steps, model.Steps);

        model = new HookedRecurrence();
        calls = 0;
        Assert.Throws<InvalidOperationException>(() => Run(throwOnSecond, () => model.LossPullback(Xs, 1.0, gradient)));
        Assert.Equal(reference.H, model.H);
    }

    [Fact]
    public void AnExceptionInTheForwardSweepLeavesTheModelWhereThePrimalThrewAndTheGradientUntouched()
    {
        // The third step's guard throws: in the primal, and so in the forward sweep.
        var reference = new HookedRecurrence();
        var model = new HookedRecurrence();
        var gradient = new HookedRecurrence.Gradient(model);
        Array.Fill(gradient.W, 7.0);
        SweepHooks.AllowedGuards = 2;
        try
        {
            SweepHooks.Guards = 0;
            Assert.Throws<InvalidOperationException>(() => reference.Loss(Xs));
            SweepHooks.Guards = 0;
            Assert.Throws<InvalidOperationException>(() => model.LossGradient(Xs, gradient));
        }
        finally
        {
            SweepHooks.AllowedGuards = 0;
        }

        Assert.Equal(3, reference.Steps);
        Assert.Equal(reference.H, model.H);
        Assert.Equal(reference.Steps, model.Steps);
        Assert.Equal(new[] { 7.0, 7.0 }, gradient.W);
    }

    [Fact]
    public void OnlyWhatTheMethodMayWriteIsSavedAndPutBack()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using SourceDiff;
            public partial class M
            {
                public double[] W = new double[2];
                public double[] Unwritten = new double[2];
                [State] public double[] H = new double[2];
                [State] public double[] Filled = new double[2];
                [State] public double G;
                public int Count;

                [Differentiable] private static void Fill(double[] target, double value) { target[0] = value; }
                [Differentiable] private static double Sum(double[] values) => values[0] + values[1];
                private void Bump() { Count++; }

                [Differentiable]
                public double Step(double x)
                {
                    Bump();
                    Fill(Filled, 0.0);
                    H[0] = Sum(W) * x + H[1];
                    return H[0] * Unwritten[0];
                }

                [Differentiable]
                public double Other(double x) { G = x * W[1]; return G; }
            }
            """);
        result.AssertCompiles();
        string step = result.Generated("M.Step.g.cs");
        Assert.Contains("_final_H", step);
        Assert.Contains("_final_Filled", step);
        Assert.Contains("_final_Count", step);
        Assert.DoesNotContain("_final_W", step);
        Assert.DoesNotContain("_final_Unwritten", step);
        Assert.DoesNotContain("_final_G", step);
        string gradient = result.Generated("M.Gradient.g.cs");
        string writable = gradient.Substring(gradient.IndexOf("CaptureWritableState()", StringComparison.Ordinal));
        Assert.Contains("this.G", writable);
        Assert.DoesNotContain("this.W)", writable);
        Assert.DoesNotContain("this.Unwritten", writable);
    }
}

/// <summary>A [State] array written only by a span's CopyTo (from stackalloc scratch).</summary>
public partial class StackallocCopyState
{
    public double W = 0.5;

    [State]
    public double[] Hs = new double[2];

    [Differentiable]
    public double Step(double x)
    {
        System.Span<double> tmp = stackalloc double[2];
        tmp[0] = W * x + Hs[1];
        tmp[1] = x * x;
        tmp.CopyTo(Hs);
        return Hs[0] + Hs[1];
    }
}

public class StackallocCopyStateTests
{
    [Fact]
    public void State_written_by_a_span_CopyTo_is_what_the_plain_call_leaves()
    {
        var model = new StackallocCopyState { Hs = { [1] = 0.3 } };
        var gradient = new StackallocCopyState.Gradient(model);
        double value = model.StepGradient(0.7, gradient, out double dx);
        var plain = new StackallocCopyState { Hs = { [1] = 0.3 } };
        Assert.Equal(plain.Step(0.7), value);
        Assert.Equal(plain.Hs, model.Hs);
        Assert.Equal(0.5 + 2 * 0.7, dx, 12);
        Assert.Equal(0.7, gradient.W, 12);
    }
}
