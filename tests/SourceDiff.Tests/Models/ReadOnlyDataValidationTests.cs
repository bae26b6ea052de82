using System;
using SourceDiff.Tests.EndToEnd;
using Xunit;

namespace SourceDiff.Tests.Models;

/// <summary>Story 2's shape: a [State] layer run over [NoDerivative] sequences of rows, several levels deep.</summary>
public partial class SequenceReader
{
    public double[] W = { 0.4, -0.3 };
    public double[] B = { 0.1 };
    [State] public double[] H = new double[1];

    [Differentiable]
    public double Step(double[] x)
    {
        H[0] = Math.Tanh(W[0] * x[0] + W[1] * x[1] + B[0] + 0.5 * H[0]);
        return H[0] * H[0];
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][][] sequences)
    {
        double total = 0;
        for (int s = 0; s < sequences.Length; s++)
        {
            H[0] = 0;
            for (int t = 0; t < sequences[s].Length; t++)
            {
                total += Step(sequences[s][t]);
            }
        }

        return total;
    }

    /// <summary>Reads its rows only, with a differentiable weight vector beside them.</summary>
    [Differentiable]
    public static double Weighted([NoDerivative] double[][] rows, double[] w)
    {
        double total = 0;
        for (int t = 0; t < rows.Length; t++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                total += w[i] * rows[t][i] * rows[t][i];
            }
        }

        return total;
    }
}

/// <summary>
/// Read-only data (a training set) is checked by comparing its rows with the few arrays a call writes, at every depth,
/// without hashing every row: these pin what those checks must still catch, and the names they give.
/// </summary>
public class ReadOnlyDataValidationTests
{
    private static double[][][] Sequences() => new[]
    {
        new[] { new[] { 0.5, -1.0 }, new[] { 2.0, 0.3 } },
        new[] { new[] { -0.7, 1.1 }, new[] { 0.2, 0.9 }, new[] { 1.5, -0.4 } },
    };

    [Fact]
    public void ValidCallMatchesFiniteDifferencesAndLeavesTheDataUntouched()
    {
        var model = new SequenceReader();
        var gradient = new SequenceReader.Gradient(model);
        double[][][] sequences = Sequences();
        double value = model.LossGradient(sequences, gradient);
        Assert.Equal(new SequenceReader().Loss(Sequences()), value);
        Assert.Equal(Sequences(), sequences);
        FiniteDifferences.AssertGradient(() => model.Loss(sequences), model.W, gradient.W, "W");
        FiniteDifferences.AssertGradient(() => model.Loss(sequences), model.B, gradient.B, "B");
    }

    [Fact]
    public void ARowThatIsAGradientBufferThrowsNamingTheRowBeforeAnythingIsWritten()
    {
        var model = new SequenceReader();
        var gradient = new SequenceReader.Gradient(model);
        double[][][] sequences = Sequences();
        gradient.W[0] = 7;
        gradient.W[1] = 8;
        sequences[1][2] = gradient.W;
        model.H[0] = 0.25;
        var e = Assert.Throws<ArgumentException>(() => model.LossGradient(sequences, gradient));
        Assert.Equal("sequences", e.ParamName);
        Assert.Contains("sequences[1][2] is the same array as gradient.W", e.Message);
        Assert.Equal(new[] { 7.0, 8.0 }, gradient.W);
        Assert.Equal(0.25, model.H[0]);
        Assert.Throws<ArgumentException>(() => model.LossPullback(sequences, 1.0, gradient));
    }

    [Fact]
    public void AGradientBufferThatIsARowOfReadOnlyDataRegisteredEarlierThrowsNamingBoth()
    {
        double[][] rows = { new[] { 0.5, -1.0 }, new[] { 2.0, 0.3 }, new[] { -0.7, 1.1 } };
        double[] w = { 0.8, -0.4 };
        var e = Assert.Throws<ArgumentException>(() => SequenceReader.WeightedGradient(rows, w, rows[2]));
        Assert.Contains("rows[2]", e.Message);
        Assert.Contains("dW", e.Message);
        Assert.Equal(new[] { -0.7, 1.1 }, rows[2]);

        double[] dW = new double[2];
        double value = SequenceReader.WeightedGradient(rows, w, dW);
        Assert.Equal(SequenceReader.Weighted(rows, w), value);
        FiniteDifferences.AssertGradient(() => SequenceReader.Weighted(rows, w), w, dW, "w");
    }

    [Fact]
    public void ARowThatIsTheStateTheMethodWritesThrows()
    {
        var model = new SequenceReader();
        var gradient = new SequenceReader.Gradient(model);
        double[][][] sequences = Sequences();
        model.H[0] = 0.3;
        sequences[0][1] = model.H;
        var e = Assert.Throws<ArgumentException>(() => model.LossGradient(sequences, gradient));
        Assert.Equal("sequences", e.ParamName);
        Assert.Contains("this.H", e.Message);
        Assert.Equal(new[] { 0.3 }, model.H);
    }

    [Fact]
    public void ARowThatIsAParameterOnlyReadIsAllowed()
    {
        // The model's parameters are not written by the call: data may share them, as it may share differentiable inputs.
        var model = new SequenceReader();
        var gradient = new SequenceReader.Gradient(model);
        double[][][] sequences = Sequences();
        sequences[1][0] = model.W;
        double value = model.LossGradient(sequences, gradient);
        Assert.Equal(model.Loss(sequences), value);
        FiniteDifferences.AssertGradient(() => model.Loss(sequences), model.B, gradient.B, "B");
    }

    [Fact]
    public void ANullRowTwoLevelsDownThrowsNamingIt()
    {
        var model = new SequenceReader();
        var gradient = new SequenceReader.Gradient(model);
        double[][][] sequences = Sequences();
        sequences[1][1] = null!;
        var e = Assert.Throws<ArgumentNullException>(() => model.LossGradient(sequences, gradient));
        Assert.Equal("sequences", e.ParamName);
        Assert.Contains("sequences[1][1] is null", e.Message);
        sequences[1] = null!;
        e = Assert.Throws<ArgumentNullException>(() => model.LossGradient(sequences, gradient));
        Assert.Contains("sequences[1] is null", e.Message);
    }
}
