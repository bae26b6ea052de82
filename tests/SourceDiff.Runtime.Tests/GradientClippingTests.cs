using System;
using SourceDiff.Runtime.Tests.Models;
using Xunit;

namespace SourceDiff.Runtime.Tests;

public class GradientClippingTests
{
    [Fact]
    public void NormAboveTheLimit_IsScaledToTheLimit_AcrossBuffersAndPrecisions()
    {
        var g = new ParameterVector(("w", new[] { 3.0 }), ("b", new[] { 4f }));

        double before = GradientClipping.ClipByGlobalNorm(g, maxNorm: 1);

        Assert.Equal(5, before, 15);
        Assert.Equal(0.6, g.Doubles(0)[0], 15);
        Assert.Equal(0.8f, g.Singles(1)[0]);
        Assert.Equal(1, GradientClipping.GlobalNorm(g), 6);
    }

    [Fact]
    public void NormBelowTheLimit_IsUntouched()
    {
        var g = new ParameterVector(("w", new[] { 0.3, -0.4 }));

        Assert.Equal(0.5, GradientClipping.ClipByGlobalNorm(g, 1), 15);
        Assert.Equal([0.3, -0.4], g.Doubles(0));
    }

    [Fact]
    public void HugeAndTinyEntries_DoNotOverflowOrUnderflow()
    {
        Assert.Equal(5e200, GradientClipping.GlobalNorm(new ParameterVector(("w", new[] { 3e200, 4e200 }))), 1e188);
        Assert.Equal(5e-200, GradientClipping.GlobalNorm(new ParameterVector(("w", new[] { 3e-200, 4e-200 }))), 1e-212);
    }

    [Fact]
    public void NonFiniteNorm_IsReturned_AndTheGradientLeftAsIs()
    {
        var nan = new ParameterVector(("w", new[] { 1.0, double.NaN, double.PositiveInfinity }));
        var inf = new ParameterVector(("w", new[] { 1.0, double.PositiveInfinity }));

        Assert.True(double.IsNaN(GradientClipping.ClipByGlobalNorm(nan, 1)));
        Assert.Equal(double.PositiveInfinity, GradientClipping.ClipByGlobalNorm(inf, 1));
        Assert.Equal(1.0, inf.Doubles(0)[0]);
    }

    [Fact]
    public void InvalidLimit_Throws()
    {
        var g = new ParameterVector(("w", new double[1]));

        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(g, 0)).ParamName);
    }
}
