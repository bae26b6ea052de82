using System.Collections.Generic;
using System.Linq;
using SourceDiff.Rules;
using SourceDiff.Generator.Adjoint;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;
using SourceDiff.Generator.Plan;

namespace SourceDiff.Generator.Emission;

/// <summary>
/// Writes the generated part of one differentiable method: the public <c>MGradient</c>/<c>MPullback</c> of the
/// contract (argument checks, then forward and reverse sweeps) and the internal sweeps that other adjoints call.
/// </summary>
internal static partial class MethodEmitter
{
    private const string TapeType = "global::SourceDiff.CompilerServices.Tape";
    private const string Validate = "global::SourceDiff.CompilerServices.Validate";
    private const string Buffers = "global::SourceDiff.CompilerServices.Buffers";

    /// <summary>
    /// Writes the method's file. <paramref name="activity"/> is the method's activity analysis (already run by the
    /// caller for its diagnostics); without it, or with a <paramref name="notSupportedReason"/>, placeholders are written.
    /// </summary>
    public static string Emit(MethodModel method, IReadOnlyDictionary<string, string> customPullbacks, string? notSupportedReason, Activity? activity, GeneratorOptions options) =>
        Emit(method, customPullbacks, notSupportedReason, activity, options, out _);

    /// <summary>The file of <paramref name="method"/>, and what each loop of its forward sweep records per iteration.</summary>
    public static string Emit(MethodModel method, IReadOnlyDictionary<string, string> customPullbacks, string? notSupportedReason, Activity? activity, GeneratorOptions options, out List<LoopTapeCost> loopCosts)
    {
        loopCosts = new List<LoopTapeCost>();
        var w = new SourceWriter();
        FileHeader.Open(w, method.Type);
        SweepPlan? plan = notSupportedReason is null && activity is not null ? SweepPlanner.Build(method, activity, options) : null;
        Sweeps? sweeps = null;
        if (plan is not null)
        {
            sweeps = Sweeps.Build(plan, customPullbacks);
            loopCosts = TapeCost.OfLoops(sweeps.Forward);
            if (options.EmitPlan)
            {
                foreach (string line in PlanDump.Of(plan).TrimEnd('\n').Split('\n'))
                {
                    w.Line(line.Length == 0 ? "//" : "// " + line);
                }

                w.Line();
            }
        }

        EmitPublic(w, method, plan, sweeps, notSupportedReason ?? "The method could not be differentiated.");
        FileHeader.Close(w, method.Type);
        return w.ToString();
    }

    private static string Scalar(MethodModel method) => method.ReturnType.IsVoid ? "double" : method.ReturnType.Display;

    /// <summary>
    /// The Pullback's adjoint of the result: <c>dResult</c>, unless a parameter named <c>result</c> already took that
    /// name for its gradient.
    /// </summary>
    private static string ResultAdjointName(MethodModel method)
    {
        var taken = new HashSet<string>(method.Parameters.Select(p => p.Name).Concat(method.Parameters.Select(p => p.GradientName)));
        string name = "dResult";
        while (taken.Contains(name))
        {
            name = "_" + name;
        }

        return name;
    }

    private static string Static(MethodModel method) => method.IsStatic ? "static " : string.Empty;

    private static string GradientType(MethodModel method) => method.Type.FullName + ".Gradient";

    private static IEnumerable<ParameterModel> Differentiable(MethodModel method) => method.Parameters.Where(p => p.IsDifferentiable);

    private static string PrimalParameter(ParameterModel p, bool sweep) => p.Mode switch
    {
        RefMode.Ref => "ref ",
        RefMode.Out => sweep ? "ref " : "out ",
        _ => string.Empty,
    } + p.Type.Display + " " + p.Name;

    private static string PrimalArgument(ParameterModel p, bool sweep) => p.Mode switch
    {
        RefMode.Ref => "ref ",
        RefMode.Out => sweep ? "ref " : "out ",
        _ => string.Empty,
    } + p.Name;

    private static void EmitPublic(SourceWriter w, MethodModel method, SweepPlan? plan, Sweeps? sweeps, string notSupportedReason)
    {
        string returnType = method.ReturnType.Display;
        bool isVoid = method.ReturnType.IsVoid;
        string scalar = Scalar(method);
        List<ParameterModel> differentiable = Differentiable(method).ToList();
        string primalParameters = string.Join(", ", method.Parameters.Select(p => PrimalParameter(p, sweep: false)));
        string Join(params string[] parts) => string.Join(", ", parts.Where(part => part.Length > 0));

        // ---- MGradient: overwrites every gradient argument with ∂result/∂input.
        if (!isVoid)
        {
            IEnumerable<string> gradientParameters = differentiable.Select(p => p.Type.IsArray ? p.Type.AdjointDisplay + " " + p.GradientName : "out " + p.Type.Display + " " + p.GradientName);
            string modelGradient = method.IsStatic ? string.Empty : GradientType(method) + " gradient";
            w.Line("/// <summary>");
            w.Line("/// Returns <c>" + method.Name + "(…)</c> and overwrites each gradient argument with the derivative of the result with");
            w.Line("/// respect to the matching input" + (method.IsStatic ? "." : " (and <paramref name=\"gradient\"/> with the derivative with respect to every parameter field)."));
            w.Line("/// </summary>");
            w.Open(method.Accessibility + " " + Static(method) + returnType + " " + method.Name + "Gradient(" + Join(primalParameters, modelGradient, string.Join(", ", gradientParameters)) + ")");
            if (plan is null)
            {
                NotSupported(w, notSupportedReason);
            }
            else
            {
                EmitChecks(w, method);
                EmitRun(w, method, plan, dResult: method.ReturnType.Element == "float" ? "1f" : "1.0");
            }

            w.Close();
            w.Line();
        }

        // ---- MPullback: adds dResult·∂result/∂input into each adjoint argument.
        IEnumerable<string> pullbackParameters = differentiable.Select(p => p.Type.IsArray ? p.Type.AdjointDisplay + " " + p.GradientName : "ref " + p.Type.Display + " " + p.GradientName);
        string pullbackModel = method.IsStatic ? string.Empty : GradientType(method) + " gradient";
        w.Line("/// <summary>");
        if (isVoid)
        {
            w.Line("/// Runs <c>" + method.Name + "(…)</c> and pulls adjoints back through it: each adjoint argument holds on entry the adjoint");
            w.Line("/// of the final value of its input and on return the adjoint of its initial value; read-only inputs accumulate.");
        }
        else
        {
            w.Line("/// Runs <c>" + method.Name + "(…)</c> and ADDS <paramref name=\"dResult\"/>·∂result/∂input into each adjoint argument;");
            w.Line("/// inputs the method writes in place take the adjoint of their final value and return that of their initial value.");
        }

        if (!method.IsStatic)
        {
            w.Line("/// [State] fields are differentiated through inside the call; the state it leaves is read by nothing differentiated");
            w.Line("/// after it, so their adjoints start at zero and never carry over between calls (see the Gradient type).");
        }

        w.Line("/// </summary>");
        w.Open(method.Accessibility + " " + Static(method) + "void " + method.Name + "Pullback(" + Join(primalParameters, isVoid ? string.Empty : scalar + " " + ResultAdjointName(method), pullbackModel, string.Join(", ", pullbackParameters)) + ")");
        if (plan is null)
        {
            NotSupported(w, notSupportedReason);
        }
        else
        {
            EmitChecks(w, method);
            EmitRun(w, method, plan, dResult: ResultAdjointName(method), isPullback: true);
        }

        w.Close();
        w.Line();

        EmitSweeps(w, method, plan, sweeps, notSupportedReason);
    }

    private static void NotSupported(SourceWriter w, string reason)
    {
        w.Line("throw new global::System.NotSupportedException(\"" + reason.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\");");
    }

    /// <summary>
    /// Argument checks, before anything is written: the model's fields are set and the gradient has their shapes; array
    /// arguments and their rows are not null; every buffer has its input's shape; and no array is in two places where that
    /// would make a gradient wrong (see <c>AliasCheck</c>). Flat arrays of a static method are compared pairwise, with no
    /// allocation; jagged arrays and models register every array and row in the thread's reusable reference set.
    /// </summary>
    private static void EmitChecks(SourceWriter w, MethodModel method)
    {
        if (!method.IsStatic)
        {
            w.Line(Validate + ".NotNull(gradient, nameof(gradient));");
            w.Line("gradient.CheckShape(this, nameof(gradient));");
        }

        foreach (ParameterModel p in method.Parameters.Where(p => p.Type.IsArray && !p.Type.IsSpan && p.Mode == RefMode.None))
        {
            w.Line(Validate + ".NotNullDeep(" + p.Name + ", nameof(" + p.Name + "));");
        }

        var arrays = new List<(string Name, TypeRef Type, bool IsGradient)>();
        foreach (ParameterModel p in method.Parameters)
        {
            if (p.Type.IsFloatingArray)
            {
                arrays.Add((p.Name, p.Type, false));
            }
        }

        foreach (ParameterModel p in Differentiable(method))
        {
            if (p.Type.IsSpan)
            {
                w.Line(Validate + ".SameLength(" + p.GradientName + ".Length, nameof(" + p.GradientName + "), " + p.Name + ".Length, nameof(" + p.Name + "));");
                arrays.Add((p.GradientName, p.Type, true));
            }
            else if (p.Type.IsArray)
            {
                w.Line(Validate + ".SameShape(" + p.GradientName + ", nameof(" + p.GradientName + "), " + p.Name + ", nameof(" + p.Name + "));");
                arrays.Add((p.GradientName, p.Type, true));
            }
        }

        var differentiableArrays = new HashSet<string>(Differentiable(method).Where(p => p.Type.IsArray).Select(p => p.Name));
        bool modelHasArrays = !method.IsStatic && method.Type.Fields.Any(f => f.Role == FieldRole.Layer || f.Type.IsFloatingArray);
        bool useSet = modelHasArrays || arrays.Any(a => !a.Type.IsSpan && a.Type.Ranks.Count > 1);
        if (useSet)
        {
            w.Line("var _aliases = global::SourceDiff.CompilerServices.AliasCheck.Begin();");
            if (modelHasArrays)
            {
                w.Line("gradient.CheckAliasing(this, _aliases, _aliases.Place(global::SourceDiff.CompilerServices.AliasCheck.Arguments, \"this\"), _aliases.Place(global::SourceDiff.CompilerServices.AliasCheck.Arguments, \"gradient\"), nameof(gradient));");
            }

            foreach ((string name, TypeRef type, bool isGradient) in arrays.Where(a => !a.Type.IsSpan))
            {
                string role = isGradient ? "Buffer" : differentiableArrays.Contains(name) ? "Input" : "ReadOnly";
                w.Line("_aliases." + role + "(" + name + ", nameof(" + name + "));");
            }

            w.Line("_aliases.End();");
        }

        // Pairwise: two differentiable inputs, two buffers, or an input and a buffer being one array (spans always:
        // they can alias without being one object).
        for (int i = 0; i < arrays.Count; i++)
        {
            for (int j = i + 1; j < arrays.Count; j++)
            {
                bool bothInputs = !arrays[i].IsGradient && !arrays[j].IsGradient;
                if ((bothInputs && !(differentiableArrays.Contains(arrays[i].Name) && differentiableArrays.Contains(arrays[j].Name)))
                    || (useSet && !arrays[i].Type.IsSpan && !arrays[j].Type.IsSpan))
                {
                    continue;
                }

                string arguments = "(" + arrays[i].Name + ", nameof(" + arrays[i].Name + "), " + arrays[j].Name + ", nameof(" + arrays[j].Name + "));";
                if (arrays[i].Type.IsSpan || arrays[j].Type.IsSpan)
                {
                    // Spans can alias without being the same object: compare memory, between one-dimensional buffers of one element type.
                    if (arrays[i].Type.Element == arrays[j].Type.Element && arrays[i].Type.Ranks.Count == 1 && arrays[j].Type.Ranks.Count == 1
                        && arrays[i].Type.Ranks[0] == 1 && arrays[j].Type.Ranks[0] == 1 && !arrays[i].Type.IsMathNet && !arrays[j].Type.IsMathNet)
                    {
                        w.Line(Validate + ".NotOverlapping" + arguments);
                    }
                }
                else
                {
                    w.Line(Validate + ".NotAliased" + arguments);
                }
            }
        }

        // [NoDerivative] data must not be storage the method writes: it would change under the method with values that
        // depend on the parameters, while its derivative is dropped (the run-time twin of SD0012).
        var written = method.Parameters.Where(p => p.MayBeWritten && p.Type.IsFloatingArray).Select(p => (Text: p.Name, Name: "nameof(" + p.Name + ")"))
            .Concat(method.IsStatic ? Enumerable.Empty<(string Text, string Name)>() : method.Type.Fields
                .Where(f => f.Role != FieldRole.Layer && f.Type.IsFloatingArray && method.WrittenFields.Contains(f.Name))
                .Select(f => (Text: "this." + f.Name, Name: "\"this." + f.Name + "\"")))
            .ToList();
        foreach (ParameterModel data in method.Parameters.Where(p => p.Type.IsFloatingArray && !p.Type.IsSpan && !p.IsDifferentiable && p.Mode == RefMode.None))
        {
            foreach ((string text, string name) in written.Where(target => target.Text != data.Name))
            {
                w.Line(Validate + ".NotWrittenThrough(" + data.Name + ", nameof(" + data.Name + "), " + text + ", " + name + ");");
            }
        }
    }

    /// <summary>
    /// The run of a gradient call: forward sweep, then the gradient arguments are overwritten (MGradient) or the [State]
    /// adjoints zeroed (MPullback), then the reverse sweep, after which — in a <c>finally</c>, so also when the reverse
    /// sweep throws — the model and the inputs get back what the primal left. An exception in the forward sweep leaves
    /// the gradient arguments untouched and the model where the primal would be when it threw.
    /// </summary>
    private static void EmitRun(SourceWriter w, MethodModel method, SweepPlan plan, string dResult, bool isPullback = false)
    {
        bool isVoid = method.ReturnType.IsVoid;
        List<ParameterModel> differentiable = Differentiable(method).ToList();
        foreach (ParameterModel p in method.Parameters.Where(p => p.Mode == RefMode.Out))
        {
            w.Line(p.Name + " = default;");
        }

        foreach (RestoredField restored in plan.RestoredFields.Where(f => f.Reassignable))
        {
            w.Line("var _start_" + restored.Field.Name + " = this." + restored.Field.Name + ";");
        }

        w.Line("var " + GeneratedNames.Tape + " = " + TapeType + ".Rent();");
        w.Open("try");
        var forwardArguments = method.Parameters.Select(p => PrimalArgument(p, sweep: true)).ToList();
        forwardArguments.Add(GeneratedNames.Tape);
        if (!method.IsStatic)
        {
            forwardArguments.Add("gradient");
        }

        forwardArguments.AddRange(differentiable.Where(p => p.Type.IsArray).Select(p => p.GradientName));
        string forward = GeneratedNames.ForwardName(method.Name) + "(" + string.Join(", ", forwardArguments) + ");";
        w.Line(isVoid || isPullback ? forward : "var _result = " + forward);

        // The forward sweep only passes adjoint buffers on; they are first written from here.
        if (isPullback)
        {
            if (!method.IsStatic)
            {
                // A public call is a whole computation: what a previous call left in the [State] adjoint slots is not the
                // adjoint of this call's final state (which nothing differentiated reads), so it must not leak in.
                w.Line("gradient.ClearState();");
            }
        }
        else
        {
            foreach (ParameterModel p in differentiable)
            {
                w.Line(p.Type.IsSpan ? p.GradientName + ".Clear();" : p.Type.IsArray ? Buffers + ".Clear(" + p.GradientName + ");" : p.GradientName + " = 0;");
            }

            if (!method.IsStatic)
            {
                w.Line("gradient.Clear();");
            }
        }

        List<string> restoreFinal = SaveFinalState(w, plan);

        var reverseArguments = method.Parameters.Select(p => PrimalArgument(p, sweep: true)).ToList();
        reverseArguments.Add(GeneratedNames.Tape);
        if (!isVoid)
        {
            reverseArguments.Add(dResult);
        }

        if (!method.IsStatic)
        {
            reverseArguments.Add("gradient");
        }

        reverseArguments.AddRange(differentiable.Select(p => p.Type.IsArray ? p.GradientName : "ref " + p.GradientName));
        string reverse = GeneratedNames.ReverseName(method.Name) + "(" + string.Join(", ", reverseArguments) + ");";
        if (restoreFinal.Count == 0)
        {
            w.Line(reverse);
        }
        else
        {
            w.Open("try");
            w.Line(reverse);
            w.Close();
            w.Open("finally");
            w.Line("// The reverse sweep puts back what the forward sweep overwrote; the caller sees what the primal leaves, even if it throws.");
            foreach (string line in restoreFinal)
            {
                w.Line(line);
            }

            w.Close();
        }

        if (!isVoid && !isPullback)
        {
            w.Line("return _result;");
        }

        w.Close();
        w.Open("finally");
        w.Line(GeneratedNames.Tape + ".Return();");
        w.Close();
    }

    /// <summary>
    /// The reverse sweep restores everything it overwrote, back to the inputs; the caller must see the primal's
    /// effects instead. Saves what the plan says the caller must get back after the forward sweep, and returns the
    /// statements that put it back.
    /// </summary>
    private static List<string> SaveFinalState(SourceWriter w, SweepPlan plan)
    {
        var restore = new List<string>();
        foreach ((FieldModel field, bool reassignable) in plan.RestoredFields)
        {
            string saved = "_final_" + field.Name;
            if (reassignable)
            {
                // The reverse sweep points the field back at the array it started with: the caller must see the
                // array the primal leaves there (a swap of buffers), holding what the primal left in it, and the
                // array it started with (if another now) holding what the primal left in that one.
                string end = "_end_" + field.Name, start = "_start_" + field.Name;
                w.Line("var " + end + " = this." + field.Name + ";");
                w.Line(GradientTypeEmitter.SnapshotType(field) + " _finalStart_" + field.Name + " = global::System.Object.ReferenceEquals(" + start + ", " + end + ") ? null : " + GeneratedNames.Tape + ".CopyOf(" + start + ");");
                restore.Add("this." + field.Name + " = " + end + ";");
                restore.Add("if (_finalStart_" + field.Name + " is not null) " + Buffers + ".CopyInto(_finalStart_" + field.Name + ", " + start + ");");
            }

            w.Line(GradientTypeEmitter.SnapshotType(field) + " " + saved + " = " + GradientTypeEmitter.Capture(field, GradientTypeEmitter.WritableSnapshot, GeneratedNames.Tape) + ";");
            if (GradientTypeEmitter.Restore(field, saved, GradientTypeEmitter.WritableSnapshot) is { } line)
            {
                restore.Add(line);
            }
        }

        foreach ((ParameterModel p, ArgumentRestore how) in plan.RestoredArguments)
        {
            string saved = "_final" + p.GradientName.Substring(1);
            switch (how)
            {
                case ArgumentRestore.Value:
                    // The caller gets this array itself back, so it is a copy of its own, not one the tape reuses.
                    w.Line("var " + saved + " = " + (p.Type.IsArray ? Buffers + ".Copy(" + p.Name + ")" : p.Name) + ";");
                    restore.Add(p.Name + " = " + saved + ";");
                    break;
                case ArgumentRestore.SpanContents:
                    w.Line("var " + saved + " = " + p.Name + ".ToArray();");
                    restore.Add("global::System.MemoryExtensions.AsSpan(" + saved + ").CopyTo(" + p.Name + ");");
                    break;
                case ArgumentRestore.ArrayContents:
                    w.Line("var " + saved + " = " + GeneratedNames.Tape + ".CopyOf(" + p.Name + ");");
                    restore.Add(Buffers + ".CopyInto(" + saved + ", " + p.Name + ");");
                    break;
            }
        }

        return restore;
    }
}
