using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Derivatives;

/// <summary>Where the adjoint of each kind of storage lives, as adjoint-IR expressions.</summary>
internal static class AdjointStorage
{
    /// <summary>The adjoint storage of an active lvalue or array-valued expression, or null when it carries none.</summary>
    public static Expr? Of(Expr expr, IActivityFacts activity) => expr switch
    {
        _ when !activity.HasAdjoint(expr) => null,
        Var variable => new AdjointVar(variable),
        Element element => Of(element.Array, activity) is { } array ? new Element(array, element.Indices, element.Type) : null,
        Conditional choice => OfArrayValue(choice, activity),
        View view => Of(view.Storage, activity) is { } storage ? AdjointView(view, storage) : null,
        _ => null,
    };

    /// <summary>The same run of the adjoint storage (all of it for a whole array: adjoint arrays have their primal's shape).</summary>
    private static View AdjointView(View view, Expr storage) =>
        new(storage, view.Start, view.IsWhole ? Opaque.Read(storage, "Length", TypeRef.Int) : view.Count, TypeRef.SpanOf(view.Type, "Span"));

    /// <summary>
    /// The adjoint buffer of whatever array an array-valued expression evaluates to: the adjoint of the array it
    /// names, the matching branch's for <c>?:</c>, fresh zeros for a new array, and for storage without an adjoint
    /// of its own (a [NoDerivative] input, a static table) a sink. Activity guarantees nothing differentiable is ever
    /// written into such storage, so nothing reads a sink back.
    /// </summary>
    public static Expr OfArrayValue(Expr value, IActivityFacts activity) => value switch
    {
        Conditional choice => new Conditional(choice.Condition, OfArrayValue(choice.WhenTrue, activity), OfArrayValue(choice.WhenFalse, activity), choice.Type),
        NewArray { Type: { Element: "double", Ranks.Count: 1, MathNet: null }, Lengths.Count: 1 } fresh when fresh.Type.Ranks[0] == 1 =>
            new TapeBuffer(TapeBufferKind.ZeroDoubles, fresh.Lengths[0], fresh.Type),
        NewArray fresh => fresh,
        Literal => new NullArray(value.Type),
        // A MathNet sink is exactly shaped zeros: the tape's shared sinks are arrays.
        _ => Of(value, activity) ?? (value.Type.IsMathNet ? new ZerosLike(value, value.Type) : new TapeBuffer(TapeBufferKind.Sink, value, value.Type)),
    };
}
