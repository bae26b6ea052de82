using System;
using System.ComponentModel;

namespace SourceDiff.CompilerServices;

/// <summary>What a <see cref="CheckpointSchedule"/> asks the generated code to do next.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum CheckpointAction
{
    /// <summary>Run the primal body, recording nothing, for the steps from <see cref="CheckpointSchedule.From"/> up to <see cref="CheckpointSchedule.To"/>.</summary>
    Advance,

    /// <summary>Save the loop's carried state into snapshot <see cref="CheckpointSchedule.Slot"/>.</summary>
    Store,

    /// <summary>Put back the carried state saved in snapshot <see cref="CheckpointSchedule.Slot"/>.</summary>
    Restore,

    /// <summary>Run step <see cref="CheckpointSchedule.Step"/> recorded, then its reverse sweep.</summary>
    Turn,

    /// <summary>Every step has been reversed.</summary>
    Done,
}

/// <summary>
/// The binomial (revolve) checkpointing schedule of a loop of <see cref="Steps"/> iterations with at most
/// <see cref="Slots"/> snapshots of its carried state (Griewank and Walther): every iteration is reversed, last first,
/// each after recomputing forward from the nearest snapshot, with the fewest recomputed iterations any schedule with
/// that many snapshots can have. The actions come one at a time (<see cref="Next"/>), from a stack no deeper than a few
/// entries per snapshot, so a schedule of 10⁷ steps holds no list of them.
/// </summary>
/// <remarks>
/// The generated forward sweep takes the actions up to the first <see cref="CheckpointAction.Turn"/> (the last
/// iteration, which it runs recorded); the reverse sweep reverses that iteration and takes the rest.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class CheckpointSchedule
{
    private const int SegmentTask = 0;
    private const int AdvanceTask = 1;
    private const int StoreTask = 2;
    private const int TurnTask = 3;

    // Pending work, last in first out: segments [A, B) still to reverse with Free snapshots besides the one holding A,
    // and the primitive actions they expand into.
    private (int Kind, int A, int B, int Free)[] tasks = new (int, int, int, int)[16];
    private int taskCount;

    // The step whose state the carried variables hold, or -1 after a turn has spent it.
    private int position;

    /// <summary>A schedule of <paramref name="steps"/> iterations with <paramref name="snapshots"/> snapshots (0: <see cref="DefaultSnapshots"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative count.</exception>
    public CheckpointSchedule(int steps, int snapshots)
    {
        if (steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "A loop cannot run a negative number of steps.");
        }

        if (snapshots < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(snapshots), snapshots, "[Checkpoint(Snapshots = n)] needs n ≥ 1 (or 0 to let SourceDiff choose).");
        }

        Steps = steps;
        Slots = Math.Max(1, Math.Min(snapshots == 0 ? DefaultSnapshots(steps) : snapshots, Math.Max(steps, 1)));
        if (steps > 0)
        {
            Push(SegmentTask, 0, steps, Slots - 1);
            Push(StoreTask, 0, 0, Slots - 1);
        }
    }

    /// <summary>The loop's trip count.</summary>
    public int Steps { get; }

    /// <summary>How many snapshots of the carried state the schedule keeps at most (the loop's start among them).</summary>
    public int Slots { get; }

    /// <summary>For <see cref="CheckpointAction.Advance"/>: the first step to run.</summary>
    public int From { get; private set; }

    /// <summary>For <see cref="CheckpointAction.Advance"/>: the step to stop before.</summary>
    public int To { get; private set; }

    /// <summary>For <see cref="CheckpointAction.Store"/> and <see cref="CheckpointAction.Restore"/>: the snapshot.</summary>
    public int Slot { get; private set; }

    /// <summary>For <see cref="CheckpointAction.Turn"/>: the step to run recorded and reverse.</summary>
    public int Step { get; private set; } = -1;

    /// <summary>How many primal steps the advances have run so far (the recomputation the snapshots could not save).</summary>
    public long Advanced { get; private set; }

    /// <summary>
    /// The default number of snapshots for a loop of <paramref name="steps"/> iterations: the fewest with which no
    /// iteration runs more than twice unrecorded, about √(2·steps) (1,413 for 10⁶ steps).
    /// </summary>
    public static int DefaultSnapshots(int steps)
    {
        int n = 1;
        while (Beta(n, 2) < steps)
        {
            n++;
        }

        return n;
    }

    /// <summary>The next action.</summary>
    public CheckpointAction Next()
    {
        while (taskCount > 0)
        {
            (int kind, int a, int b, int free) = tasks[--taskCount];
            switch (kind)
            {
                case AdvanceTask:
                    if (position == b)
                    {
                        continue;
                    }

                    From = position;
                    To = b;
                    Advanced += b - position;
                    position = b;
                    return CheckpointAction.Advance;

                case StoreTask:
                    Slot = SlotOf(free);
                    return CheckpointAction.Store;

                case TurnTask:
                    Step = a;
                    position = -1;
                    return CheckpointAction.Turn;
            }

            if (position != a)
            {
                // The segment starts from the snapshot holding its first step.
                Push(SegmentTask, a, b, free);
                Slot = SlotOf(free);
                position = a;
                return CheckpointAction.Restore;
            }

            int length = b - a;
            if (length == 1)
            {
                Push(TurnTask, a, b, free);
            }
            else if (free == 0)
            {
                // No snapshot to spare: the last step is recomputed from the first, then the rest again.
                Push(SegmentTask, a, b - 1, 0);
                Push(TurnTask, b - 1, b, 0);
                Push(AdvanceTask, a, b - 1, 0);
            }
            else
            {
                int split = a + Split(length, free);
                Push(SegmentTask, a, split, free);
                Push(SegmentTask, split, b, free - 1);
                Push(StoreTask, split, split, free - 1);
                Push(AdvanceTask, a, split, free);
            }
        }

        Step = -1;
        return CheckpointAction.Done;
    }

    /// <summary>A snapshot slot of a carried scalar, one per snapshot.</summary>
    public T[] ScalarSlots<T>() => new T[Slots];

    /// <summary>Snapshot slots of a carried array, filled by <see cref="Save{T}(ref T, T)"/> as the schedule stores.</summary>
    public T?[] ArraySlots<T>()
        where T : class => new T?[Slots];

    /// <summary>Saves the contents of <paramref name="array"/> into <paramref name="slot"/>, reusing its storage when the shapes match.</summary>
    public static void Save<T>(ref T? slot, T array)
        where T : class => Buffers.RestoreInto(ref slot, array);

    /// <summary>Puts back into <paramref name="array"/> the contents <see cref="Save{T}(ref T, T)"/> saved.</summary>
    public static void Load<T>(T? slot, T array)
        where T : class => Buffers.CopyInto((Array?)(object?)slot, (Array?)(object?)array);

    // The slot of a segment's first step: the segments nest, so the snapshots are taken and released like a stack.
    private int SlotOf(int free) => Slots - 1 - free;

    /// <summary>
    /// Where to place the next snapshot in a segment of <paramref name="length"/> steps with <paramref name="free"/>
    /// snapshots to spare besides the one at its start: with r the fewest repetitions β(free + 1, r) ≥ length allows,
    /// as far as the right part, which has one snapshot less, can still take; this position is among the optimal ones
    /// (checked against an exhaustive search in the tests).
    /// </summary>
    internal static int Split(int length, int free)
    {
        int snapshots = free + 1;
        int r = 0;
        while (Beta(snapshots, r) < length)
        {
            r++;
        }

        long left = Math.Min(Math.Min(length - 1L, Beta(snapshots, r - 1)), length - Beta(snapshots - 1, r - 1));
        return (int)Math.Max(1L, left);
    }

    /// <summary>β(s, r) = C(s + r, s): how many steps s snapshots reverse with no step recomputed more than r times (saturating).</summary>
    internal static long Beta(int s, int r)
    {
        if (s < 0 || r < 0)
        {
            return 0;
        }

        int k = Math.Min(s, r);
        long n = (long)s + r;
        double value = 1;
        for (int i = 1; i <= k; i++)
        {
            value = value * (n - k + i) / i;
            if (value >= long.MaxValue / 4)
            {
                return long.MaxValue / 4;
            }
        }

        return (long)Math.Round(value);
    }

    private void Push(int kind, int a, int b, int free)
    {
        if (taskCount == tasks.Length)
        {
            Array.Resize(ref tasks, tasks.Length * 2);
        }

        tasks[taskCount++] = (kind, a, b, free);
    }
}
