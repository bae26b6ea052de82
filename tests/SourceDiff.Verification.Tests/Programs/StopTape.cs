using System;
using System.Collections.Generic;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>
/// What <c>Grad.Stop</c> means to the finite-difference oracle. The reference twins call <see cref="Stop"/>: at the
/// base point it records each stopped value in evaluation order; at perturbed points it replays them, so the
/// function being differenced treats stopped values as constants, as the generated gradient does. A replay that asks
/// for more or fewer values than were recorded means the control flow changed under the perturbation; the oracle
/// skips such points.
/// </summary>
public static class StopTape
{
    [ThreadStatic] private static List<double>? values;
    [ThreadStatic] private static int position;
    [ThreadStatic] private static bool replaying;
    [ThreadStatic] private static bool mismatch;

    public static double Stop(double value)
    {
        if (values is null)
        {
            return value;
        }

        if (!replaying)
        {
            values.Add(value);
            return value;
        }

        if (position < values.Count)
        {
            return values[position++];
        }

        mismatch = true;
        return value;
    }

    /// <summary>Starts recording (the base-point evaluation).</summary>
    public static void Record()
    {
        values = new List<double>();
        replaying = false;
        mismatch = false;
    }

    /// <summary>Starts replaying what was recorded.</summary>
    public static void Replay()
    {
        replaying = true;
        position = 0;
        mismatch = false;
    }

    /// <summary>Whether the evaluation since <see cref="Replay"/> used exactly the recorded values.</summary>
    public static bool ReplayMatched => !mismatch && values is not null && position == values.Count;

    /// <summary>Back to pass-through.</summary>
    public static void Reset()
    {
        values = null;
        replaying = false;
        mismatch = false;
    }
}
