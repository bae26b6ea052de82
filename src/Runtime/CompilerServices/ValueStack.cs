using System;
using System.Runtime.CompilerServices;

namespace SourceDiff.CompilerServices;

/// <summary>
/// One typed stack of the tape, stored in segments instead of one array: growing never copies what is recorded (a copy
/// would double the peak memory of a long sweep), no index or length overflows <c>int</c> however long the sweep, and
/// what a thread keeps between calls can be cut back to a budget segment by segment.
/// </summary>
/// <remarks>A mutable struct held in a field of the tape, so that push and pop inline to a compare and a store.</remarks>
internal struct ValueStack<T>
{
    /// <summary>Segments double from <see cref="FirstSegmentLength"/> up to this many bytes, then stay that size.</summary>
    private const int MaxSegmentBytes = 8 << 20;

    private const int FirstSegmentLength = 256;

    private T[][] segments;
    private int segmentCount;
    private int top;
    private T[] current;
    private int count;
    private long countBelow;

    public ValueStack()
    {
        current = new T[FirstSegmentLength];
        segments = new[] { current };
        segmentCount = 1;
    }

    /// <summary>Values recorded.</summary>
    public readonly long Count => countBelow + count;

    /// <summary>Bytes of every segment held, recorded on or not.</summary>
    public readonly long CapacityBytes
    {
        get
        {
            long bytes = 0;
            for (int i = 0; i < segmentCount; i++)
            {
                bytes += (long)segments[i].Length * ElementBytes;
            }

            return bytes;
        }
    }

    private static int ElementBytes => RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? IntPtr.Size : Unsafe.SizeOf<T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        if (count == current.Length)
        {
            Advance();
        }

        current[count++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        if (count == 0)
        {
            Retreat();
        }

        T value = current[--count];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // A popped reference is not kept alive by the pooled tape.
            current[count] = default!;
        }

        return value;
    }

    /// <summary>Empties the stack, keeping its segments.</summary>
    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            for (int i = 0; i < top; i++)
            {
                Array.Clear(segments[i]);
            }

            Array.Clear(current, 0, count);
        }

        top = 0;
        current = segments[0];
        count = 0;
        countBelow = 0;
    }

    /// <summary>Bytes of the first segment, which an emptied stack always keeps.</summary>
    public readonly long FirstSegmentBytes => (long)segments[0].Length * ElementBytes;

    /// <summary>Drops the segments of an empty stack after the first beyond <paramref name="budgetBytes"/>.</summary>
    /// <returns>The bytes kept beyond the first segment.</returns>
    public long TrimEmpty(long budgetBytes)
    {
        long kept = 0;
        int keep = 1;
        while (keep < segmentCount && kept + ((long)segments[keep].Length * ElementBytes) <= budgetBytes)
        {
            kept += (long)segments[keep].Length * ElementBytes;
            keep++;
        }

        Array.Clear(segments, keep, segmentCount - keep);
        segmentCount = keep;
        return kept;
    }

    // Out of line, so that the inlined push in a user's loop stays small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Advance()
    {
        countBelow += current.Length;
        top++;
        if (top == segmentCount)
        {
            if (segmentCount == segments.Length)
            {
                Array.Resize(ref segments, segments.Length * 2);
            }

            int maxLength = Math.Max(FirstSegmentLength, MaxSegmentBytes / ElementBytes);
            segments[segmentCount++] = new T[Math.Min(current.Length * 2, maxLength)];
        }

        current = segments[top];
        count = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Retreat()
    {
        if (top == 0)
        {
            throw new InvalidOperationException("The reverse sweep popped more values than its forward sweep recorded.");
        }

        top--;
        current = segments[top];
        count = current.Length;
        countBelow -= current.Length;
    }
}
