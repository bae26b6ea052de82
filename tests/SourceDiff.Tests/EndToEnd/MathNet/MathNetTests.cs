using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.MathNet;

/// <summary>MathNet.Numerics vector and matrix code in differentiable methods, against central finite differences of the compiled primal.</summary>
public class MathNetTests
{
    private delegate double Primal(Matrix<double> a, Matrix<double> b, Vector<double> u, Vector<double> v, double s);

    private delegate double Gradient(Matrix<double> a, Matrix<double> b, Vector<double> u, Vector<double> v, double s, Matrix<double> dA, Matrix<double> dB, Vector<double> dU, Vector<double> dV, out double dS);

    private static readonly Dictionary<string, (Primal Primal, Gradient Gradient)> Operations = new()
    {
        ["VectorArithmetic"] = (MathNetStatics.VectorArithmetic, MathNetStatics.VectorArithmeticGradient),
        ["VectorMethods"] = (MathNetStatics.VectorMethods, MathNetStatics.VectorMethodsGradient),
        ["MatrixArithmetic"] = (MathNetStatics.MatrixArithmetic, MathNetStatics.MatrixArithmeticGradient),
        ["Functions"] = (MathNetStatics.Functions, MathNetStatics.FunctionsGradient),
        ["Products"] = (MathNetStatics.Products, MathNetStatics.ProductsGradient),
        ["Reductions"] = (MathNetStatics.Reductions, MathNetStatics.ReductionsGradient),
        ["IntoResults"] = (MathNetStatics.IntoResults, MathNetStatics.IntoResultsGradient),
        ["BuildersAndElements"] = (MathNetStatics.BuildersAndElements, MathNetStatics.BuildersAndElementsGradient),
    };

    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (string name in Operations.Keys)
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                cases.Add(name, seed);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesFiniteDifferences(string operation, int seed)
    {
        (Primal primal, Gradient gradient) = Operations[operation];
        var random = new Random(seed);
        Matrix<double> a = MathNetRandom.Matrix(random, 4, 3, 1);
        Matrix<double> b = MathNetRandom.Matrix(random, 4, 3, 1);
        Vector<double> u = MathNetRandom.Vector(random, 3, 1);
        Vector<double> v = MathNetRandom.Vector(random, 4, 1);
        double s = 0.5 + random.NextDouble() * (seed == 2 ? 0.4 : 1.5);
        Matrix<double> aBefore = a.Clone(), bBefore = b.Clone();
        Vector<double> uBefore = u.Clone(), vBefore = v.Clone();
        Matrix<double> dA = Matrix<double>.Build.Dense(4, 3, double.NaN), dB = Matrix<double>.Build.Dense(4, 3, double.NaN);
        Vector<double> dU = Vector<double>.Build.Dense(3, double.NaN), dV = Vector<double>.Build.Dense(4, double.NaN);

        double value = gradient(a, b, u, v, s, dA, dB, dU, dV, out double dS);

        Assert.Equal(primal(a, b, u, v, s), value);
        Assert.Equal(aBefore, a);
        Assert.Equal(bBefore, b);
        Assert.Equal(uBefore, u);
        Assert.Equal(vBefore, v);
        FiniteDifferences.AssertGradient(() => primal(a, b, u, v, s), a.AsColumnMajorArray(), dA.AsColumnMajorArray(), "dA");
        FiniteDifferences.AssertGradient(() => primal(a, b, u, v, s), b.AsColumnMajorArray(), dB.AsColumnMajorArray(), "dB");
        FiniteDifferences.AssertGradient(() => primal(a, b, u, v, s), u.AsArray(), dU.AsArray(), "dU");
        FiniteDifferences.AssertGradient(() => primal(a, b, u, v, s), v.AsArray(), dV.AsArray(), "dV");
        FiniteDifferences.AssertScalar(x => primal(a, b, u, v, x), s, dS, "dS");
    }

    [Fact]
    public void PullbackAddsIntoTheAdjointsItIsGiven()
    {
        var random = new Random(11);
        Matrix<double> a = MathNetRandom.Matrix(random, 4, 3, 1), b = MathNetRandom.Matrix(random, 4, 3, 1);
        Vector<double> u = MathNetRandom.Vector(random, 3, 1), v = MathNetRandom.Vector(random, 4, 1);
        Matrix<double> dA = Matrix<double>.Build.Dense(4, 3), dB = Matrix<double>.Build.Dense(4, 3);
        Vector<double> dU = Vector<double>.Build.Dense(3), dV = Vector<double>.Build.Dense(4);
        MathNetStatics.ProductsGradient(a, b, u, v, 0.7, dA, dB, dU, dV, out _);

        Matrix<double> pA = Matrix<double>.Build.Dense(4, 3, 1), pB = Matrix<double>.Build.Dense(4, 3, 1);
        Vector<double> pU = Vector<double>.Build.Dense(3, 1), pV = Vector<double>.Build.Dense(4, 1);
        double pS = 0;
        MathNetStatics.ProductsPullback(a, b, u, v, 0.7, 2.0, pA, pB, pU, pV, ref pS);

        Assert.True((pA - (2 * dA + 1)).InfinityNorm() < 1e-12);
        Assert.True((pU - (2 * dU + 1)).InfinityNorm() < 1e-12);
        Assert.True((pV - (2 * dV + 1)).InfinityNorm() < 1e-12);
    }

    [Fact]
    public void GradientOfTheWrongShapeIsRejectedBeforeAnythingIsWritten()
    {
        var random = new Random(3);
        Matrix<double> a = MathNetRandom.Matrix(random, 4, 3, 1), b = MathNetRandom.Matrix(random, 4, 3, 1);
        Vector<double> u = MathNetRandom.Vector(random, 3, 1), v = MathNetRandom.Vector(random, 4, 1);
        Matrix<double> dA = Matrix<double>.Build.Dense(4, 3, 7), dB = Matrix<double>.Build.Dense(3, 4, 7);
        Vector<double> dU = Vector<double>.Build.Dense(3, 7), dV = Vector<double>.Build.Dense(4, 7);

        var error = Assert.ThrowsAny<ArgumentException>(() => MathNetStatics.ProductsGradient(a, b, u, v, 0.7, dA, dB, dU, dV, out _));

        Assert.Equal("dB", error.ParamName);
        Assert.All(dA.AsColumnMajorArray(), value => Assert.Equal(7, value));
        Assert.All(dU.AsArray(), value => Assert.Equal(7, value));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(25)]
    public void ElmanRnnMatchesFiniteDifferences(int steps)
    {
        var model = new MathNetElman(inputs: 3, hidden: 5, seed: steps);
        var random = new Random(100 + steps);
        Vector<double>[] xs = Enumerable.Range(0, steps).Select(_ => MathNetRandom.Vector(random, 3, 1)).ToArray();
        double[] ys = Enumerable.Range(0, steps).Select(_ => random.NextDouble() - 0.5).ToArray();

        GradientCheck.Check(model, () => model.Loss(xs, ys), (MathNetElman.Gradient g) => model.LossGradient(xs, ys, g)).ThrowIfFailed();
    }

    [Fact]
    public void ElmanStepGradientWithRespectToItsInputAndTheState()
    {
        var model = new MathNetElman(inputs: 3, hidden: 4, seed: 5);
        model.H = MathNetRandom.Vector(new Random(1), 4, 0.5);
        Vector<double> x = MathNetRandom.Vector(new Random(2), 3, 1);
        Vector<double> hBefore = model.H.Clone();
        var gradient = new MathNetElman.Gradient(model);
        Vector<double> dX = Vector<double>.Build.Dense(3);

        double value = model.StepGradient(x, gradient, dX);

        Vector<double> hAfter = model.H.Clone();
        model.H = hBefore.Clone();
        Assert.Equal(model.Step(x), value);
        Assert.Equal(hAfter, model.H);
        double Run()
        {
            model.H = hBefore.Clone();
            return model.Step(x);
        }

        FiniteDifferences.AssertGradient(Run, x.AsArray(), dX.AsArray(), "dX");
        FiniteDifferences.AssertGradient(Run, model.Wh.AsColumnMajorArray(), gradient.Wh.AsColumnMajorArray(), "dWh");
        FiniteDifferences.AssertGradient(Run, model.B.AsArray(), gradient.B.AsArray(), "dB");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void LstmMatchesFiniteDifferences(int steps)
    {
        var model = new MathNetLstm(inputs: 3, hidden: 4, seed: steps);
        var random = new Random(200 + steps);
        Vector<double>[] xs = Enumerable.Range(0, steps).Select(_ => MathNetRandom.Vector(random, 3, 1)).ToArray();
        double[] ys = Enumerable.Range(0, steps).Select(_ => random.NextDouble() - 0.5).ToArray();

        GradientCheck.Check(model, () => model.Loss(xs, ys), (MathNetLstm.Gradient g) => model.LossGradient(xs, ys, g)).ThrowIfFailed();
    }

    [Fact]
    public void MlpMatchesFiniteDifferencesAndItsGradientEnumeratesMatricesAsBuffers()
    {
        var model = new MathNetMlp(inputs: 4, hidden: 6, outputs: 3, seed: 9);
        var random = new Random(9);
        Matrix<double> inputs = MathNetRandom.Matrix(random, 5, 4, 1);
        int[] labels = { 0, 2, 1, 1, 0 };

        GradientCheck.Check(model, () => model.Loss(inputs, labels), (MathNetMlp.Gradient g) => model.LossGradient(inputs, labels, g)).ThrowIfFailed();

        var gradient = new MathNetMlp.Gradient(model);
        model.LossGradient(inputs, labels, gradient);
        IParameterSet buffers = gradient;
        Assert.Equal(4, buffers.ParameterCount);
        Assert.Equal("W1", buffers.GetParameterName(0));
        Assert.Equal(6 * 4, buffers.GetDoubles(0).Length);
        Assert.Equal(gradient.W1[1, 2], buffers.GetDoubles(0)[(2 * 6) + 1]);
        buffers.GetDoubles(3)[1] = 42;
        Assert.Equal(42, gradient.B2[1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(30)]
    public void CheckpointedElmanIsBitForBitThePlainGradientAndMatchesFiniteDifferences(int steps)
    {
        var random = new Random(steps);
        Matrix<double> wx = MathNetRandom.Matrix(random, 4, 3, 0.8), wh = MathNetRandom.Matrix(random, 4, 4, 0.5);
        Vector<double> b = MathNetRandom.Vector(random, 4, 0.2);
        Vector<double>[] xs = Enumerable.Range(0, steps).Select(_ => MathNetRandom.Vector(random, 3, 1)).ToArray();
        Vector<double>[] ys = Enumerable.Range(0, steps).Select(_ => MathNetRandom.Vector(random, 4, 0.5)).ToArray();
        Matrix<double> dWx = Matrix<double>.Build.Dense(4, 3), dWh = Matrix<double>.Build.Dense(4, 4);
        Vector<double> dB = Vector<double>.Build.Dense(4);
        Matrix<double> cWx = Matrix<double>.Build.Dense(4, 3), cWh = Matrix<double>.Build.Dense(4, 4);
        Vector<double> cB = Vector<double>.Build.Dense(4);

        double plain = MathNetSequences.ElmanGradient(wx, wh, b, xs, ys, dWx, dWh, dB);
        double checkpointed = MathNetSequences.ElmanCheckpointedGradient(wx, wh, b, xs, ys, cWx, cWh, cB);

        Assert.Equal(MathNetSequences.Elman(wx, wh, b, xs, ys), plain);
        Assert.Equal(plain, checkpointed);
        Assert.Equal(dWx, cWx);
        Assert.Equal(dWh, cWh);
        Assert.Equal(dB, cB);
        FiniteDifferences.AssertGradient(() => MathNetSequences.Elman(wx, wh, b, xs, ys), wh.AsColumnMajorArray(), dWh.AsColumnMajorArray(), "dWh");
        FiniteDifferences.AssertGradient(() => MathNetSequences.Elman(wx, wh, b, xs, ys), b.AsArray(), dB.AsArray(), "dB");
    }

    [Fact]
    public void FloatModelPassesTheGradientCheck()
    {
        var model = new MathNetFloatRnn();
        Vector<float>[] xs = { Vector<float>.Build.Dense(new[] { 0.5f, -1f }), Vector<float>.Build.Dense(new[] { 0.25f, 0.75f }), Vector<float>.Build.Dense(new[] { -0.3f, 0.2f }) };
        float[] ys = { 0.1f, -0.2f, 0.3f };

        GradientCheck.Check(model, () => model.Loss(xs, ys), (MathNetFloatRnn.Gradient g) => model.LossGradient(xs, ys, g)).ThrowIfFailed();
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(-0.4)]
    public void VectorChosenInALoopIsCheckpointedAsATemporary(double x)
    {
        double[] w = { 0.3, -0.2, 0.5 };
        double[] dW = new double[3], cW = new double[3];

        double plain = MathNetChoices.ChosenGradient(x, w, out double dX, dW);
        double checkpointed = MathNetChoices.ChosenCheckpointedGradient(x, w, out double cX, cW);

        Assert.Equal(MathNetChoices.Chosen(x, w), plain);
        Assert.Equal(plain, checkpointed);
        Assert.Equal(dX, cX);
        Assert.Equal(dW, cW);
        FiniteDifferences.AssertScalar(value => MathNetChoices.Chosen(value, w), x, dX, "dX");
        FiniteDifferences.AssertGradient(() => MathNetChoices.Chosen(x, w), w, dW, "dW");
    }

    [Fact]
    public void MatricesBuiltFromTwoDimensionalArraysPassTheGradientToTheArrays()
    {
        double[,] w = { { 0.3, -0.5, 0.8 }, { 0.1, 0.4, -0.2 } };
        double[] x = { 0.6, -0.3, 0.9 };
        double[,] dW = new double[2, 3];
        double[] dX = new double[3];

        double value = MathNetFromArrays.LayerGradient(w, x, dW, dX);

        Assert.Equal(MathNetFromArrays.Layer(w, x), value);
        FiniteDifferences.AssertGradient(() => MathNetFromArrays.Layer(w, x), x, dX, "dX");
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double saved = w[i, j];
                w[i, j] = saved + 1e-6;
                double plus = MathNetFromArrays.Layer(w, x);
                w[i, j] = saved - 1e-6;
                double minus = MathNetFromArrays.Layer(w, x);
                w[i, j] = saved;
                FiniteDifferences.AssertClose((plus - minus) / 2e-6, dW[i, j], $"dW[{i}, {j}]");
            }
        }
    }
}
