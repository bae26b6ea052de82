using MathNet.Numerics.LinearAlgebra;

namespace SourceDiff.Tests.EndToEnd.MathNet;

/// <summary>
/// Every MathNet.Numerics operation with a built-in adjoint, written as users write them: operators that make new
/// vectors and matrices, the methods that return them, the overloads that write a result the caller passes, in-place
/// updates, builders and indexers. Inputs: <c>a</c> and <c>b</c> are 4×3 matrices, <c>u</c> has 3 elements and
/// <c>v</c> 4, <c>s</c> is a positive scalar. Each ends in a <c>Weigh</c>, so every output element gets a different
/// adjoint.
/// </summary>
public static partial class MathNetStatics
{
    /// <summary>A smooth scalar of every element, each weighted differently.</summary>
    [Differentiable]
    public static double Weigh(Vector<double> d)
    {
        double sum = 0;
        for (int i = 0; i < d.Count; i++)
        {
            sum += (0.3 * i - 1) * d[i] + 0.25 * d[i] * d[i];
        }

        return sum;
    }

    /// <summary>A smooth scalar of every element of a matrix, each weighted differently.</summary>
    [Differentiable]
    public static double WeighMatrix(Matrix<double> d)
    {
        double sum = 0;
        for (int i = 0; i < d.RowCount; i++)
        {
            for (int j = 0; j < d.ColumnCount; j++)
            {
                sum += (0.3 * i - 0.2 * j - 1) * d[i, j] + 0.25 * d[i, j] * d[i, j];
            }
        }

        return sum;
    }

    [Differentiable]
    public static double VectorArithmetic(Matrix<double> a, Matrix<double> b, Vector<double> u, Vector<double> v, double s)
    {
        Vector<double> w = u + a.Row(1) - s * u + u / s - 0.5;
        Vector<double> z = s - w;
        z = z * 2 + 1.5 + s / (u.PointwiseMultiply(u) + 2);
        return Weigh(-z + u.PointwiseDivide(w.PointwiseMultiply(w) + 1) + (0.25 + u));
    }

    [Differentiable]
    public static double VectorMethods(Matrix<double> a, Matrix<double> b, Vector<double> u, Vector<double> v, double s)
    {
        Vector<double> w = u.Add(a.Row(2)).Subtract(s).Multiply(s).Add(1.0).Divide(s + 1);
        Vector<double> z = w.SubtractFrom(s).DivideByThis(3.0).Negate().Subtract(u);
        return Weigh(z.PointwiseMultiply(w).PointwiseDivide(u.PointwiseMultiply(u).Add(1.0)));
    }

    [Differentiable]
    public static double MatrixArithmetic(Matrix<double> a, Matrix<double> b, Vector<double> u, Vector<double> v, double s)
    {
        Matrix<double> c = a + b * s - a / s + 0.5 * b;
        Matrix<double> d = 1 - c;
        d = -d.PointwiseMultiply(b) + d.PointwiseDivide(a.PointwiseMultiply(a) + 1) + s - 2;
        return WeighMatrix(d);
    }

    [Differentiable]
    public static double Functions(Matrix<double> a, Matrix<double> b, Vector<double> u, Vector<double> v, double s)
    {
        Vector<double> e = u.PointwiseExp() + (u.PointwiseMultiply(u) + s).PointwiseLog() + u.PointwiseTanh();
        Vector<double> f = (u.PointwiseAbs() + 0.5).PointwiseSqrt() + u.PointwiseMaximum(0.1) + u.PointwiseMinimum(e * 0.5);
        Matrix<double> g = a.PointwiseTanh() + b.PointwiseExp() + a.PointwiseMaximum(b) + (b.PointwiseMultiply(b) + 1).PointwiseLog();
        return Weigh(e + f.PointwiseMinimum(s)) + WeighMatrix(g.PointwiseMinimum(0.9) + a.PointwiseAbs());
    }

    [Differentiable]
    public static double Products(Matrix<double> a, Matrix<double> b, Vector<double> u, Vector<double> v, double s)
    {
        Vector<double> y = a * u + a.Multiply(u * s);
        Vector<double> z = v * a + a.TransposeThisAndMultiply(y) + a.LeftMultiply(v);
        Matrix<double> gram = a.TransposeThisAndMultiply(b) + a.Transpose() * b;
        Matrix<double> outer = a.TransposeAndMultiply(b) + a * b.Transpose() + v.OuterProduct(y) + Vector<double>.OuterProduct(y, v);
        Matrix<double> square = gram.Multiply(gram) * 0.1;
        return Weigh(z + square * u) + WeighMatrix(outer * 0.1);
    }

    [Differentiable]
    public static double Reductions(Matrix<double> a, Matrix<double> b, Vector<double> u, Vector<double> v, double s)
    {
        Vector<double> y = a * u;
        double dot = y.DotProduct(v) + y * y + a.Column(1).DotProduct(v);
        return dot * s + y.Sum() + (u + s).L2Norm() + v.Sum() * u.L2Norm();
    }

    /// <summary>The overloads that write a result the caller passes, in place and not.</summary>
    [Differentiable]
    public static double IntoResults(Matrix<double> a, Matrix<double> b, Vector<double> u, Vector<double> v, double s)
    {
        Vector<double> y = Vector<double>.Build.Dense(4);
        a.Multiply(u, y);
        y.Add(v, y);
        y.PointwiseTanh(y);
        y.Multiply(s, y);
        Vector<double> z = Vector<double>.Build.Dense(3);
        a.TransposeThisAndMultiply(y, z);
        Vector<double> r = Vector<double>.Build.Dense(3);
        a.Row(2, r);
        r.PointwiseMultiply(z, z);
        Vector<double> c = Vector<double>.Build.Dense(3);
        u.CopyTo(c);
        c.Subtract(z, c);
        Matrix<double> m = Matrix<double>.Build.Dense(4, 3);
        a.PointwiseMultiply(b, m);
        m.Add(a, m);
        m.Multiply(s, m);
        return Weigh(c) + WeighMatrix(m);
    }

    /// <summary>Builders, element reads and writes, Clone, compound assignment and a vector chosen by ?:.</summary>
    [Differentiable]
    public static double BuildersAndElements(Matrix<double> a, Matrix<double> b, Vector<double> u, Vector<double> v, double s)
    {
        Vector<double> h = Vector<double>.Build.Dense(v.Count);
        for (int i = 0; i < h.Count; i++)
        {
            h[i] = v[i] * s + a[i, 0];
        }

        Matrix<double> m = Matrix<double>.Build.Dense(a.RowCount, a.ColumnCount);
        for (int i = 0; i < m.RowCount; i++)
        {
            for (int j = 0; j < m.ColumnCount; j++)
            {
                m[i, j] += a[i, j] * b[i, j];
            }
        }

        double[] raw = { s, 2 * s, u[0] };
        Vector<double> fromArray = Vector<double>.Build.DenseOfArray(raw);
        Vector<double> copy = h.Clone();
        copy += a * u;
        copy -= v * 0.5;
        Vector<double> chosen = s > 1 ? copy : h;
        chosen[1] = chosen[1] * chosen[2];
        Vector<double> filled = Vector<double>.Build.Dense(3, s * 0.5) + u;
        return Weigh(copy) + Weigh(chosen) + Weigh(fromArray) + Weigh(filled) + WeighMatrix(m.Clone() + Matrix<double>.Build.Dense(4, 3, s));
    }
}
