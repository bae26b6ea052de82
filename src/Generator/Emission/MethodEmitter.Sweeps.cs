using System.Collections.Generic;
using System.Linq;
using SourceDiff.Rules;
using SourceDiff.Generator.Adjoint;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;
using SourceDiff.Generator.Plan;

namespace SourceDiff.Generator.Emission;

/// <summary>The internal <c>M_Forward</c>/<c>M_Reverse</c> sweeps: the calling convention callers share, and the printed adjoint IR.</summary>
internal static partial class MethodEmitter
{
    private static void EmitSweeps(SourceWriter w, MethodModel method, SweepPlan? plan, Sweeps? sweeps, string notSupportedReason)
    {
        bool isVoid = method.ReturnType.IsVoid;
        List<ParameterModel> differentiable = Differentiable(method).ToList();
        IReadOnlyList<ConventionParameter> convention = SweepConvention.Of(method.Parameters);
        IEnumerable<string> forwardParameters = SweepConvention.Forward(convention, method.IsStatic).Select(slot => SweepParameterText(method, slot));

        w.Line("/// <summary>Forward sweep of <c>" + method.Name + "</c>: the primal, recording what its reverse sweep needs.</summary>");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open("internal " + Static(method) + method.ReturnType.Display + " " + GeneratedNames.ForwardName(method.Name) + "(" + string.Join(", ", forwardParameters) + ")");
        if (plan is null || sweeps is null)
        {
            NotSupported(w, notSupportedReason);
        }
        else
        {
            Activity activity = plan.Activity;
            DeclareLocals(w, method, activity, adjoints: false);
            SweepPrinter.Print(sweeps.Forward, w);

            if (!isVoid)
            {
                w.Line("return _result;");
            }
        }

        w.Close();
        w.Line();

        IEnumerable<string> reverseParameters = SweepConvention.Reverse(convention, method.IsStatic, !isVoid).Select(slot => SweepParameterText(method, slot));

        w.Line("/// <summary>Reverse sweep of <c>" + method.Name + "</c>: pops what the forward sweep recorded and propagates adjoints.</summary>");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open("internal " + Static(method) + "void " + GeneratedNames.ReverseName(method.Name) + "(" + string.Join(", ", reverseParameters) + ")");
        if (plan is null || sweeps is null)
        {
            NotSupported(w, notSupportedReason);
        }
        else
        {
            Activity activity = plan.Activity;
            DeclareLocals(w, method, activity, adjoints: true);
            foreach (ParameterModel p in differentiable.Where(p => p.Mode == RefMode.None && !p.Type.IsArray))
            {
                w.Line(p.Type.Display + " _d_" + p.Name + " = 0;");
            }

            if (!isVoid && activity.IsActive(new Var("_result", VarKind.Local, method.ReturnType)))
            {
                w.Line("_d__result = dResult;");
            }

            SweepPrinter.Print(sweeps.Reverse, w);
            foreach (ParameterModel p in differentiable.Where(p => p.Mode == RefMode.None && !p.Type.IsArray))
            {
                w.Line("_sum_d_" + p.Name + " += _d_" + p.Name + ";");
            }
        }

        w.Close();
    }

    /// <summary>The declaration of one position of a sweep's parameter list (<see cref="SweepConvention"/>).</summary>
    private static string SweepParameterText(MethodModel method, SweepParameter slot)
    {
        switch (slot.Slot)
        {
            case SweepSlot.Tape:
                return TapeType + " " + GeneratedNames.Tape;
            case SweepSlot.Gradient:
                return GradientType(method) + " " + GeneratedNames.Gradient;
            case SweepSlot.ResultAdjoint:
                return Scalar(method) + " dResult";
        }

        ParameterModel p = method.Parameters[slot.Index];
        if (slot.Slot == SweepSlot.Primal)
        {
            return PrimalParameter(p, sweep: true);
        }

        return p.Type.IsArray ? p.Type.AdjointDisplay + " " + GeneratedNames.AdjointOf(p.Name)
            : p.Mode == RefMode.None ? "ref " + p.Type.Display + " _sum" + GeneratedNames.AdjointOf(p.Name)
            : "ref " + p.Type.Display + " " + GeneratedNames.AdjointOf(p.Name);
    }

    private static void DeclareLocals(SourceWriter w, MethodModel method, Activity activity, bool adjoints)
    {
        foreach (LocalModel local in method.Locals)
        {
            string initial = local.Type.IsArray ? "null!" : "default";
            w.Line(local.Type.Display + " " + local.Name + " = " + initial + ";");
            var variable = new Var(local.Name, VarKind.Local, local.Type);
            if (activity.IsActive(variable) && (adjoints || local.Type.IsArray))
            {
                w.Line(local.Type.Display + " " + GeneratedNames.AdjointOf(variable) + " = " + (local.Type.IsArray ? "null!" : "0") + ";");
            }
        }
    }
}
