using System;
using System.Collections.Generic;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Emission;

/// <summary>
/// Emits the <c>IParameterSet</c> members over a list of fields: scalars as one-element spans, arrays as one span
/// (jagged arrays one per row), layers by delegation. The same text serves a model and its Gradient, whose fields
/// have the same names and shapes, so both list their buffers in the same order by construction.
/// </summary>
internal static class ParameterTable
{
    private const string ParameterSet = "global::SourceDiff.IParameterSet";

    public static void Emit(SourceWriter w, List<FieldModel> fields, string explicitPrefix, string access)
    {
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

        EmitLookup(w, fields, access + "string " + explicitPrefix + "GetParameterName(int index)", field => "return \"" + field.Name + "\";",
            (field, row) => "return \"" + field.Name + "[\" + " + row + " + \"]\";", (prefix, layer, inner) => "return " + prefix + " + " + layer + ".GetParameterName(" + inner + ");");
        EmitLookup(w, fields, access + "bool " + explicitPrefix + "IsSingle(int index)", field => "return " + (field.Type.Element == "float" ? "true" : "false") + ";",
            (field, row) => "return " + (field.Type.Element == "float" ? "true" : "false") + ";", (prefix, layer, inner) => "return " + layer + ".IsSingle(" + inner + ");");
        EmitLookup(w, fields, access + "global::System.Span<double> " + explicitPrefix + "GetDoubles(int index)", field => Span(field, "double", null),
            (field, row) => Span(field, "double", row), (prefix, layer, inner) => "return " + layer + ".GetDoubles(" + inner + ");");
        EmitLookup(w, fields, access + "global::System.Span<float> " + explicitPrefix + "GetSingles(int index)", field => Span(field, "float", null),
            (field, row) => Span(field, "float", row), (prefix, layer, inner) => "return " + layer + ".GetSingles(" + inner + ");");
    }

    private static bool IsJagged(FieldModel field) => field.Type.Ranks.Count == 2;

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

    private static string Span(FieldModel field, string element, string? row)
    {
        if (field.Type.Element != element)
        {
            return "throw new global::System.InvalidOperationException(\"" + field.Name + " holds " + field.Type.Element + " values: use " + (element == "double" ? "GetSingles" : "GetDoubles") + ".\");";
        }

        if (row is not null)
        {
            return "return this." + field.Name + "[" + row + "];";
        }

        if (!field.Type.IsArray)
        {
            return "return global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref this." + field.Name + ", 1);";
        }

        return field.Type.Ranks[0] == 1
            ? "return this." + field.Name + ";"
            : "return this." + field.Name + " is null ? default : global::SourceDiff.Buffers.AsSpan<" + element + ">(this." + field.Name + ");";
    }

    private static void EmitLookup(SourceWriter w, List<FieldModel> fields, string signature, Func<FieldModel, string> single, Func<FieldModel, string, string> row, Func<string, string, string, string> layer)
    {
        w.Open(signature);
        w.Line("int i = index;");
        foreach (FieldModel field in fields)
        {
            if (field.Role == FieldRole.Layer)
            {
                if (field.Type.IsArray)
                {
                    w.Open("for (int k = 0; k < (this." + field.Name + "?.Length ?? 0); k++)");
                    w.Line("var layer = (" + ParameterSet + ")this." + field.Name + "[k];");
                    w.Open("if (i < layer.ParameterCount)");
                    w.Line(layer("\"" + field.Name + "[\" + k + \"].\"", "layer", "i"));
                    w.Close();
                    w.Line("i -= layer.ParameterCount;");
                    w.Close();
                }
                else
                {
                    w.Open("if (this." + field.Name + " is not null)");
                    w.Line("var layer = (" + ParameterSet + ")this." + field.Name + ";");
                    w.Open("if (i < layer.ParameterCount)");
                    w.Line(layer("\"" + field.Name + ".\"", "layer", "i"));
                    w.Close();
                    w.Line("i -= layer.ParameterCount;");
                    w.Close();
                }
            }
            else if (IsJagged(field))
            {
                w.Open("if (i < (this." + field.Name + "?.Length ?? 0))");
                w.Line(row(field, "i"));
                w.Close();
                w.Line("i -= this." + field.Name + "?.Length ?? 0;");
            }
            else
            {
                w.Open("if (i == 0)");
                w.Line(single(field));
                w.Close();
                w.Line("i--;");
            }
        }

        w.Line("throw new global::System.ArgumentOutOfRangeException(nameof(index));");
        w.Close();
        w.Line();
    }
}
