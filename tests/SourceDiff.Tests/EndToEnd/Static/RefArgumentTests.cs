using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>
/// Callees that write a <c>ref</c>/<c>out</c> argument and whose reverse sweep reads the value they left there: the
/// caller's reverse sweep must hand them that value, for locals, the caller's own parameters and locals written again.
/// </summary>
public static partial class RefArgumentOps
{
    [Differentiable]
    public static double Sq(ref double h)
    {
        h = 2 * h;
        return h * h;
    }

    [Differentiable]
    public static float SqF(ref float h)
    {
        h = 2 * h;
        return h * h;
    }

    [Differentiable]
    public static double Cube(double x, out double square)
    {
        square = x * x;
        return square * x;
    }

    [Differentiable]
    public static void Twice(ref double h, ref double s)
    {
        h = 2 * h;
        s = h * h;
    }

    [Differentiable]
    public static double PassOn(ref double h) => Sq(ref h) + h;

    [Differentiable]
    public static double StepL(ref double h, double x, double w)
    {
        h = Math.Tanh(w * h + x);
        return h * h;
    }

    [Differentiable]
    public static double Local(double x)
    {
        double h = x;
        return Sq(ref h);
    }

    [Differentiable]
    public static double LocalFloat(float x)
    {
        float h = x;
        return SqF(ref h);
    }

    [Differentiable]
    public static double OutRead(double x)
    {
        double t = Cube(x, out double sq);
        return t + sq;
    }

    [Differentiable]
    public static double TwoCalls(double x)
    {
        double h = x;
        double a = Sq(ref h);
        double b = Sq(ref h);
        return a + b * h;
    }

    [Differentiable]
    public static double OwnParameter(double x, double y) => Sq(ref x) + x * y;

    [Differentiable]
    public static double VoidTwoRefs(double x)
    {
        double h = x, s = 0;
        Twice(ref h, ref s);
        return s + h;
    }

    [Differentiable]
    public static double Forwarded(double x)
    {
        double h = x;
        return PassOn(ref h) * h;
    }

    /// <summary>C# reads the left operand, and the target of a compound assignment, before the call writes it.</summary>
    [Differentiable]
    public static double ReadBeforeTheCall(double x, double y)
    {
        x += Sq(ref x);
        double h = y;
        double sum = h + Sq(ref h) * h;
        double a = Pair(h, Sq(ref h));
        return x * sum + a + Math.Pow(1.5 + y * y, PassOn(ref y));
    }

    [Differentiable]
    public static double Pair(double a, double b) => a * b + a;

    /// <summary>Named arguments out of order run as written: the ref call first, then the read of what it wrote.</summary>
    [Differentiable]
    public static double NamedOutOfOrder(double x)
    {
        double h = x;
        double first = Pair(b: Sq(ref h), a: h);
        double g = x;
        double second = Pair(b: g, a: Sq(ref g));
        return first + second + Math.Pow(y: Sq(ref h) * 0.1, x: 1.5 + h * h);
    }

    /// <summary>Tuple elements are evaluated left to right: the earlier ones read before a later one's call writes.</summary>
    [Differentiable]
    public static double TupleBeforeCall(double x)
    {
        double v = x;
        double p, q;
        (p, q) = (v, Sq(ref v));
        var (r, s) = (v * 2 + 1, Sq(ref v));
        return p * q + r + s * v;
    }

    /// <summary><c>out _</c>: the callee's out value is dropped; its result still counts.</summary>
    [Differentiable]
    public static double Discarded(double x) => Cube(x, out _) + Cube(2 * x, out _);

    [Differentiable]
    public static double Rnn(double[] xs, double w, double h0)
    {
        double h = h0, loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            loss += StepL(ref h, xs[t], w);
        }

        return loss + h;
    }
}

/// <summary>A model whose loss reads its state on the left of a call that overwrites it.</summary>
public partial class StepReader
{
    public double W = 0.8;

    [State]
    public double H;

    [Differentiable]
    public double Step(double x)
    {
        H = Math.Tanh(W * H + x);
        return H;
    }

    [Differentiable]
    public double Loss(double x)
    {
        H = 0.4;
        double e = H + Step(x);
        e += H * Step(x * H);
        e += RefArgumentOps.Pair(b: Step(x), a: H);
        var (p, q) = (H, Step(x));
        return e * e + H + p * q;
    }
}

public class RefArgumentTests
{
    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    public void Scalar_callers(double x)
    {
        double d;
        RefArgumentOps.LocalGradient(x, out d);
        Fd.Scalar("Local", RefArgumentOps.Local, x, d);
        RefArgumentOps.OutReadGradient(x, out d);
        Fd.Scalar("OutRead", RefArgumentOps.OutRead, x, d);
        RefArgumentOps.TwoCallsGradient(x, out d);
        Fd.Scalar("TwoCalls", RefArgumentOps.TwoCalls, x, d);
        RefArgumentOps.VoidTwoRefsGradient(x, out d);
        Fd.Scalar("VoidTwoRefs", RefArgumentOps.VoidTwoRefs, x, d);
        RefArgumentOps.ForwardedGradient(x, out d);
        Fd.Scalar("Forwarded", RefArgumentOps.Forwarded, x, d);
        RefArgumentOps.OwnParameterGradient(x, 0.4, out d, out double dy);
        Fd.Scalar("OwnParameter.x", v => RefArgumentOps.OwnParameter(v, 0.4), x, d);
        Fd.Scalar("OwnParameter.y", v => RefArgumentOps.OwnParameter(x, v), 0.4, dy);
        RefArgumentOps.NamedOutOfOrderGradient(x, out d);
        Fd.Scalar("NamedOutOfOrder", RefArgumentOps.NamedOutOfOrder, x, d);
        Assert.Equal(RefArgumentOps.TupleBeforeCall(x), RefArgumentOps.TupleBeforeCallGradient(x, out d));
        Fd.Scalar("TupleBeforeCall", RefArgumentOps.TupleBeforeCall, x, d);
        RefArgumentOps.DiscardedGradient(x, out d);
        Fd.Scalar("Discarded", RefArgumentOps.Discarded, x, d);
        RefArgumentOps.LocalFloatGradient((float)x, out float df);
        Fd.Scalar("LocalFloat", v => RefArgumentOps.LocalFloat((float)v), x, df, Fd.FloatTol, Fd.FloatStep);
    }

    [Theory]
    [InlineData(0.7, 0.3)]
    [InlineData(-0.4, 0.6)]
    public void Reads_before_a_call_see_the_value_before_it(double x, double y)
    {
        double value = RefArgumentOps.ReadBeforeTheCallGradient(x, y, out double dx, out double dy);
        Assert.Equal(RefArgumentOps.ReadBeforeTheCall(x, y), value);
        Fd.Scalar("x", v => RefArgumentOps.ReadBeforeTheCall(v, y), x, dx);
        Fd.Scalar("y", v => RefArgumentOps.ReadBeforeTheCall(x, v), y, dy);
    }

    [Fact]
    public void A_state_field_read_before_a_step_that_writes_it()
    {
        var model = new StepReader { H = 0.4 };
        var gradient = new StepReader.Gradient(model);
        double value = model.LossGradient(0.9, gradient, out double dx);
        var fresh = new StepReader { H = 0.4 };
        Assert.Equal(fresh.Loss(0.9), value);
        Assert.Equal(fresh.H, model.H);
        Fd.Scalar("x", v => new StepReader { H = 0.4 }.Loss(v), 0.9, dx);
        Fd.Scalar("W", v => new StepReader { H = 0.4, W = v }.Loss(0.9), model.W, gradient.W);
    }

    [Fact]
    public void A_recurrence_through_a_ref_step()
    {
        double[] xs = { 0.3, -0.5, 0.8, 0.1 };
        var dXs = new double[xs.Length];
        RefArgumentOps.RnnGradient(xs, 0.9, 0.2, dXs, out double dW, out double dH0);
        Fd.Vec("xs", () => RefArgumentOps.Rnn(xs, 0.9, 0.2), xs, dXs);
        Fd.Scalar("w", w => RefArgumentOps.Rnn(xs, w, 0.2), 0.9, dW);
        Fd.Scalar("h0", h => RefArgumentOps.Rnn(xs, 0.9, h), 0.2, dH0);
    }
}
