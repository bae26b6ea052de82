using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.Derivatives;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;
using SourceDiff.Generator.Plan;
using static SourceDiff.Generator.Derivatives.AdjointAlgebra;

namespace SourceDiff.Generator.Adjoint;

/// <summary>
/// Builds the two sweeps of a method's adjoint, as adjoint IR, from its IR and its <see cref="SweepPlan"/>: the
/// forward sweep is the primal itself plus the pushes the plan decides, the reverse sweep pops them back in reverse
/// order and propagates adjoints.
/// </summary>
internal sealed partial class Sweeps
{
    private static readonly Expr Tape = new SweepContext(SweepObject.Tape, TypeRef.Void);
    private static readonly Expr Gradient = new SweepContext(SweepObject.Gradient, TypeRef.Void);

    private readonly MethodModel method;
    private readonly SweepPlan plan;
    private readonly Activity activity;
    private readonly TempNames temps = new();
    private readonly IReadOnlyDictionary<string, string> customPullbacks;

    private Sweeps(SweepPlan plan, IReadOnlyDictionary<string, string> customPullbacks)
    {
        method = plan.Method;
        this.plan = plan;
        activity = plan.Activity;
        this.customPullbacks = customPullbacks;
    }

    /// <summary>The forward sweep's statements, ending with the pushes of the state the reverse sweep starts from.</summary>
    public IReadOnlyList<SweepStmt> Forward { get; private set; } = new List<SweepStmt>();

    /// <summary>The reverse sweep's statements, starting with the pops of that state.</summary>
    public IReadOnlyList<SweepStmt> Reverse { get; private set; } = new List<SweepStmt>();

    public static Sweeps Build(SweepPlan plan, IReadOnlyDictionary<string, string> customPullbacks)
    {
        var sweeps = new Sweeps(plan, customPullbacks);

        // Reverse first only so that temporaries keep the numbering they have always had.
        var reverse = new List<SweepStmt>();
        for (int i = plan.SavedAtEnd.Count - 1; i >= 0; i--)
        {
            sweeps.Pop(plan.SavedAtEnd[i], reverse);
        }

        sweeps.ReverseBlock(sweeps.method.Body, reverse);
        var forward = new List<SweepStmt>();
        sweeps.ForwardBlock(sweeps.method.Body, forward);
        if (plan.SavedAtEnd.Count > 0)
        {
            forward.Add(new SourceComment("Values the reverse sweep starts from."));
        }

        foreach (Var variable in plan.SavedAtEnd)
        {
            sweeps.Push(variable, forward);
        }

        sweeps.Forward = forward;
        sweeps.Reverse = new VectorizedUpdates(plan.Activity.Storage, sweeps.temps).Apply(LoopInvariantGuards.Hoist(reverse));
        return sweeps;
    }
}
