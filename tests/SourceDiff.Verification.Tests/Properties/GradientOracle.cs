using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using SourceDiff.Verification.Tests.Programs;

namespace SourceDiff.Verification.Tests.Properties;

/// <summary>The verdict on one method at one point.</summary>
public enum PointVerdict
{
    /// <summary>Gradient, returned value and pullback all agree with the oracle.</summary>
    Matched,

    /// <summary>The oracle cannot judge here: a non-finite or huge value, a kink or jump within the step, a branch
    /// that went the other way in float, or control flow that changed under the perturbation.</summary>
    Skipped,

    Mismatch,
}

/// <summary>
/// Checks a generated <c>MGradient</c>/<c>MPullback</c> against central finite differences of the method's
/// double-precision reference twin (see <see cref="ProgramPrinter"/>).
/// </summary>
/// <remarks>
/// Smoothness test: central differences with steps h and h/2 agree to O(h²·f''') on a smooth function, but a kink at
/// distance d &lt; h moves them apart by about |s₁−s₂|·d/h, and a jump by far more. When they disagree beyond what
/// smoothness and rounding allow, the point is skipped (never counted as a pass). Otherwise the Richardson value
/// (4·C(h/2) − C(h))/3, accurate to O(h⁴), is compared with the analytic gradient with a relative tolerance plus an
/// absolute floor scaled to the rounding noise and to |C(h) − C(h/2)|, the empirical error estimate.
/// </remarks>
public sealed class GradientOracle
{
    private const double Step = 1e-4;
    private const double MaxMagnitude = 1e6;

    private readonly MethodInfo primal;
    private readonly MethodInfo reference;
    private readonly MethodInfo? gradient;
    private readonly MethodInfo? pullback;
    private readonly MethodInfo? checkpointed;
    private readonly bool single;
    private readonly int rows;
    private readonly int length;

    /// <param name="rows">The number of rows of the jagged <c>r</c> every method takes after <c>w</c> (0: none).</param>
    /// <param name="length">The length of <c>w</c> and of every row.</param>
    public GradientOracle(Type type, MethodSpec method, int rows = 0, int length = 0)
    {
        this.rows = rows;
        this.length = length;
        primal = type.GetMethod(method.Name) ?? throw new InvalidOperationException(method.Name + " not found");
        reference = type.GetMethod(method.Name + "_Ref") ?? throw new InvalidOperationException(method.Name + "_Ref not found");
        gradient = type.GetMethod(method.Name + "Gradient");
        pullback = type.GetMethod(method.Name + "Pullback");
        checkpointed = type.GetMethod(ProgramPrinter.CheckpointedName(method) + "Gradient");
        single = method.IsFloat;
        Name = method.Name;
        Spec = method;
    }

    private MethodSpec Spec { get; }

    public string Name { get; }

    public PointVerdict Check(Point point, out string detail)
    {
        detail = "";
        if (gradient is null || pullback is null)
        {
            detail = $"{Name}Gradient or {Name}Pullback was not generated, and no SD0xxx diagnostic says why";
            return PointVerdict.Mismatch;
        }

        double[] inputs = new[] { point.X, point.Y }.Concat(point.W).Concat(point.Rows.SelectMany(row => row)).ToArray();
        int k = point.K;

        double value = Primal(inputs, k);
        StopTape.Record();
        double referenceValue;
        bool intermediateOverflows;
        try
        {
            Intermediates.Reset();
            referenceValue = Reference(inputs, k);
            intermediateOverflows = Intermediates.Largest > (single ? float.MaxValue : double.MaxValue);
        }
        finally
        {
            StopTape.Replay(); // later reference calls replay the base point's stopped values
        }

        try
        {
            if (!Finite(referenceValue) || !Finite(value))
            {
                return Skip(out detail, "value out of range");
            }

            if (!single && value != referenceValue)
            {
                throw new InvalidOperationException($"{Name}: reference twin gives {referenceValue:R}, primal {value:R}; the test's printer is wrong");
            }

            if (single && Math.Abs(value - referenceValue) > 1e-3 * (1 + Math.Abs(referenceValue)))
            {
                return Skip(out detail, "float primal diverges from its double twin (a branch or count flipped)");
            }

            (double returned, double[] analytic, bool inputsUnchanged) = Gradient(gradient, inputs, k);
            if (checkpointed is not null)
            {
                // The [Checkpoint] twin recomputes instead of recording, with the same statements: the same bits.
                (double checkpointedReturned, double[] checkpointedGradient, _) = Gradient(checkpointed, inputs, k);
                if (!checkpointedReturned.Equals(returned) || !checkpointedGradient.SequenceEqual(analytic))
                {
                    detail = $"{ProgramPrinter.CheckpointedName(Spec)}Gradient differs from {Name}Gradient: returned {checkpointedReturned:R} vs {returned:R}, "
                        + $"gradient {{ {string.Join(", ", checkpointedGradient.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))} }} vs {{ {string.Join(", ", analytic.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))} }}";
                    return PointVerdict.Mismatch;
                }
            }

            if (!inputsUnchanged)
            {
                detail = $"{Name}Gradient modified its input w{(rows > 0 ? " or r" : "")}";
                return PointVerdict.Mismatch;
            }

            if (!(Math.Abs(returned - value) <= (single ? 1e-4 : 1e-12) * (1 + Math.Abs(value))))
            {
                detail = $"{Name}Gradient returned {returned:R}, but {Name} returns {value:R}";
                return PointVerdict.Mismatch;
            }

            for (int j = 0; j < inputs.Length; j++)
            {
                switch (Difference(inputs, k, j, referenceValue, out double numeric, out double errorEstimate))
                {
                    case PointVerdict.Skipped:
                        return Skip(out detail, "not smooth within the step in " + InputName(j));
                    case PointVerdict.Matched:
                        double a = analytic[j];
                        if (!double.IsFinite(a) && intermediateOverflows)
                        {
                            return Skip(out detail, "an intermediate overflows: by IEEE arithmetic the gradient is not finite, as in any AD tool");
                        }

                        double tolerance = single
                            ? 2e-3 * (Math.Abs(a) + Math.Abs(numeric)) + 2e-4 * (1 + Math.Abs(referenceValue))
                            : DoubleTolerance(a, numeric, referenceValue, inputs[j], errorEstimate);
                        if (!(Math.Abs(a - numeric) <= tolerance))
                        {
                            detail = FormattableString.Invariant(
                                $"{Name}: d/d{InputName(j)} analytic {a:R}, finite differences {numeric:R} (|diff| {Math.Abs(a - numeric):G3} > tolerance {tolerance:G3}); value {value:R}");
                            return PointVerdict.Mismatch;
                        }

                        break;
                }
            }

            return CheckPullback(inputs, k, analytic, out detail);
        }
        finally
        {
            StopTape.Reset();
        }
    }

    public static bool Finite(double v) => double.IsFinite(v) && Math.Abs(v) < MaxMagnitude;

    private static PointVerdict Skip(out string detail, string why)
    {
        detail = why;
        return PointVerdict.Skipped;
    }

    private int WLength => rows == 0 ? 0 : length;

    private string InputName(int j) => j switch
    {
        0 => "x",
        1 => "y",
        _ when rows == 0 || j < 2 + length => $"w[{j - 2}]",
        _ => $"r[{(j - 2 - length) / length}][{(j - 2 - length) % length}]",
    };

    private PointVerdict Difference(double[] inputs, int k, int j, double baseValue, out double numeric, out double errorEstimate)
    {
        double Shifted(double delta)
        {
            double[] shifted = (double[])inputs.Clone();
            shifted[j] += delta;
            StopTape.Replay();
            double v = Reference(shifted, k);
            return StopTape.ReplayMatched ? v : double.NaN;
        }

        return CentralDifference(Shifted, inputs[j], baseValue, out numeric, out errorEstimate);
    }

    /// <summary>
    /// The derivative at 0 of <paramref name="shifted"/>(δ) = f(x₀ + δ), by Richardson extrapolation of central
    /// differences at h and h/2 (h = 1e-4·max(1, |x₀|)); <see cref="PointVerdict.Skipped"/> where f is not smooth within
    /// the step or a value is not finite (NaN from <paramref name="shifted"/> says the evaluation cannot be used).
    /// <paramref name="errorEstimate"/> is |C(h) − C(h/2)|.
    /// </summary>
    public static PointVerdict CentralDifference(Func<double, double> shifted, double x0, double baseValue, out double numeric, out double errorEstimate)
    {
        numeric = errorEstimate = 0;
        double h = Step * Math.Max(1, Math.Abs(x0));
        double plus = shifted(h), minus = shifted(-h), halfPlus = shifted(h / 2), halfMinus = shifted(-h / 2);
        if (!new[] { plus, minus, halfPlus, halfMinus }.All(Finite))
        {
            return PointVerdict.Skipped;
        }

        double wide = (plus - minus) / (2 * h);
        double narrow = (halfPlus - halfMinus) / h;
        double rounding = 64 * 2.2e-16 * Math.Max(1, Math.Abs(baseValue)) / h;
        double tolerance = 1e-6 * (1 + Math.Abs(narrow)) + rounding;
        errorEstimate = Math.Abs(wide - narrow);
        if (errorEstimate > tolerance)
        {
            return PointVerdict.Skipped;
        }

        // A kink exactly at the point (a Max/Min/Abs tie, e.g. Max(Grad.Stop(y), y)) is invisible to the test above:
        // both central differences give the mean of the two slopes. The forward-minus-backward difference gives it
        // away: h·f'' on a smooth function, so (at h) − 2·(at h/2) is O(h³), but a jump in slope s₂ − s₁ at the point
        // makes it −(s₂ − s₁).
        double curvatureMismatch = (plus + minus - 4 * (halfPlus + halfMinus) + 6 * baseValue) / h;
        if (Math.Abs(curvatureMismatch) > tolerance + 4 * rounding)
        {
            return PointVerdict.Skipped;
        }

        numeric = (4 * narrow - wide) / 3;
        return PointVerdict.Matched;
    }

    /// <summary>How far a double-precision analytic derivative may be from <see cref="CentralDifference"/>'s.</summary>
    public static double DoubleTolerance(double analytic, double numeric, double baseValue, double x0, double errorEstimate)
    {
        double noise = 64 * double.Epsilon + 64 * 2.2e-16 * Math.Abs(baseValue) / (Step * Math.Max(1, Math.Abs(x0)));
        return 1e-6 * (Math.Abs(analytic) + Math.Abs(numeric)) + 1e-8 + 16 * noise + 4 * errorEstimate;
    }

    private PointVerdict CheckPullback(double[] inputs, int k, double[] analytic, out string detail)
    {
        // Pullback ADDS dResult·∂M/∂input into the adjoints it is given.
        const double dResult = 0.5;
        double[] start = { 1.0, -1.0 };
        int o = rows == 0 ? 4 : 5; // where dResult goes: after (x, y, w, [r,] k)
        object[] args = Args(inputs, k, tail: rows == 0 ? 4 : 5);
        args[o] = single ? (object)(float)dResult : dResult;
        args[o + 1] = single ? (object)(float)start[0] : start[0];
        args[o + 2] = single ? (object)(float)start[1] : start[1];
        int wLength = inputs.Length - 2 - rows * WLength;
        args[o + 3] = single ? (object)Enumerable.Repeat(0.25f, wLength).ToArray() : Enumerable.Repeat(0.25, wLength).ToArray();
        if (rows > 0)
        {
            args[o + 4] = Jagged(Enumerable.Repeat(0.25, rows * length).ToArray());
        }

        Invoke(pullback!, args);
        double[] adjoints = new[] { Convert.ToDouble(args[o + 1], CultureInfo.InvariantCulture), Convert.ToDouble(args[o + 2], CultureInfo.InvariantCulture) }
            .Concat(ToDoubles(args[o + 3])).Concat(rows > 0 ? JaggedToDoubles(args[o + 4]) : Enumerable.Empty<double>()).ToArray();
        for (int j = 0; j < adjoints.Length; j++)
        {
            double expected = (j < 2 ? start[j] : 0.25) + dResult * analytic[j];
            double tolerance = (single ? 1e-4 : 1e-10) * (1 + Math.Abs(expected) + Math.Abs(analytic[j]));
            if (!(Math.Abs(adjoints[j] - expected) <= tolerance))
            {
                detail = FormattableString.Invariant(
                    $"{Name}Pullback: adjoint of {InputName(j)} is {adjoints[j]:R}, expected start + dResult·gradient = {expected:R}");
                return PointVerdict.Mismatch;
            }
        }

        detail = "";
        return PointVerdict.Matched;
    }

    private double Primal(double[] inputs, int k) => Convert.ToDouble(Invoke(primal, Args(inputs, k, tail: 0)), CultureInfo.InvariantCulture);

    private double Reference(double[] inputs, int k) =>
        (double)Invoke(reference, rows == 0
            ? new object[] { inputs[0], inputs[1], inputs[2..], k }
            : new object[] { inputs[0], inputs[1], inputs[2..(2 + length)], JaggedDoubles(inputs[(2 + length)..]), k })!;

    private (double Returned, double[] Gradient, bool InputsUnchanged) Gradient(MethodInfo method, double[] inputs, int k)
    {
        int o = rows == 0 ? 4 : 5; // where dx goes: after (x, y, w, [r,] k)
        object[] args = Args(inputs, k, tail: rows == 0 ? 3 : 4);
        object w = args[2];
        object before = ((Array)w).Clone();
        double[] rowsBefore = rows == 0 ? Array.Empty<double>() : JaggedToDoubles(args[3]);
        int wLength = inputs.Length - 2 - rows * WLength;
        args[o + 2] = single ? (object)new float[wLength] : new double[wLength];
        if (rows > 0)
        {
            args[o + 3] = Jagged(new double[rows * length]);
        }

        double returned = Convert.ToDouble(Invoke(method, args), CultureInfo.InvariantCulture);
        double[] analytic = new[] { Convert.ToDouble(args[o], CultureInfo.InvariantCulture), Convert.ToDouble(args[o + 1], CultureInfo.InvariantCulture) }
            .Concat(ToDoubles(args[o + 2])).Concat(rows > 0 ? JaggedToDoubles(args[o + 3]) : Enumerable.Empty<double>()).ToArray();
        bool unchanged = ToDoubles(w).SequenceEqual(ToDoubles(before)) && (rows == 0 || JaggedToDoubles(args[3]).SequenceEqual(rowsBefore));
        return (returned, analytic, unchanged);
    }

    /// <summary>(x, y, w, [r,] k) in the method's precision, followed by <paramref name="tail"/> empty slots.</summary>
    private object[] Args(double[] inputs, int k, int tail)
    {
        int fixedCount = rows == 0 ? 4 : 5;
        var args = new object[fixedCount + tail];
        int wEnd = rows == 0 ? inputs.Length : 2 + length;
        if (single)
        {
            args[0] = (float)inputs[0];
            args[1] = (float)inputs[1];
            args[2] = inputs[2..wEnd].Select(v => (float)v).ToArray();
        }
        else
        {
            args[0] = inputs[0];
            args[1] = inputs[1];
            args[2] = inputs[2..wEnd];
        }

        if (rows > 0)
        {
            args[3] = Jagged(inputs[wEnd..]);
        }

        args[fixedCount - 1] = k;
        return args;
    }

    /// <summary>Rows of <see cref="length"/> in the method's precision.</summary>
    private object Jagged(double[] flat) => single
        ? Enumerable.Range(0, rows).Select(i => flat[(i * length)..((i + 1) * length)].Select(v => (float)v).ToArray()).ToArray()
        : JaggedDoubles(flat);

    private double[][] JaggedDoubles(double[] flat) =>
        Enumerable.Range(0, rows).Select(i => flat[(i * length)..((i + 1) * length)]).ToArray();

    private static double[] JaggedToDoubles(object jagged) => jagged switch
    {
        double[][] d => d.SelectMany(row => row).ToArray(),
        float[][] f => f.SelectMany(row => row.Select(v => (double)v)).ToArray(),
        _ => throw new ArgumentException("not a jagged float or double array", nameof(jagged)),
    };

    private static double[] ToDoubles(object array) => array switch
    {
        double[] d => d,
        float[] f => f.Select(v => (double)v).ToArray(),
        _ => throw new ArgumentException("not a float or double array", nameof(array)),
    };

    private static object? Invoke(MethodInfo method, object[] args)
    {
        try
        {
            return method.Invoke(null, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw new GeneratedCodeException(method.Name, exception.InnerException);
        }
    }
}

/// <summary>Generated (or primal) code threw at run time.</summary>
public sealed class GeneratedCodeException(string method, Exception inner)
    : Exception($"{method} threw {inner.GetType().Name}: {inner.Message}", inner);
