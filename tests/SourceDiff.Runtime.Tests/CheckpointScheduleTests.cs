using System;
using SourceDiff.CompilerServices;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// The binomial checkpointing schedule, run against a model of the loop's carried state: every action must be one the
/// generated code can carry out (advance from where the state is, store a live state, restore a stored one, turn the
/// step the state is at, last step first), it must use no more snapshots than it has, and its recomputation must be
/// the least any schedule with that many snapshots can have (found here by exhaustive search).
/// </summary>
public class CheckpointScheduleTests
{
    // ---------------------------------------------------------------- the model of the carried state

    /// <summary>What a simulated run of a schedule did.</summary>
    private sealed class Trace
    {
        public long Advanced;
        public long Actions;
        public int Advances;
        public int Stores;
        public int Restores;
        public int Turns;
        public int DistinctSlots;
    }

    /// <summary>
    /// Runs <paramref name="schedule"/> to <see cref="CheckpointAction.Done"/>, failing at the first action the carried
    /// state cannot take; counts per step how often each one was advanced into <paramref name="perStep"/> if given.
    /// </summary>
    private static Trace Simulate(CheckpointSchedule schedule, int[]? perStep = null)
    {
        int steps = schedule.Steps;
        int slotCount = schedule.Slots;
        string where = $"steps {steps}, slots {slotCount}";
        if (slotCount < 1)
        {
            Assert.Fail($"{where}: a schedule needs at least one snapshot.");
        }

        var held = new int[slotCount]; // slot → the step whose state it holds, -1 when empty
        Array.Fill(held, -1);
        var used = new bool[slotCount];
        var trace = new Trace();

        int live = 0; // the step the carried state is at, -1 once a turn has spent it
        int nextToReverse = steps - 1;
        long sinceTurn = 0;
        long stallLimit = 2L * steps + 4L * slotCount + 16;

        while (true)
        {
            CheckpointAction action = schedule.Next();
            trace.Actions++;
            if (++sinceTurn > stallLimit)
            {
                Assert.Fail($"{where}: {sinceTurn} actions without a turn (last {action}); the schedule makes no progress.");
            }

            switch (action)
            {
                case CheckpointAction.Advance:
                {
                    int from = schedule.From, to = schedule.To;
                    if (live < 0)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Advance {from}..{to} from a spent state.");
                    }

                    if (from != live)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Advance from {from} but the state is at step {live}.");
                    }

                    if (to <= from || to > steps)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Advance {from}..{to} is empty, backwards or past the loop.");
                    }

                    trace.Advanced += to - from;
                    trace.Advances++;
                    if (perStep != null)
                    {
                        for (int k = from; k < to; k++)
                        {
                            perStep[k]++;
                        }
                    }

                    live = to;
                    if (schedule.Advanced != trace.Advanced)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Advanced is {schedule.Advanced}, the advances ran {trace.Advanced} steps.");
                    }

                    break;
                }

                case CheckpointAction.Store:
                {
                    int slot = schedule.Slot;
                    if (slot < 0 || slot >= slotCount)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Store into slot {slot}, outside 0..{slotCount - 1}.");
                    }

                    if (live < 0)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Store of a spent state into slot {slot}.");
                    }

                    held[slot] = live;
                    if (!used[slot])
                    {
                        used[slot] = true;
                        trace.DistinctSlots++;
                    }

                    trace.Stores++;
                    break;
                }

                case CheckpointAction.Restore:
                {
                    int slot = schedule.Slot;
                    if (slot < 0 || slot >= slotCount)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Restore from slot {slot}, outside 0..{slotCount - 1}.");
                    }

                    if (held[slot] < 0)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Restore from slot {slot}, which holds nothing.");
                    }

                    live = held[slot];
                    trace.Restores++;
                    break;
                }

                case CheckpointAction.Turn:
                {
                    int step = schedule.Step;
                    if (step != nextToReverse)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Turn of step {step}, but step {nextToReverse} is the next to reverse.");
                    }

                    if (live != step)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Turn of step {step} but the state is at step {live}.");
                    }

                    live = -1;
                    nextToReverse--;
                    trace.Turns++;
                    sinceTurn = 0;
                    break;
                }

                case CheckpointAction.Done:
                {
                    if (nextToReverse != -1)
                    {
                        Assert.Fail($"{where}, action {trace.Actions}: Done with steps 0..{nextToReverse} not reversed.");
                    }

                    if (schedule.Advanced != trace.Advanced)
                    {
                        Assert.Fail($"{where}: Advanced is {schedule.Advanced} at Done, the advances ran {trace.Advanced} steps.");
                    }

                    for (int i = 0; i < 3; i++)
                    {
                        Assert.Equal(CheckpointAction.Done, schedule.Next());
                        Assert.Equal(-1, schedule.Step);
                        Assert.Equal(trace.Advanced, schedule.Advanced);
                    }

                    return trace;
                }

                default:
                    Assert.Fail($"{where}, action {trace.Actions}: unknown action {action}.");
                    break;
            }
        }
    }

    // ---------------------------------------------------------------- the optimum, by exhaustive search

    private const int MaxLength = 200;
    private const int MaxSnapshots = 12;

    private static readonly Lazy<long[,]> OptimalTable = new(BuildOptimalTable);

    /// <summary>
    /// The fewest steps advanced to reverse l steps with c snapshots, the one at the segment's start among them: the
    /// first snapshot after the start goes k steps in (k advanced), the right part is reversed with one snapshot less,
    /// then the left part, from the restored start, with all c again; with one snapshot every step is recomputed from
    /// the start.
    /// </summary>
    private static long[,] BuildOptimalTable()
    {
        var cost = new long[MaxLength + 1, MaxSnapshots + 1];
        for (int c = 1; c <= MaxSnapshots; c++)
        {
            for (int l = 0; l <= MaxLength; l++)
            {
                if (l <= 1)
                {
                    cost[l, c] = 0;
                }
                else if (c == 1)
                {
                    cost[l, c] = (long)l * (l - 1) / 2;
                }
                else
                {
                    long best = long.MaxValue;
                    for (int k = 1; k < l; k++)
                    {
                        best = Math.Min(best, k + cost[l - k, c - 1] + cost[k, c]);
                    }

                    cost[l, c] = best;
                }
            }
        }

        return cost;
    }

    private static long Optimal(int length, int snapshots) => OptimalTable.Value[length, snapshots];

    /// <summary>C(n, k) exactly (small arguments only).</summary>
    private static long Binomial(long n, long k)
    {
        if (k < 0 || n < 0 || k > n)
        {
            return 0;
        }

        k = Math.Min(k, n - k);
        long value = 1;
        for (long i = 1; i <= k; i++)
        {
            value = checked(value * (n - k + i) / i);
        }

        return value;
    }

    /// <summary>β(s, r) = C(s + r, s).</summary>
    private static long BetaOf(long s, long r) => s < 0 || r < 0 ? 0 : Binomial(s + r, s);

    /// <summary>Griewank's closed form of the optimum: r·l − β(c + 1, r − 1) with r the fewest that β(c, r) ≥ l.</summary>
    private static long ClosedForm(long length, int snapshots)
    {
        if (length <= 1)
        {
            return 0;
        }

        long r = 0;
        while (BetaOf(snapshots, r) < length)
        {
            r++;
        }

        return r * length - BetaOf(snapshots + 1, r - 1);
    }

    /// <summary>The fewest n ≥ 1 with C(n + 2, 2) ≥ steps.</summary>
    private static int ExpectedDefault(int steps)
    {
        int n = 1;
        while ((long)(n + 2) * (n + 1) / 2 < steps)
        {
            n++;
        }

        return n;
    }

    // ---------------------------------------------------------------- validity

    [Fact]
    public void EveryScheduleUpTo60Steps_IsValid_AndUsesNoMoreSnapshotsThanItHas()
    {
        for (int steps = 0; steps <= 60; steps++)
        {
            for (int snapshots = 1; snapshots <= 8; snapshots++)
            {
                var schedule = new CheckpointSchedule(steps, snapshots);
                Assert.Equal(steps, schedule.Steps);
                Assert.Equal(Math.Min(snapshots, Math.Max(steps, 1)), schedule.Slots);

                var perStep = new int[steps + 1];
                Trace trace = Simulate(schedule, perStep);

                Assert.Equal(steps, trace.Turns);
                Assert.True(trace.DistinctSlots <= schedule.Slots, $"steps {steps}, snapshots {snapshots}: {trace.DistinctSlots} slots used.");
                Assert.True(steps == 0 || trace.DistinctSlots >= 1, $"steps {steps}, snapshots {snapshots}: the start was never stored.");
                Assert.Equal(0, perStep[steps]); // the state after the last step is never needed
                if (steps > 0)
                {
                    Assert.Equal(0, perStep[steps - 1]); // the last step only ever runs recorded
                }
            }
        }
    }

    [Theory]
    [InlineData(1000, 10)]
    [InlineData(1000, 1)]
    [InlineData(1000, 2)]
    [InlineData(1000, 999)]
    [InlineData(1000, 5000)]
    [InlineData(10_000, 100)]
    [InlineData(10_000, 3)]
    [InlineData(100_000, 0)]
    [InlineData(100_000, 20)]
    [InlineData(4096, 12)]
    public void LargeSchedules_AreValid_AndOptimalByTheClosedForm(int steps, int snapshots)
    {
        var schedule = new CheckpointSchedule(steps, snapshots);
        int expectedSlots = Math.Min(snapshots == 0 ? ExpectedDefault(steps) : snapshots, Math.Max(steps, 1));
        Assert.Equal(expectedSlots, schedule.Slots);

        Trace trace = Simulate(schedule);

        Assert.Equal(steps, trace.Turns);
        Assert.True(trace.DistinctSlots <= schedule.Slots);
        Assert.Equal(ClosedForm(steps, schedule.Slots), trace.Advanced);
    }

    [Fact]
    public void ZeroSteps_IsDoneAtOnce_WithOneSlot()
    {
        foreach (int snapshots in new[] { 0, 1, 7 })
        {
            var schedule = new CheckpointSchedule(0, snapshots);
            Assert.Equal(1, schedule.Slots);
            Assert.Equal(CheckpointAction.Done, schedule.Next());
            Assert.Equal(CheckpointAction.Done, schedule.Next());
            Assert.Equal(0, schedule.Advanced);
        }
    }

    [Fact]
    public void OneStep_StoresTheStartThenTurnsIt()
    {
        var schedule = new CheckpointSchedule(1, 3);
        Assert.Equal(1, schedule.Slots);
        Assert.Equal(CheckpointAction.Store, schedule.Next());
        Assert.Equal(0, schedule.Slot);
        Assert.Equal(CheckpointAction.Turn, schedule.Next());
        Assert.Equal(0, schedule.Step);
        Assert.Equal(CheckpointAction.Done, schedule.Next());
        Assert.Equal(0, schedule.Advanced);
    }

    [Fact]
    public void TheForwardSweep_StoresTheStart_AndEndsTurningTheLastStep()
    {
        for (int steps = 1; steps <= 40; steps++)
        {
            foreach (int snapshots in new[] { 0, 1, 2, 5 })
            {
                var schedule = new CheckpointSchedule(steps, snapshots);
                Assert.Equal(CheckpointAction.Store, schedule.Next());
                Assert.Equal(0, schedule.Slot);

                CheckpointAction action;
                while ((action = schedule.Next()) != CheckpointAction.Turn)
                {
                    // Up to the first turn the loop only runs forward: no restores.
                    Assert.True(action is CheckpointAction.Advance or CheckpointAction.Store, $"steps {steps}, snapshots {snapshots}: {action} before the first turn.");
                }

                Assert.Equal(steps - 1, schedule.Step);
            }
        }
    }

    [Fact]
    public void RealRecurrence_TheStateAtEveryTurnIsTheTrajectorys()
    {
        // A step-dependent, nonlinear recurrence: restoring or advancing the wrong state shows in the value.
        static double Step(double x, int k) => Math.Sin(1.3 * x + 0.1 * k) + 0.01 * k;

        foreach ((int steps, int snapshots) in new[] { (1, 1), (2, 1), (17, 1), (17, 3), (50, 4), (233, 5), (1000, 0), (1000, 7), (64, 64) })
        {
            var trajectory = new double[steps + 1];
            trajectory[0] = 0.25;
            for (int k = 0; k < steps; k++)
            {
                trajectory[k + 1] = Step(trajectory[k], k);
            }

            var schedule = new CheckpointSchedule(steps, snapshots);
            double[] slots = schedule.ScalarSlots<double>();
            Assert.Equal(schedule.Slots, slots.Length);

            double state = trajectory[0];
            int turns = 0;
            CheckpointAction action;
            while ((action = schedule.Next()) != CheckpointAction.Done)
            {
                switch (action)
                {
                    case CheckpointAction.Advance:
                        for (int k = schedule.From; k < schedule.To; k++)
                        {
                            state = Step(state, k);
                        }

                        break;
                    case CheckpointAction.Store:
                        slots[schedule.Slot] = state;
                        break;
                    case CheckpointAction.Restore:
                        state = slots[schedule.Slot];
                        break;
                    case CheckpointAction.Turn:
                        Assert.Equal(trajectory[schedule.Step], state);
                        state = double.NaN; // spent
                        turns++;
                        break;
                }
            }

            Assert.Equal(steps, turns);
        }
    }

    [Fact]
    public void ArraySlots_HasOneEntryPerSnapshot()
    {
        var schedule = new CheckpointSchedule(100, 6);
        Assert.Equal(6, schedule.ArraySlots<double[]>().Length);
        Assert.Equal(6, schedule.ScalarSlots<float>().Length);
    }

    // ---------------------------------------------------------------- optimality

    [Fact]
    public void ExhaustiveOptimum_MatchesTheClosedForm()
    {
        // The closed form is used for the schedules too long to search exhaustively; it is trusted only where it
        // agrees with the search.
        for (int c = 1; c <= MaxSnapshots; c++)
        {
            for (int l = 0; l <= MaxLength; l++)
            {
                Assert.True(Optimal(l, c) == ClosedForm(l, c), $"l {l}, c {c}: search {Optimal(l, c)}, closed form {ClosedForm(l, c)}.");
            }
        }
    }

    [Fact]
    public void EverySchedule_AdvancesTheFewestStepsAnySchedulePossiblyCan()
    {
        for (int steps = 0; steps <= 120; steps++)
        {
            for (int snapshots = 1; snapshots <= 8; snapshots++)
            {
                var schedule = new CheckpointSchedule(steps, snapshots);
                Trace trace = Simulate(schedule);
                long optimum = Optimal(steps, snapshots);
                Assert.True(optimum == trace.Advanced, $"steps {steps}, snapshots {snapshots}: advanced {trace.Advanced}, the optimum is {optimum}.");
                Assert.Equal(optimum, schedule.Advanced);
            }
        }
    }

    [Fact]
    public void LongerSchedulesWithMoreSnapshots_AreOptimalToo()
    {
        for (int steps = 121; steps <= MaxLength; steps += 7)
        {
            for (int snapshots = 1; snapshots <= MaxSnapshots; snapshots++)
            {
                Trace trace = Simulate(new CheckpointSchedule(steps, snapshots));
                Assert.True(Optimal(steps, snapshots) == trace.Advanced, $"steps {steps}, snapshots {snapshots}: advanced {trace.Advanced}, the optimum is {Optimal(steps, snapshots)}.");
            }
        }
    }

    [Fact]
    public void OneSnapshot_RecomputesEveryStepFromTheStart()
    {
        foreach (int steps in new[] { 1, 2, 3, 10, 57, 300 })
        {
            var perStep = new int[steps + 1];
            Trace trace = Simulate(new CheckpointSchedule(steps, 1), perStep);
            Assert.Equal((long)steps * (steps - 1) / 2, trace.Advanced);
            Assert.Equal(steps - 1, trace.Restores); // every turn but the first starts from the restored start
            Assert.Equal(1, trace.Stores);
            for (int k = 0; k < steps; k++)
            {
                Assert.Equal(steps - 1 - k, perStep[k]);
            }
        }
    }

    [Fact]
    public void AsManySnapshotsAsSteps_AdvanceEveryStepOnce_ButTheLast()
    {
        foreach ((int steps, int snapshots) in new[] { (1, 1), (2, 2), (9, 9), (9, 20), (100, 100), (100, 1000) })
        {
            var perStep = new int[steps + 1];
            var schedule = new CheckpointSchedule(steps, snapshots);
            Assert.Equal(steps, schedule.Slots);
            Trace trace = Simulate(schedule, perStep);
            Assert.Equal(steps - 1, trace.Advanced);
            for (int k = 0; k < steps - 1; k++)
            {
                Assert.Equal(1, perStep[k]);
            }

            Assert.Equal(0, perStep[steps - 1]);
        }
    }

    // ---------------------------------------------------------------- the default number of snapshots

    [Fact]
    public void DefaultSnapshots_IsTheFewestThatKeepEveryStepToTwoRecomputations()
    {
        for (int steps = 0; steps <= 5000; steps++)
        {
            Assert.Equal(ExpectedDefault(steps), CheckpointSchedule.DefaultSnapshots(steps));
        }

        foreach (int steps in new[] { 65_536, 999_999, 1_000_000, 1_000_001, 10_000_000, int.MaxValue })
        {
            Assert.Equal(ExpectedDefault(steps), CheckpointSchedule.DefaultSnapshots(steps));
        }

        Assert.Equal(1413, CheckpointSchedule.DefaultSnapshots(1_000_000));
        Assert.Equal(1, CheckpointSchedule.DefaultSnapshots(3));
        Assert.Equal(2, CheckpointSchedule.DefaultSnapshots(4));
        Assert.Equal(2, CheckpointSchedule.DefaultSnapshots(6));
        Assert.Equal(3, CheckpointSchedule.DefaultSnapshots(7));
    }

    [Fact]
    public void DefaultSchedule_AdvancesNoStepMoreThanTwice()
    {
        var perStep = new int[5001];
        for (int steps = 0; steps <= 5000; steps++)
        {
            Array.Clear(perStep);
            var schedule = new CheckpointSchedule(steps, 0);
            Assert.Equal(Math.Min(ExpectedDefault(steps), Math.Max(steps, 1)), schedule.Slots);
            Trace trace = Simulate(schedule, perStep);
            Assert.Equal(steps, trace.Turns);
            for (int k = 0; k < steps; k++)
            {
                if (perStep[k] > 2)
                {
                    Assert.Fail($"steps {steps} (default {schedule.Slots} snapshots): step {k} advanced {perStep[k]} times.");
                }
            }

            Assert.True(trace.Advanced <= 2L * steps, $"steps {steps}: advanced {trace.Advanced}.");
            Assert.Equal(ClosedForm(steps, schedule.Slots), trace.Advanced);
        }
    }

    [Fact]
    public void TenMillionSteps_RunToDone_WithLittleMemoryAndAtMostTwoAdvancesPerStep()
    {
        const int steps = 10_000_000;
        var schedule = new CheckpointSchedule(steps, 0);
        Assert.Equal(ExpectedDefault(steps), schedule.Slots);

        long before = GC.GetAllocatedBytesForCurrentThread();
        long advanced = 0;
        int nextToReverse = steps - 1;
        CheckpointAction action;
        while ((action = schedule.Next()) != CheckpointAction.Done)
        {
            if (action == CheckpointAction.Advance)
            {
                advanced += schedule.To - schedule.From;
            }
            else if (action == CheckpointAction.Turn)
            {
                if (schedule.Step != nextToReverse)
                {
                    Assert.Fail($"Turn of step {schedule.Step}, expected {nextToReverse}.");
                }

                nextToReverse--;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(-1, nextToReverse);
        Assert.Equal(advanced, schedule.Advanced);
        Assert.True(advanced <= 2L * steps, $"advanced {advanced}.");
        Assert.Equal(ClosedForm(steps, schedule.Slots), advanced);

        // The pending work is a stack of a few entries per snapshot (16 bytes each), not a list of the actions:
        // whatever it grew to is far below one byte per step.
        Assert.True(allocated < 64L * 16 * schedule.Slots, $"{allocated} bytes allocated running {steps} steps with {schedule.Slots} snapshots.");
    }

    [Fact]
    public void TenMillionSteps_FullModel_IsValid()
    {
        var schedule = new CheckpointSchedule(10_000_000, 0);
        Trace trace = Simulate(schedule);
        Assert.Equal(10_000_000, trace.Turns);
        Assert.True(trace.DistinctSlots <= schedule.Slots);
        Assert.True(trace.Advanced <= 2L * 10_000_000);
    }

    // ---------------------------------------------------------------- argument errors

    [Theory]
    [InlineData(-1, 3, "steps")]
    [InlineData(int.MinValue, 0, "steps")]
    [InlineData(-5, -5, "steps")]
    [InlineData(10, -1, "snapshots")]
    [InlineData(0, int.MinValue, "snapshots")]
    public void NegativeCounts_ThrowNamingTheArgument(int steps, int snapshots, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointSchedule(steps, snapshots));
        Assert.Equal(parameter, error.ParamName);
        Assert.Equal(parameter == "steps" ? steps : snapshots, error.ActualValue);
    }
}
