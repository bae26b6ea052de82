using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CsCheck;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>
/// What the model generator may produce beyond its base (issue 8), one flag per class of bugs so each can be run on
/// its own (ModelPropertyTests, or <c>SOURCEDIFF_MODEL_FEATURES</c>). The base: parameter fields (<c>double</c>,
/// <c>double[]</c>, <c>double[,]</c>), <c>[State]</c> fields (scalar and array) overwritten by Step, a layer field
/// <c>Out</c>, an array of layers <c>Layers</c> indexed by a loop variable writing a <c>[State] double[][] Hs</c>, and
/// a custom-derivative function (a <c>[DerivativeOf]</c> pullback).
/// </summary>
[Flags]
public enum ModelFeatures
{
    None = 0,

    /// <summary>
    /// <c>Layers[l].Step(l == 0 ? x : Hs[l - 1], Hs[l])</c> (else an if/else), and the program generator's array
    /// <c>?:</c> in the bodies of Step and of the layer's methods.
    /// </summary>
    ArrayConditionals = 1,

    /// <summary>
    /// <c>readonly</c> fields: <c>public readonly double R0 = …;</c> (a constant) and <c>public readonly double[] RW0 = …;</c>
    /// (a parameter, or <c>double[,]</c>).
    /// </summary>
    ReadonlyFields = 2,

    /// <summary>Parameter and <c>[State]</c> fields declared in a base class <c>Q{id}Base</c>.</summary>
    InheritedFields = 4,

    /// <summary>
    /// The custom derivative's pullback throws at a chosen call of a gradient call's reverse sweep; afterwards the
    /// model's fields must equal what the primal leaves, and the model must still give correct gradients. Its primal
    /// function also throws at a chosen call, in the forward sweep: the object must then be where the primal is when
    /// it throws there, and the gradient argument untouched.
    /// </summary>
    ThrowingPullbacks = 8,

    All = ArrayConditionals | ReadonlyFields | InheritedFields | ThrowingPullbacks,
}

/// <summary>
/// A CsCheck generator of random models (see ModelModel.cs). Field values and data are small round numbers, so a
/// shrunk model reads well; Step's body comes from the program generator's <see cref="MethodGenerator"/> over a scope
/// of the model's fields (parameters read-only, <c>[State]</c> fields writable), plus statements that make sure every
/// kind of field is used: the layer loop first, a recurrence for every state field last, and a read of every
/// readonly, inherited and state field (and most parameters) in the result.
/// </summary>
public sealed class ModelGenerator(ModelFeatures features = ModelFeatures.None) : Gen<ModelSpec>
{
    public static ModelGenerator Instance { get; } = new();

    public ModelFeatures Features => features;

    private bool Has(ModelFeatures feature) => (features & feature) != 0;

    public override ModelSpec Generate(PCG pcg, Size? min, out Size size)
    {
        var random = new Rng(pcg);
        int n = random.Int(2, 3);
        int steps = random.Int(2, 3);
        var fields = ImmutableArray.CreateBuilder<FieldSpec>();

        ImmutableArray<double> Values(int count, bool zero = false)
        {
            var values = ImmutableArray.CreateBuilder<double>(count);
            for (int i = 0; i < count; i++)
            {
                values.Add(zero ? 0.0 : Math.Round(random.Double(-1, 1), 2));
            }

            return values.MoveToImmutable();
        }

        int Count(FieldShape shape) => shape switch { FieldShape.Scalar => 1, FieldShape.Vector => n, _ => n * n };

        void Add(string name, FieldShape shape, bool state = false, bool isReadonly = false, bool inherited = false) =>
            fields.Add(new FieldSpec(name, shape, state, isReadonly, inherited, Values(Count(shape), zero: state && random.Chance(0.5))));

        int scalars = random.Int(1, 2), vectors = random.Int(0, 2), matrices = random.Pick(0, 0, 1);
        for (int i = 0; i < scalars; i++)
        {
            Add("A" + i, FieldShape.Scalar);
        }

        for (int i = 0; i < vectors; i++)
        {
            Add("W" + i, FieldShape.Vector);
        }

        for (int i = 0; i < matrices; i++)
        {
            Add("M" + i, FieldShape.Matrix);
        }

        bool throwing = Has(ModelFeatures.ThrowingPullbacks);
        bool stateScalar = random.Chance(0.7);
        bool stateVector = random.Chance(0.6);
        if (throwing && !stateScalar && !stateVector)
        {
            stateScalar = true; // what an exception mid-sweep can leave half restored
        }

        if (stateScalar)
        {
            Add("H0", FieldShape.Scalar, state: true);
        }

        if (stateVector)
        {
            Add("S0", FieldShape.Vector, state: true);
        }

        bool inherit = Has(ModelFeatures.InheritedFields);
        if (Has(ModelFeatures.ReadonlyFields))
        {
            int which = random.Int(1, 3); // bit 0: a scalar, bit 1: a vector
            if ((which & 1) != 0)
            {
                Add("R0", FieldShape.Scalar, isReadonly: true, inherited: inherit && random.Chance(0.3));
            }

            if ((which & 2) != 0)
            {
                Add("RW0", random.Chance(0.8) ? FieldShape.Vector : FieldShape.Matrix, isReadonly: true, inherited: inherit && random.Chance(0.3));
            }
        }

        if (inherit)
        {
            int which = random.Int(1, 7); // bit 0: a parameter scalar, bit 1: a parameter vector, bit 2: a state scalar
            if ((which & 1) != 0)
            {
                Add("B0", FieldShape.Scalar, inherited: true);
            }

            if ((which & 2) != 0)
            {
                Add("BW0", FieldShape.Vector, inherited: true);
            }

            if ((which & 4) != 0)
            {
                Add("BH0", FieldShape.Scalar, state: true, inherited: true);
            }
        }

        bool hasOut = random.Chance(0.4);
        bool hasLayers = random.Chance(0.5);
        bool custom = throwing || random.Chance(0.3);
        ProgramFeatures bodyFeatures = Has(ModelFeatures.ArrayConditionals) ? ProgramFeatures.ArrayConditionals : ProgramFeatures.None;
        int nodes = fields.Count;

        LayerSpec? layer = null;
        LayerValues? output = null;
        var layers = ImmutableArray.CreateBuilder<LayerValues>();
        if (hasOut || hasLayers)
        {
            layer = Layer(random, bodyFeatures, ref nodes);
            if (hasOut)
            {
                output = new LayerValues(Values(n), Math.Round(random.Double(-1, 1), 2));
            }

            if (hasLayers)
            {
                for (int l = 0; l < 2; l++)
                {
                    layers.Add(new LayerValues(Values(n), Math.Round(random.Double(-1, 1), 2)));
                }
            }
        }

        var draft = new Draft(fields.ToImmutable(), hasOut, hasLayers ? 2 : 0, custom);
        (ImmutableArray<Stmt> stepBody, Expr stepResult) = Step(random, draft, bodyFeatures, ref nodes);

        var reset = ImmutableArray.CreateBuilder<Stmt>();
        foreach (FieldSpec state in draft.Fields.Where(f => f.State))
        {
            if (random.Chance(0.5))
            {
                reset.Add(state.Shape == FieldShape.Scalar
                    ? new Assign(state.Name, "", new Num(0))
                    : new For("j", state.Name + ".Length", ImmutableArray.Create<Stmt>(new AssignElement(state.Name, "j", "", new Num(0)))));
            }
        }

        if (hasLayers && random.Chance(0.5))
        {
            reset.Add(new For("l", "Hs.Length", ImmutableArray.Create<Stmt>(
                new For("j", "Hs[l].Length", ImmutableArray.Create<Stmt>(new AssignElement("Hs[l]", "j", "", new Num(0)))))));
        }

        // double e = 0.5 * H + Step(xs[t], t) - …: C# reads the state before the call that overwrites it.
        FieldSpec[] states = draft.Fields.Where(f => f.State).ToArray();
        Expr? readBeforeStep = null;
        if (states.Length > 0 && random.Chance(0.3))
        {
            FieldSpec read = random.Pick(states);
            readBeforeStep = read.Shape switch
            {
                FieldShape.Scalar => new Ref(read.Name),
                FieldShape.Vector => new Index(read.Name, "t % " + read.Name + ".Length"),
                _ => new Index(read.Name, "0, t % " + n),
            };
        }

        double throwAt = throwing ? Math.Max(0.01, Math.Round(random.Double(0, 1), 2)) : 0;
        var xs = ImmutableArray.CreateBuilder<ImmutableArray<double>>(steps);
        for (int t = 0; t < steps; t++)
        {
            xs.Add(Values(n));
        }

        size = new Size((ulong)nodes);
        LayerHolder holder = hasOut ? random.Pick(LayerHolder.Field, LayerHolder.Field, LayerHolder.ReadonlyField, LayerHolder.GetOnlyProperty) : LayerHolder.Field;

        // Drawn last, so that every earlier draw (and so every model of a seed) is what it was before twins existed.
        int snapshots = random.Int(0, 3);
        ResetPlace resetIn = reset.Count == 0 ? ResetPlace.Inline : random.Pick(ResetPlace.Inline, ResetPlace.Inline, ResetPlace.Inline, ResetPlace.DifferentiableHelper, ResetPlace.DifferentiableHelper, ResetPlace.PlainHelper);
        return new ModelSpec(n, draft.Fields, layer, output, layers.ToImmutable(), custom, stepBody, stepResult, reset.ToImmutable(), throwAt, xs.MoveToImmutable(), readBeforeStep, holder, snapshots, resetIn);
    }

    /// <summary>What Step's hooks need to know of the model.</summary>
    private sealed record Draft(ImmutableArray<FieldSpec> Fields, bool HasOut, int LayerCount, bool CustomDerivative);

    private static LayerSpec Layer(Rng random, ProgramFeatures features, ref int nodes)
    {
        // void Step(double[] x, double[] h): h[j] = tanh(V[j] * x[j] + C * h[j]) for every j, then a few random statements.
        var stepStart = new Scope(
            ImmutableList<string>.Empty, ImmutableList.Create("C"), ImmutableList.Create("x", "h", "V"), ImmutableList<string>.Empty,
            ImmutableList<string>.Empty, ImmutableList<string>.Empty, 0) { Writable = ImmutableList.Create("h") };
        var step = new MethodGenerator(random, new MethodContext(
            0, false, stepStart, "h.Length", features, ImmutableArray<MethodSpec>.Empty, Array.Empty<int>(),
            ImmutableArray<FillerSpec>.Empty, Array.Empty<int>(), IsVoid: true, AllowStop: false));
        Scope scope = stepStart;
        Stmt first = new For("j", "h.Length", ImmutableArray.Create<Stmt>(new AssignElement("h", "j", "", new Fn(FnKind.Tanh,
            new Bin('+', new Bin('*', new Index("V", "j"), new Index("x", "j")), new Bin('*', new Ref("C"), new Index("h", "j")))))));
        (ImmutableArray<Stmt> stepBody, _) = step.GenerateBody(random.Int(0, 12), random.Pick(0, 1, 2), ref scope, result: false);

        var applyStart = new Scope(
            ImmutableList<string>.Empty, ImmutableList.Create("C"), ImmutableList.Create("x", "V"), ImmutableList<string>.Empty,
            ImmutableList<string>.Empty, ImmutableList<string>.Empty, 0);
        var apply = new MethodGenerator(random, new MethodContext(
            0, false, applyStart, "x.Length", features, ImmutableArray<MethodSpec>.Empty, Array.Empty<int>(),
            ImmutableArray<FillerSpec>.Empty, Array.Empty<int>(), AllowStop: false));
        scope = applyStart;
        (ImmutableArray<Stmt> applyBody, Expr applyResult) = apply.GenerateBody(random.Int(3, 14), random.Pick(0, 1, 2), ref scope, result: true);
        nodes += 6 + step.Nodes + apply.Nodes;
        return new LayerSpec(stepBody.Insert(0, first), applyBody, applyResult);
    }

    private (ImmutableArray<Stmt> Body, Expr Result) Step(Rng random, Draft draft, ProgramFeatures bodyFeatures, ref int nodes)
    {
        ImmutableArray<FieldSpec> fields = draft.Fields;
        ImmutableList<string> Names(Func<FieldSpec, bool> where) => fields.Where(where).Select(f => f.Name).ToImmutableList();
        ImmutableList<string> rows = Enumerable.Range(0, draft.LayerCount).Select(l => $"Hs[{l}]").ToImmutableList();
        ImmutableList<string> stateArrays = Names(f => f.State && f.Shape == FieldShape.Vector).AddRange(rows);
        var start = new Scope(
            Names(f => f.State && f.Shape == FieldShape.Scalar),
            Names(f => !f.State && f.Shape == FieldShape.Scalar),
            ImmutableList.Create("x").AddRange(Names(f => !f.State && f.Shape == FieldShape.Vector)).AddRange(stateArrays),
            ImmutableList<string>.Empty, ImmutableList<string>.Empty, ImmutableList.Create("k"), 0)
        {
            Writable = stateArrays,
            Matrices = Names(f => !f.State && f.Shape == FieldShape.Matrix),
        };
        var generator = new MethodGenerator(random, new MethodContext(
            0, false, start, "x.Length", bodyFeatures, ImmutableArray<MethodSpec>.Empty, Array.Empty<int>(),
            ImmutableArray<FillerSpec>.Empty, Array.Empty<int>(), AllowStop: false, Hooks: new ModelHooks(draft)));
        Scope scope = start;
        var body = ImmutableArray.CreateBuilder<Stmt>();

        if (draft.LayerCount > 0)
        {
            // for (int l = 0; l < Layers.Length; l++) Layers[l].Step(l == 0 ? x : Hs[l - 1], Hs[l]);
            // The layer is also named by a local (var layer = Layers[l]; layer.Step(…)), bound where the index is l.
            bool throughLocal = random.Chance(0.4);
            var first = new Condition(null, "", null, "l == 0");
            Stmt Call(ArrayExpr input) => new InvokeStatement(new Invoke(throughLocal ? "layer.Step" : "Layers[l].Step", false, ImmutableArray.Create<Expr>(input, new ArrayName("Hs[l]"))));
            ImmutableArray<Stmt> loop = Has(ModelFeatures.ArrayConditionals)
                ? ImmutableArray.Create(Call(new ArrayConditional(first, new ArrayName("x"), new ArrayName("Hs[l - 1]"))))
                : ImmutableArray.Create<Stmt>(new IfElse(first,
                    ImmutableArray.Create(Call(new ArrayName("x"))), ImmutableArray.Create(Call(new ArrayName("Hs[l - 1]")))));
            if (throughLocal)
            {
                loop = loop.Insert(0, new RawStatement("var layer = Layers[l];"));
            }

            body.Add(new For("l", "Layers.Length", loop));
        }

        generator.AddBudget(random.Int(2, 30));
        body.AddRange(generator.Block(ref scope, random.Int(1, 5)));

        // Every state field is overwritten from its old value: H = f(e + 0.5 * H), S[j] = f(e + 0.5 * S[j]).
        bool act = draft.CustomDerivative;
        Expr Squash(Expr e)
        {
            if (act)
            {
                act = random.Chance(0.5);
                return new Invoke("{Ops}.Act", false, ImmutableArray.Create(e));
            }

            return new Fn(FnKind.Tanh, e);
        }

        foreach (FieldSpec state in fields.Where(f => f.State))
        {
            generator.AddBudget(random.Int(1, 6));
            if (state.Shape == FieldShape.Scalar)
            {
                body.Add(new Assign(state.Name, "", Squash(new Bin('+', generator.Expression(scope, 1), new Bin('*', new Num(0.5), new Ref(state.Name))))));
            }
            else
            {
                string j = generator.Fresh("j");
                Scope inner = scope with { IndexVars = scope.IndexVars.Add(j), LoopDepth = scope.LoopDepth + 1 };
                Expr value = Squash(new Bin('+', generator.Expression(inner, 1), new Bin('*', new Num(0.5), new Index(state.Name, j))));
                body.Add(new For(j, state.Name + ".Length", ImmutableArray.Create<Stmt>(new AssignElement(state.Name, j, "", value))));
            }
        }

        generator.AddBudget(random.Int(2, 12));
        Expr result = generator.Expression(scope, 0);
        if (act)
        {
            result = new Invoke("{Ops}.Act", false, ImmutableArray.Create(result));
        }

        // A read of every readonly, inherited and state field, most parameters, and the last layer's output.
        foreach (FieldSpec field in fields)
        {
            if (field.State || field.Readonly || field.Inherited || random.Chance(0.5))
            {
                Expr read = field.Shape switch
                {
                    FieldShape.Scalar => new Ref(field.Name),
                    FieldShape.Vector => new Index(field.Name, "k % x.Length"),
                    _ => new Index(field.Name, "k % x.Length, (k + 1) % x.Length"),
                };
                result = new Bin('+', result, new Bin('*', new Num(random.Pick(0.5, -0.75, 1.5)), read));
            }
        }

        if (draft.LayerCount > 0)
        {
            result = new Bin('+', result, new Index($"Hs[{draft.LayerCount - 1}]", "k % x.Length"));
        }

        if (draft.HasOut && random.Chance(0.7))
        {
            result = new Bin('+', result, new Invoke("Out.Apply", false, ImmutableArray.Create<Expr>(new ArrayName(random.Pick(scope.Arrays)))));
        }

        nodes += generator.Nodes + body.Count + 4;
        return (body.ToImmutable(), result);
    }

    /// <summary>Calls of the layers' methods and of the custom derivative inside Step.</summary>
    private sealed class ModelHooks(Draft draft) : IMethodHooks
    {
        private bool HasLayer => draft.HasOut || draft.LayerCount > 0;

        public int CallWeight(Scope scope) => (HasLayer ? 6 : 0) + (draft.CustomDerivative ? 4 : 0);

        public Expr Call(MethodGenerator generator, Scope scope, int depth)
        {
            // Which one is drawn through the generator's own Rng, by asking it for an index among the options.
            var options = new List<string>();
            if (draft.HasOut)
            {
                options.Add("Out.Apply");
            }

            for (int l = 0; l < draft.LayerCount; l++)
            {
                options.Add($"Layers[{l}].Apply");
            }

            if (draft.LayerCount > 0)
            {
                options.Add("Layers[k % Layers.Length].Apply");
            }

            if (draft.CustomDerivative)
            {
                options.Add("{Ops}.Act");
                options.Add("{Ops}.Act");
            }

            string callee = generator.Choose(options);
            return callee == "{Ops}.Act"
                ? new Invoke(callee, false, ImmutableArray.Create(generator.Expression(scope, depth)))
                : new Invoke(callee, false, ImmutableArray.Create<Expr>(generator.ArraySource(scope, writable: false, 1)));
        }

        public int StatementWeight(Scope scope) => draft.HasOut && !scope.Writable.IsEmpty ? 4 : 0;

        public Stmt Statement(MethodGenerator generator, ref Scope scope)
        {
            // Out.Step(input, state): input and output are different arrays, both plain names.
            Scope here = scope;
            string output = generator.Choose(here.Writable.Where(a => !here.Aliases.Contains(a)).DefaultIfEmpty(here.Writable[0]).ToList());
            string input = generator.Choose(here.Arrays.Where(a => a != output && !here.Aliases.Contains(a)).ToList());
            return new InvokeStatement(new Invoke("Out.Step", false, ImmutableArray.Create<Expr>(new ArrayName(input), new ArrayName(output))));
        }
    }

    /// <summary>Parses a feature list such as <c>ReadonlyFields,Inherited</c> (names or unique prefixes, case-insensitive; <c>All</c>).</summary>
    public static ModelFeatures ParseFeatures(string? text)
    {
        var result = ModelFeatures.None;
        foreach (string part in (text ?? "").Split(',', ';', '|', ' ').Where(p => p.Length > 0))
        {
            ModelFeatures[] matches = Enum.GetValues<ModelFeatures>()
                .Where(f => f.ToString().StartsWith(part, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (matches.Length != 1)
            {
                throw new ArgumentException($"'{part}' names no single model feature ({string.Join(", ", Enum.GetNames<ModelFeatures>())})");
            }

            result |= matches[0];
        }

        return result;
    }
}
