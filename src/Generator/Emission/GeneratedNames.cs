using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Emission;

/// <summary>The names generated code gives its own parameters, locals and members: the one place that spells them.</summary>
internal static class GeneratedNames
{
    public const string Gradient = "_gradient";
    // Leading underscores keep generated names clear of the user's parameter and local names.
    public const string Tape = "_tape";

    /// <summary>The adjoint of a variable: <c>_d_x</c> for locals and parameters, a slot of the gradient object for fields.</summary>
    public static string AdjointOf(Var variable) => variable.Kind switch
    {
        VarKind.ParameterField or VarKind.LayerField => Gradient + "." + variable.Name,
        VarKind.StateField => Gradient + "." + variable.Name + StateSuffix,
        _ => AdjointOf(variable.Name),
    };

    /// <summary>The adjoint of a parameter or local named <paramref name="name"/>.</summary>
    public static string AdjointOf(string name) => "_d_" + name;

    /// <summary>Suffix of the internal gradient slot that carries the adjoint of a [State] field.</summary>
    public const string StateSuffix = "__State";

    /// <summary>Generated model members that snapshot and restore everything differentiable code may write.</summary>
    public const string CaptureWritable = "CaptureWritableState";

    public const string RestoreWritable = "RestoreWritableState";

    /// <summary>The model's accessor of an auto-property's backing field, which optimizers write through a span.</summary>
    public static string StorageOf(string property) => "SourceDiffStorageOf_" + property;

    public static string ForwardName(string method) => method + "_Forward";

    public static string ReverseName(string method) => method + "_Reverse";
}
