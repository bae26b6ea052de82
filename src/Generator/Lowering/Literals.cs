using System;
using System.Globalization;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Lowering;

/// <summary>Culture-invariant, round-trip C# text for constants (never a locale's minus sign or decimal comma).</summary>
internal static class Literals
{
    public static string Format(object? value, TypeRef type)
    {
        switch (value)
        {
            case double d:
                return FormatDouble(d);
            case float f:
                return FormatFloat(f);
            case bool b:
                return b ? "true" : "false";
            case null:
                return "default";
            case IFormattable number:
                string text = number.ToString(null, CultureInfo.InvariantCulture);
                return type.Element switch
                {
                    "double" => FormatDouble(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
                    "float" => FormatFloat(Convert.ToSingle(value, CultureInfo.InvariantCulture)),
                    "long" => text + "L",
                    "uint" => text + "U",
                    "ulong" => text + "UL",
                    _ => text,
                };
            default:
                return value.ToString() ?? "default";
        }
    }

    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
    }

    public static string FormatFloat(float value)
    {
        if (float.IsNaN(value))
        {
            return "float.NaN";
        }

        if (float.IsInfinity(value))
        {
            return value > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
        }

        return value.ToString("R", CultureInfo.InvariantCulture) + "f";
    }
}
