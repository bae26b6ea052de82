using Microsoft.CodeAnalysis;

namespace SourceDiff.Analyzers.Gradients;

/// <summary>Library functions whose derivative is zero (or undefined) almost everywhere.</summary>
internal static class ZeroDerivativeFunctions
{
    /// <summary>"'Math.Floor'" for such a function, else null.</summary>
    public static string? Describe(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type?.ContainingNamespace?.ToDisplayString() != "System")
        {
            return null;
        }

        var isStepFunction = type.Name switch
        {
            "Math" or "MathF" or "Double" or "Single" => method.Name is "Round" or "Floor" or "Ceiling" or "Truncate" or "Sign",
            "Convert" => method.Name.StartsWith("ToInt", System.StringComparison.Ordinal)
                || method.Name.StartsWith("ToUInt", System.StringComparison.Ordinal)
                || method.Name is "ToByte" or "ToSByte" or "ToChar" or "ToBoolean"
                || (method.Name is "ToDouble" or "ToSingle" && method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean),
            _ => false,
        };

        return isStepFunction ? $"'{type.Name}.{method.Name}'" : null;
    }
}
