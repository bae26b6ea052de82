using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>
/// Snapshots of generated code for representative methods: each is compiled together with the user's code (so a
/// snapshot can never hold code that does not compile) and compared with its committed <c>.verified.cs</c>.
/// </summary>
public class SnapshotTests
{
    private const string Usings = "using System;\nusing SourceDiff;\n\nnamespace Samples;\n\n";

    private static void Check(string name, string source, params string[] hintNames)
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + source);
        result.AssertCompiles();
        foreach (string hintName in hintNames)
        {
            Snapshot.Verify(name + (hintNames.Length > 1 ? "." + hintName.Replace(".g.cs", string.Empty) : string.Empty), result.Generated(hintName));
        }
    }

    [Fact]
    public void StaticRecurrence() => Check("StaticRecurrence", """
        public static partial class FluxRnn
        {
            [Differentiable]
            public static double SquaredLoss(double wx, double wh, double b, double h0, double[] x, [NoDerivative] double[] ystar)
            {
                double h = h0;
                double loss = 0;
                for (int t = 0; t < x.Length; t++)
                {
                    h = wx * x[t] + wh * h + b;
                    double e = h - ystar[t];
                    loss += e * e;
                }

                return loss;
            }
        }
        """, "FluxRnn.SquaredLoss.g.cs");

    /// <summary>An Elman step over flattened weights that copies next back into h: next's old elements reload from h.</summary>
    [Fact]
    public void FlatElmanWithCopyBack() => Check("FlatElmanWithCopyBack", """
        public static partial class FlatElman
        {
            [Differentiable]
            public static double Loss(double[] wx, double[] wh, [NoDerivative] double[] xs, int inputs, int hidden, int steps)
            {
                double[] h = new double[hidden];
                double[] next = new double[hidden];
                double loss = 0;
                for (int t = 0; t < steps; t++)
                {
                    for (int i = 0; i < hidden; i++)
                    {
                        double a = 0;
                        for (int j = 0; j < inputs; j++) a += wx[i * inputs + j] * xs[t * inputs + j];
                        for (int j = 0; j < hidden; j++) a += wh[i * hidden + j] * h[j];
                        next[i] = Math.Tanh(a);
                    }

                    Array.Copy(next, h, hidden);
                    for (int i = 0; i < hidden; i++) loss += h[i] * h[i];
                }

                return loss;
            }
        }
        """, "FlatElman.Loss.g.cs");

    [Fact]
    public void CheckpointedModel() => Check("CheckpointedModel", """
        public partial class TinyRnn
        {
            public double Wx = 0.5, Wh = 0.001, B = 0.85;
            [State] public double H;

            [Differentiable] public double Step(double x) { H = Math.Tanh(Wx * x + Wh * H + B); return H; }

            [Differentiable, Checkpoint(Snapshots = 16)]
            public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
            {
                H = 0;
                double loss = 0;
                for (int t = 0; t < xs.Length; t++) { double e = Step(xs[t]) - ys[t]; loss += e * e; }
                return loss;
            }
        }
        """, "TinyRnn.Loss.g.cs");

    // Explicit element types: this harness compiles with Roslyn 4.8 (C# 12), which infers no T from an array passed as a span.
    [Fact]
    public void TensorPrimitivesLayer() => Check("TensorPrimitivesLayer", """
        using System.Numerics.Tensors;

        public static partial class Layer
        {
            [Differentiable]
            public static double Loss(double[] w, double[] b, [NoDerivative] double[] x, [NoDerivative] double[] target)
            {
                int n = b.Length;
                double[] h = new double[n];
                for (int i = 0; i < n; i++)
                {
                    h[i] = TensorPrimitives.Dot<double>(w.AsSpan(i * x.Length, x.Length), x);
                }

                TensorPrimitives.Add<double>(h, b, h);
                TensorPrimitives.Tanh<double>(h, h);
                TensorPrimitives.Subtract<double>(h, target, h);
                return TensorPrimitives.SumOfSquares<double>(h);
            }
        }
        """, "Layer.Loss.g.cs");

    [Fact]
    public void MathNetRnn() => Check("MathNetRnn", """
        using MathNet.Numerics.LinearAlgebra;

        public partial class ElmanCell
        {
            public Matrix<double> Wx = Matrix<double>.Build.Dense(4, 3, 0.1);
            public Matrix<double> Wh = Matrix<double>.Build.Dense(4, 4, 0.05);
            public Vector<double> B = Vector<double>.Build.Dense(4, 0.01);
            public Vector<double> V = Vector<double>.Build.Dense(4, 0.5);
            [State] public Vector<double> H = Vector<double>.Build.Dense(4);

            [Differentiable]
            public double Step([NoDerivative] Vector<double> x)
            {
                Vector<double> a = Wx * x + Wh * H + B;
                H = a.PointwiseTanh();
                return V.DotProduct(H);
            }
        }
        """, "ElmanCell.Step.g.cs", "ElmanCell.Gradient.g.cs");

    [Fact]
    public void MathNetLstmAndMlp() => Check("MathNetLstmAndMlp", """
        using MathNet.Numerics.LinearAlgebra;

        public partial class LstmCell
        {
            public Matrix<double> Wi, Wf, Wo, Wg, Ui, Uf, Uo, Ug;
            public Vector<double> Bi, Bf, Bo, Bg, Readout;
            [State] public Vector<double> C, H;

            [Differentiable]
            public double Step([NoDerivative] Vector<double> x)
            {
                Vector<double> i = 1.0 / (1.0 + (-(Wi * x + Ui * H + Bi)).PointwiseExp());
                Vector<double> f = 1.0 / (1.0 + (-(Wf * x + Uf * H + Bf)).PointwiseExp());
                Vector<double> o = 1.0 / (1.0 + (-(Wo * x + Uo * H + Bo)).PointwiseExp());
                Vector<double> g = (Wg * x + Ug * H + Bg).PointwiseTanh();
                f.PointwiseMultiply(C, C);
                C.Add(i.PointwiseMultiply(g), C);
                o.PointwiseMultiply(C.PointwiseTanh(), H);
                return Readout * H;
            }
        }

        public partial class Mlp
        {
            public Matrix<double> W1, W2;
            public Vector<double> B1, B2;

            [Differentiable]
            public double Loss([NoDerivative] Matrix<double> inputs, [NoDerivative] int[] labels)
            {
                double loss = 0;
                for (int n = 0; n < labels.Length; n++)
                {
                    Vector<double> hidden = (W1 * inputs.Row(n) + B1).PointwiseMaximum(0.0);
                    Vector<double> logits = W2 * hidden + B2;
                    loss += Math.Log((logits - logits[labels[n]]).PointwiseExp().Sum());
                }

                return loss / labels.Length;
            }
        }
        """, "LstmCell.Step.g.cs", "Mlp.Loss.g.cs");

    [Fact]
    public void TensorPrimitivesElman() => Check("TensorPrimitivesElman", """
        using System.Numerics.Tensors;

        public partial class ElmanCell
        {
            public double[] Wx, Wh, B, V;
            [State] public double[] H;

            [Differentiable]
            public double Step(double x)
            {
                int n = B.Length;
                double[] a = new double[n];
                for (int i = 0; i < n; i++)
                {
                    a[i] = TensorPrimitives.Dot<double>(Wh.AsSpan(i * n, n), H);
                }

                TensorPrimitives.MultiplyAdd<double>(Wx, x, a, a);
                TensorPrimitives.Add<double>(a, B, a);
                TensorPrimitives.Tanh<double>(a, H);
                return TensorPrimitives.Dot<double>(V, H);
            }
        }
        """, "ElmanCell.Step.g.cs");

    [Fact]
    public void TensorPrimitivesLstm() => Check("TensorPrimitivesLstm", """
        using System.Numerics.Tensors;

        public partial class LstmCell
        {
            public double[] Wi, Wf, Wo, Wg, Ui, Uf, Uo, Ug;
            public double[] Bi, Bf, Bo, Bg, Readout;
            [State] public double[] C, H;

            [Differentiable]
            public double Step([NoDerivative] double[] x)
            {
                int n = H.Length, m = x.Length;
                double[] i = new double[n], f = new double[n], o = new double[n], g = new double[n];
                for (int k = 0; k < n; k++)
                {
                    i[k] = TensorPrimitives.Dot<double>(Wi.AsSpan(k * m, m), x) + TensorPrimitives.Dot<double>(Ui.AsSpan(k * n, n), H);
                    f[k] = TensorPrimitives.Dot<double>(Wf.AsSpan(k * m, m), x) + TensorPrimitives.Dot<double>(Uf.AsSpan(k * n, n), H);
                    o[k] = TensorPrimitives.Dot<double>(Wo.AsSpan(k * m, m), x) + TensorPrimitives.Dot<double>(Uo.AsSpan(k * n, n), H);
                    g[k] = TensorPrimitives.Dot<double>(Wg.AsSpan(k * m, m), x) + TensorPrimitives.Dot<double>(Ug.AsSpan(k * n, n), H);
                }

                TensorPrimitives.Add<double>(i, Bi, i);
                TensorPrimitives.Sigmoid<double>(i, i);
                TensorPrimitives.Add<double>(f, Bf, f);
                TensorPrimitives.Sigmoid<double>(f, f);
                TensorPrimitives.Add<double>(o, Bo, o);
                TensorPrimitives.Sigmoid<double>(o, o);
                TensorPrimitives.Add<double>(g, Bg, g);
                TensorPrimitives.Tanh<double>(g, g);
                TensorPrimitives.Multiply<double>(f, C, C);
                TensorPrimitives.MultiplyAdd<double>(i, g, C, C);
                TensorPrimitives.Tanh<double>(C, H);
                TensorPrimitives.Multiply<double>(o, H, H);
                return TensorPrimitives.Dot<double>(Readout, H);
            }
        }
        """, "LstmCell.Step.g.cs");

    [Fact]
    public void ModelWithState() => Check("ModelWithState", """
        public partial class TinyRnn
        {
            public double Wx = 0.5, Wh = 0.001, B = 0.85;
            [State] public double H;

            [Differentiable] public double Step(double x) { H = Wx * x + Wh * H + B; return H; }

            [Differentiable] public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
            {
                H = 0;
                double loss = 0;
                for (int t = 0; t < xs.Length; t++) { double e = Step(xs[t]) - ys[t]; loss += e * e; }
                return loss;
            }
        }
        """, "TinyRnn.Step.g.cs", "TinyRnn.Loss.g.cs", "TinyRnn.Gradient.g.cs");

    [Fact]
    public void BranchesAndMathFunctions() => Check("BranchesAndMathFunctions", """
        public static partial class Activations
        {
            [Differentiable]
            public static double Mixed(double x, double y)
            {
                double z;
                if (x > y)
                {
                    z = Math.Exp(x) * Math.Sin(y);
                }
                else
                {
                    z = Math.Log(1 + x * x) / Math.Sqrt(1 + y * y);
                }

                return Math.Max(z, 0.1 * z) + Math.Tanh(x * y) + (y > 0 ? Math.Pow(y, 3) : -y);
            }
        }
        """, "Activations.Mixed.g.cs");

    [Fact]
    public void DataDependentWhileLoop() => Check("DataDependentWhileLoop", """
        public static partial class Iterations
        {
            [Differentiable]
            public static double Relax(double x, double rate, int limit)
            {
                double value = x;
                int steps = 0;
                while (value > 0.01 && steps < limit)
                {
                    value = value * rate - 0.001;
                    steps++;
                }

                return value + steps;
            }
        }
        """, "Iterations.Relax.g.cs");

    [Fact]
    public void BreakContinueEarlyReturn() => Check("BreakContinueEarlyReturn", """
        public static partial class Flow
        {
            [Differentiable]
            public static double Scan(double[] w, double threshold)
            {
                double sum = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    if (w[i] < 0) continue;
                    if (sum > threshold) break;
                    sum += w[i] * w[i];
                }

                if (sum > 100) return Math.Sqrt(sum);
                return sum * threshold;
            }
        }
        """, "Flow.Scan.g.cs");

    [Fact]
    public void SoftmaxCrossEntropy() => Check("SoftmaxCrossEntropy", """
        public static partial class Losses
        {
            [Differentiable]
            public static double CrossEntropy(double[] logits, int label)
            {
                double max = logits[0];
                for (int i = 1; i < logits.Length; i++) max = Math.Max(max, logits[i]);
                double[] p = new double[logits.Length];
                double total = 0;
                for (int i = 0; i < logits.Length; i++) { p[i] = Math.Exp(logits[i] - Grad.Stop(max)); total += p[i]; }
                return -Math.Log(p[label] / total);
            }
        }
        """, "Losses.CrossEntropy.g.cs");

    [Fact]
    public void VoidMethodWritingInPlace() => Check("VoidMethodWritingInPlace", """
        public static partial class Linear
        {
            [Differentiable]
            public static void MatVec(double[,] m, double[] x, double[] y)
            {
                for (int i = 0; i < m.GetLength(0); i++)
                {
                    double s = 0;
                    for (int j = 0; j < m.GetLength(1); j++) s += m[i, j] * x[j];
                    y[i] = Math.Tanh(s);
                }
            }
        }
        """, "Linear.MatVec.g.cs");

    [Fact]
    public void CallsWithRefArguments() => Check("CallsWithRefArguments", """
        public static partial class Cells
        {
            [Differentiable]
            public static double Cell(double x, ref double h, double w)
            {
                h = Math.Tanh(w * h + x);
                return h * h;
            }

            [Differentiable]
            public static double Unroll(double[] xs, double w)
            {
                double h = 0;
                double total = 0;
                foreach (double x in xs) total += Cell(x, ref h, w);
                return total + Helpers.Square(h);
            }
        }

        public static partial class Helpers
        {
            [Differentiable] public static double Square(double v) => v * v;
        }
        """, "Cells.Unroll.g.cs", "Cells.Cell.g.cs");

    [Fact]
    public void FloatMethod() => Check("FloatMethod", """
        public static partial class Single
        {
            [Differentiable]
            public static float Sigmoid(float[] w, float[] x, float bias)
            {
                float z = bias;
                for (int i = 0; i < w.Length; i++) z += w[i] * x[i];
                double wide = z;
                return (float)(1 / (1 + Math.Exp(-wide))) + MathF.Cos(z);
            }
        }
        """, "Single.Sigmoid.g.cs");

    [Fact]
    public void JaggedSequence() => Check("JaggedSequence", """
        public static partial class Sequences
        {
            [Differentiable]
            public static double Energy(double[][] xs, double[] w)
            {
                double energy = 0;
                foreach (double[] x in xs)
                {
                    double dot = 0;
                    for (int i = 0; i < x.Length; i++) dot += x[i] * w[i];
                    energy += dot * dot;
                }

                return energy;
            }
        }
        """, "Sequences.Energy.g.cs");

    [Fact]
    public void CustomDerivative() => Check("CustomDerivative", """
        public static class Library
        {
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

            [DerivativeOf(typeof(Library), nameof(Softplus))]
            public static void SoftplusPullback(double x, double dResult, ref double dX) => dX += dResult / (1 + Math.Exp(-x));
        }

        public static partial class Uses
        {
            [Differentiable] public static double Smooth(double a, double b) => Library.Softplus(a * b) + a;
        }
        """, "Uses.Smooth.g.cs");

    [Fact]
    public void LayersInFields() => Check("LayersInFields", """
        public partial class Dense
        {
            public double[] V = new double[3];
            public double C;

            [Differentiable]
            public double Apply(double[] h)
            {
                double s = C;
                for (int i = 0; i < h.Length; i++) s += V[i] * h[i];
                return s;
            }
        }

        public partial class Rnn
        {
            public double[] U = new double[3];
            public Dense Out = new Dense();
            [State] public double[] H = new double[3];

            [Differentiable]
            public double Step(double x)
            {
                for (int i = 0; i < H.Length; i++) H[i] = Math.Tanh(U[i] * x + 0.5 * H[i]);
                return Out.Apply(H);
            }
        }
        """, "Rnn.Step.g.cs", "Rnn.Gradient.g.cs");
}

/// <summary>
/// The sample models compiled one file at a time, as the story tests compile them: the generated code must be the
/// samples' own committed snapshots (samples/SourceDiff.Samples.SnapshotTests/Snapshots), one golden file for both.
/// </summary>
public class StorySnapshotTests
{
    private static string Samples(string relative, [System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(here)!, "..", "..", "..", "samples", relative);

    private static void Check(string[] files, params string[] hintNames)
    {
        GeneratorResult result = GeneratorHarness.Run(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(files, f => System.IO.File.ReadAllText(Samples(System.IO.Path.Combine("SourceDiff.Samples", "Models", f))))));
        result.AssertCompiles();
        foreach (string hintName in hintNames)
        {
            string generated = result.Generated(hintName);
            SourceDiff.Testing.Snapshot.Verify(generated, Samples(System.IO.Path.Combine("SourceDiff.Samples.SnapshotTests", "Snapshots", SourceDiff.Testing.GeneratedCode.SnapshotName("SourceDiff.Samples.Models." + hintName))));
        }
    }

    [Fact]
    public void Story2SoftmaxRecurrentLayer() => Check(new[] { "SoftmaxRecurrentLayer.cs" },
        "SoftmaxRecurrentLayer.Step.g.cs", "SoftmaxRecurrentLayer.Loss.g.cs", "SoftmaxRecurrentLayer.TruncatedLoss.g.cs");

    [Fact]
    public void Story3SigmoidNetwork() => Check(new[] { "SigmoidNetwork.cs" }, "SigmoidNetwork.Output.g.cs", "SigmoidNetwork.Loss.g.cs");

    [Fact]
    public void Story4ElmanRnn() => Check(new[] { "ElmanRnn.cs" }, "ElmanRnn.Step.g.cs", "ElmanRnn.Loss.g.cs", "ElmanRnn.Gradient.g.cs");
}
