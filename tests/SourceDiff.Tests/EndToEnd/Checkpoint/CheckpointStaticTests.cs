using System;
using System.Linq;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Checkpoint;

/// <summary>
/// [Checkpoint] on static methods: gradients bit-for-bit equal to the same method without it, at trip counts from 0 to
/// well past the snapshot count, and equal to finite differences; the caller's arrays end as the primal leaves them.
/// </summary>
public class CheckpointStaticTests
{
    private static readonly double[] Weights = { 0.7, -0.4, 0.1 };

    private static double[] Inputs(int steps) => Enumerable.Range(0, steps).Select(t => Math.Sin(0.7 * t) + 0.1 * t % 3).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(257)]
    public void Recurrence_gradients_are_bit_for_bit_those_without_checkpointing(int steps)
    {
        double[] xs = Inputs(steps);
        double[] dPlain = new double[3];
        double plain = CheckpointedStatics.RecurrenceGradient(Weights, xs, 0.3, dPlain, out double dH0Plain);
        foreach (Func<double[], double[], double, double[], (double Value, double DH0)> checkpointed in new Func<double[], double[], double, double[], (double, double)>[]
        {
            (w, x, h, dw) => (CheckpointedStatics.RecurrenceOneSnapshotGradient(w, x, h, dw, out double d), d),
            (w, x, h, dw) => (CheckpointedStatics.RecurrenceThreeSnapshotsGradient(w, x, h, dw, out double d), d),
            (w, x, h, dw) => (CheckpointedStatics.RecurrenceDefaultGradient(w, x, h, dw, out double d), d),
        })
        {
            double[] dW = new double[3];
            (double value, double dH0) = checkpointed(Weights, xs, 0.3, dW);
            Assert.Equal(plain, value);
            Assert.Equal(dPlain, dW);
            Assert.Equal(dH0Plain, dH0);
        }
    }

    [Fact]
    public void Recurrence_checkpointed_matches_finite_differences()
    {
        double[] xs = Inputs(30);
        double[] w = (double[])Weights.Clone();
        double[] dW = new double[3];
        CheckpointedStatics.RecurrenceThreeSnapshotsGradient(w, xs, 0.3, dW, out double dH0);
        FiniteDifferences.AssertGradient(() => CheckpointedStatics.RecurrenceThreeSnapshots(w, xs, 0.3), w, dW, "w");
        FiniteDifferences.AssertScalar(h => CheckpointedStatics.RecurrenceThreeSnapshots(w, xs, h), 0.3, dH0, "h0");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(23)]
    public void A_vector_state_written_in_place_gives_the_same_gradient_and_final_state(int steps)
    {
        const int n = 3;
        double[] w = Enumerable.Range(0, n * n + n).Select(i => 0.3 * Math.Cos(1.3 * i)).ToArray();
        double[] h0 = { 0.2, -0.1, 0.4 };
        double[] xs = Inputs(Math.Max(steps, 1));

        double[] hPlain = (double[])h0.Clone();
        double[] dWPlain = new double[w.Length];
        double[] dHPlain = new double[n];
        double plain = CheckpointedStatics.VectorRnnGradient(w, hPlain, xs, steps, dWPlain, dHPlain);

        double[] h = (double[])h0.Clone();
        double[] dW = new double[w.Length];
        double[] dH = new double[n];
        double value = CheckpointedStatics.VectorRnnCheckpointedGradient(w, h, xs, steps, dW, dH);

        Assert.Equal(plain, value);
        Assert.Equal(dWPlain, dW);
        Assert.Equal(dHPlain, dH);
        Assert.Equal(hPlain, h);

        double[] primal = (double[])h0.Clone();
        CheckpointedStatics.VectorRnnCheckpointed(w, primal, xs, steps);
        Assert.Equal(primal, h);

        FiniteDifferences.AssertGradient(() => CheckpointedStatics.VectorRnnCheckpointed(w, (double[])h0.Clone(), xs, steps), w, dW, "w");
        double[] start = (double[])h0.Clone();
        FiniteDifferences.AssertGradient(() => CheckpointedStatics.VectorRnnCheckpointed(w, (double[])start.Clone(), xs, steps), start, dH, "h");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(20)]
    public void A_ref_helper_in_a_loop_counting_down_by_two(int length)
    {
        double[] xs = Inputs(length);
        double plain = CheckpointedStatics.DownwardGradient(0.8, 0.3, xs, out double dAPlain, out double dHPlain);
        double value = CheckpointedStatics.DownwardCheckpointedGradient(0.8, 0.3, xs, out double dA, out double dH);
        Assert.Equal(plain, value);
        Assert.Equal(dAPlain, dA);
        Assert.Equal(dHPlain, dH);
        FiniteDifferences.AssertScalar(a => CheckpointedStatics.DownwardCheckpointed(a, 0.3, xs), 0.8, dA, "a");
        FiniteDifferences.AssertScalar(h => CheckpointedStatics.DownwardCheckpointed(0.8, h, xs), 0.3, dH, "h");
    }
    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void Recomputation_reads_local_arrays_the_plain_reverse_sweep_never_needed(int length)
    {
        double[] w = Inputs(length).Select(v => v + 0.5).ToArray();
        double[] dWPlain = new double[length];
        double plain = CheckpointedStatics.ReadsAScratchTableGradient(0.4, w, out double dYPlain, dWPlain);
        double[] dW = new double[length];
        double value = CheckpointedStatics.ReadsAScratchTableCheckpointedGradient(0.4, w, out double dY, dW);
        Assert.Equal(plain, value);
        Assert.Equal(dYPlain, dY);
        Assert.Equal(dWPlain, dW);
        FiniteDifferences.AssertGradient(() => CheckpointedStatics.ReadsAScratchTableCheckpointed(0.4, w), w, dW, "w");
    }
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(50)]
    public void Ref_and_out_parameters_written_in_the_loop_are_carried(int steps)
    {
        double[] xs = Inputs(steps);
        double hPlain = 0.2;
        double plain = CheckpointedStatics.RefStateGradient(ref hPlain, 0.9, xs, out double lastPlain, out double dHPlain, out double dWPlain, out double dLastPlain);
        double h = 0.2;
        double value = CheckpointedStatics.RefStateCheckpointedGradient(ref h, 0.9, xs, out double last, out double dH, out double dW, out double dLast);
        Assert.Equal(plain, value);
        Assert.Equal(hPlain, h);
        Assert.Equal(lastPlain, last);
        Assert.Equal(dHPlain, dH);
        Assert.Equal(dWPlain, dW);
        Assert.Equal(dLastPlain, dLast);
        FiniteDifferences.AssertScalar(w => { double h0 = 0.2; return CheckpointedStatics.RefStateCheckpointed(ref h0, w, xs, out _); }, 0.9, dW, "w");
        FiniteDifferences.AssertScalar(h1 => CheckpointedStatics.RefStateCheckpointed(ref h1, 0.9, xs, out _), 0.2, dH, "h");
    }
}
