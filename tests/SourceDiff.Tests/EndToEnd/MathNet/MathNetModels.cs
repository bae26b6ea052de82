using System;
using MathNet.Numerics.LinearAlgebra;

namespace SourceDiff.Tests.EndToEnd.MathNet;

/// <summary>Random dense matrices and vectors for the MathNet models, reproducible by seed.</summary>
internal static class MathNetRandom
{
    public static Matrix<double> Matrix(Random random, int rows, int columns, double scale) =>
        Matrix<double>.Build.Dense(rows, columns, (_, _) => (random.NextDouble() * 2 - 1) * scale);

    public static Vector<double> Vector(Random random, int n, double scale) =>
        Vector<double>.Build.Dense(n, _ => (random.NextDouble() * 2 - 1) * scale);
}

/// <summary>An Elman RNN written with MathNet: matrix fields, a [State] hidden vector Step replaces, a readout vector.</summary>
public partial class MathNetElman
{
    public Matrix<double> Wx;
    public Matrix<double> Wh;
    public Vector<double> B;
    public Vector<double> V;
    [State] public Vector<double> H;

    public MathNetElman(int inputs, int hidden, int seed)
    {
        var random = new Random(seed);
        Wx = MathNetRandom.Matrix(random, hidden, inputs, 0.8);
        Wh = MathNetRandom.Matrix(random, hidden, hidden, 1 / Math.Sqrt(hidden));
        B = MathNetRandom.Vector(random, hidden, 0.2);
        V = MathNetRandom.Vector(random, hidden, 0.5);
        H = Vector<double>.Build.Dense(hidden);
    }

    [Differentiable]
    public double Step(Vector<double> x)
    {
        H = (Wx * x + Wh * H + B).PointwiseTanh();
        return V.DotProduct(H);
    }

    [Differentiable]
    public double Loss([NoDerivative] Vector<double>[] xs, [NoDerivative] double[] ys)
    {
        H = Vector<double>.Build.Dense(B.Count);
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }
}

/// <summary>
/// An LSTM cell written with MathNet: four gates from one stacked weight matrix (rows sliced out with Row), the cell
/// and hidden [State] vectors updated in place through result overloads.
/// </summary>
public partial class MathNetLstm
{
    public Matrix<double> Wi, Wf, Wo, Wg;
    public Matrix<double> Ui, Uf, Uo, Ug;
    public Vector<double> Bi, Bf, Bo, Bg;
    public Vector<double> Readout;
    [State] public Vector<double> C;
    [State] public Vector<double> H;

    public MathNetLstm(int inputs, int hidden, int seed)
    {
        var random = new Random(seed);
        double scale = 1 / Math.Sqrt(hidden);
        Wi = MathNetRandom.Matrix(random, hidden, inputs, scale);
        Wf = MathNetRandom.Matrix(random, hidden, inputs, scale);
        Wo = MathNetRandom.Matrix(random, hidden, inputs, scale);
        Wg = MathNetRandom.Matrix(random, hidden, inputs, scale);
        Ui = MathNetRandom.Matrix(random, hidden, hidden, scale);
        Uf = MathNetRandom.Matrix(random, hidden, hidden, scale);
        Uo = MathNetRandom.Matrix(random, hidden, hidden, scale);
        Ug = MathNetRandom.Matrix(random, hidden, hidden, scale);
        Bi = MathNetRandom.Vector(random, hidden, 0.1);
        Bf = MathNetRandom.Vector(random, hidden, 0.1) + 1;
        Bo = MathNetRandom.Vector(random, hidden, 0.1);
        Bg = MathNetRandom.Vector(random, hidden, 0.1);
        Readout = MathNetRandom.Vector(random, hidden, 0.5);
        C = Vector<double>.Build.Dense(hidden);
        H = Vector<double>.Build.Dense(hidden);
    }

    /// <summary>The logistic function into <paramref name="result"/>: a differentiable callee taking MathNet vectors.</summary>
    [Differentiable]
    public static void Sigmoid(Vector<double> z, Vector<double> result) => (1.0 / (1.0 + (-z).PointwiseExp())).CopyTo(result);

    [Differentiable]
    public double Step(Vector<double> x)
    {
        Vector<double> i = Vector<double>.Build.Dense(H.Count);
        Sigmoid(Wi * x + Ui * H + Bi, i);
        Vector<double> f = Vector<double>.Build.Dense(H.Count);
        Sigmoid(Wf * x + Uf * H + Bf, f);
        Vector<double> o = 1.0 / (1.0 + (-(Wo * x + Uo * H + Bo)).PointwiseExp());
        Vector<double> g = (Wg * x + Ug * H + Bg).PointwiseTanh();
        f.PointwiseMultiply(C, C);
        C.Add(i.PointwiseMultiply(g), C);
        o.PointwiseMultiply(C.PointwiseTanh(), H);
        return Readout * H;
    }

    [Differentiable]
    public double Loss([NoDerivative] Vector<double>[] xs, [NoDerivative] double[] ys)
    {
        C.Clear();
        H.Clear();
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double e = Step(xs[t]) - ys[t];
            loss += e * e;
        }

        return loss;
    }
}

/// <summary>A two-layer perceptron written with MathNet: tanh hidden layer, softmax output, cross-entropy loss.</summary>
public partial class MathNetMlp
{
    public Matrix<double> W1;
    public Vector<double> B1;
    public Matrix<double> W2;
    public Vector<double> B2;

    public MathNetMlp(int inputs, int hidden, int outputs, int seed)
    {
        var random = new Random(seed);
        W1 = MathNetRandom.Matrix(random, hidden, inputs, 1 / Math.Sqrt(inputs));
        B1 = MathNetRandom.Vector(random, hidden, 0.1);
        W2 = MathNetRandom.Matrix(random, outputs, hidden, 1 / Math.Sqrt(hidden));
        B2 = MathNetRandom.Vector(random, outputs, 0.1);
    }

    [Differentiable]
    public double Loss([NoDerivative] Matrix<double> inputs, [NoDerivative] int[] labels)
    {
        double loss = 0;
        for (int n = 0; n < labels.Length; n++)
        {
            Vector<double> hidden = (W1 * inputs.Row(n) + B1).PointwiseTanh();
            Vector<double> logits = W2 * hidden + B2;
            double largest = logits[0];
            for (int k = 1; k < logits.Count; k++)
            {
                largest = Math.Max(largest, logits[k]);
            }

            double total = (logits - largest).PointwiseExp().Sum();
            loss += Math.Log(total) + largest - logits[labels[n]];
        }

        return loss / labels.Length;
    }
}

/// <summary>An Elman loss over a sequence, plain and with [Checkpoint] (which needs the hidden vector written in place, not rebound).</summary>
public static partial class MathNetSequences
{
    [Differentiable]
    public static double Elman(Matrix<double> wx, Matrix<double> wh, Vector<double> b, [NoDerivative] Vector<double>[] xs, [NoDerivative] Vector<double>[] ys)
    {
        Vector<double> h = Vector<double>.Build.Dense(b.Count);
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            h = (wx * xs[t] + wh * h + b).PointwiseTanh();
            Vector<double> e = h - ys[t];
            loss += e.DotProduct(e);
        }

        return loss;
    }

    [Differentiable, Checkpoint(Snapshots = 3)]
    public static double ElmanCheckpointed(Matrix<double> wx, Matrix<double> wh, Vector<double> b, [NoDerivative] Vector<double>[] xs, [NoDerivative] Vector<double>[] ys)
    {
        Vector<double> h = Vector<double>.Build.Dense(b.Count);
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            (wx * xs[t] + wh * h + b).PointwiseTanh(h);
            Vector<double> e = h - ys[t];
            loss += e.DotProduct(e);
        }

        return loss;
    }
}

/// <summary>A vector chosen by ?: inside a loop is a temporary of each iteration, also under [Checkpoint].</summary>
public static partial class MathNetChoices
{
    [Differentiable]
    public static double Chosen(double x, double[] w)
    {
        Vector<double> u = Vector<double>.Build.DenseOfArray(w);
        double h = 0;
        for (int i = 0; i < 4; i++)
        {
            h += (x > 0 ? u : u * 2).Sum() * h + x;
        }

        return h;
    }

    [Differentiable, Checkpoint(Snapshots = 2)]
    public static double ChosenCheckpointed(double x, double[] w)
    {
        Vector<double> u = Vector<double>.Build.DenseOfArray(w);
        double h = 0;
        for (int i = 0; i < 4; i++)
        {
            h += (x > 0 ? u : u * 2).Sum() * h + x;
        }

        return h;
    }
}

/// <summary>Vectors and matrices built from the method's own arrays (copies): the gradient reaches the arrays.</summary>
public static partial class MathNetFromArrays
{
    [Differentiable]
    public static double Layer(double[,] w, double[] x)
    {
        Matrix<double> m = Matrix<double>.Build.DenseOfArray(w);
        Vector<double> v = Vector<double>.Build.DenseOfArray(x);
        return (m * v).PointwiseTanh().Sum() + m[1, 0] * m[0, 1] + Matrix<double>.Build.DenseOfArray(w).Transpose()[0, 1];
    }
}

/// <summary>A recurrent model over float vectors and matrices.</summary>
public partial class MathNetFloatRnn
{
    public Matrix<float> Wx = Matrix<float>.Build.Dense(3, 2, (i, j) => 0.1f * (i - j) + 0.2f);
    public Matrix<float> Wh = Matrix<float>.Build.Dense(3, 3, (i, j) => i == j ? 0.5f : -0.1f);
    public Vector<float> V = Vector<float>.Build.Dense(3, i => 0.3f * i - 0.2f);
    [State] public Vector<float> H = Vector<float>.Build.Dense(3);

    [Differentiable]
    public float Loss([NoDerivative] Vector<float>[] xs, [NoDerivative] float[] ys)
    {
        H = Vector<float>.Build.Dense(V.Count);
        float loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            H = (Wx * xs[t] + Wh * H + 0.1f).PointwiseTanh();
            float e = V.DotProduct(H) - ys[t] + (float)H.L2Norm() * 0.1f;
            loss += e * e;
        }

        return loss;
    }
}
