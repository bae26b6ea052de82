using System;

namespace SourceDiff;

/// <summary>
/// How much memory a thread keeps between gradient calls. Each thread that computes gradients keeps one tape (the values
/// a forward sweep records for its reverse sweep) and a pool of scratch arrays, reused by its next call so that a
/// gradient in steady state allocates nothing. After each call, what exceeds <see cref="RetainedBytesPerThread"/> is
/// released to the garbage collector: a call that recorded 2 GB does not leave 2 GB behind on its thread.
/// </summary>
public static class TapeMemory
{
    /// <summary>The default budget: 64 MiB, more than a hidden-256 RNN records over 1000 steps.</summary>
    public const long DefaultRetainedBytesPerThread = 64L << 20;

    private static long retainedBytesPerThread = DefaultRetainedBytesPerThread;

    /// <summary>
    /// The most a thread keeps, in bytes, after a gradient call returns: recorded-value storage first, then pooled
    /// scratch arrays. Calls that record more than this allocate what exceeds it on every call; raise it when a large
    /// model is trained on one thread, lower it (down to 0) when many threads compute small gradients occasionally.
    /// Read at the end of every call, on every thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static long RetainedBytesPerThread
    {
        get => System.Threading.Volatile.Read(ref retainedBytesPerThread);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            System.Threading.Volatile.Write(ref retainedBytesPerThread, value);
        }
    }
}
