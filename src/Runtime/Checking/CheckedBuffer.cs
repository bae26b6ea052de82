using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SourceDiff.Checking;

/// <summary>
/// A run of coordinates the checker perturbs: an input array (or one row of a jagged array), a scalar, or a model's
/// parameter buffer. Values cross this boundary as <c>double</c>; <see cref="Write"/> returns what was actually stored
/// so the checker can divide by the step really taken after <c>float</c> rounding.
/// </summary>
internal abstract class CheckedBuffer
{
    protected CheckedBuffer(string name, bool isSingle)
    {
        Name = name;
        IsSingle = isSingle;
    }

    /// <summary>Name used in reports (<c>W1</c>, <c>w[2]</c> for a jagged row).</summary>
    public string Name { get; }

    /// <summary>Whether the values are stored as <c>float</c>.</summary>
    public bool IsSingle { get; }

    public abstract int Length { get; }

    /// <summary>The object whose memory is perturbed, for aliasing checks (null for scalars).</summary>
    public abstract object? Storage { get; }

    public abstract double Read(int index);

    /// <summary>Stores <paramref name="value"/> (rounded to <c>float</c> when single) and returns the stored value.</summary>
    public abstract double Write(int index, double value);

    public abstract double Analytic(int index);

    /// <summary>Readable position of a coordinate, e.g. <c>W[3]</c> or <c>W[1,2]</c>.</summary>
    public virtual string Describe(int index) => string.Create(CultureInfo.InvariantCulture, $"{Name}[{index}]");
}

/// <summary>A <c>double</c> array of any rank and its gradient buffer of the same shape.</summary>
internal sealed class DoubleArrayBuffer(string name, Array values, Array gradient) : CheckedBuffer(name, isSingle: false)
{
    public override int Length => values.Length;

    public override object Storage => values;

    public override double Read(int index) => ArrayMemory.Span<double>(values)[index];

    public override double Write(int index, double value) => ArrayMemory.Span<double>(values)[index] = value;

    public override double Analytic(int index) => ArrayMemory.Span<double>(gradient)[index];

    public override string Describe(int index) => ArrayMemory.Describe(Name, values, index);
}

/// <summary>A <c>float</c> array of any rank and its gradient buffer of the same shape.</summary>
internal sealed class SingleArrayBuffer(string name, Array values, Array gradient) : CheckedBuffer(name, isSingle: true)
{
    public override int Length => values.Length;

    public override object Storage => values;

    public override double Read(int index) => ArrayMemory.Span<float>(values)[index];

    public override double Write(int index, double value) => ArrayMemory.Span<float>(values)[index] = (float)value;

    public override double Analytic(int index) => ArrayMemory.Span<float>(gradient)[index];

    public override string Describe(int index) => ArrayMemory.Describe(Name, values, index);
}

/// <summary>A scalar reached through a getter and a setter (a local captured by lambdas, a property, a field).</summary>
internal sealed class ScalarBuffer(string name, Func<double> get, Action<double> set, Func<double> analytic)
    : CheckedBuffer(name, isSingle: false)
{
    public override int Length => 1;

    public override object? Storage => null;

    public override double Read(int index) => get();

    public override double Write(int index, double value)
    {
        set(value);
        return value;
    }

    public override double Analytic(int index) => analytic();

    public override string Describe(int index) => Name;
}

/// <summary>Buffer <c>index</c> of a model, read and written through <see cref="IParameterSet"/>, and of its gradient.</summary>
internal sealed class ParameterBuffer(IParameterSet model, IParameterSet gradient, int buffer)
    : CheckedBuffer(model.GetParameterName(buffer), model.IsSingle(buffer))
{
    public override int Length => IsSingle ? model.GetSingles(buffer).Length : model.GetDoubles(buffer).Length;

    // The spans may point into fields of the model object itself (scalar parameters), so the model is the storage.
    public override object Storage => model;

    public override double Read(int index) => IsSingle ? model.GetSingles(buffer)[index] : model.GetDoubles(buffer)[index];

    public override double Write(int index, double value) =>
        IsSingle ? model.GetSingles(buffer)[index] = (float)value : model.GetDoubles(buffer)[index] = value;

    public override double Analytic(int index) =>
        IsSingle ? gradient.GetSingles(buffer)[index] : gradient.GetDoubles(buffer)[index];
}

/// <summary>Flat views of arrays of any rank, and readable indices.</summary>
internal static class ArrayMemory
{
    /// <summary>All elements of a rectangular array (any rank) in row-major order, without copying.</summary>
    public static Span<T> Span<T>(Array array)
    {
        ref byte first = ref MemoryMarshal.GetArrayDataReference(array);
        return MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref first), array.Length);
    }

    /// <summary><c>name[i]</c>, or <c>name[i,j]</c> for a matrix, for a flat row-major index.</summary>
    public static string Describe(string name, Array array, int flatIndex)
    {
        if (array.Rank == 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{name}[{flatIndex}]");
        }

        var indices = new int[array.Rank];
        for (int dimension = array.Rank - 1; dimension >= 0; dimension--)
        {
            int length = array.GetLength(dimension);
            indices[dimension] = flatIndex % length;
            flatIndex /= length;
        }

        return $"{name}[{string.Join(",", indices)}]";
    }
}
