namespace SourceDiff.Generator.Lowering;

/// <summary>The <c>System.Math</c>/<c>MathF</c> functions with built-in derivatives, by name and argument count.</summary>
internal static class MathFunctions
{
    public static bool IsKnown(string name, int arguments) => arguments switch
    {
        1 => name is "Exp" or "Log" or "Log10" or "Log2" or "Sqrt" or "Cbrt" or "Tanh" or "Sinh" or "Cosh" or "Sin" or "Cos"
            or "Tan" or "Asin" or "Acos" or "Atan" or "Asinh" or "Acosh" or "Atanh" or "Abs" or "Floor" or "Ceiling" or "Round"
            or "Truncate",
        2 => name is "Pow" or "Atan2" or "Max" or "Min" or "Log" or "Round",
        3 => name is "Clamp" or "FusedMultiplyAdd" or "Round",
        _ => false,
    };

    /// <summary>
    /// The class whose function a generic-math spelling (<c>double.Exp</c>, <c>float.Tanh</c>) is the twin of, so it
    /// gets that function's derivative and is emitted as it: <c>Math</c> for <c>double</c>, <c>MathF</c> for
    /// <c>float</c>, except <c>float.Clamp</c>, which <c>MathF</c> lacks and <c>Math.Clamp(float, float, float)</c> is.
    /// </summary>
    public static string TwinClass(bool isFloat, string name) => isFloat && name != "Clamp" ? "MathF" : "Math";
}
