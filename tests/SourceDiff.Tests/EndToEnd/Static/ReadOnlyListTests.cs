using System;
using System.Collections.Generic;
using SourceDiff;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Static;

/// <summary>Lists of data (<c>List&lt;double&gt;</c>, <c>IReadOnlyList&lt;double&gt;</c>) read by index, Count and foreach: constants to the gradient.</summary>
public static partial class ListDataOps
{
    [Differentiable]
    public static double WeightedFit(double[] w, [NoDerivative] List<double> xs, [NoDerivative] IReadOnlyList<double> ys)
    {
        double loss = 0;
        for (int i = 0; i < xs.Count; i++)
        {
            double error = w[0] * xs[i] + w[1] - ys[i];
            loss += error * error;
        }

        foreach (double y in ys)
        {
            loss += Math.Tanh(w[1] * y);
        }

        return loss;
    }

    [Differentiable]
    public static float FloatList(float w, [NoDerivative] IReadOnlyList<float> xs)
    {
        float s = 0;
        foreach (float x in xs)
        {
            s += MathF.Exp(w * x);
        }

        return s;
    }
}

public class ReadOnlyListTests
{
    [Fact]
    public void ListDataIsReadAsConstants()
    {
        foreach (int seed in Fd.Seeds)
        {
            var random = new Random(seed);
            double[] w = Fd.Vector(random, 2);
            var xs = new List<double>(Fd.Vector(random, 5));
            IReadOnlyList<double> ys = Fd.Vector(random, 5);
            var dW = new double[2];
            double value = ListDataOps.WeightedFitGradient(w, xs, ys, dW);
            Assert.Equal(ListDataOps.WeightedFit(w, xs, ys), value);
            Fd.Vec("dW", () => ListDataOps.WeightedFit(w, xs, ys), w, dW);
        }
    }

    [Fact]
    public void FloatListDataIsReadAsConstants()
    {
        IReadOnlyList<float> xs = new List<float> { 0.5f, -0.25f, 1.5f };
        float value = ListDataOps.FloatListGradient(0.3f, xs, out float dW);
        Assert.Equal(ListDataOps.FloatList(0.3f, xs), value);
        Fd.FloatScalar("dW", v => ListDataOps.FloatList(v, xs), 0.3f, dW);
    }
}
