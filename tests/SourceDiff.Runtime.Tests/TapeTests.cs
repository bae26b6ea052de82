using System;
using System.Threading;
using SourceDiff.CompilerServices;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// The tape's stacks are LIFO per kind, its scratch arrays come back zeroed and are reused, and its per-thread pool
/// never holds one tape twice or hands one tape to two threads.
/// </summary>
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

    [Fact]
    public void ReturnTwice_Throws_AndTheNextTwoRentsOnTheThreadGetDistinctTapes()
    {
        Tape tape = Tape.Rent();
        tape.PushDouble(1);
        tape.Return();

        var thrown = Assert.Throws<InvalidOperationException>(tape.Return);

        Assert.Contains("already returned", thrown.Message);
        Tape first = Tape.Rent();
        Tape second = Tape.Rent();
        Assert.Same(tape, first);                // pooled once, by the first Return
        Assert.NotSame(first, second);
        second.Return();
        first.Return();
    }

    [Fact]
    public void ReturnOnAnotherThread_Throws_LeavesTheTapeRented_AndDoesNotPoolItThere()
    {
        Tape tape = Tape.Rent();
        tape.PushDouble(2.5);
        Exception? crossThread = null;
        Tape? rentedThere = null;
        var other = new Thread(() =>
        {
            crossThread = Record.Exception(tape.Return);
            rentedThere = Tape.Rent();           // the other thread's pool must not have received the tape
            rentedThere.Return();
        });
        other.Start();
        other.Join();

        InvalidOperationException thrown = Assert.IsType<InvalidOperationException>(crossThread);
        Assert.Contains("the thread that rented it", thrown.Message);
        Assert.NotSame(tape, rentedThere);
        Assert.Equal(1, tape.Count);             // untouched: its holder can go on using it
        Assert.Equal(2.5, tape.PopDouble());
        tape.Return();                           // and return it where it was rented
        Tape again = Tape.Rent();
        Assert.Same(tape, again);
        again.Return();
    }

    [Fact]
    public void ReturnOnAnotherThreadAfterReturn_Throws_SoTwoThreadsNeverShareATape()
    {
        Tape tape = Tape.Rent();
        tape.Return();
        Exception? crossThread = null;
        Tape? rentedThere = null;
        var other = new Thread(() =>
        {
            crossThread = Record.Exception(tape.Return);
            rentedThere = Tape.Rent();
            rentedThere.Return();
        });
        other.Start();
        other.Join();

        Assert.IsType<InvalidOperationException>(crossThread);
        Tape here = Tape.Rent();
        Assert.Same(tape, here);
        Assert.NotSame(here, rentedThere);
        here.Return();
    }

    [Fact]
    public void NestedRent_GetsADistinctTape_AndEachReturnsOnce()
    {
        Tape outer = Tape.Rent();
        outer.PushInt(1);
        Tape inner = Tape.Rent();               // a gradient call inside a gradient call
        Assert.NotSame(outer, inner);
        inner.PushInt(2);
        Assert.Equal(2, inner.PopInt());
        inner.Return();
        Assert.Throws<InvalidOperationException>(inner.Return);
        Assert.Equal(1, outer.PopInt());        // the inner call left the outer tape alone
        outer.Return();
        Assert.Throws<InvalidOperationException>(outer.Return);

        Tape first = Tape.Rent();
        Tape second = Tape.Rent();
        Assert.NotSame(first, second);
        Assert.Same(outer, first);              // the pool keeps the last tape returned
        second.Return();
        first.Return();
    }

    [Fact]
    public void ConstructedTape_CanBeReturnedOnce()
    {
        var tape = new Tape();

        tape.Return();

        Assert.Throws<InvalidOperationException>(tape.Return);
        Tape rented = Tape.Rent();
        Assert.Same(tape, rented);
        rented.Return();
    }

    [Fact]
    public void RentAndReturn_DoNotAllocateOnceTheThreadHasATape()
    {
        static void RentPushPopReturn(int times)
        {
            for (int i = 0; i < times; i++)
            {
                Tape tape = Tape.Rent();
                tape.PushDouble(i);
                tape.PopDouble();
                tape.Return();
            }
        }

        RentPushPopReturn(1);                    // the thread's first tape, and the first call of each method
        long before = GC.GetAllocatedBytesForCurrentThread();
        RentPushPopReturn(1000);

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
