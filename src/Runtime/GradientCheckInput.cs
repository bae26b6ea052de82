using System;
using System.Collections.Generic;
using SourceDiff.Checking;

namespace SourceDiff;

/// <summary>
/// One differentiable input of a function under <see cref="GradientCheck"/>: where its values live (perturbed in place
/// during the check and restored exactly afterwards) and the analytic gradient with respect to it. Made by
/// <see cref="GradientCheck.Input(double[], double[], string)"/> and its overloads, or
/// <see cref="GradientCheck.Scalar(string, Func{double}, Action{double}, double)"/>.
/// </summary>
public sealed class GradientCheckInput
{
    internal GradientCheckInput(string name, IReadOnlyList<CheckedBuffer> buffers)
    {
        Name = name;
        Buffers = buffers;
    }

    /// <summary>The name used in reports.</summary>
    public string Name { get; }

    /// <summary>Number of scalar coordinates.</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (CheckedBuffer buffer in Buffers)
            {
                count += buffer.Length;
            }

            return count;
        }
    }

    /// <summary>One buffer for an array or scalar; one per row for a jagged array.</summary>
    internal IReadOnlyList<CheckedBuffer> Buffers { get; }
}
