using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>
/// Renders a <see cref="ModelSpec"/> as C#: the model <c>Q{id}</c>, and as needed its base class <c>Q{id}Base</c>, its
/// layer type <c>Q{id}Layer</c> and <c>Q{id}Ops</c> (a function with a <c>[DerivativeOf]</c> pullback; both tick
/// <see cref="PullbackFault"/>). There is no reference twin: models are double precision and have no
/// <c>Grad.Stop</c>, so finite differences are taken on the primal <c>Loss</c> of fresh instances.
/// </summary>
public static class ModelPrinter
{
    public static string ClassName(int id) => "Q" + id;

    public static string Print(ModelSpec model, int id)
    {
        string name = ClassName(id);
        var writer = new StringBuilder();
        writer.AppendLine("using System;");
        writer.AppendLine("using SourceDiff;");
        writer.AppendLine();
        writer.AppendLine("namespace " + ProgramPrinter.Namespace + ";");
        writer.AppendLine();
        if (model.CustomDerivative)
        {
            writer.AppendLine($$"""
                public static class {{name}}Ops
                {
                    public static double Act(double z)
                    {
                        global::{{typeof(PullbackFault).FullName}}.TickForward();
                        return Math.Tanh(z);
                    }

                    [DerivativeOf(typeof({{name}}Ops), nameof(Act))]
                    public static void ActPullback(double z, double dResult, ref double dZ)
                    {
                        global::{{typeof(PullbackFault).FullName}}.Tick();
                        double t = Math.Tanh(z);
                        dZ += dResult * (1.0 - t * t);
                    }
                }

                """);
        }

        if (model.HasBase)
        {
            writer.AppendLine($"public class {name}Base");
            writer.AppendLine("{");
            Fields(writer, model, inherited: true);
            writer.AppendLine("}");
            writer.AppendLine();
        }

        if (model.Layer is { } layer)
        {
            writer.AppendLine($$"""
                public partial class {{name}}Layer
                {
                    public double[] V;
                    public double C;

                    // Every Apply moves it: a layer's own state, which a gradient call must leave as the primal does.
                    [State] public double S;

                    public {{name}}Layer(double[] v, double c)
                    {
                        V = v;
                        C = c;
                    }

                    [Differentiable]
                    public void Step(double[] x, double[] h)
                """);
            var step = new CodePrinter(writer, single: false, reference: false, rows: false, indent: 1) { Length = "h.Length", OpsClass = name + "Ops" };
            step.Block(layer.StepBody);
            writer.AppendLine();
            writer.AppendLine("    [Differentiable]");
            writer.AppendLine("    public double Apply(double[] x)");
            var apply = new CodePrinter(writer, single: false, reference: false, rows: false, indent: 1) { Length = "x.Length", OpsClass = name + "Ops" };
            apply.Block(layer.ApplyBody.AddRange(
                new Declare("applied", layer.ApplyResult),
                new Assign("S", "", new Bin('+', new Bin('*', new Num(0.5), new Ref("S")), new Fn(FnKind.Tanh, new Ref("applied")))),
                new Return(new Bin('+', new Ref("applied"), new Bin('*', new Num(0.25), new Ref("S"))))));
            writer.AppendLine("}");
            writer.AppendLine();
        }

        writer.AppendLine($"public partial class {name}{(model.HasBase ? " : " + name + "Base" : "")}");
        writer.AppendLine("{");
        Fields(writer, model, inherited: false);
        if (model.Out is { } output)
        {
            writer.AppendLine(model.OutHolder switch
            {
                LayerHolder.ReadonlyField => $"    public readonly {name}Layer Out = {NewLayer(name, output)};",
                LayerHolder.GetOnlyProperty => $"    public {name}Layer Out {{ get; }} = {NewLayer(name, output)};",
                _ => $"    public {name}Layer Out = {NewLayer(name, output)};",
            });
        }

        if (!model.Layers.IsEmpty)
        {
            writer.AppendLine($"    public {name}Layer[] Layers = {{ {string.Join(", ", model.Layers.Select(l => NewLayer(name, l)))} }};");
            writer.AppendLine($"    [State] public double[][] Hs = {{ {string.Join(", ", model.Layers.Select(_ => $"new double[{model.Dimension}]"))} }};");
        }

        writer.AppendLine();
        writer.AppendLine("    [Differentiable]");
        writer.AppendLine("    public double Step([NoDerivative] double[] x, int k)");
        var body = new CodePrinter(writer, single: false, reference: false, rows: false, indent: 1) { Length = "x.Length", OpsClass = name + "Ops" };
        body.Block(model.StepBody.Add(new Return(model.StepResult)));
        writer.AppendLine();
        if (model.ResetIn != ResetPlace.Inline)
        {
            writer.AppendLine(model.ResetIn == ResetPlace.DifferentiableHelper ? "    [Differentiable]" : "    // Not differentiable: writing the state here is SD0001 at the loss's call.");
            writer.AppendLine("    public void ResetState()");
            writer.AppendLine("    {");
            new CodePrinter(writer, single: false, reference: false, rows: false, indent: 2) { Length = "x.Length", OpsClass = name + "Ops" }.Statements(model.LossReset);
            writer.AppendLine("    }");
            writer.AppendLine();
        }

        Loss(writer, model, name, "Loss", "[Differentiable]");
        if (Checkpointable(model))
        {
            // The same loss, its loops checkpointed: its gradient must be Loss's bit for bit (ModelOracle).
            writer.AppendLine();
            Loss(writer, model, name, CheckpointedLoss, model.CheckpointSnapshots == 0
                ? "[Differentiable, Checkpoint]"
                : FormattableString.Invariant($"[Differentiable, Checkpoint(Snapshots = {model.CheckpointSnapshots})]"));
        }

        writer.AppendLine("}");
        writer.AppendLine("// data: xs = " + Rows(model.Xs) + (model.ThrowAt > 0 ? FormattableString.Invariant($"; Act's pullback throws at {model.ThrowAt:P0} of its calls") : ""));
        return writer.ToString();
    }

    /// <summary>The name of the loss's <c>[Checkpoint]</c> twin, whose gradient must equal <c>LossGradient</c>'s bit for bit.</summary>
    public const string CheckpointedLoss = "Loss_Checkpointed";

    /// <summary>
    /// Whether the model gets the twin <see cref="CheckpointedLoss"/>: every loop of the loss not nested in another must
    /// be a counted for loop, with no break, continue or return inside, that points no array variable at another array
    /// (else SD0014). The loop over the steps is one (its bound <c>xs.Length</c> is a parameter's; its body declares
    /// <c>e</c>, adds to <c>loss</c> and calls Step); so is every loop of the reset as long as it only zeroes fields and
    /// elements (<c>for (int j = 0; j &lt; S0.Length; j++) S0[j] = 0;</c>, and Hs row by row), which is checked here.
    /// </summary>
    public static bool Checkpointable(ModelSpec model)
    {
        static bool Zeroing(Stmt statement) => statement switch
        {
            Assign { Op: "" } => true,
            AssignElement { Op: "" } => true,
            For loop => loop.Body.All(Zeroing),
            _ => false,
        };

        return model.LossReset.All(Zeroing);
    }

    private static void Loss(StringBuilder writer, ModelSpec model, string name, string method, string attributes)
    {
        writer.AppendLine("    " + attributes);
        writer.AppendLine($"    public double {method}([NoDerivative] double[][] xs)");
        writer.AppendLine("    {");
        var loss = new CodePrinter(writer, single: false, reference: false, rows: false, indent: 2) { Length = "x.Length", OpsClass = name + "Ops" };
        if (model.ResetIn == ResetPlace.Inline)
        {
            loss.Statements(model.LossReset);
        }
        else
        {
            writer.AppendLine("        ResetState();");
        }

        string stateFirst = model.StateReadBeforeStep is { } read ? "0.5 * " + loss.E(read) + " + " : "";
        writer.AppendLine($$"""
                    double loss = 0.0;
                    for (int t = 0; t < xs.Length; t++)
                    {
                        double e = {{stateFirst}}Step(xs[t], t) - (0.25 * t - 0.5);
                        loss += e * e;
                    }

                    return loss;
                }
            """);
    }

    private static void Fields(StringBuilder writer, ModelSpec model, bool inherited)
    {
        foreach (FieldSpec field in model.Fields.Where(f => f.Inherited == inherited))
        {
            string modifiers = (field.State ? "[State] " : "") + "public " + (field.Readonly ? "readonly " : "");
            string value = field.Shape switch
            {
                FieldShape.Scalar => L(field.Values[0]),
                FieldShape.Vector => "{ " + string.Join(", ", field.Values.Select(L)) + " }",
                _ => "{ " + string.Join(", ", Enumerable.Range(0, model.Dimension)
                    .Select(i => "{ " + string.Join(", ", field.Values.Skip(i * model.Dimension).Take(model.Dimension).Select(L)) + " }")) + " }",
            };
            string type = field.Shape switch { FieldShape.Scalar => "double", FieldShape.Vector => "double[]", _ => "double[,]" };
            writer.AppendLine($"    {modifiers}{type} {field.Name} = {value};");
        }
    }

    private static string NewLayer(string name, LayerValues layer) =>
        $"new {name}Layer(new double[] {{ {string.Join(", ", layer.V.Select(L))} }}, {L(layer.C)})";

    private static string Rows(ImmutableArray<ImmutableArray<double>> rows) =>
        "{ " + string.Join(", ", rows.Select(r => "{ " + string.Join(", ", r.Select(L)) + " }")) + " }";

    private static string L(double value) => ProgramPrinter.Literal(value, single: false);
}
