using System;
using System.ComponentModel;

namespace SourceDiff.CompilerServices;

/// <summary>
/// Arithmetic over any <see cref="IParameterSet"/>, buffer by buffer: what the generated <c>Gradient</c> operators,
/// <c>AddScaled</c>, <c>Dot</c> and <c>Norm</c> are made of, so it is written (and tested) once for every model.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GradientAlgebra
{
    /// <summary>Sets every entry of every buffer to zero.</summary>
    public static void Clear(IParameterSet target)
    {
        for (int i = 0; i < target.ParameterCount; i++)
        {
            if (target.IsSingle(i))
            {
                target.GetSingles(i).Clear();
            }
            else
            {
                target.GetDoubles(i).Clear();
            }
        }
    }

    /// <summary><c>target += scale·source</c>, after checking both have the same buffers.</summary>
    public static void AddScaled(IParameterSet target, double scale, IParameterSet source, string sourceName = "source")
    {
        CheckCompatible(target, source, sourceName);
        for (int i = 0; i < target.ParameterCount; i++)
        {
            if (target.IsSingle(i))
            {
                Span<float> to = target.GetSingles(i);
                ReadOnlySpan<float> from = source.GetSingles(i);
                float s = (float)scale;
                for (int k = 0; k < to.Length; k++)
                {
                    to[k] += s * from[k];
                }
            }
            else
            {
                Span<double> to = target.GetDoubles(i);
                ReadOnlySpan<double> from = source.GetDoubles(i);
                for (int k = 0; k < to.Length; k++)
                {
                    to[k] += scale * from[k];
                }
            }
        }
    }

    /// <summary><c>target *= scale</c>.</summary>
    public static void Scale(IParameterSet target, double scale)
    {
        for (int i = 0; i < target.ParameterCount; i++)
        {
            if (target.IsSingle(i))
            {
                Span<float> values = target.GetSingles(i);
                for (int k = 0; k < values.Length; k++)
                {
                    values[k] = (float)(values[k] * scale);
                }
            }
            else
            {
                Span<double> values = target.GetDoubles(i);
                for (int k = 0; k < values.Length; k++)
                {
                    values[k] *= scale;
                }
            }
        }
    }

    /// <summary>Sum over all entries of <c>a·b</c>, accumulated in double.</summary>
    public static double Dot(IParameterSet a, IParameterSet b, string bName = "other")
    {
        CheckCompatible(a, b, bName);
        double sum = 0;
        for (int i = 0; i < a.ParameterCount; i++)
        {
            if (a.IsSingle(i))
            {
                ReadOnlySpan<float> x = a.GetSingles(i);
                ReadOnlySpan<float> y = b.GetSingles(i);
                for (int k = 0; k < x.Length; k++)
                {
                    sum += (double)x[k] * y[k];
                }
            }
            else
            {
                ReadOnlySpan<double> x = a.GetDoubles(i);
                ReadOnlySpan<double> y = b.GetDoubles(i);
                for (int k = 0; k < x.Length; k++)
                {
                    sum += x[k] * y[k];
                }
            }
        }

        return sum;
    }

    /// <summary>Euclidean norm over all entries, accumulated scaled so that huge or tiny entries neither overflow nor vanish.</summary>
    public static double Norm(IParameterSet a) => GradientClipping.GlobalNorm(a);

    /// <summary>Throws unless both sets have the same buffers (count, names, element types, lengths).</summary>
    public static void CheckCompatible(IParameterSet expected, IParameterSet actual, string actualName)
    {
        if (actual is null)
        {
            throw new ArgumentNullException(actualName);
        }

        if (expected.ParameterCount != actual.ParameterCount)
        {
            throw new ArgumentException($"{actualName} has {actual.ParameterCount} parameter buffers; expected {expected.ParameterCount}.", actualName);
        }

        for (int i = 0; i < expected.ParameterCount; i++)
        {
            string name = expected.GetParameterName(i);
            if (name != actual.GetParameterName(i) || expected.IsSingle(i) != actual.IsSingle(i))
            {
                throw new ArgumentException($"{actualName} buffer {i} is '{actual.GetParameterName(i)}'; expected '{name}'.", actualName);
            }

            int expectedLength = expected.IsSingle(i) ? expected.GetSingles(i).Length : expected.GetDoubles(i).Length;
            int actualLength = actual.IsSingle(i) ? actual.GetSingles(i).Length : actual.GetDoubles(i).Length;
            if (expectedLength != actualLength)
            {
                throw new ArgumentException($"{actualName}.{name} has length {actualLength}; expected {expectedLength}.", actualName);
            }
        }
    }
}
