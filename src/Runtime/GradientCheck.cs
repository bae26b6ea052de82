using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using SourceDiff.Checking;
using SourceDiff.CompilerServices;

namespace SourceDiff;

/// <summary>
/// Compares analytic gradients (generated <c>…Gradient</c> methods, or hand-written ones) with central finite
/// differences computed in double precision, with a per-coordinate step, Richardson extrapolation and an error metric
/// that is sound near zero. A disagreement fails only where the finite difference is reliable; where the function is
/// not smooth within the step (a ReLU or <c>Abs</c> kink) the comparison is redone with smaller steps, and reported
/// <see cref="GradientCheckStatus.Inconclusive"/>, which does not fail the check, if none is reliable. Every input is
/// restored exactly afterwards, and for models every evaluation starts from the same hidden state.
/// </summary>
/// <example>
/// A static method and its generated gradient:
/// <code>
/// double x = 0.7, dx = 0;
/// var dw = new double[w.Length];
/// GradientCheck.Check(
///     () => Losses.Loss(w, x, labels),
///     () => Losses.LossGradient(w, x, labels, dw, out dx),
///     GradientCheck.Input(w, dw),
///     GradientCheck.Scalar("x", () => x, v => x = v, () => dx)).ThrowIfFailed();
/// </code>
/// A model:
/// <code>
/// GradientCheck.Check(model, () => model.Loss(xs, ys), (TinyRnn.Gradient g) => model.LossGradient(xs, ys, g)).ThrowIfFailed();
/// </code>
/// </example>
public static class GradientCheck
{
    /// <summary>
    /// Checks a function of some inputs against the analytic gradients already in the inputs' gradient buffers.
    /// </summary>
    /// <param name="function">Evaluates the function at the current values of the inputs (it must read them each time).</param>
    /// <param name="inputs">The inputs to differentiate with respect to, each with its analytic gradient.</param>
    /// <exception cref="ArgumentException">No inputs, two inputs with one name, or one array in two inputs.</exception>
    public static GradientCheckReport Check(Func<double> function, params GradientCheckInput[] inputs) =>
        Check(function, GradientCheckOptions.Default, inputs);

    /// <inheritdoc cref="Check(Func{double}, GradientCheckInput[])"/>
    /// <param name="function">Evaluates the function at the current values of the inputs (it must read them each time).</param>
    /// <param name="options">Mode, steps and tolerances.</param>
    /// <param name="inputs">The inputs to differentiate with respect to, each with its analytic gradient.</param>
    public static GradientCheckReport Check(Func<double> function, GradientCheckOptions options, params GradientCheckInput[] inputs)
    {
        CheckedBuffer[] buffers = ValidateFunctionCheck(function, options, inputs);
        return new GradientCheckRunner(buffers, function, options).Run("function", returnedValue: null);
    }

    /// <summary>
    /// Runs <paramref name="gradient"/> (which fills the inputs' gradient buffers and returns the function value, as a
    /// generated <c>…Gradient</c> method does), then checks it: the gradients against finite differences, and the
    /// returned value against <paramref name="function"/>.
    /// </summary>
    /// <param name="function">Evaluates the function at the current values of the inputs.</param>
    /// <param name="gradient">Computes the analytic gradient into the buffers given to <paramref name="inputs"/>.</param>
    /// <param name="inputs">The inputs to differentiate with respect to.</param>
    public static GradientCheckReport Check(Func<double> function, Func<double> gradient, params GradientCheckInput[] inputs) =>
        Check(function, gradient, GradientCheckOptions.Default, inputs);

    /// <inheritdoc cref="Check(Func{double}, Func{double}, GradientCheckInput[])"/>
    /// <param name="function">Evaluates the function at the current values of the inputs.</param>
    /// <param name="gradient">Computes the analytic gradient into the buffers given to <paramref name="inputs"/>.</param>
    /// <param name="options">Mode, steps and tolerances.</param>
    /// <param name="inputs">The inputs to differentiate with respect to.</param>
    public static GradientCheckReport Check(
        Func<double> function, Func<double> gradient, GradientCheckOptions options, params GradientCheckInput[] inputs)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        CheckedBuffer[] buffers = ValidateFunctionCheck(function, options, inputs);
        double returned = gradient();
        return new GradientCheckRunner(buffers, function, options).Run("function", returned);
    }

    /// <summary>
    /// Checks a model's analytic gradient, computed by the caller, against finite differences of
    /// <paramref name="loss"/> with respect to every parameter entry.
    /// </summary>
    /// <remarks>
    /// The model's state is captured once (<see cref="IDifferentiableModel.CaptureState"/>) and restored before every
    /// evaluation, so a loss that does not reset hidden state itself is still evaluated from one point; at the end the
    /// parameters and the state are restored exactly. The analytic gradient must have been computed from the state the
    /// model has now; to have the checker compute it from the captured state, use
    /// <see cref="Check{TGradient}(IDifferentiableModel, Func{double}, Func{TGradient, double}, GradientCheckOptions?)"/>.
    /// </remarks>
    /// <param name="model">The model whose parameters are perturbed.</param>
    /// <param name="loss">Evaluates the loss with the model's current parameters.</param>
    /// <param name="analyticGradient">The gradient to check; it must have the model's layout (names, precisions, lengths).</param>
    /// <param name="options">Mode, steps and tolerances; null for <see cref="GradientCheckOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">The gradient's buffers do not match the model's.</exception>
    public static GradientCheckReport Check(
        IDifferentiableModel model, Func<double> loss, IGradient analyticGradient, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(analyticGradient);
        options ??= GradientCheckOptions.Default;
        options.Validate(nameof(options));
        CheckedBuffer[] buffers = ModelBuffers(model, analyticGradient, nameof(analyticGradient));
        return RunOnModel(model, loss, buffers, options, () => null);
    }

    /// <summary>
    /// Computes a model's analytic gradient with <paramref name="lossGradient"/> (a generated <c>…Gradient</c> method)
    /// into a new <see cref="IDifferentiableModel.CreateGradient"/>, and checks it against finite differences of
    /// <paramref name="loss"/>, all from the same captured state; also checks the value it returns against the loss.
    /// </summary>
    /// <example><c>GradientCheck.Check(rnn, () => rnn.Loss(xs, ys), (TinyRnn.Gradient g) => rnn.LossGradient(xs, ys, g))</c></example>
    /// <typeparam name="TGradient">The model's generated gradient type.</typeparam>
    /// <param name="model">The model whose parameters are perturbed.</param>
    /// <param name="loss">Evaluates the loss with the model's current parameters.</param>
    /// <param name="lossGradient">Overwrites its argument with the gradient of the loss and returns the loss.</param>
    /// <param name="options">Mode, steps and tolerances; null for <see cref="GradientCheckOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">The model's <c>CreateGradient</c> is not a <typeparamref name="TGradient"/> or does not match the model's layout.</exception>
    public static GradientCheckReport Check<TGradient>(
        IDifferentiableModel model, Func<double> loss, Func<TGradient, double> lossGradient, GradientCheckOptions? options = null)
        where TGradient : class, IGradient
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(lossGradient);
        options ??= GradientCheckOptions.Default;
        options.Validate(nameof(options));
        if (model.CreateGradient() is not TGradient gradient)
        {
            throw new ArgumentException(
                $"{model.GetType().Name}.CreateGradient() does not return a {typeof(TGradient).Name}.", nameof(lossGradient));
        }

        CheckedBuffer[] buffers = ModelBuffers(model, gradient, nameof(model));
        return RunOnModel(model, loss, buffers, options, () => lossGradient(gradient));
    }

    private static GradientCheckReport RunOnModel(
        IDifferentiableModel model, Func<double> loss, CheckedBuffer[] buffers, GradientCheckOptions options,
        Func<double?> computeGradient)
    {
        object snapshot = model.CaptureState();
        try
        {
            double? returned = computeGradient();
            double Evaluate()
            {
                model.RestoreState(snapshot);
                return loss();
            }

            return new GradientCheckRunner(buffers, Evaluate, options).Run(model.GetType().Name, returned);
        }
        finally
        {
            // The runner has already written the parameters back; the state goes back to where the caller left it.
            model.RestoreState(snapshot);
        }
    }

    private static CheckedBuffer[] ModelBuffers(IDifferentiableModel model, IGradient gradient, string gradientParameter)
    {
        if (ReferenceEquals(model, gradient))
        {
            throw new ArgumentException("The gradient is the model itself; pass a separate gradient object.", gradientParameter);
        }

        ParameterLayout.Of(model).EnsureMatches(gradient, gradientParameter, "the gradient", "the model");
        var buffers = new CheckedBuffer[model.ParameterCount];
        for (int i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new ParameterBuffer(model, gradient, i);
        }

        return buffers;
    }

    private static CheckedBuffer[] ValidateFunctionCheck(Func<double> function, GradientCheckOptions options, GradientCheckInput[] inputs)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputs);
        options.Validate(nameof(options));
        if (inputs.Length == 0)
        {
            throw new ArgumentException("Give at least one input to differentiate with respect to.", nameof(inputs));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var storages = new Dictionary<object, string>(ReferenceEqualityComparer.Instance);
        var buffers = new List<CheckedBuffer>();
        for (int i = 0; i < inputs.Length; i++)
        {
            GradientCheckInput input = inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"inputs[{i}] is null.");
            if (!names.Add(input.Name))
            {
                throw new ArgumentException($"Two inputs are named '{input.Name}'.", nameof(inputs));
            }

            foreach (CheckedBuffer buffer in input.Buffers)
            {
                // One array perturbed as two inputs would move twice per step and corrupt both columns of the check.
                if (buffer.Storage is { } storage && !storages.TryAdd(storage, buffer.Name))
                {
                    throw new ArgumentException(
                        $"Input '{buffer.Name}' is the same array as input '{storages[storage]}'.", nameof(inputs));
                }

                buffers.Add(buffer);
            }
        }

        return buffers.ToArray();
    }

    /// <summary>A <c>double[]</c> input and its analytic gradient (same length).</summary>
    /// <param name="values">The input, perturbed in place during the check and restored exactly.</param>
    /// <param name="gradient">∂f/∂values, e.g. the buffer a generated <c>…Gradient</c> method fills.</param>
    /// <param name="name">Name for reports; defaults to the expression passed as <paramref name="values"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> has another length, or is the same array.</exception>
    public static GradientCheckInput Input(double[] values, double[] gradient, [CallerArgumentExpression(nameof(values))] string name = "") =>
        ArrayInput(values, gradient, name, single: false);

    /// <summary>A <c>float[]</c> input and its analytic gradient; differences are still computed in double.</summary>
    /// <inheritdoc cref="Input(double[], double[], string)"/>
    public static GradientCheckInput Input(float[] values, float[] gradient, [CallerArgumentExpression(nameof(values))] string name = "") =>
        ArrayInput(values, gradient, name, single: true);

    /// <summary>A <c>double[,]</c> input and its analytic gradient (same dimensions); coordinates read <c>name[i,j]</c>.</summary>
    /// <inheritdoc cref="Input(double[], double[], string)"/>
    public static GradientCheckInput Input(double[,] values, double[,] gradient, [CallerArgumentExpression(nameof(values))] string name = "") =>
        ArrayInput(values, gradient, name, single: false);

    /// <summary>A <c>float[,]</c> input and its analytic gradient (same dimensions).</summary>
    /// <inheritdoc cref="Input(double[], double[], string)"/>
    public static GradientCheckInput Input(float[,] values, float[,] gradient, [CallerArgumentExpression(nameof(values))] string name = "") =>
        ArrayInput(values, gradient, name, single: true);

    /// <summary>A jagged <c>double[][]</c> input (e.g. a sequence) and its analytic gradient of the same shape; rows read <c>name[t]</c>.</summary>
    /// <inheritdoc cref="Input(double[], double[], string)"/>
    public static GradientCheckInput Input(double[][] values, double[][] gradient, [CallerArgumentExpression(nameof(values))] string name = "") =>
        JaggedInput(values, gradient, name, single: false);

    /// <summary>A jagged <c>float[][]</c> input and its analytic gradient of the same shape.</summary>
    /// <inheritdoc cref="Input(double[], double[], string)"/>
    public static GradientCheckInput Input(float[][] values, float[][] gradient, [CallerArgumentExpression(nameof(values))] string name = "") =>
        JaggedInput(values, gradient, name, single: true);

    /// <summary>
    /// A scalar input reached through a getter and a setter, typically a local captured by the lambdas:
    /// <c>GradientCheck.Scalar("x", () =&gt; x, v =&gt; x = v, dx)</c>.
    /// </summary>
    /// <param name="name">Name for reports.</param>
    /// <param name="get">Reads the current value.</param>
    /// <param name="set">Writes a value; the function must see it on its next evaluation.</param>
    /// <param name="gradient">∂f/∂x, computed before the check.</param>
    public static GradientCheckInput Scalar(string name, Func<double> get, Action<double> set, double gradient) =>
        Scalar(name, get, set, () => gradient);

    /// <summary>
    /// A scalar input whose analytic derivative is read when the check runs, after the gradient delegate of
    /// <see cref="Check(Func{double}, Func{double}, GradientCheckInput[])"/> has set it (e.g. an <c>out dx</c> local).
    /// </summary>
    /// <param name="name">Name for reports.</param>
    /// <param name="get">Reads the current value.</param>
    /// <param name="set">Writes a value; the function must see it on its next evaluation.</param>
    /// <param name="gradient">Reads ∂f/∂x.</param>
    public static GradientCheckInput Scalar(string name, Func<double> get, Action<double> set, Func<double> gradient)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(gradient);
        return new GradientCheckInput(name, [new ScalarBuffer(name, get, set, gradient)]);
    }

    private static GradientCheckInput ArrayInput(Array values, Array gradient, string name, bool single)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(values, name);
        ArgumentNullException.ThrowIfNull(gradient, nameof(gradient));
        Validate.SameShape(gradient, nameof(gradient), values, name);
        Validate.NotAliased(values, name, gradient, nameof(gradient));
        CheckedBuffer buffer = single
            ? new SingleArrayBuffer(name, values, gradient)
            : new DoubleArrayBuffer(name, values, gradient);
        return new GradientCheckInput(name, [buffer]);
    }

    private static GradientCheckInput JaggedInput(Array[] values, Array[] gradient, string name, bool single)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(values, name);
        ArgumentNullException.ThrowIfNull(gradient, nameof(gradient));
        Validate.SameShape(gradient, nameof(gradient), values, name);
        var buffers = new CheckedBuffer[values.Length];
        for (int t = 0; t < values.Length; t++)
        {
            string row = $"{name}[{t}]";
            Array value = values[t] ?? throw new ArgumentNullException(name, $"{row} is null.");
            for (int other = 0; other < gradient.Length; other++)
            {
                Validate.NotAliased(value, row, gradient[other], $"gradient[{other}]");
            }

            buffers[t] = single
                ? new SingleArrayBuffer(row, value, gradient[t])
                : new DoubleArrayBuffer(row, value, gradient[t]);
        }

        return new GradientCheckInput(name, buffers);
    }
}
