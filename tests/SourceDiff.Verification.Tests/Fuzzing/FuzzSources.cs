using System.Collections.Immutable;

namespace SourceDiff.Verification.Tests.Fuzzing;

/// <summary>
/// Valid, representative inputs for the generator: each compiles with no error and is differentiated without an
/// SD0xxx diagnostic (<see cref="GeneratorFuzzTests.SeedSourcesAreValid"/>), so every error in a mutated variant comes
/// from the mutation.
/// </summary>
public static class FuzzSources
{
    private const string Usings = """
        using System;
        using SourceDiff;

        namespace Fuzz;

        """;

    public static ImmutableArray<(string Name, string Source)> All { get; } = ImmutableArray.Create(
        ("LoopsAndBranches", Usings + """
        public static partial class Losses
        {
            [Differentiable]
            public static double Loss(double[] w, double x, [NoDerivative] int[] labels)
            {
                double loss = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    double z = w[i] * x;
                    if (labels[i % labels.Length] > 0) loss += Math.Log(1 + Math.Exp(-z));
                    else loss += z > 0 ? z : 0.5 * z * z;
                }

                return loss / w.Length;
            }
        }
        """),
        ("CallsWithRef", Usings + """
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
        """),
        ("ModelWithState", Usings + """
        public partial class TinyRnn
        {
            public double Wx = 0.5, Wh = 0.001, B = 0.85;
            [State] public double H;

            [Differentiable] public double Step(double x) { H = Wx * x + Wh * H + B; return H; }

            [Differentiable]
            public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
            {
                H = 0;
                double loss = 0;
                for (int t = 0; t < xs.Length; t++)
                {
                    if (t % 2 == 0) H = Grad.Stop(H) * 1.0;
                    double e = Step(xs[t]) - ys[t];
                    loss += e * e;
                }

                return loss;
            }
        }
        """),
        ("LayersInFields", Usings + """
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
        """),
        ("Float", Usings + """
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
        """),
        ("Jagged", Usings + """
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
        """),
        ("Matrix", Usings + """
        public static partial class Matrices
        {
            [Differentiable]
            public static double Quadratic(double[,] a, double[] v)
            {
                double total = 0;
                for (int i = 0; i < a.GetLength(0); i++)
                {
                    double row = 0;
                    for (int j = 0; j < a.GetLength(1); j++) row += a[i, j] * v[j];
                    total += Math.Max(row, 0.1 * row);
                }

                return total;
            }
        }
        """),
        ("VoidInPlace", Usings + """
        public static partial class InPlace
        {
            [Differentiable]
            public static void Softmax(double[] z)
            {
                double max = z[0];
                for (int i = 1; i < z.Length; i++) max = Math.Max(max, z[i]);
                double sum = 0;
                for (int i = 0; i < z.Length; i++) { z[i] = Math.Exp(z[i] - max); sum += z[i]; }
                for (int i = 0; i < z.Length; i++) z[i] /= sum;
            }
        }
        """),
        ("ControlFlow", Usings + """
        public static partial class Flow
        {
            [Differentiable]
            public static double Iterate(double a, double[] w, int k)
            {
                double h = a;
                int n = 1 + (int)(Math.Abs(a) * 3) % 4;
                int i = 0;
                while (i < n)
                {
                    i++;
                    if (h > 10) break;
                    if (i % 2 == 0) continue;
                    h = Math.Sin(h) * w[i % w.Length] + h;
                }

                double[] scratch = new double[w.Length];
                do { scratch[k % w.Length] += h * h; k--; } while (k > 0);
                foreach (double s in scratch) { if (s > 100) return s; h += Math.Sqrt(1 + s * s); }
                return h;
            }
        }
        """),
        ("CustomDerivative", Usings + """
        public static class Library
        {
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

            [DerivativeOf(typeof(Library), nameof(Softplus))]
            public static void SoftplusPullback(double x, double dResult, ref double dX) => dX += dResult / (1 + Math.Exp(-x));
        }

        public static partial class Uses
        {
            [Differentiable] public static double Smooth(double a, double b) => Library.Softplus(a * b) + Math.Pow(a, 2) + Math.Atan2(a, 1 + b * b);
        }
        """),
        // Explicit element types: this harness compiles with Roslyn 4.8 (C# 12), which infers no T from an array passed as a span.
        ("TensorPrimitives", Usings + """
        using System.Numerics.Tensors;

        public static partial class Vectors
        {
            [Differentiable]
            public static double Layer(double[] w, double[] b, [NoDerivative] double[] x, double scale)
            {
                int n = b.Length;
                double[] h = new double[n];
                for (int i = 0; i < n; i++)
                {
                    h[i] = TensorPrimitives.Dot<double>(w.AsSpan(i * x.Length, x.Length), x);
                }

                TensorPrimitives.MultiplyAdd<double>(h, scale, b, h);
                TensorPrimitives.Tanh<double>(h, h);
                Span<double> head = h.AsSpan(0, n / 2);
                TensorPrimitives.SoftMax<double>(head, head);
                return TensorPrimitives.SumOfSquares<double>(h) - Math.Log(head[TensorPrimitives.IndexOfMax<double>(head)]);
            }
        }
        """),
        // MathNet.Numerics vectors and matrices: operators, products, point-wise functions, result overloads in place, a
        // [State] vector, element reads and writes, ?: and reductions.
        ("MathNet", Usings + """
        using MathNet.Numerics.LinearAlgebra;

        public partial class Elman
        {
            public Matrix<double> Wx = Matrix<double>.Build.Dense(3, 2, 0.1), Wh = Matrix<double>.Build.Dense(3, 3, 0.05);
            public Vector<double> B = Vector<double>.Build.Dense(3, 0.2), V = Vector<double>.Build.Dense(3, 0.3);
            [State] public Vector<double> H = Vector<double>.Build.Dense(3);

            [Differentiable]
            public double Step([NoDerivative] Vector<double> x)
            {
                H = (Wx * x + Wh * H + B).PointwiseTanh();
                return V.DotProduct(H);
            }
        }

        public static partial class Algebra
        {
            [Differentiable]
            public static double Loss(double[] w, Matrix<double> a, double s, [NoDerivative] double[] target)
            {
                Vector<double> u = Vector<double>.Build.DenseOfArray(w);
                Matrix<double> m = Matrix<double>.Build.Dense(u.Count, 2);
                for (int i = 0; i < m.RowCount; i++)
                {
                    for (int j = 0; j < m.ColumnCount; j++)
                    {
                        m[i, j] = u[i] * (j + 1) - s;
                    }
                }

                Vector<double> h = a * u + u * s;
                h.PointwiseTanh(h);
                h.Add(u.PointwiseExp(), h);
                h += m * m.TransposeThisAndMultiply(u) / (1.5 + Math.Sin(s));
                Vector<double> y = Vector<double>.Build.Dense(2);
                m.TransposeThisAndMultiply(h, y);
                Vector<double> c = s > 0 ? h : u;
                c[0] = c[0] * y[1] + m.Column(1).Sum();
                Matrix<double> outer = u.OuterProduct(h).Transpose() - 0.5;
                double loss = (h.PointwiseMultiply(h) + 1).PointwiseLog().Sum() + (outer * u).L2Norm() + y.DotProduct(y);
                for (int i = 0; i < target.Length; i++)
                {
                    loss += (u[i] - target[i]) * (u[i] - target[i]) + outer.Row(i)[0];
                }

                return loss + u.PointwiseMaximum(0).PointwiseMinimum(s).Sum();
            }
        }
        """));
}
