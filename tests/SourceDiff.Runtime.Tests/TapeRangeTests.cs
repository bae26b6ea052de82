using System;
using System.Linq;
using SourceDiff.CompilerServices;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// <see cref="Tape.PushRange{T}"/> and <see cref="Tape.PopRange{T}"/>: a span goes onto its kind's stack in one copy,
/// comes back in the order it was pushed, nests with single pushes and pops, and grows the stack like single pushes.
/// </summary>
public sealed class TapeRangeTests
{
    [Fact]
    public void A_range_comes_back_in_the_order_it_was_pushed_and_nests_with_single_values()
    {
        Tape tape = Tape.Rent();
        tape.PushDouble(1);
        tape.PushRange<double>(new double[] { 2, 3, 4 });
        tape.PushDouble(5);
        tape.PushRange<float>(new float[] { 6, 7 });
        Assert.Equal(7, tape.Count);

        var floats = new float[2];
        tape.PopRange<float>(floats);
        Assert.Equal(new float[] { 6, 7 }, floats);
        Assert.Equal(5, tape.PopDouble());
        var doubles = new double[3];
        tape.PopRange<double>(doubles);
        Assert.Equal(new double[] { 2, 3, 4 }, doubles);
        Assert.Equal(1, tape.PopDouble());
        Assert.Equal(0, tape.Count);
        tape.Return();
    }

    [Fact]
    public void Single_values_pushed_as_a_range_pop_one_by_one_in_reverse()
    {
        Tape tape = Tape.Rent();
        tape.PushRange<float>(new float[] { 1, 2, 3 });
        Assert.Equal(3f, tape.PopFloat());
        Assert.Equal(2f, tape.PopFloat());
        Assert.Equal(1f, tape.PopFloat());

        tape.PushDouble(8);
        tape.PushDouble(9);
        var two = new double[2];
        tape.PopRange<double>(two);
        Assert.Equal(new double[] { 8, 9 }, two);
        tape.PushRange(ReadOnlySpan<double>.Empty);
        tape.PopRange(Span<double>.Empty);
        Assert.Equal(0, tape.Count);
        tape.Return();
    }

    [Fact]
    public void Ranges_grow_the_stacks_past_their_initial_size()
    {
        Tape tape = Tape.Rent();
        double[] small = Enumerable.Range(0, 200).Select(i => (double)i).ToArray();
        double[] large = Enumerable.Range(0, 100_000).Select(i => -(double)i).ToArray();
        float[] floats = Enumerable.Range(0, 70_000).Select(i => (float)i).ToArray();
        tape.PushRange<double>(small);
        tape.PushRange<double>(large);
        tape.PushRange<float>(floats);
        tape.PushDouble(0.5);
        Assert.Equal(170_201, tape.Count);

        Assert.Equal(0.5, tape.PopDouble());
        var floatsBack = new float[70_000];
        tape.PopRange<float>(floatsBack);
        Assert.Equal(floats, floatsBack);
        var largeBack = new double[100_000];
        tape.PopRange<double>(largeBack);
        Assert.Equal(large, largeBack);
        var smallBack = new double[200];
        tape.PopRange<double>(smallBack);
        Assert.Equal(small, smallBack);
        Assert.Equal(0, tape.Count);
        tape.Return();
    }

    [Fact]
    public void Other_element_types_are_not_supported()
    {
        Tape tape = Tape.Rent();
        Assert.Throws<NotSupportedException>(() => tape.PushRange<int>(new int[] { 1 }));
        Assert.Throws<NotSupportedException>(() => tape.PopRange<decimal>(new decimal[1]));
        Assert.Equal(0, tape.Count);
        tape.Return();
    }

    [Fact]
    public void Popping_more_than_was_recorded_throws_and_takes_nothing()
    {
        Tape tape = Tape.Rent();
        tape.PushRange<double>(new double[] { 1, 2 });
        Assert.Throws<InvalidOperationException>(() => tape.PopRange<double>(new double[3]));
        Assert.Equal(2, tape.Count);
        Assert.Throws<InvalidOperationException>(() => tape.PopRange<float>(new float[1]));
        var back = new double[2];
        tape.PopRange<double>(back);
        Assert.Equal(new double[] { 1, 2 }, back);
        tape.Return();
    }
}
