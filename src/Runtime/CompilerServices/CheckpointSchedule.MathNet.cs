using System;
using MathNet.Numerics.LinearAlgebra;

namespace SourceDiff.CompilerServices;

/// <summary>Snapshots of carried MathNet vectors and matrices: their contents, like an array's (the generic overloads take arrays).</summary>
public sealed partial class CheckpointSchedule
{
    /// <summary>Saves the contents of <paramref name="vector"/> into <paramref name="slot"/>, reusing its storage when the shapes match.</summary>
    public static void Save<T>(ref Vector<T>? slot, Vector<T> vector)
        where T : struct, IEquatable<T>, IFormattable => Buffers.RestoreInto(ref slot, vector);

    /// <summary>Saves the contents of <paramref name="matrix"/> into <paramref name="slot"/>, reusing its storage when the shapes match.</summary>
    public static void Save<T>(ref Matrix<T>? slot, Matrix<T> matrix)
        where T : struct, IEquatable<T>, IFormattable => Buffers.RestoreInto(ref slot, matrix);

    /// <summary>Puts back into <paramref name="vector"/> the contents <see cref="Save{T}(ref Vector{T}, Vector{T})"/> saved.</summary>
    public static void Load<T>(Vector<T>? slot, Vector<T> vector)
        where T : struct, IEquatable<T>, IFormattable => Buffers.CopyInto(slot, vector);

    /// <summary>Puts back into <paramref name="matrix"/> the contents <see cref="Save{T}(ref Matrix{T}, Matrix{T})"/> saved.</summary>
    public static void Load<T>(Matrix<T>? slot, Matrix<T> matrix)
        where T : struct, IEquatable<T>, IFormattable => Buffers.CopyInto(slot, matrix);
}
