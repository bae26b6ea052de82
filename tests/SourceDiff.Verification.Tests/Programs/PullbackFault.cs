using System;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>
/// Counts the calls of the models' custom pullbacks (<c>Q{id}Ops.ActPullback</c> calls <see cref="Tick"/>), and makes
/// one of them throw <see cref="InjectedFaultException"/> when armed: an exception in the middle of a reverse sweep.
/// Per thread, since batches are judged in parallel.
/// </summary>
public static class PullbackFault
{
    [ThreadStatic] private static int calls;
    [ThreadStatic] private static int armedAt;

    /// <summary>The number of pullback calls since the last <see cref="Reset"/>.</summary>
    public static int Calls => calls;

    public static void Tick()
    {
        calls++;
        if (calls == armedAt)
        {
            throw new InjectedFaultException(calls);
        }
    }

    /// <summary>Restarts the count; with <paramref name="throwAtCall"/> &gt; 0 the call of that number throws.</summary>
    public static void Reset(int throwAtCall = 0)
    {
        calls = 0;
        armedAt = throwAtCall;
    }
}

/// <summary>Thrown by an armed <see cref="PullbackFault"/>.</summary>
public sealed class InjectedFaultException(int call) : Exception($"injected fault in pullback call {call}");
