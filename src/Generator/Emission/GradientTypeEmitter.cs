using System.Collections.Generic;
using System.Linq;
using SourceDiff.Rules;
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
    private const string CompilerServices = "global::SourceDiff.CompilerServices.";
    private const string HiddenAttribute = "[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]";
    private const string Hidden = HiddenAttribute + " ";

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
            w.Line("internal " + field.Type.Display + " " + field.Name + GeneratedNames.StateSuffix + (field.Type.IsArray ? " = null!;" : ";"));
            w.Line();
        }

        // Constructors: zeros shaped like the model's current arrays, or like another gradient (used by the operators).
        w.Line("/// <summary>A zero gradient shaped like <paramref name=\"model\"/>.</summary>");
        w.Open("public Gradient(" + model + " model)");
        w.Line(CompilerServices + "Validate.NotNull(model, nameof(model));");
        EmitZerosLike(w, parameters.Concat(states), field => "model." + field.Name);
        w.Close();
        w.Line();
        w.Line("/// <summary>A zero gradient shaped like <paramref name=\"shape\"/>.</summary>");
        w.Open("public Gradient(Gradient shape)");
        w.Line(CompilerServices + "Validate.NotNull(shape, nameof(shape));");
        EmitZerosLike(w, parameters.Concat(states), field => "shape." + SlotName(field));
        w.Close();
        w.Line();

        w.Line("/// <summary>The sum <c>a + b</c>, as a new gradient.</summary>");
        w.Open("public static Gradient operator +(Gradient a, Gradient b)");
        w.Line("Gradient sum = a.Copy();");
        w.Line("sum.AddScaled(1, b);");
        w.Line("return sum;");
        w.Close();
        w.Line();
        w.Line("/// <summary>The difference <c>a - b</c>, as a new gradient.</summary>");
        w.Open("public static Gradient operator -(Gradient a, Gradient b)");
        w.Line("Gradient difference = a.Copy();");
        w.Line("difference.AddScaled(-1, b);");
        w.Line("return difference;");
        w.Close();
        w.Line();
        w.Line("/// <summary>The product <c>scale·a</c>, as a new gradient.</summary>");
        w.Open("public static Gradient operator *(double scale, Gradient a)");
        w.Line("var product = new Gradient(a);");
        w.Line("product.AddScaled(scale, a);");
        w.Line("return product;");
        w.Close();
        w.Line();
        w.Line("/// <summary>The product <c>a·scale</c>, as a new gradient.</summary>");
        w.Line("public static Gradient operator *(Gradient a, double scale) => scale * a;");
        w.Line();
        w.Line("/// <summary>The negation <c>-a</c>, as a new gradient.</summary>");
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
        w.Line(CompilerServices + "GradientAlgebra.Clear(this);");
        w.Line("ClearState();");
        w.Close();
        w.Line();
        w.Line("/// <summary><c>this += scale·other</c>, in place (axpy over every parameter at once).</summary>");
        w.Line("public void AddScaled(double scale, Gradient other) => " + CompilerServices + "GradientAlgebra.AddScaled(this, scale, other, nameof(other));");
        w.Line();
        w.Line("/// <summary><c>this *= scale</c>, in place.</summary>");
        w.Line("public void Scale(double scale) => " + CompilerServices + "GradientAlgebra.Scale(this, scale);");
        w.Line();
        w.Line("/// <summary>Sum over every parameter entry of <c>this·other</c>.</summary>");
        w.Line("public double Dot(Gradient other) => " + CompilerServices + "GradientAlgebra.Dot(this, other, nameof(other));");
        w.Line();
        w.Line("/// <summary>Euclidean norm over every parameter entry.</summary>");
        w.Line("public double Norm() => " + CompilerServices + "GradientAlgebra.Norm(this);");
        w.Line();

        w.Line("/// <summary>Zeros the adjoints of [State] fields, here and in layers.</summary>");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open("public void ClearState()");
        foreach (FieldModel field in states)
        {
            w.Line(field.Type.IsArray ? CompilerServices + "Buffers.Clear(" + field.Name + GeneratedNames.StateSuffix + ");" : field.Name + GeneratedNames.StateSuffix + " = 0;");
        }

        foreach (FieldModel field in parameters.Where(f => f.Role == FieldRole.Layer))
        {
            w.Line(field.Type.IsArray
                ? "if (" + field.Name + " is not null) foreach (var layer in " + field.Name + ") layer?.ClearState();"
                : field.Name + "?.ClearState();");
        }

        w.Close();
        w.Line();

        EmitCheckShape(w, type);
        EmitCheckAliasing(w, type);
        ParameterTable.Emit(w, parameters, explicitPrefix: string.Empty, access: "public ");
        w.Close();
        w.Line();
    }

    /// <summary>
    /// The first check of a gradient call: every array and layer field the model's differentiable methods use is set
    /// (<c>InvalidOperationException</c> naming the field otherwise), and every buffer of this gradient has its field's
    /// current shape (<c>ArgumentException</c> for the gradient argument), layers included.
    /// </summary>
    private static void EmitCheckShape(SourceWriter w, ContainingTypeModel type)
    {
        string typeName = type.Declarations[type.Declarations.Count - 1].NameWithTypeParameters;
        w.Line("/// <summary>");
        w.Line("/// Throws unless the model's fields its differentiable methods use are set (<see cref=\"global::System.InvalidOperationException\"/>)");
        w.Line("/// and every buffer has the model's current shape (<see cref=\"global::System.ArgumentException\"/> for <paramref name=\"parameterName\"/>).");
        w.Line("/// </summary>");
        w.Line(HiddenAttribute);
        w.Open("public void CheckShape(" + type.FullName + " model, string parameterName)");
        foreach (FieldModel field in type.Fields)
        {
            string from = "model." + field.Name;
            if (field.IsRead && (field.Type.IsArray || field.Role == FieldRole.Layer))
            {
                w.Line(CompilerServices + "Validate.FieldNotNull(" + from + ", \"" + typeName + "." + field.Name + "\");");
            }

            if (field.Role == FieldRole.Layer)
            {
                // A layer nothing reads may be null; one that is read was just checked.
                if (!field.IsRead)
                {
                    w.Open("if (" + from + " is not null)");
                }

                w.Line(CompilerServices + "Validate.GradientLayer(" + field.Name + ", " + from + ", \"" + field.Name + "\", parameterName);");
                w.Line(field.Type.IsArray
                    ? "for (int i = 0; i < " + from + ".Length; i++) if (" + from + "[i] is not null) " + field.Name + "[i].CheckShape(" + from + "[i], parameterName);"
                    : field.Name + ".CheckShape(" + from + ", parameterName);");
                if (!field.IsRead)
                {
                    w.Close();
                }
            }
            else if (field.Type.IsArray && field.Role is FieldRole.Parameter or FieldRole.State)
            {
                w.Line(CompilerServices + "Validate.GradientShape(" + SlotName(field) + ", " + from + ", \"" + field.Name + "\", parameterName);");
            }
        }

        w.Close();
        w.Line();
    }

    /// <summary>
    /// The aliasing check over the model and this gradient: registers every parameter, [State] and data array of the
    /// model, every buffer of the gradient and every layer (recursively) with the call's <c>AliasCheck</c>, which throws
    /// for tied weights and for a gradient buffer that is one of the model's arrays or another buffer.
    /// </summary>
    private static void EmitCheckAliasing(SourceWriter w, ContainingTypeModel type)
    {
        w.Line("/// <summary>Registers the model's arrays and this gradient's buffers with <paramref name=\"aliases\"/>, which throws when one array is in two places that make a gradient wrong.</summary>");
        w.Line(HiddenAttribute);
        w.Open("public void CheckAliasing(" + type.FullName + " model, " + CompilerServices + "AliasCheck aliases, int owner, int gradientOwner, string parameterName)");
        foreach (FieldModel field in type.Fields)
        {
            string from = "model." + field.Name;
            string name = "\"" + field.Name + "\"";
            switch (field.Role)
            {
                case FieldRole.Parameter when field.Type.IsArray:
                    w.Line("aliases.Parameter(" + from + ", owner, " + name + ");");
                    w.Line("aliases.GradientBuffer(" + field.Name + ", gradientOwner, " + name + ", parameterName);");
                    break;
                case FieldRole.State when field.Type.IsArray:
                    w.Line("aliases.Parameter(" + from + ", owner, " + name + ");");
                    break;
                case FieldRole.Data when field.Type.IsFloatingArray:
                    w.Line("aliases.Data(" + from + ", owner, " + name + ");");
                    break;
                case FieldRole.Layer when field.Type.IsArray:
                    w.Line("if (" + from + " is not null) for (int i = 0; i < " + from + ".Length; i++) if (" + from + "[i] is not null) " + field.Name + "[i].CheckAliasing("
                        + from + "[i], aliases, aliases.Layer(" + from + "[i], owner, " + name + ", i), aliases.GradientLayer(" + field.Name + "[i], gradientOwner, " + name + ", i, parameterName), parameterName);");
                    break;
                case FieldRole.Layer:
                    w.Line("if (" + from + " is not null) " + field.Name + ".CheckAliasing(" + from + ", aliases, aliases.Layer(" + from + ", owner, " + name + "), aliases.GradientLayer("
                        + field.Name + ", gradientOwner, " + name + ", -1, parameterName), parameterName);");
                    break;
            }
        }

        w.Close();
        w.Line();
    }

    /// <summary>The Gradient's field for a model field: same name, with a suffix for [State] adjoint slots.</summary>
    private static string SlotName(FieldModel field) => field.Role == FieldRole.State ? field.Name + GeneratedNames.StateSuffix : field.Name;

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
                w.Line(name + " = " + CompilerServices + "Buffers.ZerosLike(" + from + ");");
            }
        }
    }

    private static void EmitModelInterface(SourceWriter w, ContainingTypeModel type, List<FieldModel> parameters)
    {
        string model = type.FullName;
        w.Line("// The model's side of the contract: its parameters in the Gradient's order, its state, a gradient factory.");
        ParameterTable.Emit(w, parameters, explicitPrefix: Runtime + "IParameterSet.", access: string.Empty, ofModel: true);
        EmitPropertyStorage(w, type, parameters);
        w.Line(Runtime + "IGradient " + Runtime + "IDifferentiableModel.CreateGradient() => new Gradient(this);");
        w.Line();

        EmitSnapshot(w, type.Fields.Where(f => f.Role is FieldRole.State or FieldRole.Data or FieldRole.Layer).ToList(),
            "object " + Runtime + "IDifferentiableModel.CaptureState()",
            "void " + Runtime + "IDifferentiableModel.RestoreState(object snapshot)",
            StateSnapshot);
        w.Line();
        w.Line("// What the differentiable methods may write: a model holding this one as a layer saves it after its forward sweep and puts it back after its reverse sweep.");
        EmitSnapshot(w, type.Fields.Where(f => f.IsWritten).ToList(),
            Hidden + "public " + Hides(type) + "object " + GeneratedNames.CaptureWritable + "()",
            Hidden + "public " + Hides(type) + "void " + GeneratedNames.RestoreWritable + "(object snapshot)",
            WritableSnapshot,
            captureSummary: "Saves what the differentiable methods may write, for a model holding this one as a layer.",
            restoreSummary: "Puts back what <see cref=\"" + GeneratedNames.CaptureWritable + "\"/> saved.");
    }

    /// <summary>
    /// Accessors of the backing fields of scalar auto-property parameters: the parameter table hands each out as a
    /// one-element span an optimizer writes, as it does a field, which a property's accessors cannot give.
    /// </summary>
    private static void EmitPropertyStorage(SourceWriter w, ContainingTypeModel type, List<FieldModel> parameters)
    {
        bool first = true;
        foreach (FieldModel field in parameters)
        {
            if (field.Property is { } property && field.Role == FieldRole.Parameter && !field.Type.IsArray)
            {
                if (first)
                {
                    w.Line("// The backing fields of scalar property parameters, which the parameter table hands out as writable spans.");
                    first = false;
                }

                w.Line("[global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = \"" + property.BackingField + "\")]");
                w.Line("private static extern ref " + field.Type.Display + " " + GeneratedNames.StorageOf(field.Name) + "(" + property.DeclaringType + " model);");
                w.Line();
            }
        }
    }

    /// <param name="captureSummary">The documentation of a public capture method (null for an explicit implementation).</param>
    /// <param name="restoreSummary">The documentation of a public restore method (null for an explicit implementation).</param>
    private static void EmitSnapshot(SourceWriter w, List<FieldModel> snapshot, string captureSignature, string restoreSignature, LayerSnapshot layers,
        string? captureSummary = null, string? restoreSummary = null)
    {
        if (captureSummary is not null)
        {
            w.Line("/// <summary>" + captureSummary + "</summary>");
        }

        w.Open(captureSignature);
        if (snapshot.Count == 0)
        {
            w.Line("return global::System.Array.Empty<object?>();");
        }
        else
        {
            w.Line("var snapshot = new object?[" + snapshot.Count + "];");
            for (int i = 0; i < snapshot.Count; i++)
            {
                w.Line("snapshot[" + i + "] = " + Capture(snapshot[i], layers) + ";");
            }

            w.Line("return snapshot;");
        }

        w.Close();
        w.Line();
        if (restoreSummary is not null)
        {
            w.Line("/// <summary>" + restoreSummary + "</summary>");
        }

        w.Open(restoreSignature);
        if (snapshot.Count > 0)
        {
            w.Line("var values = (object?[])snapshot;");
        }

        for (int i = 0; i < snapshot.Count; i++)
        {
            FieldModel field = snapshot[i];
            string value = field.Role == FieldRole.Layer && !field.Type.IsArray ? "values[" + i + "]"
                : "(" + SnapshotType(field) + ")values[" + i + "]" + (field.Type.IsArray || field.Role == FieldRole.Layer ? string.Empty : "!");
            if (Restore(field, value, layers) is { } restore)
            {
                w.Line(restore);
            }
        }

        w.Close();
    }

    /// <summary>How a layer's part of a snapshot is taken and put back (by the layer's own generated members).</summary>
    internal sealed record LayerSnapshot(System.Func<string, string> Capture, System.Func<string, string, string> Restore);

    /// <summary>The layer's [State] and data, for <c>IDifferentiableModel</c> (the gradient checker).</summary>
    private static readonly LayerSnapshot StateSnapshot = new(
        layer => "((" + Runtime + "IDifferentiableModel)" + layer + ").CaptureState()",
        (layer, state) => "((" + Runtime + "IDifferentiableModel)" + layer + ").RestoreState(" + state + ")");

    /// <summary>What the layer's differentiable methods may write, for a gradient call's final state.</summary>
    internal static readonly LayerSnapshot WritableSnapshot = new(
        layer => layer + "." + GeneratedNames.CaptureWritable + "()",
        (layer, state) => layer + "." + GeneratedNames.RestoreWritable + "(" + state + ")");

    /// <summary>The type of the value <see cref="Capture"/> gives for a field.</summary>
    internal static string SnapshotType(FieldModel field) =>
        field.Role == FieldRole.Layer ? field.Type.IsArray ? "object?[]?" : "object?"
        : field.Type.IsArray ? field.Type.Display + "?"
        : field.Type.Display;

    /// <summary>
    /// An expression saving a field's current value: scalars by value, arrays as deep copies (held by
    /// <paramref name="tape"/> until it is returned, when given), layers by their own snapshot members (an array of
    /// layers as an array of their snapshots). One rule for every snapshot of a model.
    /// </summary>
    internal static string Capture(FieldModel field, LayerSnapshot layers, string? tape = null)
    {
        string self = "this." + field.Name;
        if (field.Role == FieldRole.Layer)
        {
            return field.Type.IsArray
                ? self + " is null ? null : global::System.Array.ConvertAll(" + self + ", _layer => _layer is null ? null : " + layers.Capture("_layer") + ")"
                : self + " is null ? null : " + layers.Capture(self);
        }

        return !field.Type.IsArray ? self : tape is null ? CompilerServices + "Buffers.Copy(" + self + ")" : tape + ".CopyOf(" + self + ")";
    }

    /// <summary>
    /// The statement putting back a value <see cref="Capture"/> saved (<paramref name="value"/>, of
    /// <see cref="SnapshotType"/>): arrays into the existing arrays when the shapes still match, so references others
    /// hold stay valid; null for a readonly scalar, which nothing can have changed.
    /// </summary>
    internal static string? Restore(FieldModel field, string value, LayerSnapshot layers)
    {
        string self = "this." + field.Name;
        string saved = "_saved_" + field.Name;
        if (field.Role == FieldRole.Layer)
        {
            return field.Type.IsArray
                ? "if (" + value + " is { } " + saved + ") for (int _i = 0; _i < " + saved + ".Length; _i++) if (" + saved + "[_i] is { } _state) " + layers.Restore(self + "[_i]", "_state") + ";"
                : "if (" + value + " is { } " + saved + ") " + layers.Restore(self, saved) + ";";
        }

        if (field.Type.IsArray)
        {
            if (field.Property is not null && !field.IsReadOnly)
            {
                // A settable array property cannot be passed by ref: restore into a local, then set it.
                string restored = "_restored_" + field.Name;
                return "{ var " + restored + " = " + self + "; " + CompilerServices + "Buffers.RestoreInto(ref " + restored + ", " + value + "); " + self + " = " + restored + "!; }";
            }

            return field.IsReadOnly
                ? CompilerServices + "Buffers.CopyInto(" + value + ", " + self + ");"
                : CompilerServices + "Buffers.RestoreInto(ref " + self + "!, " + value + ");";
        }

        return field.IsReadOnly ? null : self + " = " + value + ";";
    }
}
