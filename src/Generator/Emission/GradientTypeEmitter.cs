using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Adjoint;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Emission;

/// <summary>
/// Writes a model's nested <c>Gradient</c> type (one field per parameter, same name and shape; one per layer, of the
/// layer's Gradient type; internal slots for the adjoints of [State] fields) with its algebra, and makes the model
/// itself an <c>IDifferentiableModel</c>: the same parameter table, a state snapshot, and a gradient factory.
/// </summary>
internal static class GradientTypeEmitter
{
    private const string Runtime = "global::SourceDiff.";
    private const string Hidden = "[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)] ";

    public static string HintName(ContainingTypeModel type) =>
        type.FullName.Replace("global::", string.Empty).Replace('<', '_').Replace('>', '_') + ".Gradient.g.cs";

    public static string Emit(ContainingTypeModel type)
    {
        var w = new SourceWriter();
        FileHeader.Open(w, type, type.IsValueType ? null : Runtime + "IDifferentiableModel");
        string model = type.FullName;
        List<FieldModel> parameters = type.Fields.Where(f => f.Role is FieldRole.Parameter or FieldRole.Layer).ToList();
        List<FieldModel> states = type.Fields.Where(f => f.Role == FieldRole.State).ToList();

        EmitGradientClass(w, type, parameters, states);
        if (!type.IsValueType)
        {
            EmitModelInterface(w, type, parameters);
        }

        FileHeader.Close(w, type);
        return w.ToString();
    }

    private static string LayerGradient(FieldModel field) => field.LayerType + ".Gradient";

    private static string GradientFieldType(FieldModel field) =>
        field.Role == FieldRole.Layer ? LayerGradient(field) + (field.Type.IsArray ? "[]" : string.Empty) : field.Type.Display;

    /// <summary>
    /// <c>new </c> on the public members a base model declares too: a model deriving from a model is reported (SD0010)
    /// and gets placeholders, which must compile without warnings about hiding.
    /// </summary>
    private static string Hides(ContainingTypeModel type) => type.BaseModel is null ? string.Empty : "new ";

    private static void EmitGradientClass(SourceWriter w, ContainingTypeModel type, List<FieldModel> parameters, List<FieldModel> states)
    {
        string model = type.FullName;
        w.Line("/// <summary>");
        w.Line("/// The gradient of a loss with respect to every trainable parameter of <see cref=\"" + model.Replace("global::", string.Empty) + "\"/>: one field per");
        w.Line("/// parameter field, same name and shape, and one per layer. Supports +, -, scalar *, <see cref=\"AddScaled\"/>,");
        w.Line("/// <see cref=\"Dot\"/> and <see cref=\"Norm\"/>, and enumerates its buffers through <c>IGradient</c>.");
        w.Line("/// </summary>");
        w.Line("/// <remarks>");
        w.Line("/// [State] fields are differentiated through within one call (the full back-propagation through every step the call");
        w.Line("/// runs) but are not parameters. Their adjoints live in internal slots that every <c>…Gradient</c> and <c>…Pullback</c>");
        w.Line("/// starts at zero: the state a public call leaves is read by nothing differentiated after it, so no call sees");
        w.Line("/// another's. <see cref=\"Clear\"/> once, then one <c>…Pullback</c> per chunk of a stream, sums exactly the chunks'");
        w.Line("/// gradients, each taken from the state its chunk starts in (back-propagation truncated at chunk boundaries). To");
        w.Line("/// back-propagate through several calls, make them one [Differentiable] method: its adjoint carries the state's.");
        w.Line("/// </remarks>");
        w.Open("public " + Hides(type) + "sealed partial class Gradient : " + Runtime + "IGradient");
        foreach (FieldModel field in parameters)
        {
            w.Line("/// <summary>Gradient with respect to <c>" + field.Name + "</c>.</summary>");
            w.Line("public " + GradientFieldType(field) + " " + field.Name + (field.Type.IsArray || field.Role == FieldRole.Layer ? " = null!;" : ";"));
            w.Line();
        }

        foreach (FieldModel field in states)
        {
            w.Line("/// <summary>Adjoint of the [State] field <c>" + field.Name + "</c> while a gradient is computed (not a parameter).</summary>");
            w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
            w.Line("internal " + field.Type.Display + " " + field.Name + AdjointNames.StateSuffix + (field.Type.IsArray ? " = null!;" : ";"));
            w.Line();
        }

        // Constructors: zeros shaped like the model's current arrays, or like another gradient (used by the operators).
        w.Line("/// <summary>A zero gradient shaped like <paramref name=\"model\"/>.</summary>");
        w.Open("public Gradient(" + model + " model)");
        w.Line(Runtime + "Validate.NotNull(model, nameof(model));");
        EmitZerosLike(w, parameters.Concat(states), field => "model." + field.Name);
        w.Close();
        w.Line();
        w.Line("/// <summary>A zero gradient shaped like <paramref name=\"shape\"/>.</summary>");
        w.Open("public Gradient(Gradient shape)");
        w.Line(Runtime + "Validate.NotNull(shape, nameof(shape));");
        EmitZerosLike(w, parameters.Concat(states), field => "shape." + SlotName(field));
        w.Close();
        w.Line();

        w.Open("public static Gradient operator +(Gradient a, Gradient b)");
        w.Line("Gradient sum = a.Copy();");
        w.Line("sum.AddScaled(1, b);");
        w.Line("return sum;");
        w.Close();
        w.Line();
        w.Open("public static Gradient operator -(Gradient a, Gradient b)");
        w.Line("Gradient difference = a.Copy();");
        w.Line("difference.AddScaled(-1, b);");
        w.Line("return difference;");
        w.Close();
        w.Line();
        w.Open("public static Gradient operator *(double scale, Gradient a)");
        w.Line("var product = new Gradient(a);");
        w.Line("product.AddScaled(scale, a);");
        w.Line("return product;");
        w.Close();
        w.Line();
        w.Line("public static Gradient operator *(Gradient a, double scale) => scale * a;");
        w.Line();
        w.Line("public static Gradient operator -(Gradient a) => -1.0 * a;");
        w.Line();
        w.Line("/// <summary>A deep copy.</summary>");
        w.Open("public Gradient Copy()");
        w.Line("var copy = new Gradient(this);");
        w.Line("copy.AddScaled(1, this);");
        w.Line("return copy;");
        w.Close();
        w.Line();
        w.Line("/// <summary>Sets every entry to zero, including the internal adjoints of [State] fields (here and in layers).</summary>");
        w.Open("public void Clear()");
        w.Line(Runtime + "GradientAlgebra.Clear(this);");
        w.Line("ClearState();");
        w.Close();
        w.Line();
        w.Line("/// <summary><c>this += scale·other</c>, in place (axpy over every parameter at once).</summary>");
        w.Line("public void AddScaled(double scale, Gradient other) => " + Runtime + "GradientAlgebra.AddScaled(this, scale, other, nameof(other));");
        w.Line();
        w.Line("/// <summary><c>this *= scale</c>, in place.</summary>");
        w.Line("public void Scale(double scale) => " + Runtime + "GradientAlgebra.Scale(this, scale);");
        w.Line();
        w.Line("/// <summary>Sum over every parameter entry of <c>this·other</c>.</summary>");
        w.Line("public double Dot(Gradient other) => " + Runtime + "GradientAlgebra.Dot(this, other, nameof(other));");
        w.Line();
        w.Line("/// <summary>Euclidean norm over every parameter entry.</summary>");
        w.Line("public double Norm() => " + Runtime + "GradientAlgebra.Norm(this);");
        w.Line();

        w.Line("/// <summary>Zeros the adjoints of [State] fields, here and in layers.</summary>");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open("public void ClearState()");
        foreach (FieldModel field in states)
        {
            w.Line(field.Type.IsArray ? Runtime + "Buffers.Clear(" + field.Name + AdjointNames.StateSuffix + ");" : field.Name + AdjointNames.StateSuffix + " = 0;");
        }

        foreach (FieldModel field in parameters.Where(f => f.Role == FieldRole.Layer))
        {
            w.Line(field.Type.IsArray
                ? "if (" + field.Name + " is not null) foreach (var layer in " + field.Name + ") layer?.ClearState();"
                : field.Name + "?.ClearState();");
        }

        w.Close();
        w.Line();

        w.Line("/// <summary>Throws <see cref=\"global::System.ArgumentException\"/> for <paramref name=\"parameterName\"/> unless every buffer has the model's current shape.</summary>");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open("public void CheckShape(" + model + " model, string parameterName)");
        foreach (FieldModel field in parameters.Concat(states))
        {
            string name = SlotName(field);
            if (field.Role == FieldRole.Layer)
            {
                w.Line(field.Type.IsArray
                    ? "for (int i = 0; i < (model." + field.Name + "?.Length ?? 0); i++) " + name + "[i].CheckShape(model." + field.Name + "[i], parameterName);"
                    : "if (model." + field.Name + " is not null) " + name + ".CheckShape(model." + field.Name + ", parameterName);");
            }
            else if (field.Type.IsArray)
            {
                w.Line(Runtime + "Validate.GradientShape(" + name + ", model." + field.Name + ", \"" + field.Name + "\", parameterName);");
            }
        }

        w.Close();
        w.Line();
        ParameterTable.Emit(w, parameters, explicitPrefix: string.Empty, access: "public ");
        w.Close();
        w.Line();
    }

    /// <summary>The Gradient's field for a model field: same name, with a suffix for [State] adjoint slots.</summary>
    private static string SlotName(FieldModel field) => field.Role == FieldRole.State ? field.Name + AdjointNames.StateSuffix : field.Name;

    /// <summary>Allocates every array slot (and nested layer gradient) as zeros shaped like <paramref name="source"/>'s.</summary>
    private static void EmitZerosLike(SourceWriter w, IEnumerable<FieldModel> fields, System.Func<FieldModel, string> source)
    {
        foreach (FieldModel field in fields)
        {
            string name = SlotName(field);
            string from = source(field);
            if (field.Role == FieldRole.Layer)
            {
                if (field.Type.IsArray)
                {
                    w.Line(name + " = " + from + " is null ? null! : new " + LayerGradient(field) + "[" + from + ".Length];");
                    w.Line("for (int i = 0; i < (" + from + "?.Length ?? 0); i++) " + name + "[i] = new " + LayerGradient(field) + "(" + from + "[i]);");
                }
                else
                {
                    w.Line(name + " = " + from + " is null ? null! : new " + LayerGradient(field) + "(" + from + ");");
                }
            }
            else if (field.Type.IsArray)
            {
                w.Line(name + " = " + Runtime + "Buffers.ZerosLike(" + from + ");");
            }
        }
    }

    private static void EmitModelInterface(SourceWriter w, ContainingTypeModel type, List<FieldModel> parameters)
    {
        string model = type.FullName;
        w.Line("// The model's side of the contract: its parameters in the Gradient's order, its state, a gradient factory.");
        ParameterTable.Emit(w, parameters, explicitPrefix: Runtime + "IParameterSet.", access: string.Empty);
        w.Line(Runtime + "IGradient " + Runtime + "IDifferentiableModel.CreateGradient() => new Gradient(this);");
        w.Line();

        EmitSnapshot(w, type, includeParameters: false,
            "object " + Runtime + "IDifferentiableModel.CaptureState()",
            "void " + Runtime + "IDifferentiableModel.RestoreState(object snapshot)",
            layer => "((" + Runtime + "IDifferentiableModel)" + layer + ").CaptureState()",
            (layer, state) => "((" + Runtime + "IDifferentiableModel)" + layer + ").RestoreState(" + state + ")");
        w.Line();
        w.Line("// Everything differentiable code may write, parameters included: a gradient call puts it back after its reverse sweep.");
        EmitSnapshot(w, type, includeParameters: true,
            Hidden + "public " + Hides(type) + "object " + AdjointNames.CaptureWritable + "()",
            Hidden + "public " + Hides(type) + "void " + AdjointNames.RestoreWritable + "(object snapshot)",
            layer => layer + "." + AdjointNames.CaptureWritable + "()",
            (layer, state) => layer + "." + AdjointNames.RestoreWritable + "(" + state + ")");
    }

    private static void EmitSnapshot(SourceWriter w, ContainingTypeModel type, bool includeParameters, string captureSignature, string restoreSignature,
        System.Func<string, string> captureLayer, System.Func<string, string, string> restoreLayer)
    {
        List<FieldModel> snapshot = type.Fields.Where(f => f.Role is FieldRole.State or FieldRole.Data or FieldRole.Layer || (includeParameters && f.Role == FieldRole.Parameter)).ToList();
        w.Open(captureSignature);
        w.Line("var snapshot = new object?[" + snapshot.Count + "];");
        for (int i = 0; i < snapshot.Count; i++)
        {
            FieldModel field = snapshot[i];
            string value = field.Role == FieldRole.Layer
                ? field.Type.IsArray
                    ? "this." + field.Name + " is null ? null : global::System.Array.ConvertAll(this." + field.Name + ", layer => layer is null ? null : " + captureLayer("layer") + ")"
                    : "this." + field.Name + " is null ? null : " + captureLayer("this." + field.Name)
                : field.Type.IsArray ? Runtime + "Buffers.Copy(this." + field.Name + ")" : "this." + field.Name;
            w.Line("snapshot[" + i + "] = " + value + ";");
        }

        w.Line("return snapshot;");
        w.Close();
        w.Line();
        w.Open(restoreSignature);
        w.Line("var values = (object?[])snapshot;");
        for (int i = 0; i < snapshot.Count; i++)
        {
            FieldModel field = snapshot[i];
            if (field.Role == FieldRole.Layer)
            {
                w.Line(field.Type.IsArray
                    ? "if (values[" + i + "] is object?[] layers" + i + ") for (int i = 0; i < layers" + i + ".Length; i++) if (layers" + i + "[i] is { } state) " + restoreLayer("this." + field.Name + "[i]", "state") + ";"
                    : "if (values[" + i + "] is { } state" + i + ") " + restoreLayer("this." + field.Name, "state" + i) + ";");
            }
            else if (field.Type.IsArray)
            {
                w.Line(field.IsReadOnly
                    ? Runtime + "Buffers.CopyInto((global::System.Array?)values[" + i + "], this." + field.Name + ");"
                    : Runtime + "Buffers.RestoreInto(ref this." + field.Name + "!, (" + field.Type.Display + "?)values[" + i + "]);");
            }
            else if (!field.IsReadOnly)
            {
                w.Line("this." + field.Name + " = (" + field.Type.Display + ")values[" + i + "]!;");
            }
        }

        w.Close();
    }
}
