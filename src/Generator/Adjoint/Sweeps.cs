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
    private readonly TempNames temps;
    private readonly IReadOnlyDictionary<string, string> customPullbacks;
    private readonly IReadOnlyDictionary<Loop, CheckpointedLoop> checkpointed;

    private Sweeps(SweepPlan plan, IReadOnlyDictionary<string, string> customPullbacks)
    {
        method = plan.Method;
        this.plan = plan;
        activity = plan.Activity;
        this.customPullbacks = customPullbacks;
        checkpointed = CheckpointedLoops.Plan(method, activity.Storage);

        // A user's local may be named like a temporary (_g0, _count0).
        temps = new TempNames(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name)));
    }

    /// <summary>The forward sweep's statements, ending with the pushes of the state the reverse sweep starts from.</summary>
    public IReadOnlyList<SweepStmt> Forward { get; private set; } = new List<SweepStmt>();

    /// <summary>The reverse sweep's statements, starting with the pops of that state.</summary>
    public IReadOnlyList<SweepStmt> Reverse { get; private set; } = new List<SweepStmt>();

    public static Sweeps Build(SweepPlan plan, IReadOnlyDictionary<string, string> customPullbacks)
    {
        var sweeps = new Sweeps(plan, customPullbacks);

        // Reverse first only so that temporaries keep the numbering they have always had.
        var body = new List<SweepStmt>();
        sweeps.ReverseBlock(sweeps.method.Body, body);

        // A scratch array whose adjoint the reverse sweep rents is saved only as its length where the reverse reads
        // nothing else of it, so the array itself need not outlive the forward sweep.
        var lengthOnly = new HashSet<string>(plan.SavedAtEnd.Where(v => plan.RentsAdjointInReverse(v) && !Mentions(body, v.Name)).Select(v => v.Name));
        var reverse = new List<SweepStmt>();
        for (int i = plan.SavedAtEnd.Count - 1; i >= 0; i--)
        {
            Var saved = plan.SavedAtEnd[i];
            if (!plan.RentsAdjointInReverse(saved))
            {
                sweeps.Pop(saved, reverse);
                continue;
            }

            Expr length = Opaque.Read(saved, "Length", TypeRef.Int);
            if (lengthOnly.Contains(saved.Name))
            {
                length = new Temporary("_length_" + saved.Name, TypeRef.Int);
                reverse.Add(new Store(length, AssignKind.Declare, new TapePop(TypeRef.Int)));
            }
            else
            {
                reverse.Add(new Store(saved, AssignKind.Set, new TapePop(saved.Type)));
            }

            reverse.Add(new Store(new AdjointVar(saved), AssignKind.Set, new TapeBuffer(TapeBufferKind.ZeroDoubles, length, saved.Type)));
        }

        reverse.AddRange(body);
        var forward = new List<SweepStmt>();
        sweeps.ForwardBlock(sweeps.method.Body, forward);
        if (plan.SavedAtEnd.Count > 0)
        {
            forward.Add(new SourceComment("Values the reverse sweep starts from."));
        }

        foreach (Var variable in plan.SavedAtEnd)
        {
            if (!plan.RentsAdjointInReverse(variable))
            {
                sweeps.Push(variable, forward);
            }
            else
            {
                forward.Add(new Push(lengthOnly.Contains(variable.Name) ? Opaque.Read(variable, "Length", TypeRef.Int) : variable));
            }
        }

        sweeps.Forward = TapeReservation.Apply(forward, EntryValues.Of(sweeps.method));
        sweeps.Reverse = new VectorizedUpdates(plan.Activity.Storage, sweeps.temps).Apply(LoopInvariantGuards.Hoist(reverse));
        return sweeps;
    }

    /// <summary>Whether a sweep names the primal variable itself (its adjoint, which wraps it, does not count).</summary>
    private static bool Mentions(IReadOnlyList<SweepStmt> statements, string name) => statements.Any(statement => SweepWalk.Mentions(statement, name));
}
