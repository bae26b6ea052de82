using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>The tape's stacks are LIFO per kind, and its scratch arrays come back zeroed and are reused.</summary>
public class TapeTests
{
    [Fact]
    public void EachKindPopsInReverseOrder()
    {
        Tape tape = Tape.Rent();
        tape.PushDouble(1.5);
        tape.PushInt(7);
        tape.PushFloat(2.5f);
        tape.PushBool(true);
        tape.PushLong(-1L << 40);
        var array = new double[3];
        tape.PushReference(array);
        Assert.Same(array, tape.PopReference<double[]>());
        Assert.Equal(-1L << 40, tape.PopLong());
        Assert.True(tape.PopBool());
        Assert.Equal(2.5f, tape.PopFloat());
        Assert.Equal(7, tape.PopInt());
        Assert.Equal(1.5, tape.PopDouble());
        Assert.Equal(0, tape.Count);
        tape.Return();
    }

    [Fact]
    public void StacksGrowPastTheirInitialSize()
    {
        Tape tape = Tape.Rent();
        for (int i = 0; i < 100_000; i++)
        {
            tape.PushDouble(i);
            tape.PushInt(i);
        }

        for (int i = 99_999; i >= 0; i--)
        {
            Assert.Equal(i, tape.PopInt());
            Assert.Equal(i, tape.PopDouble());
        }

        tape.Return();
    }

    [Fact]
    public void ScratchArraysAreZeroedAndReusedAfterReturn()
    {
        Tape tape = Tape.Rent();
        double[] first = tape.ZeroDoubles(4);
        first[2] = 9;
        tape.Return();

        Tape again = Tape.Rent();
        double[] second = again.ZeroDoubles(4);
        Assert.Same(first, second);
        Assert.Equal(new double[4], second);
        Assert.NotSame(second, again.ZeroDoubles(4));
        again.Return();
    }
}
