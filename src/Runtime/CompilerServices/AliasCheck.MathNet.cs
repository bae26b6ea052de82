using System;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace SourceDiff.CompilerServices;

/// <summary>
/// MathNet vectors and matrices in the alias check: registered by their dense storage array, so two objects over one
/// array (<c>Vector&lt;double&gt;.Build.Dense(array)</c> twice) conflict as one array in two places would.
/// </summary>
public sealed partial class AliasCheck
{
    /// <summary>A differentiable vector argument.</summary>
    public void Input<T>(Vector<T>? vector, string name)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(vector), Role.Input, Arguments, name, -1, name);

    /// <summary>A differentiable matrix argument.</summary>
    public void Input<T>(Matrix<T>? matrix, string name)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(matrix), Role.Input, Arguments, name, -1, name);

    /// <summary>A non-differentiable vector argument: it may share storage with inputs, not with buffers.</summary>
    public void ReadOnly<T>(Vector<T>? vector, string name)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(vector), Role.ReadOnly, Arguments, name, -1, name);

    /// <summary>A non-differentiable matrix argument: it may share storage with inputs, not with buffers.</summary>
    public void ReadOnly<T>(Matrix<T>? matrix, string name)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(matrix), Role.ReadOnly, Arguments, name, -1, name);

    /// <summary>A gradient vector argument.</summary>
    public void Buffer<T>(Vector<T>? vector, string name)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(vector), Role.Buffer, Arguments, name, -1, name);

    /// <summary>A gradient matrix argument.</summary>
    public void Buffer<T>(Matrix<T>? matrix, string name)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(matrix), Role.Buffer, Arguments, name, -1, name);

    /// <summary>A parameter or [State] vector of the model, under <paramref name="owner"/>.</summary>
    public void Parameter<T>(Vector<T>? vector, int owner, string name)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(vector), Role.ModelParameter, owner, name, -1, null);

    /// <summary>A parameter or [State] matrix of the model, under <paramref name="owner"/>.</summary>
    public void Parameter<T>(Matrix<T>? matrix, int owner, string name)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(matrix), Role.ModelParameter, owner, name, -1, null);

    /// <summary>A [NoDerivative] vector of the model: only read.</summary>
    public void Data<T>(Vector<T>? vector, int owner, string name)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(vector), Role.ModelData, owner, name, -1, null);

    /// <summary>A [NoDerivative] matrix of the model: only read.</summary>
    public void Data<T>(Matrix<T>? matrix, int owner, string name)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(matrix), Role.ModelData, owner, name, -1, null);

    /// <summary>A vector of a gradient object, under <paramref name="owner"/>.</summary>
    public void GradientBuffer<T>(Vector<T>? vector, int owner, string name, string parameterName)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(vector), Role.Buffer, owner, name, -1, parameterName);

    /// <summary>A matrix of a gradient object, under <paramref name="owner"/>.</summary>
    public void GradientBuffer<T>(Matrix<T>? matrix, int owner, string name, string parameterName)
        where T : struct, IEquatable<T>, IFormattable => Add(StorageOf(matrix), Role.Buffer, owner, name, -1, parameterName);

    private static object? StorageOf<T>(Vector<T>? vector)
        where T : struct, IEquatable<T>, IFormattable => vector?.Storage is DenseVectorStorage<T> dense ? dense.Data : vector;

    private static object? StorageOf<T>(Matrix<T>? matrix)
        where T : struct, IEquatable<T>, IFormattable => matrix?.Storage is DenseColumnMajorMatrixStorage<T> dense ? dense.Data : matrix;
}
