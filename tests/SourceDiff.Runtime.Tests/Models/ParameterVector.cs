using System;

namespace SourceDiff.Runtime.Tests.Models;

/// <summary>
/// A parameter set (and gradient) of named buffers, each <c>double[]</c> or <c>float[]</c>, for optimizer tests that
/// need layouts the other models do not have (mismatched names, precisions, lengths).
/// </summary>
public sealed class ParameterVector(params (string Name, Array Values)[] buffers) : IDifferentiableModel, IGradient
{
    public Array this[int index] => buffers[index].Values;

    public double[] Doubles(int index) => (double[])buffers[index].Values;

    public float[] Singles(int index) => (float[])buffers[index].Values;

    public int ParameterCount => buffers.Length;

    public string GetParameterName(int index) => buffers[index].Name;

    public bool IsSingle(int index) => buffers[index].Values is float[];

    public Span<double> GetDoubles(int index) =>
        buffers[index].Values as double[] ?? throw new InvalidOperationException($"{buffers[index].Name} holds floats.");

    public Span<float> GetSingles(int index) =>
        buffers[index].Values as float[] ?? throw new InvalidOperationException($"{buffers[index].Name} holds doubles.");

    public void Clear()
    {
        foreach ((string _, Array values) in buffers)
        {
            Array.Clear(values);
        }
    }

    public void Replace(int index, Array values) => buffers[index] = (buffers[index].Name, values);

    public object CaptureState() => Array.Empty<double>();

    public void RestoreState(object snapshot)
    {
    }

    public IGradient CreateGradient()
    {
        var shape = new (string, Array)[buffers.Length];
        for (int i = 0; i < buffers.Length; i++)
        {
            shape[i] = (buffers[i].Name, Array.CreateInstance(buffers[i].Values.GetType().GetElementType()!, buffers[i].Values.Length));
        }

        return new ParameterVector(shape);
    }
}
