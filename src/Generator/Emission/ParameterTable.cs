using System;
using System.Collections.Generic;
using SourceDiff.Rules;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Emission;

/// <summary>
/// Emits the <c>IParameterSet</c> members over a list of fields: scalars as one-element spans, arrays as one span
/// (jagged arrays one per row), layers by delegation. The same text serves a model and its Gradient, whose fields
/// have the same names and shapes, so both list their buffers in the same order by construction. One locator maps a
/// buffer index to (field, element, inner index); each member is then a switch over the fields.
/// </summary>
internal static class ParameterTable
{
    private const string ParameterSet = "global::SourceDiff.IParameterSet";
    private const string Locate = "LocateSourceDiffParameter";

    /// <param name="ofModel">The table of the model itself (whose parameters may be properties), not of its Gradient.</param>
    public static void Emit(SourceWriter w, List<FieldModel> fields, string explicitPrefix, string access, bool ofModel = false)
    {
        // Public implementations take their documentation from IParameterSet (CS1591 in documented builds).
        string? documentation = access.Length > 0 ? "/// <inheritdoc/>" : null;
        Documented(w, documentation);
        w.Open(access + "int " + explicitPrefix + "ParameterCount");
        w.Open("get");
        w.Line("int count = 0;");
        foreach (FieldModel field in fields)
        {
            w.Line("count += " + Count(field) + ";");
        }

        w.Line("return count;");
        w.Close();
        w.Close();
        w.Line();

        EmitLocator(w, fields);
        Documented(w, documentation);
        EmitSwitch(w, fields, access + "string " + explicitPrefix + "GetParameterName(int index)", field =>
            field.Role == FieldRole.Layer ? "return \"" + field.Name + (field.Type.IsArray ? "[\" + element + \"]." : ".") + "\" + " + Layer(field) + ".GetParameterName(inner);"
            : IsJagged(field) ? "return \"" + field.Name + "[\" + inner + \"]\";"
            : "return \"" + field.Name + "\";");
        Documented(w, documentation);
        EmitSwitch(w, fields, access + "bool " + explicitPrefix + "IsSingle(int index)", field =>
            field.Role == FieldRole.Layer ? "return " + Layer(field) + ".IsSingle(inner);" : "return " + (field.Type.Element == "float" ? "true" : "false") + ";");
        Documented(w, documentation);
        EmitSwitch(w, fields, access + "global::System.Span<double> " + explicitPrefix + "GetDoubles(int index)", field =>
            field.Role == FieldRole.Layer ? "return " + Layer(field) + ".GetDoubles(inner);" : Span(field, "double", ofModel));
        Documented(w, documentation);
        EmitSwitch(w, fields, access + "global::System.Span<float> " + explicitPrefix + "GetSingles(int index)", field =>
            field.Role == FieldRole.Layer ? "return " + Layer(field) + ".GetSingles(inner);" : Span(field, "float", ofModel));
    }

    private static void Documented(SourceWriter w, string? documentation)
    {
        if (documentation is not null)
        {
            w.Line(documentation);
        }
    }

    private static bool IsJagged(FieldModel field) => field.Type.Ranks.Count == 2;

    private static string Layer(FieldModel field) => "((" + ParameterSet + ")this." + field.Name + (field.Type.IsArray ? "[element]" : string.Empty) + ")";

    private static string Count(FieldModel field)
    {
        if (field.Role == FieldRole.Layer)
        {
            return field.Type.IsArray
                ? "(this." + field.Name + " is null ? 0 : global::System.Linq.Enumerable.Sum(this." + field.Name + ", layer => ((" + ParameterSet + ")layer).ParameterCount))"
                : "(this." + field.Name + " is null ? 0 : ((" + ParameterSet + ")this." + field.Name + ").ParameterCount)";
        }

        return IsJagged(field) ? "(this." + field.Name + "?.Length ?? 0)" : "1";
    }

    private static string Span(FieldModel field, string element, bool ofModel)
    {
        if (field.Type.Element != element)
        {
            return "throw new global::System.InvalidOperationException(\"" + field.Name + " holds " + field.Type.Element + " values: use " + (element == "double" ? "GetSingles" : "GetDoubles") + ".\");";
        }

        if (IsJagged(field))
        {
            return "return this." + field.Name + "[inner];";
        }

        if (!field.Type.IsArray)
        {
            // A property cannot be passed by ref: the model hands out its backing field (the Gradient's slots are fields).
            string storage = field.Property is not null && ofModel ? GeneratedNames.StorageOf(field.Name) + "(this)" : "this." + field.Name;
            return "return global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + storage + ", 1);";
        }

        // A MathNet vector or matrix hands out its dense storage (column-major for a matrix).
        return field.Type.Ranks[0] == 1 && !field.Type.IsMathNet
            ? "return this." + field.Name + ";"
            : "return this." + field.Name + " is null ? default : global::SourceDiff.CompilerServices.Buffers.AsSpan<" + element + ">(this." + field.Name + ");";
    }

    /// <summary>Maps a buffer index to the field holding it, the layer element (for arrays of layers) and the index inside.</summary>
    private static void EmitLocator(SourceWriter w, List<FieldModel> fields)
    {
        w.Open("private int " + Locate + "(int index, out int element, out int inner)");
        w.Line("int i = index;");
        w.Line("element = 0;");
        for (int k = 0; k < fields.Count; k++)
        {
            FieldModel field = fields[k];
            string found = "{ inner = i; return " + k + "; }";
            if (field.Role == FieldRole.Layer && field.Type.IsArray)
            {
                w.Open("for (element = 0; element < (this." + field.Name + "?.Length ?? 0); element++)");
                w.Line("int count = ((" + ParameterSet + ")this." + field.Name + "[element]).ParameterCount;");
                w.Line("if (i < count) " + found);
                w.Line("i -= count;");
                w.Close();
                w.Line("element = 0;");
                continue;
            }
            else
            {
                string count = Count(field);
                w.Line(count == "1" ? "if (i == 0) " + found : "if (i < " + count + ") " + found);
                if (k < fields.Count - 1)
                {
                    w.Line(count == "1" ? "i--;" : "i -= " + count + ";");
                }
            }
        }

        w.Line("throw new global::System.ArgumentOutOfRangeException(nameof(index));");
        w.Close();
        w.Line();
    }

    private static void EmitSwitch(SourceWriter w, List<FieldModel> fields, string signature, Func<FieldModel, string> body)
    {
        w.Open(signature);
        w.Open("switch (" + Locate + "(index, out int element, out int inner))");
        for (int k = 0; k < fields.Count; k++)
        {
            w.Line("case " + k + ": " + body(fields[k]));
        }

        w.Line("default: throw new global::System.ArgumentOutOfRangeException(nameof(index));");
        w.Close();
        w.Close();
        w.Line();
    }
}
