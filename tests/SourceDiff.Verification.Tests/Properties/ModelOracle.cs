using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Reflection;
using SourceDiff.Verification.Tests.Programs;

namespace SourceDiff.Verification.Tests.Properties;

/// <summary>
/// Checks a random model's generated <c>LossGradient(xs, new Q.Gradient(model))</c> against central finite
/// differences of <c>Loss</c> over every parameter (every entry of every parameter field, of the base class's and of
/// the layers' too), and the model's contract around it:
/// <list type="bullet">
/// <item>the gradient call returns what <c>Loss</c> returns, overwrites the gradient it is given (which the oracle
/// fills with 0.5 first), and leaves every field (parameters, <c>[State]</c>, the layers', <c>Hs</c>) exactly as the
/// primal leaves it;</item>
/// <item>with <see cref="ModelSpec.ThrowAt"/>, when the custom pullback throws in the middle of the reverse sweep the
/// exception reaches the caller, the fields are again what the primal leaves, and the next gradient call on the same
/// object equals the one of an object the primal left in that state (no tape or state leaks); when the custom function
/// throws in the forward sweep, the fields are where the primal is when it throws there, the gradient argument is
/// untouched, and again the next gradient call is right.</item>
/// <item>when the model has the <c>[Checkpoint]</c> twin <c>Loss_Checkpointed</c> (<see cref="ModelPrinter.Checkpointable"/>),
/// its gradient call on a fresh instance returns the same value, writes the same gradient and leaves the same fields as
/// <c>LossGradient</c>, bit for bit: recomputing from snapshots runs the same statements on the same values.</item>
/// </list>
/// Every evaluation starts from a fresh instance (the model's own field initialisers), so <c>[State]</c> never leaks
/// between evaluations of the oracle. Fields are read and written by reflection from the spec, never through the
/// generated <c>IParameterSet</c>: a parameter the generated code forgot is still checked (the twin's gradient is also
/// compared buffer by buffer through it).
/// </summary>
public sealed class ModelOracle
{
    private const double Same = 1e-12;

    private readonly ModelSpec spec;
    private readonly Type type;
    private readonly Type? gradientType;
    private readonly MethodInfo loss;
    private readonly MethodInfo? lossGradient;
    private readonly MethodInfo? checkpointedGradient;
    private readonly double[][] xs;

    public ModelOracle(ModelSpec spec, Type type)
    {
        this.spec = spec;
        this.type = type;
        gradientType = type.GetNestedType("Gradient");
        loss = type.GetMethod("Loss") ?? throw new InvalidOperationException("Loss not found");
        lossGradient = type.GetMethod("LossGradient");
        checkpointedGradient = type.GetMethod(ModelPrinter.CheckpointedLoss + "Gradient");
        xs = spec.Xs.Select(row => row.ToArray()).ToArray();
    }

    public Judgement Check()
    {
        if (gradientType is null || lossGradient is null)
        {
            return Judgement.Failed($"{type.Name}.Gradient or {type.Name}.LossGradient was not generated, and no SD0xxx diagnostic says why");
        }

        if (ModelPrinter.Checkpointable(spec) && checkpointedGradient is null)
        {
            return Judgement.Failed($"{type.Name}.{ModelPrinter.CheckpointedLoss}Gradient (the [Checkpoint] twin of Loss) was not generated, and no SD0xxx diagnostic says why");
        }

        try
        {
            return CheckCore();
        }
        catch (GeneratedCodeException exception)
        {
            return Judgement.Failed(exception.Message);
        }
    }

    private Judgement CheckCore()
    {
        PullbackFault.Reset();
        object primal = Create();
        double value = Loss(primal);
        int forwardCalls = PullbackFault.ForwardCalls;
        List<(string Name, double Value)> primalFields = Dump(primal);
        if (!GradientOracle.Finite(value))
        {
            return new Judgement(ProgramVerdict.Unjudged, ImmutableArray<string>.Empty, "value out of range");
        }

        // LossGradient overwrites its gradient argument: one that already holds values must not change the result.
        object model = Create();
        object gradient = PrefilledGradient(model);

        PullbackFault.Reset();
        double returned = LossGradient(model, gradient);
        int pullbackCalls = PullbackFault.Calls;
        if (!SameValue(returned, value))
        {
            return Judgement.Failed(Invariant($"LossGradient returned {returned:R}, but Loss returns {value:R}"));
        }

        List<(string Name, double Value)> gradientFields = Dump(model);
        if (Difference(gradientFields, primalFields) is { } changed)
        {
            return Judgement.Failed("after LossGradient " + changed);
        }

        int matched = 0;
        foreach (Coordinate coordinate in Coordinates())
        {
            double? analytic = coordinate.Read(gradient);
            if (analytic is null)
            {
                return Judgement.Failed($"{type.Name}.Gradient has no {coordinate.Label} (the gradient of the parameter {coordinate.Label})");
            }

            double x0 = coordinate.Read(primal)!.Value;
            double Shifted(double delta)
            {
                object shifted = Create();
                coordinate.Add(shifted, delta);
                return Loss(shifted);
            }

            if (GradientOracle.CentralDifference(Shifted, x0, value, out double numeric, out double errorEstimate) == PointVerdict.Matched)
            {
                double tolerance = GradientOracle.DoubleTolerance(analytic.Value, numeric, value, x0, errorEstimate);
                if (!(Math.Abs(analytic.Value - numeric) <= tolerance))
                {
                    return Judgement.Failed(Invariant(
                        $"d{type.Name}.Loss/d{coordinate.Label} analytic {analytic.Value:R}, finite differences {numeric:R} (|diff| {Math.Abs(analytic.Value - numeric):G3} > tolerance {tolerance:G3}); value {value:R}"));
                }

                matched++;
            }
        }

        if (spec.ThrowAt > 0 && pullbackCalls > 0 && ThrowMidSweep(pullbackCalls, primalFields) is { } failure)
        {
            return Judgement.Failed(failure);
        }

        if (spec.ThrowAt > 0 && forwardCalls > 0 && ThrowInForwardSweep(forwardCalls) is { } forwardFailure)
        {
            return Judgement.Failed(forwardFailure);
        }

        if (checkpointedGradient is not null && CheckpointedDiffers(returned, gradient, gradientFields) is { } checkpointFailure)
        {
            return Judgement.Failed(checkpointFailure);
        }

        return new Judgement(matched > 0 ? ProgramVerdict.Verified : ProgramVerdict.Unjudged, ImmutableArray<string>.Empty, "");
    }

    /// <summary>
    /// Runs the <c>[Checkpoint]</c> twin's gradient on a fresh instance with a gradient prefilled as LossGradient's was;
    /// null when it returns <paramref name="returned"/>, writes <paramref name="gradient"/> and leaves
    /// <paramref name="fields"/>, all bit for bit.
    /// </summary>
    private string? CheckpointedDiffers(double returned, object gradient, List<(string Name, double Value)> fields)
    {
        string twin = $"{type.Name}.{ModelPrinter.CheckpointedLoss}Gradient ([Checkpoint{(spec.CheckpointSnapshots == 0 ? "" : $"(Snapshots = {spec.CheckpointSnapshots})")}])";
        object model = Create();
        object checkpointed = PrefilledGradient(model);
        PullbackFault.Reset();
        double value = Invoke(() => (double)checkpointedGradient!.Invoke(model, new[] { xs, checkpointed })!, ModelPrinter.CheckpointedLoss + "Gradient");
        if (!value.Equals(returned))
        {
            return Invariant($"{twin} returned {value:R}, but LossGradient returns {returned:R}");
        }

        foreach (Coordinate coordinate in Coordinates())
        {
            double? a = coordinate.Read(checkpointed), b = coordinate.Read(gradient);
            if (a is null || b is null || !Bits(a.Value, b.Value))
            {
                return Invariant($"{twin} gives d/d{coordinate.Label} = {a:R}, but LossGradient gives {b:R}");
            }
        }

        // Every buffer the generated Gradient has, through IParameterSet too: one the coordinates do not name included.
        if (checkpointed is IParameterSet set && gradient is IParameterSet plain)
        {
            if (set.ParameterCount != plain.ParameterCount)
            {
                return $"{twin}: its Gradient has {set.ParameterCount} buffers, LossGradient's {plain.ParameterCount}";
            }

            for (int i = 0; i < set.ParameterCount; i++)
            {
                if (set.IsSingle(i))
                {
                    continue;
                }

                double[] a = set.GetDoubles(i).ToArray(), b = plain.GetDoubles(i).ToArray();
                for (int j = 0; j < Math.Max(a.Length, b.Length); j++)
                {
                    if (j >= a.Length || j >= b.Length || !Bits(a[j], b[j]))
                    {
                        return Invariant($"{twin} gives {set.GetParameterName(i)}[{j}] = {(j < a.Length ? a[j] : double.NaN):R}, but LossGradient gives {(j < b.Length ? b[j] : double.NaN):R}");
                    }
                }
            }
        }

        List<(string Name, double Value)> after = Dump(model);
        for (int i = 0; i < fields.Count; i++)
        {
            if (!Bits(after[i].Value, fields[i].Value))
            {
                return Invariant($"after {twin} the field {fields[i].Name} is {after[i].Value:R}, where LossGradient leaves {fields[i].Value:R}");
            }
        }

        return null;
    }

    private static bool Bits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    /// <summary>Makes Act's pullback throw at one call of a gradient call; null when the model behaves.</summary>
    private string? ThrowMidSweep(int pullbackCalls, List<(string Name, double Value)> primalFields)
    {
        int at = Math.Clamp((int)Math.Ceiling(spec.ThrowAt * pullbackCalls), 1, pullbackCalls);
        string where = $"Act's pullback threw at its call {at} of {pullbackCalls}";
        object model = Create();
        object gradient = NewGradient(model);
        PullbackFault.Reset(at);
        try
        {
            lossGradient!.Invoke(model, new[] { xs, gradient });
            return $"{where}, but LossGradient returned normally (it called the pullback {PullbackFault.Calls} times)";
        }
        catch (TargetInvocationException exception) when (exception.InnerException is InjectedFaultException)
        {
        }
        catch (TargetInvocationException exception)
        {
            return $"{where}, and LossGradient threw {exception.InnerException?.GetType().Name} instead: {exception.InnerException?.Message}";
        }
        finally
        {
            PullbackFault.Reset();
        }

        if (Difference(Dump(model), primalFields) is { } changed)
        {
            return $"{where}; after the exception {changed}";
        }

        // The object is still usable: its next gradient is that of an object the primal left in the same state.
        object reference = Create();
        Loss(reference);
        return NextGradientDiffers(model, reference, where);
    }

    /// <summary>
    /// Makes Act itself throw at one call of a gradient call's forward sweep; null when the model behaves (README: the
    /// object is then where the primal would be when it threw, and the gradient arguments are untouched).
    /// </summary>
    private string? ThrowInForwardSweep(int forwardCalls)
    {
        int at = Math.Clamp((int)Math.Ceiling(spec.ThrowAt * forwardCalls), 1, forwardCalls);
        string where = $"Act threw at its call {at} of {forwardCalls} (in the forward sweep)";
        object stopped = Create();
        PullbackFault.Reset(throwAtForwardCall: at);
        try
        {
            loss.Invoke(stopped, new object[] { xs });
            throw new InvalidOperationException($"{where}: Loss did not throw there, the oracle is wrong");
        }
        catch (TargetInvocationException exception) when (exception.InnerException is InjectedFaultException)
        {
        }
        finally
        {
            PullbackFault.Reset();
        }

        object model = Create();
        object gradient = PrefilledGradient(model);
        PullbackFault.Reset(throwAtForwardCall: at);
        try
        {
            lossGradient!.Invoke(model, new[] { xs, gradient });
            return $"{where}, but LossGradient returned normally";
        }
        catch (TargetInvocationException exception) when (exception.InnerException is InjectedFaultException)
        {
        }
        catch (TargetInvocationException exception)
        {
            return $"{where}, and LossGradient threw {exception.InnerException?.GetType().Name} instead: {exception.InnerException?.Message}";
        }
        finally
        {
            PullbackFault.Reset();
        }

        if (Difference(Dump(model), Dump(stopped)) is { } changed)
        {
            return $"{where}; after the exception {changed.Replace("where the primal leaves", "where the primal, throwing there, leaves", StringComparison.Ordinal)}";
        }

        foreach (Coordinate coordinate in Coordinates())
        {
            if (coordinate.Read(gradient) is { } written && written != 0.5)
            {
                return Invariant($"{where}; the gradient argument was written: its {coordinate.Label} is {written:R}, it held 0.5");
            }
        }

        return NextGradientDiffers(model, stopped, where);
    }

    /// <summary>Whether a gradient call on <paramref name="model"/> differs from one on <paramref name="reference"/>, in the same state.</summary>
    private string? NextGradientDiffers(object model, object reference, string where)
    {
        object again = NewGradient(model);
        double value = LossGradient(model, again);
        object expected = NewGradient(reference);
        double expectedValue = LossGradient(reference, expected);
        if (!SameValue(value, expectedValue))
        {
            return Invariant($"{where}; the next LossGradient on the same object returned {value:R}, on a fresh one in the same state {expectedValue:R}");
        }

        foreach (Coordinate coordinate in Coordinates())
        {
            double a = coordinate.Read(again) ?? double.NaN, b = coordinate.Read(expected) ?? double.NaN;
            if (!SameValue(a, b))
            {
                return Invariant($"{where}; the next LossGradient on the same object gives d/d{coordinate.Label} = {a:R}, on a fresh one in the same state {b:R}");
            }
        }

        if (Difference(Dump(model), Dump(reference)) is { } differs)
        {
            return $"{where}; after the next LossGradient on the same object {differs}";
        }

        return null;
    }

    /// <summary>A new gradient of <paramref name="model"/> holding 0.5 in every parameter it has.</summary>
    private object PrefilledGradient(object model)
    {
        object gradient = NewGradient(model);
        foreach (Coordinate coordinate in Coordinates())
        {
            if (coordinate.Read(gradient) is not null)
            {
                coordinate.Add(gradient, 0.5);
            }
        }

        return gradient;
    }

    private object Create() => Activator.CreateInstance(type) ?? throw new InvalidOperationException("no instance of " + type.Name);

    private object NewGradient(object model) => Invoke(() => Activator.CreateInstance(gradientType!, model)!, "new Gradient");

    private double Loss(object model) => Invoke(() => (double)loss.Invoke(model, new object[] { xs })!, "Loss");

    private double LossGradient(object model, object gradient) => Invoke(() => (double)lossGradient!.Invoke(model, new[] { xs, gradient })!, "LossGradient");

    private static T Invoke<T>(Func<T> call, string name)
    {
        try
        {
            return call();
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw new GeneratedCodeException(name, exception.InnerException);
        }
    }

    /// <summary>"field X is a, the primal leaves b" for the first field that differs, or null.</summary>
    /// <summary>Equal within <see cref="Same"/>; equal values are the same, infinities and NaNs included (∞ − ∞ is NaN, which no tolerance admits).</summary>
    private static bool SameValue(double actual, double expected) =>
        actual.Equals(expected) || Math.Abs(actual - expected) <= Same * (1 + Math.Abs(expected));

    private static string? Difference(List<(string Name, double Value)> actual, List<(string Name, double Value)> expected)
    {
        for (int i = 0; i < expected.Count; i++)
        {
            if (!SameValue(actual[i].Value, expected[i].Value))
            {
                return Invariant($"the field {expected[i].Name} is {actual[i].Value:R}, where the primal leaves {expected[i].Value:R}");
            }
        }

        return null;
    }

    /// <summary>Every number the model holds: its fields (base class's included), its layers', and Hs.</summary>
    private List<(string Name, double Value)> Dump(object model)
    {
        var values = new List<(string, double)>();
        void Add(string label, object? value)
        {
            switch (value)
            {
                case double d:
                    values.Add((label, d));
                    break;
                case double[] v:
                    for (int j = 0; j < v.Length; j++)
                    {
                        values.Add(($"{label}[{j}]", v[j]));
                    }

                    break;
                case double[,] m:
                    for (int i = 0; i < m.GetLength(0); i++)
                    {
                        for (int j = 0; j < m.GetLength(1); j++)
                        {
                            values.Add(($"{label}[{i}, {j}]", m[i, j]));
                        }
                    }

                    break;
                case double[][] rows:
                    for (int i = 0; i < rows.Length; i++)
                    {
                        Add($"{label}[{i}]", rows[i]);
                    }

                    break;
                default:
                    values.Add((label + " (not an array of the expected shape)", double.NaN));
                    break;
            }
        }

        foreach (FieldSpec field in spec.Fields)
        {
            Add(field.Name, Member(model, field.Name));
        }

        if (spec.Out is not null)
        {
            object layer = Member(model, "Out")!;
            Add("Out.V", Member(layer, "V"));
            Add("Out.C", Member(layer, "C"));
            Add("Out.S", Member(layer, "S"));
        }

        if (!spec.Layers.IsEmpty)
        {
            var layers = (Array)Member(model, "Layers")!;
            for (int l = 0; l < spec.Layers.Length; l++)
            {
                Add($"Layers[{l}].V", Member(layers.GetValue(l)!, "V"));
                Add($"Layers[{l}].C", Member(layers.GetValue(l)!, "C"));
                Add($"Layers[{l}].S", Member(layers.GetValue(l)!, "S"));
            }

            Add("Hs", Member(model, "Hs"));
        }

        return values;
    }

    /// <summary>Every scalar parameter, as a path from the model (or from its gradient: the same names and shapes).</summary>
    private IEnumerable<Coordinate> Coordinates()
    {
        int n = spec.Dimension;
        IEnumerable<Coordinate> Of(string label, object[] path, FieldShape shape)
        {
            switch (shape)
            {
                case FieldShape.Scalar:
                    yield return new Coordinate(label, path, Array.Empty<int>());
                    break;
                case FieldShape.Vector:
                    for (int j = 0; j < n; j++)
                    {
                        yield return new Coordinate($"{label}[{j}]", path, new[] { j });
                    }

                    break;
                default:
                    for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            yield return new Coordinate($"{label}[{i}, {j}]", path, new[] { i, j });
                        }
                    }

                    break;
            }
        }

        IEnumerable<Coordinate> Layer(string label, object[] path) =>
            Of(label + ".V", path.Append("V").ToArray(), FieldShape.Vector).Concat(Of(label + ".C", path.Append("C").ToArray(), FieldShape.Scalar));

        var all = spec.Fields.Where(f => f.IsParameter).SelectMany(f => Of(f.Name, new object[] { f.Name }, f.Shape));
        if (spec.Out is not null)
        {
            all = all.Concat(Layer("Out", new object[] { "Out" }));
        }

        for (int l = 0; l < spec.Layers.Length; l++)
        {
            all = all.Concat(Layer($"Layers[{l}]", new object[] { "Layers", l }));
        }

        return all;
    }

    /// <summary>A public instance field or property (of the type or a base class), or null when there is none.</summary>
    private static object? Member(object owner, string name)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        Type type = owner.GetType();
        return type.GetField(name, flags) is { } field ? field.GetValue(owner)
            : type.GetProperty(name, flags) is { } property ? property.GetValue(owner)
            : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One scalar parameter: the path to its field (names, and indices into arrays of layers), and its index in the field.</summary>
    private sealed record Coordinate(string Label, object[] Path, int[] Index)
    {
        /// <summary>The value at this coordinate of a model or of a gradient; null when a member on the path is missing.</summary>
        public double? Read(object root)
        {
            object? leaf = Walk(root, Path.Length);
            return (leaf, Index.Length) switch
            {
                (double d, 0) => d,
                (double[] v, 1) when v.Length > Index[0] => v[Index[0]],
                (double[,] m, 2) when m.GetLength(0) > Index[0] && m.GetLength(1) > Index[1] => m[Index[0], Index[1]],
                _ => null,
            };
        }

        /// <summary>Adds <paramref name="delta"/> to this coordinate of a model (readonly fields included: it is reflection).</summary>
        public void Add(object model, double delta)
        {
            object owner = Walk(model, Path.Length - 1)!;
            string name = (string)Path[^1];
            switch (Index.Length)
            {
                case 0 when owner.GetType().GetField(name, BindingFlags.Public | BindingFlags.Instance) is { } field:
                    field.SetValue(owner, (double)field.GetValue(owner)! + delta);
                    break;
                case 0:
                    PropertyInfo property = owner.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)!;
                    property.SetValue(owner, (double)property.GetValue(owner)! + delta);
                    break;
                case 1:
                    ((double[])Member(owner, name)!)[Index[0]] += delta;
                    break;
                default:
                    ((double[,])Member(owner, name)!)[Index[0], Index[1]] += delta;
                    break;
            }
        }

        private object? Walk(object root, int steps)
        {
            object? current = root;
            for (int i = 0; i < steps && current is not null; i++)
            {
                current = Path[i] switch
                {
                    string name => Member(current, name),
                    int element when current is Array array && element < array.Length => array.GetValue(element),
                    _ => null,
                };
            }

            return current;
        }
    }
}

/// <summary>Random models: compiled in batches like programs, judged by <see cref="ModelOracle"/>.</summary>
public sealed class ModelBatch : IBatchSubject<ModelSpec>
{
    public static ModelBatch Instance { get; } = new();

    public string Source(ModelSpec subject, int id) => ModelPrinter.Print(subject, id);

    public string FileName(int id) => $"Q{id}.cs";

    public Judgement Judge(ModelSpec model, Assembly assembly, int id) =>
        new ModelOracle(model, assembly.GetType(ProgramPrinter.Namespace + "." + ModelPrinter.ClassName(id))!).Check();
}
