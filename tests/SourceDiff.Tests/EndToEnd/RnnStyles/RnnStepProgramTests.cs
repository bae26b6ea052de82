using System;
using System.Collections.Generic;
using SourceDiff.Tests.EndToEnd.Static;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.RnnStyles;

/// <summary>
/// RNN steps over hidden buffers written in the styles users write them (copies by loop, Array.Copy, CopyTo, Clone,
/// swaps; partial, offset, guarded and reversed copies; helpers that write the buffers; stacked, GRU- and LSTM-like
/// cells; checkpointed loops), written by a new-user trial of the reloads from equal arrays: where the equality holds
/// and where any condition of it breaks, every gradient must match finite differences, leave its inputs alone, and
/// repeat exactly on a second call.
/// </summary>
public class RnnStepProgramTests
{
    public delegate double Loss(double[] w, double[] xs, int n, int steps);

    public delegate double Gradient(double[] w, double[] xs, int n, int steps, double[] dW);

    public static readonly Dictionary<string, (Loss Loss, Gradient Gradient)> Programs = new()
    {
        ["ArrayCopyElman"] = (RnnStepPrograms.ArrayCopyElman, RnnStepPrograms.ArrayCopyElmanGradient),
        ["CopyToElman"] = (RnnStepPrograms.CopyToElman, RnnStepPrograms.CopyToElmanGradient),
        ["CloneElman"] = (RnnStepPrograms.CloneElman, RnnStepPrograms.CloneElmanGradient),
        ["SpanCopyElman"] = (RnnStepPrograms.SpanCopyElman, RnnStepPrograms.SpanCopyElmanGradient),
        ["TupleSwap"] = (RnnStepPrograms.TupleSwap, RnnStepPrograms.TupleSwapGradient),
        ["TempSwap"] = (RnnStepPrograms.TempSwap, RnnStepPrograms.TempSwapGradient),
        ["OffsetCopy"] = (RnnStepPrograms.OffsetCopy, RnnStepPrograms.OffsetCopyGradient),
        ["ReverseCopy"] = (RnnStepPrograms.ReverseCopy, RnnStepPrograms.ReverseCopyGradient),
        ["GuardedCopy"] = (RnnStepPrograms.GuardedCopy, RnnStepPrograms.GuardedCopyGradient),
        ["WhileCopy"] = (RnnStepPrograms.WhileCopy, RnnStepPrograms.WhileCopyGradient),
        ["BreakInStep"] = (RnnStepPrograms.BreakInStep, RnnStepPrograms.BreakInStepGradient),
        ["ContinueSkipsCopy"] = (RnnStepPrograms.ContinueSkipsCopy, RnnStepPrograms.ContinueSkipsCopyGradient),
        ["BreakThenStepAfter"] = (RnnStepPrograms.BreakThenStepAfter, RnnStepPrograms.BreakThenStepAfterGradient),
        ["EarlyReturn"] = (RnnStepPrograms.EarlyReturn, RnnStepPrograms.EarlyReturnGradient),
        ["WriteNextAfterCopy"] = (RnnStepPrograms.WriteNextAfterCopy, RnnStepPrograms.WriteNextAfterCopyGradient),
        ["SecondWriteHalves"] = (RnnStepPrograms.SecondWriteHalves, RnnStepPrograms.SecondWriteHalvesGradient),
        ["Accumulate"] = (RnnStepPrograms.Accumulate, RnnStepPrograms.AccumulateGradient),
        ["ReadsOtherIndices"] = (RnnStepPrograms.ReadsOtherIndices, RnnStepPrograms.ReadsOtherIndicesGradient),
        ["AllocInLoop"] = (RnnStepPrograms.AllocInLoop, RnnStepPrograms.AllocInLoopGradient),
        ["BothAllocInLoop"] = (RnnStepPrograms.BothAllocInLoop, RnnStepPrograms.BothAllocInLoopGradient),
        ["DifferentLengths"] = (RnnStepPrograms.DifferentLengths, RnnStepPrograms.DifferentLengthsGradient),
        ["LengthAssignedTwice"] = (RnnStepPrograms.LengthAssignedTwice, RnnStepPrograms.LengthAssignedTwiceGradient),
        ["LengthLocals"] = (RnnStepPrograms.LengthLocals, RnnStepPrograms.LengthLocalsGradient),
        ["JaggedStates"] = (RnnStepPrograms.JaggedStates, RnnStepPrograms.JaggedStatesGradient),
        ["Stacked"] = (RnnStepPrograms.Stacked, RnnStepPrograms.StackedGradient),
        ["GruLike"] = (RnnStepPrograms.GruLike, RnnStepPrograms.GruLikeGradient),
        ["LstmLike"] = (RnnStepPrograms.LstmLike, RnnStepPrograms.LstmLikeGradient),
        ["CheckpointedCopy"] = (RnnStepPrograms.CheckpointedCopy, RnnStepPrograms.CheckpointedCopyGradient),
        ["CheckpointedContinue"] = (RnnStepPrograms.CheckpointedContinue, RnnStepPrograms.CheckpointedContinueGradient),
        ["ContinueInCopy"] = (RnnStepPrograms.ContinueInCopy, RnnStepPrograms.ContinueInCopyGradient),
        ["BreakInCopy"] = (RnnStepPrograms.BreakInCopy, RnnStepPrograms.BreakInCopyGradient),
        ["CopyTwice"] = (RnnStepPrograms.CopyTwice, RnnStepPrograms.CopyTwiceGradient),
        ["ArrayCopyIndexed"] = (RnnStepPrograms.ArrayCopyIndexed, RnnStepPrograms.ArrayCopyIndexedGradient),
        ["FillBetween"] = (RnnStepPrograms.FillBetween, RnnStepPrograms.FillBetweenGradient),
        ["HelperWritesSourceInExpression"] = (RnnStepPrograms.HelperWritesSourceInExpression, RnnStepPrograms.HelperWritesSourceInExpressionGradient),
        ["HelperCopies"] = (RnnStepPrograms.HelperCopies, RnnStepPrograms.HelperCopiesGradient),
        ["HelperSteps"] = (RnnStepPrograms.HelperSteps, RnnStepPrograms.HelperStepsGradient),
        ["ElementFromBump"] = (RnnStepPrograms.ElementFromBump, RnnStepPrograms.ElementFromBumpGradient),
        ["SpanViewWrite"] = (RnnStepPrograms.SpanViewWrite, RnnStepPrograms.SpanViewWriteGradient),
        ["SpanViewInLoop"] = (RnnStepPrograms.SpanViewInLoop, RnnStepPrograms.SpanViewInLoopGradient),
        ["RefLocalWrite"] = (RnnStepPrograms.RefLocalWrite, RnnStepPrograms.RefLocalWriteGradient),
        ["JaggedAliasWrite"] = (RnnStepPrograms.JaggedAliasWrite, RnnStepPrograms.JaggedAliasWriteGradient),
        ["LocalFunctionWrite"] = (RnnStepPrograms.LocalFunctionWrite, RnnStepPrograms.LocalFunctionWriteGradient),
        ["RebindSource"] = (RnnStepPrograms.RebindSource, RnnStepPrograms.RebindSourceGradient),
        ["MixedPrecision"] = (RnnStepPrograms.MixedPrecision, RnnStepPrograms.MixedPrecisionGradient),
        ["ZerosReload"] = (RnnStepPrograms.ZerosReload, RnnStepPrograms.ZerosReloadGradient),
        ["ResetByAllocation"] = (RnnStepPrograms.ResetByAllocation, RnnStepPrograms.ResetByAllocationGradient),
        ["ThreeWay"] = (RnnStepPrograms.ThreeWay, RnnStepPrograms.ThreeWayGradient),
        ["ConditionalWriteInStep"] = (RnnStepPrograms.ConditionalWriteInStep, RnnStepPrograms.ConditionalWriteInStepGradient),
        ["NestedWriteInStep"] = (RnnStepPrograms.NestedWriteInStep, RnnStepPrograms.NestedWriteInStepGradient),
        ["HalfRange"] = (RnnStepPrograms.HalfRange, RnnStepPrograms.HalfRangeGradient),
        ["DoWhileTime"] = (RnnStepPrograms.DoWhileTime, RnnStepPrograms.DoWhileTimeGradient),
        ["CopyBeforeStep"] = (RnnStepPrograms.CopyBeforeStep, RnnStepPrograms.CopyBeforeStepGradient),
        ["HelperWritesNeighbour"] = (RnnStepPrograms.HelperWritesNeighbour, RnnStepPrograms.HelperWritesNeighbourGradient),
        ["CompoundFromCall"] = (RnnStepPrograms.CompoundFromCall, RnnStepPrograms.CompoundFromCallGradient),
        ["TensorElman"] = (RnnStepPrograms.TensorElman, RnnStepPrograms.TensorElmanGradient),
    };

    public static TheoryData<string, int, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int, int>();
            foreach (string name in Programs.Keys)
            {
                foreach ((int n, int steps) in new[] { (1, 0), (1, 1), (1, 4), (2, 3), (3, 1), (3, 5), (4, 6) })
                {
                    data.Add(name, n, steps);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferences(string name, int n, int steps)
    {
        (Loss loss, Gradient gradient) = Programs[name];
        double[] w = Fd.Values(RnnStepPrograms.WLength(n), 17 * n + steps);
        double[] xs = Fd.Values(steps, 5 + steps);
        double[] w0 = (double[])w.Clone();
        double[] xs0 = (double[])xs.Clone();
        var dW = new double[w.Length];
        double value = gradient(w, xs, n, steps, dW);
        Assert.Equal(w0, w);
        Assert.Equal(xs0, xs);
        Assert.Equal(loss(w, xs, n, steps), value);
        if (name == "MixedPrecision")
        {
            // float rounding inside: a wide step and float tolerance.
            Fd.Vec("w", () => loss(w, xs, n, steps), w, dW, 1e-2, 1e-3);
        }
        else
        {
            Fd.Vec("w", () => loss(w, xs, n, steps), w, dW);
        }

        // A second call on the same inputs gives the same gradient.
        var dW2 = new double[w.Length];
        gradient(w, xs, n, steps, dW2);
        Assert.Equal(dW, dW2);
    }
}
