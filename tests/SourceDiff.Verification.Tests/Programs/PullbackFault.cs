using System;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>
/// Counts the calls of the models' custom pullbacks (<c>Q{id}Ops.ActPullback</c> calls <see cref="Tick"/>) and of
/// the function they differentiate (<c>Q{id}Ops.Act</c> calls <see cref="TickForward"/>), and makes one of them throw
/// <see cref="InjectedFaultException"/> when armed: an exception in the middle of a reverse or of a forward sweep.
/// Per thread, since batches are judged in parallel.
/// </summary>
public static class PullbackFault
{
    [ThreadStatic] private static int calls;
    [ThreadStatic] private static int armedAt;
    [ThreadStatic] private static int forwardCalls;
    [ThreadStatic] private static int forwardArmedAt;

    /// <summary>The number of pullback calls since the last <see cref="Reset"/>.</summary>
    public static int Calls => calls;

    /// <summary>The number of calls of the primal function since the last <see cref="Reset"/>.</summary>
    public static int ForwardCalls => forwardCalls;

    public static void Tick()
    {
        calls++;
        if (calls == armedAt)
        {
            throw new InjectedFaultException(calls);
        }
    }

    public static void TickForward()
    {
        forwardCalls++;
        if (forwardCalls == forwardArmedAt)
        {
            throw new InjectedFaultException(forwardCalls);
        }
    }

    /// <summary>
    /// Restarts both counts; with <paramref name="throwAtCall"/> &gt; 0 the pullback call of that number throws, with
    /// <paramref name="throwAtForwardCall"/> &gt; 0 the primal call of that number.
    /// </summary>
    public static void Reset(int throwAtCall = 0, int throwAtForwardCall = 0)
    {
        calls = 0;
        armedAt = throwAtCall;
        forwardCalls = 0;
        forwardArmedAt = throwAtForwardCall;
    }
}

/// <summary>Thrown by an armed <see cref="PullbackFault"/>.</summary>
public sealed class InjectedFaultException(int call) : Exception($"injected fault in pullback call {call}");
