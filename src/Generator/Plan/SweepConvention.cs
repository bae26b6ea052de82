using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Plan;

/// <summary>What one position of a sweep's parameter list carries.</summary>
internal enum SweepSlot
{
    /// <summary>The primal parameter <c>Index</c> (out parameters are passed by ref: the forward sweep may record them).</summary>
    Primal,

    /// <summary>The tape.</summary>
    Tape,

    /// <summary>The adjoint of the result (reverse sweeps of methods that return a value).</summary>
    ResultAdjoint,

    /// <summary>The gradient object of the model (instance methods).</summary>
    Gradient,

    /// <summary>
    /// The adjoint of differentiable parameter <c>Index</c>: its buffer for an array, a <c>ref</c> accumulator for a
    /// scalar.
    /// </summary>
    Adjoint,
}

/// <summary>A position of a sweep's parameter list.</summary>
internal sealed record SweepParameter(SweepSlot Slot, int Index = -1);

/// <summary>A parameter as the calling convention sees it, from the callee's declaration or from a call.</summary>
internal readonly record struct ConventionParameter(TypeRef Type, RefMode Mode, bool IsDifferentiable);

/// <summary>
/// The one calling convention of the generated <c>M_Forward</c>/<c>M_Reverse</c> sweeps (and of user pullbacks, which
/// take no tape and no gradient object). The callee's signature (Emission) and every call of it (Adjoint) are both
/// laid out from these lists, so they cannot disagree.
/// </summary>
internal static class SweepConvention
{
    public static IReadOnlyList<ConventionParameter> Of(IEnumerable<ParameterModel> declared) =>
        declared.Select(p => new ConventionParameter(p.Type, p.Mode, p.IsDifferentiable)).ToList();

    public static IReadOnlyList<ConventionParameter> Of(IEnumerable<CalleeParameter> called) =>
        called.Select(p => new ConventionParameter(p.Type, p.Mode, p.IsDifferentiable)).ToList();

    public static IReadOnlyList<SweepParameter> Forward(IReadOnlyList<ConventionParameter> parameters, bool isStatic)
    {
        var slots = Primals(parameters);
        slots.Add(new SweepParameter(SweepSlot.Tape));
        if (!isStatic)
        {
            slots.Add(new SweepParameter(SweepSlot.Gradient));
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].IsDifferentiable && parameters[i].Type.IsArray)
            {
                slots.Add(new SweepParameter(SweepSlot.Adjoint, i));
            }
        }

        return slots;
    }

    /// <summary>The reverse sweep's parameters; <paramref name="userPullback"/> for a <c>[DerivativeOf]</c> method's.</summary>
    public static IReadOnlyList<SweepParameter> Reverse(IReadOnlyList<ConventionParameter> parameters, bool isStatic, bool returnsValue, bool userPullback = false)
    {
        var slots = Primals(parameters);
        if (!userPullback)
        {
            slots.Add(new SweepParameter(SweepSlot.Tape));
        }

        if (returnsValue)
        {
            slots.Add(new SweepParameter(SweepSlot.ResultAdjoint));
        }

        if (!isStatic && !userPullback)
        {
            slots.Add(new SweepParameter(SweepSlot.Gradient));
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].IsDifferentiable)
            {
                slots.Add(new SweepParameter(SweepSlot.Adjoint, i));
            }
        }

        return slots;
    }

    private static List<SweepParameter> Primals(IReadOnlyList<ConventionParameter> parameters)
    {
        var slots = new List<SweepParameter>();
        for (int i = 0; i < parameters.Count; i++)
        {
            slots.Add(new SweepParameter(SweepSlot.Primal, i));
        }

        return slots;
    }
}
