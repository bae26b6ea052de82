using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Adjoint;

/// <summary>Where the adjoint of each kind of storage lives in generated code.</summary>
internal static class AdjointNames
{
    public const string Gradient = "_gradient";
    // Leading underscores keep generated names clear of the user's parameter and local names.
    public const string Tape = "_tape";

    /// <summary>The adjoint of a variable: <c>_d_x</c> for locals and parameters, a slot of the gradient object for fields.</summary>
    public static string Of(Var variable) => variable.Kind switch
    {
        VarKind.ParameterField or VarKind.LayerField => Gradient + "." + variable.Name,
        VarKind.StateField => Gradient + "." + variable.Name + StateSuffix,
        _ => "_d_" + variable.Name,
    };

    /// <summary>Suffix of the internal gradient slot that carries the adjoint of a [State] field.</summary>
    public const string StateSuffix = "__State";

    /// <summary>The adjoint storage of an active lvalue or array-valued expression, or null when it carries none.</summary>
    public static string? Of(Expr expr, Activity activity) => expr switch
    {
        _ when !activity.HasAdjoint(expr) => null,
        Var variable => Of(variable),
        Element element => Of(element.Array, activity) + "[" + string.Join(", ", System.Linq.Enumerable.Select(element.Indices, index => Emission.Render.Expr(index))) + "]",
        Conditional choice => OfArrayValue(choice, activity),
        _ => null,
    };

    /// <summary>
    /// The adjoint buffer of whatever array an array-valued expression evaluates to: the adjoint of the array it
    /// names, the matching branch's for <c>?:</c>, fresh zeros for a new array, and for storage without an adjoint
    /// of its own (a [NoDerivative] input, a static table) a sink. Activity guarantees nothing differentiable is ever
    /// written into such storage, so nothing reads a sink back.
    /// </summary>
    public static string OfArrayValue(Expr value, Activity activity)
    {
        switch (value)
        {
            case Conditional choice:
                return "(" + Emission.Render.Expr(choice.Condition) + " ? " + OfArrayValue(choice.WhenTrue, activity) + " : " + OfArrayValue(choice.WhenFalse, activity) + ")";
            case NewArray { Type: { Element: "double", Ranks.Count: 1 }, Lengths.Count: 1 } fresh when fresh.Type.Ranks[0] == 1:
                return Tape + ".ZeroDoubles(" + Emission.Render.Expr(fresh.Lengths[0]) + ")";
            case NewArray fresh:
                return Emission.Render.Expr(fresh);
            case Literal:
                return "null!";
            default:
                return Of(value, activity) ?? Tape + ".Sink(" + Emission.Render.Expr(value) + ")";
        }
    }

    /// <summary>Generated model members that snapshot and restore everything differentiable code may write.</summary>
    public const string CaptureWritable = "CaptureWritableState";

    public const string RestoreWritable = "RestoreWritableState";

    public static string ForwardName(string method) => method + "_Forward";

    public static string ReverseName(string method) => method + "_Reverse";
}
