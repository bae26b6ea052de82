using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Emission;

internal static class GradientTypeEmitter
{
    public static string HintName(ContainingTypeModel type) => type.FullName.Replace("global::", string.Empty).Replace('<', '_').Replace('>', '_') + ".Gradient.g.cs";

    public static string Emit(ContainingTypeModel type) => string.Empty;
}
