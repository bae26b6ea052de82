using System;
using SourceDiff.CompilerServices;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>Tests that change the process-wide retention budget run alone, so no other test's tape sees it.</summary>
[CollectionDefinition(nameof(TapeMemoryTests), DisableParallelization = true)]
public sealed class TapeMemoryCollection
{
}

/// <summary>
/// The tape's stacks grow past their initial size in both directions of a sweep, and what a thread keeps after a call is
/// cut back to <see cref="TapeMemory.RetainedBytesPerThread"/>.
/// </summary>
[Collection(nameof(TapeMemoryTests))]
public sealed class TapeMemoryTests
{
    [Fact]
    public void Values_of_every_kind_come_back_in_reverse_order_through_growth_and_regrowth()
    {
        Tape tape = Tape.Rent();
        const int n = 3_000_000; // many doublings of each kind
        for (int i = 0; i < n; i++)
        {
            tape.PushDouble(i);
            tape.PushFloat(i % 1000);
            tape.PushInt(i);
            if (i % 3 == 0)
            {
                tape.PushReference(i % 2 == 0 ? Array.Empty<double>() : null);
            }
        }

        Assert.Equal(n * 3L + ((n + 2) / 3), tape.Count);

        // Half way down and up again: storage emptied by pops is filled again by pushes.
        for (int i = n - 1; i >= n / 2; i--)
        {
            if (i % 3 == 0)
            {
                Assert.Equal(i % 2 == 0, tape.PopReference<double[]>() is not null);
            }

            Assert.Equal(i, tape.PopInt());
            Assert.Equal(i % 1000, tape.PopFloat());
            Assert.Equal(i, tape.PopDouble());
        }

        for (int i = n / 2; i < n; i++)
        {
            tape.PushDouble(-i);
        }

        for (int i = n - 1; i >= n / 2; i--)
        {
            Assert.Equal(-i, tape.PopDouble());
        }

        for (int i = n / 2 - 1; i >= 0; i--)
        {
            if (i % 3 == 0)
            {
                Assert.Equal(i % 2 == 0, tape.PopReference<double[]>() is not null);
            }

            Assert.Equal(i, tape.PopInt());
            Assert.Equal(i % 1000, tape.PopFloat());
            Assert.Equal(i, tape.PopDouble());
        }

        Assert.Equal(0, tape.Count);
        Assert.Throws<IndexOutOfRangeException>(() => tape.PopDouble());
        tape.Return();
    }

    [Fact]
    public void After_a_large_call_the_thread_keeps_at_most_the_budget()
    {
        long before = TapeMemory.RetainedBytesPerThread;
        try
        {
            TapeMemory.RetainedBytesPerThread = 4 << 20;
            Tape tape = Tape.Rent();
            for (int i = 0; i < 10_000_000; i++)
            {
                tape.PushDouble(i);
            }

            for (int i = 0; i < 1000; i++)
            {
                tape.ZeroDoubles(10_000);
                tape.CopyOf(new double[100, 100]);
            }

            Assert.True(tape.RetainedBytes > 80L << 20);
            tape.Return();

            Tape again = Tape.Rent();
            Assert.Same(tape, again);
            Assert.InRange(again.RetainedBytes, 1, 4 << 20);
            again.Return();
        }
        finally
        {
            TapeMemory.RetainedBytesPerThread = before;
        }
    }

    [Fact]
    public void Within_the_budget_scratch_arrays_and_segments_are_reused_without_allocating()
    {
        Tape warm = Tape.Rent();
        for (int i = 0; i < 1_000_000; i++)
        {
            warm.PushDouble(i);
        }

        warm.ZeroDoubles(5000);
        warm.Return();

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        Tape tape = Tape.Rent();
        for (int i = 0; i < 1_000_000; i++)
        {
            tape.PushDouble(i);
        }

        tape.ZeroDoubles(5000);
        tape.Return();

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1024, "a second call of the same size reuses the first one's storage");
    }

    [Fact]
    public void A_negative_budget_is_rejected_naming_the_value()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TapeMemory.RetainedBytesPerThread = -1);
        Assert.Equal("value", error.ParamName);
        Assert.Equal(TapeMemory.DefaultRetainedBytesPerThread, TapeMemory.RetainedBytesPerThread);
    }
}
