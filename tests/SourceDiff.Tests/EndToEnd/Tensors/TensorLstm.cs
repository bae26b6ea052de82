using System;
using System.Linq;
using System.Numerics.Tensors;
using Xunit;

namespace SourceDiff.Tests.EndToEnd.Tensors;

/// <summary>
/// An LSTM cell written with TensorPrimitives: the four gates' pre-activations as one Dot per row of flattened weight
/// matrices, Sigmoid and Tanh over the whole gate vectors, the cell and hidden [State] arrays updated in place.
/// </summary>
public partial class TensorLstm
{
    public double[] Wi, Wf, Wo, Wg;
    public double[] Ui, Uf, Uo, Ug;
    public double[] Bi, Bf, Bo, Bg;
    public double[] Readout;
    [State] public double[] C;
    [State] public double[] H;

    public TensorLstm(int inputs, int hidden, int seed)
    {
        var random = new Random(seed);
        double scale = 1 / Math.Sqrt(hidden);
        double[] Fill(int n, double s) => Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 2 - 1) * s).ToArray();
        Wi = Fill(hidden * inputs, scale);
        Wf = Fill(hidden * inputs, scale);
        Wo = Fill(hidden * inputs, scale);
        Wg = Fill(hidden * inputs, scale);
        Ui = Fill(hidden * hidden, scale);
        Uf = Fill(hidden * hidden, scale);
        Uo = Fill(hidden * hidden, scale);
        Ug = Fill(hidden * hidden, scale);
        Bi = Fill(hidden, 0.1);
        Bf = Fill(hidden, 0.1).Select(b => b + 1).ToArray();
        Bo = Fill(hidden, 0.1);
        Bg = Fill(hidden, 0.1);
        Readout = Fill(hidden, 0.5);
        C = new double[hidden];
        H = new double[hidden];
    }

    [Differentiable]
    public double Step([NoDerivative] double[] x)
    {
        int n = H.Length, m = x.Length;
        double[] i = new double[n], f = new double[n], o = new double[n], g = new double[n];
        for (int k = 0; k < n; k++)
        {
            i[k] = TensorPrimitives.Dot(Wi.AsSpan(k * m, m), x) + TensorPrimitives.Dot(Ui.AsSpan(k * n, n), H);
            f[k] = TensorPrimitives.Dot(Wf.AsSpan(k * m, m), x) + TensorPrimitives.Dot(Uf.AsSpan(k * n, n), H);
            o[k] = TensorPrimitives.Dot(Wo.AsSpan(k * m, m), x) + TensorPrimitives.Dot(Uo.AsSpan(k * n, n), H);
            g[k] = TensorPrimitives.Dot(Wg.AsSpan(k * m, m), x) + TensorPrimitives.Dot(Ug.AsSpan(k * n, n), H);
        }

        TensorPrimitives.Add(i, Bi, i);
        TensorPrimitives.Sigmoid(i, i);
        TensorPrimitives.Add(f, Bf, f);
        TensorPrimitives.Sigmoid(f, f);
        TensorPrimitives.Add(o, Bo, o);
        TensorPrimitives.Sigmoid(o, o);
        TensorPrimitives.Add(g, Bg, g);
        TensorPrimitives.Tanh(g, g);
        TensorPrimitives.Multiply(f, C, C);
        TensorPrimitives.MultiplyAdd(i, g, C, C);
        TensorPrimitives.Tanh(C, H);
        TensorPrimitives.Multiply(o, H, H);
        return TensorPrimitives.Dot(Readout, H);
    }

    [Differentiable]
    public double Loss([NoDerivative] double[][] xs, [NoDerivative] double[] ys)
    {
        H.AsSpan().Clear();
        C.AsSpan().Clear();
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }
}

public class TensorLstmTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void LstmMatchesFiniteDifferences(int steps)
    {
        var model = new TensorLstm(inputs: 3, hidden: 4, seed: steps);
        var random = new Random(300 + steps);
        double[][] xs = Enumerable.Range(0, steps).Select(_ => Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        double[] ys = Enumerable.Range(0, steps).Select(_ => random.NextDouble() - 0.5).ToArray();

        GradientCheck.Check(model, () => model.Loss(xs, ys), (TensorLstm.Gradient g) => model.LossGradient(xs, ys, g)).ThrowIfFailed();
    }

    [Fact]
    public void LstmWrittenWithTensorPrimitivesAndWithMathNetHasOneGradient()
    {
        // The same cell, weights and data in both styles: the two generated gradients agree.
        var tensor = new TensorLstm(inputs: 3, hidden: 4, seed: 5);
        var mathNet = new MathNet.MathNetLstm(inputs: 3, hidden: 4, seed: 5);
        static global::MathNet.Numerics.LinearAlgebra.Matrix<double> Rows(double[] flat, int rows, int columns) =>
            global::MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(rows, columns, flat);
        static global::MathNet.Numerics.LinearAlgebra.Vector<double> Of(double[] values) =>
            global::MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray((double[])values.Clone());
        (mathNet.Wi, mathNet.Wf, mathNet.Wo, mathNet.Wg) = (Rows(tensor.Wi, 4, 3), Rows(tensor.Wf, 4, 3), Rows(tensor.Wo, 4, 3), Rows(tensor.Wg, 4, 3));
        (mathNet.Ui, mathNet.Uf, mathNet.Uo, mathNet.Ug) = (Rows(tensor.Ui, 4, 4), Rows(tensor.Uf, 4, 4), Rows(tensor.Uo, 4, 4), Rows(tensor.Ug, 4, 4));
        (mathNet.Bi, mathNet.Bf, mathNet.Bo, mathNet.Bg, mathNet.Readout) = (Of(tensor.Bi), Of(tensor.Bf), Of(tensor.Bo), Of(tensor.Bg), Of(tensor.Readout));
        var random = new Random(8);
        double[][] xs = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        double[] ys = Enumerable.Range(0, 6).Select(_ => random.NextDouble() - 0.5).ToArray();
        var vectors = xs.Select(Of).ToArray();

        var tensorGradient = new TensorLstm.Gradient(tensor);
        var mathNetGradient = new MathNet.MathNetLstm.Gradient(mathNet);
        double tensorLoss = tensor.LossGradient(xs, ys, tensorGradient);
        double mathNetLoss = mathNet.LossGradient(vectors, ys, mathNetGradient);

        Assert.Equal(tensorLoss, mathNetLoss, 1e-12);
        Assert.Equal(tensorGradient.Ui, mathNetGradient.Ui.ToRowMajorArray(), new Tolerance(1e-12));
        Assert.Equal(tensorGradient.Wg, mathNetGradient.Wg.ToRowMajorArray(), new Tolerance(1e-12));
        Assert.Equal(tensorGradient.Bf, mathNetGradient.Bf.ToArray(), new Tolerance(1e-12));
    }

    private sealed class Tolerance(double absolute) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= absolute * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));

        public int GetHashCode(double value) => 0;
    }
}
