using System;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>
/// RNN steps over two scratch arrays, where copying next back into h makes them equal where each step starts, so the
/// reverse sweep reloads next's old elements from h instead of the tape; and every way of breaking a condition of
/// that, which must go back to recording. Each is checked against finite differences at sizes where loops run zero,
/// one and several times.
/// </summary>
public static partial class Reloads
{
    /// <summary>The flat Elman step: next from h, then copied back into h.</summary>
    [Differentiable]
    public static double Elman(double[] w, double[] u, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                double a = u[i] * xs[t];
                for (int j = 0; j < hidden; j++)
                {
                    a += w[i * hidden + j] * h[j];
                }

                next[i] = Math.Tanh(a);
            }

            for (int i = 0; i < hidden; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] * (i + 1);
            }
        }

        return loss;
    }

    /// <summary>The same in float.</summary>
    [Differentiable]
    public static float ElmanFloat(float[] w, float[] u, [NoDerivative] float[] xs, int hidden, int steps)
    {
        float[] h = new float[hidden];
        float[] next = new float[hidden];
        float loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                float a = u[i] * xs[t];
                for (int j = 0; j < hidden; j++)
                {
                    a += w[i * hidden + j] * h[j];
                }

                next[i] = MathF.Tanh(a);
            }

            for (int i = 0; i < hidden; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }
        }

        return loss;
    }

    /// <summary>The roles swapped (h from next, copied into next), the copy writing its loss from the source.</summary>
    [Differentiable]
    public static double Swapped(double[] w, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                h[i] = Math.Sin(w[i] * next[(i + 1) % hidden] + xs[t]);
            }

            for (int i = 0; i < hidden; i++)
            {
                next[i] = h[i];
                loss += h[i] * next[i];
            }
        }

        return loss;
    }

    /// <summary>Equal through a chain of copies (a into b, b into c): a's old elements reload from b or c.</summary>
    [Differentiable]
    public static double Chain(double[] w, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] a = new double[hidden];
        double[] b = new double[hidden];
        double[] c = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                a[i] = Math.Tanh(w[i] * c[(i + 1) % hidden] + xs[t]);
            }

            for (int i = 0; i < hidden; i++)
            {
                b[i] = a[i];
            }

            for (int i = 0; i < hidden; i++)
            {
                c[i] = b[i];
                loss += c[i] * c[i];
            }
        }

        return loss;
    }

    /// <summary>A write to h after the copy: h and next differ where the next step starts, so next's writes are recorded.</summary>
    [Differentiable]
    public static double KilledBetween(double[] w, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                next[i] = Math.Tanh(w[i] * h[i] + xs[t]);
            }

            for (int i = 0; i < hidden; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }

            h[0] = h[0] * 0.5 + next[hidden - 1];
        }

        return loss;
    }

    /// <summary>The copy leaves the last element out: next and h differ there.</summary>
    [Differentiable]
    public static double PartialCopy(double[] w, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + 1) % hidden] + next[i] + xs[t]);
            }

            for (int i = 0; i < hidden - 1; i++)
            {
                h[i] = next[i];
            }

            for (int i = 0; i < hidden; i++)
            {
                loss += h[i] * next[i];
            }
        }

        return loss;
    }

    /// <summary>next written twice in an iteration: the second write's old value is the first one's, not h's.</summary>
    [Differentiable]
    public static double TwiceWritten(double[] w, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                next[i] = Math.Tanh(w[i] * h[i] + xs[t]);
                next[i] = next[i] * next[i] + 0.5 * w[i];
            }

            for (int i = 0; i < hidden; i++)
            {
                h[i] = next[i];
                loss += h[i];
            }
        }

        return loss;
    }

    /// <summary>The copy on even steps only: after the branch h and next may differ.</summary>
    [Differentiable]
    public static double ConditionalCopy(double[] w, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                next[i] = Math.Tanh(w[i] * h[i] + xs[t]);
            }

            if (t % 2 == 0)
            {
                for (int i = 0; i < hidden; i++)
                {
                    h[i] = next[i];
                }
            }
            else
            {
                for (int i = 0; i < hidden; i++)
                {
                    h[i] = 0.5 * next[i];
                }
            }

            for (int i = 0; i < hidden; i++)
            {
                loss += h[i] * h[i];
            }
        }

        return loss;
    }

    /// <summary>A write through <c>?:</c> may reach either array: neither has equality facts.</summary>
    [Differentiable]
    public static double ThroughConditional(double[] w, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                next[i] = Math.Tanh(w[i] * h[i] + xs[t]);
            }

            for (int i = 0; i < hidden; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }

            (t % 2 == 0 ? h : next)[0] += 0.25 * xs[t];
        }

        return loss;
    }

    /// <summary>A data-dependent number of steps (a while loop), with the reload inside it.</summary>
    [Differentiable]
    public static double WhileSteps(double[] w, [NoDerivative] double[] xs, int hidden, double limit)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        int t = 0;
        while (t < xs.Length && loss < limit)
        {
            for (int i = 0; i < hidden; i++)
            {
                next[i] = Math.Tanh(w[i] * h[(i + hidden - 1) % hidden] + xs[t]);
            }

            for (int i = 0; i < hidden; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i] + 0.1;
            }

            t++;
        }

        return loss;
    }

    /// <summary>Reloading x from y would make y's copies recorded (the reverse reads y nowhere else): x stays recorded.</summary>
    [Differentiable]
    public static double SourceNotReadOtherwise(double[] w, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] x = new double[hidden];
        double[] y = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                x[i] = Math.Tanh(w[i] * x[i] + xs[t]);
            }

            for (int i = 0; i < hidden; i++)
            {
                y[i] = x[i];
                loss += 3 * y[i];
            }
        }

        return loss;
    }

    [Differentiable]
    public static double SetAt(double[] a, int k, double v)
    {
        a[k] = v;
        return Math.Sin(a[k] * v);
    }

    [Differentiable]
    public static double SetNext(double[] a, int k, double v)
    {
        if (k + 1 < a.Length)
        {
            a[k + 1] = v;
        }

        return v * v;
    }

    /// <summary>
    /// The written element's array given to the call that computes its value, which writes it too (the same element,
    /// then the next one): the value the store overwrites is the call's, not h's (found by a new-user trial).
    /// </summary>
    [Differentiable]
    public static double CallWritesTarget(double[] w, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                next[i] = SetAt(next, i, w[i] * (h[i] + xs[t]));
            }

            for (int i = 0; i < hidden; i++)
            {
                next[i] = SetNext(next, i, w[i] * (next[i] + 1));
            }

            for (int i = 0; i < hidden; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }
        }

        return loss;
    }

    /// <summary>The Elman step checkpointed: an iteration recomputed from a snapshot reloads from the h it rebuilt.</summary>
    [Differentiable]
    [Checkpoint(Snapshots = 2)]
    public static double Checkpointed(double[] w, [NoDerivative] double[] xs, int hidden, int steps)
    {
        double[] h = new double[hidden];
        double[] next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                double a = xs[t];
                for (int j = 0; j < hidden; j++)
                {
                    a += w[i * hidden + j] * h[j];
                }

                next[i] = Math.Tanh(a);
            }

            for (int i = 0; i < hidden; i++)
            {
                h[i] = next[i];
                loss += h[i] * h[i];
            }
        }

        return loss;
    }
}

public class EqualArrayReloadTests
{
    public static TheoryData<int, int> Sizes => new() { { 1, 0 }, { 1, 1 }, { 1, 4 }, { 3, 1 }, { 3, 5 }, { 4, 6 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ElmanMatchesFiniteDifferences(int hidden, int steps)
    {
        double[] w = Fd.Values(hidden * hidden, 1);
        double[] u = Fd.Values(hidden, 2);
        double[] xs = Fd.Values(steps, 3);
        var dW = new double[w.Length];
        var dU = new double[u.Length];
        double value = Reloads.ElmanGradient(w, u, xs, hidden, steps, dW, dU);
        Assert.Equal(Reloads.Elman(w, u, xs, hidden, steps), value);
        Fd.Vec("w", () => Reloads.Elman(w, u, xs, hidden, steps), w, dW);
        Fd.Vec("u", () => Reloads.Elman(w, u, xs, hidden, steps), u, dU);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void FloatElmanMatchesFiniteDifferences(int hidden, int steps)
    {
        float[] w = Array.ConvertAll(Fd.Values(hidden * hidden, 4), v => (float)v);
        float[] u = Array.ConvertAll(Fd.Values(hidden, 5), v => (float)v);
        float[] xs = Array.ConvertAll(Fd.Values(steps, 6), v => (float)v);
        var dW = new float[w.Length];
        var dU = new float[u.Length];
        Reloads.ElmanFloatGradient(w, u, xs, hidden, steps, dW, dU);
        Fd.Vec("w", () => Reloads.ElmanFloat(w, u, xs, hidden, steps), w, dW);
        Fd.Vec("u", () => Reloads.ElmanFloat(w, u, xs, hidden, steps), u, dU);
    }

    private delegate double Loss(double[] w, double[] xs, int hidden, int steps);

    private delegate double Gradient(double[] w, double[] xs, int hidden, int steps, double[] dW);

    public static TheoryData<string, int, int> Variants
    {
        get
        {
            var data = new TheoryData<string, int, int>();
            foreach (string name in new[] { "Swapped", "Chain", "KilledBetween", "PartialCopy", "TwiceWritten", "ConditionalCopy", "ThroughConditional", "SourceNotReadOtherwise", "Checkpointed", "CallWritesTarget" })
            {
                foreach ((int hidden, int steps) in new[] { (1, 0), (1, 3), (2, 1), (3, 5), (4, 4) })
                {
                    data.Add(name, hidden, steps);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void VariantsMatchFiniteDifferences(string name, int hidden, int steps)
    {
        (Loss loss, Gradient gradient) = name switch
        {
            "Swapped" => ((Loss)Reloads.Swapped, (Gradient)Reloads.SwappedGradient),
            "Chain" => (Reloads.Chain, Reloads.ChainGradient),
            "KilledBetween" => (Reloads.KilledBetween, Reloads.KilledBetweenGradient),
            "PartialCopy" => (Reloads.PartialCopy, Reloads.PartialCopyGradient),
            "TwiceWritten" => (Reloads.TwiceWritten, Reloads.TwiceWrittenGradient),
            "ConditionalCopy" => (Reloads.ConditionalCopy, Reloads.ConditionalCopyGradient),
            "ThroughConditional" => (Reloads.ThroughConditional, Reloads.ThroughConditionalGradient),
            "SourceNotReadOtherwise" => (Reloads.SourceNotReadOtherwise, Reloads.SourceNotReadOtherwiseGradient),
            "Checkpointed" => (Reloads.Checkpointed, Reloads.CheckpointedGradient),
            "CallWritesTarget" => (Reloads.CallWritesTarget, Reloads.CallWritesTargetGradient),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        double[] w = Fd.Values(name == "Checkpointed" ? hidden * hidden : hidden, hidden + 10 * steps);
        double[] xs = Fd.Values(steps, 7);
        var dW = new double[w.Length];
        double value = gradient(w, xs, hidden, steps, dW);
        Assert.Equal(loss(w, xs, hidden, steps), value);
        Fd.Vec("w", () => loss(w, xs, hidden, steps), w, dW);
    }

    [Theory]
    [InlineData(2, 0.5)]
    [InlineData(3, 4.0)]
    [InlineData(3, 100.0)]
    public void DataDependentStepsMatchFiniteDifferences(int hidden, double limit)
    {
        double[] w = Fd.Values(hidden, 8);
        double[] xs = Fd.Values(6, 9);
        var dW = new double[hidden];
        Reloads.WhileStepsGradient(w, xs, hidden, limit, dW, out double dLimit);
        Assert.Equal(0, dLimit);
        Fd.Vec("w", () => Reloads.WhileSteps(w, xs, hidden, limit), w, dW);
    }

    private const string Source = """
        using System;
        using SourceDiff;
        namespace Samples;
        public static partial class C
        {
            [Differentiable]
            public static double Elman(double[] w, double[] xs, int n, int steps)
            {
                double[] h = new double[n];
                double[] next = new double[n];
                double loss = 0;
                for (int t = 0; t < steps; t++)
                {
                    for (int i = 0; i < n; i++) next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + xs[t]);
                    for (int i = 0; i < n; i++) { h[i] = next[i]; loss += h[i] * h[i]; }
                }
                return loss;
            }

            [Differentiable]
            public static double Killed(double[] w, double[] xs, int n, int steps)
            {
                double[] h = new double[n];
                double[] next = new double[n];
                double loss = 0;
                for (int t = 0; t < steps; t++)
                {
                    for (int i = 0; i < n; i++) next[i] = Math.Tanh(w[i] * h[(i + 1) % n] + xs[t]);
                    for (int i = 0; i < n; i++) { h[i] = next[i]; loss += h[i] * h[i]; }
                    h[0] *= 0.5;
                }
                return loss;
            }

            [Differentiable]
            public static double Chain(double[] w, double[] xs, int n, int steps)
            {
                double[] a = new double[n];
                double[] b = new double[n];
                double[] c = new double[n];
                double loss = 0;
                for (int t = 0; t < steps; t++)
                {
                    for (int i = 0; i < n; i++) a[i] = Math.Tanh(w[i] * c[i] + xs[t]);
                    for (int i = 0; i < n; i++) b[i] = a[i];
                    for (int i = 0; i < n; i++) { c[i] = b[i]; loss += c[i] * c[i]; }
                }
                return loss;
            }

            [Differentiable]
            public static float MixedPrecision(float[] w, double[] v, int n)
            {
                float[] x = new float[n];
                double[] y = new double[n];
                float s = 0;
                for (int i = 0; i < n; i++) s += x[i] * w[i];
                for (int i = 0; i < n; i++) x[i] = MathF.Tanh(w[i] * s + 1f);
                for (int i = 0; i < n; i++) s += x[i] * x[i] + (float)(y[i] * v[i]);
                return s;
            }

            [Differentiable]
            public static double NotReadOtherwise(double[] w, double[] xs, int n, int steps)
            {
                double[] x = new double[n];
                double[] y = new double[n];
                double loss = 0;
                for (int t = 0; t < steps; t++)
                {
                    for (int i = 0; i < n; i++) x[i] = Math.Tanh(w[i] * x[i] + xs[t]);
                    for (int i = 0; i < n; i++) { y[i] = x[i]; loss += 3 * y[i]; }
                }
                return loss;
            }
        }
        """;

    [Fact]
    public void OnlyWritesWhoseOldValueAnEqualArrayHoldsAreReloaded()
    {
        Generator.GeneratorResult result = Generator.GeneratorHarness.Run(Source);
        result.AssertCompiles();

        // One push per element and step (h's old values): next's come back from h.
        string elman = result.Generated("C.Elman.g.cs");
        Assert.Contains("next[i] = h[i];", elman);
        Assert.DoesNotContain("PushDoubleReserved(next[i])", elman);
        Assert.Contains("PushDoubleReserved(h[i_2])", elman);

        string killed = result.Generated("C.Killed.g.cs");
        Assert.DoesNotContain("next[i] = h[i];", killed);
        Assert.Contains("(next[i])", killed);

        // a equals b and c where a step starts; b is read nowhere else by the reverse sweep, c is.
        string chain = result.Generated("C.Chain.g.cs");
        Assert.Contains("a[i] = c[i];", chain);
        Assert.DoesNotContain("(a[i])", chain);
        Assert.DoesNotContain("(b[i_2])", chain);

        // Zeros equal zeros, but a float element is not reloaded from a double one.
        Assert.DoesNotContain("x[i_2] = y[i_2];", result.Generated("C.MixedPrecision.g.cs"));

        string notRead = result.Generated("C.NotReadOtherwise.g.cs");
        Assert.DoesNotContain("x[i] = y[i];", notRead);
        Assert.DoesNotContain("(y[i_2])", notRead);
    }
}
