using System.Collections.Immutable;
using System.Linq;

namespace SourceDiff.Verification.Tests.Programs;

// The AST of random models (issue 8). Method bodies are the program AST (ProgramModel.cs); what is new is the shape
// of the classes around them. A model Q{id} is a partial class with parameter and [State] fields, possibly a base
// class Q{id}Base holding some of them, a layer type Q{id}Layer used through a field `Out` and an array field `Layers`
// (whose outputs go to a [State] double[][] Hs), and a class Q{id}Ops with a custom-derivative function Act whose
// [DerivativeOf] pullback can be made to throw. Its Loss runs Step over a sequence:
//
//     [Differentiable] public double Step([NoDerivative] double[] x, int k) { … }
//     [Differentiable] public double Loss([NoDerivative] double[][] xs)
//     {
//         <reset>
//         double loss = 0.0;
//         for (int t = 0; t < xs.Length; t++) { double e = Step(xs[t], t) - (0.25 * t - 0.5); loss += e * e; }
//         return loss;
//     }
//
// and Loss_Checkpointed, the same loss under [Checkpoint] (binomial checkpointing of its loops), whose gradient must be
// Loss's bit for bit.

public enum FieldShape { Scalar, Vector, Matrix }

/// <summary>
/// A field of the model or of its base class. <paramref name="Values"/> holds one value for a scalar, n for a vector
/// and n·n (row-major) for an n × n matrix.
/// </summary>
public sealed record FieldSpec(string Name, FieldShape Shape, bool State, bool Readonly, bool Inherited, ImmutableArray<double> Values)
{
    /// <summary>
    /// A trainable parameter: not <c>[State]</c>, and not a <c>readonly</c> scalar, which is a constant (README: no
    /// optimizer could update it); a <c>readonly</c> array is a parameter, its elements are writable.
    /// </summary>
    public bool IsParameter => !State && !(Readonly && Shape == FieldShape.Scalar);
}

/// <summary>The values of one layer object: its vector <c>V</c> (n values) and its scalar <c>C</c>.</summary>
public sealed record LayerValues(ImmutableArray<double> V, double C);

/// <summary>
/// The layer type: parameters <c>double[] V</c> and <c>double C</c> set by its constructor,
/// <c>[Differentiable] void Step(double[] x, double[] h)</c> that overwrites <c>h</c>, and
/// <c>[Differentiable] double Apply(double[] x)</c>.
/// </summary>
public sealed record LayerSpec(ImmutableArray<Stmt> StepBody, ImmutableArray<Stmt> ApplyBody, Expr ApplyResult);

/// <summary>How the model holds its layer <c>Out</c>: each is differentiated, and its state restored, the same way.</summary>
public enum LayerHolder
{
    /// <summary><c>public Layer Out = …;</c></summary>
    Field,

    /// <summary><c>public readonly Layer Out = …;</c></summary>
    ReadonlyField,

    /// <summary><c>public Layer Out { get; } = …;</c></summary>
    GetOnlyProperty,
}

/// <summary>A random model; see the comment at the top of this file.</summary>
/// <param name="Dimension">n: the length of every input row, vector field and layer vector; matrices are n × n.</param>
/// <param name="Layer">The layer type, when the model has <paramref name="Out"/> or <paramref name="Layers"/>.</param>
/// <param name="Out">The layer in field <c>Out</c>, if any.</param>
/// <param name="Layers">The layers of the array field <c>Layers</c> (empty: no such field, and no <c>Hs</c>).</param>
/// <param name="CustomDerivative">Whether Q{id}Ops (Act and its [DerivativeOf] pullback) exists.</param>
/// <param name="ThrowAt">
/// 0, or the fraction of the pullback calls of one gradient call after which the oracle makes Act's pullback throw.
/// </param>
/// <param name="Xs">The data: one row of n values per step.</param>
/// <param name="CheckpointSnapshots">
/// The <c>Snapshots</c> of the loss's <c>[Checkpoint]</c> twin <c>Loss_Checkpointed</c> (see
/// <see cref="ModelPrinter.Checkpointable"/>): 1, 2 or 3, or 0 for a bare <c>[Checkpoint]</c> (SourceDiff chooses).
/// </param>
public sealed record ModelSpec(
    int Dimension,
    ImmutableArray<FieldSpec> Fields,
    LayerSpec? Layer,
    LayerValues? Out,
    ImmutableArray<LayerValues> Layers,
    bool CustomDerivative,
    ImmutableArray<Stmt> StepBody,
    Expr StepResult,
    ImmutableArray<Stmt> LossReset,
    double ThrowAt,
    ImmutableArray<ImmutableArray<double>> Xs,
    Expr? StateReadBeforeStep = null,
    LayerHolder OutHolder = LayerHolder.Field,
    int CheckpointSnapshots = 0,
    ResetPlace ResetIn = ResetPlace.Inline)
{
    public bool HasBase => Fields.Any(f => f.Inherited);
}

/// <summary>
/// Where the loss's reset of the state stands: inline, in a <c>[Differentiable]</c> <c>ResetState()</c> the loss calls,
/// or in a plain one, which writes floating fields without a derivative and must be rejected (SD0001 at the call).
/// </summary>
public enum ResetPlace
{
    Inline,
    DifferentiableHelper,
    PlainHelper,
}
