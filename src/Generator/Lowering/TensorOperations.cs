using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// The <c>System.Numerics.Tensors.TensorPrimitives</c> overloads with built-in adjoints: the runtime's
/// <c>TensorKernels&lt;T&gt;</c> gives each its primal, forward and reverse sweeps. An overload is named by its
/// parameters' shapes: <c>s</c> a span read, <c>d</c> the destination span written, <c>t</c> a scalar.
/// </summary>
internal static class TensorOperations
{
    public const string TypeName = "System.Numerics.Tensors.TensorPrimitives";

    private static readonly Dictionary<string, string[]> Supported = new()
    {
        ["Add"] = new[] { "ssd", "std" },
        ["Subtract"] = new[] { "ssd", "std", "tsd" },
        ["Multiply"] = new[] { "ssd", "std" },
        ["Divide"] = new[] { "ssd", "std", "tsd" },
        ["MultiplyAdd"] = new[] { "sssd", "sstd", "stsd" },
        ["AddMultiply"] = new[] { "sssd", "sstd", "stsd" },
        ["Max"] = new[] { "ssd", "std", "s" },
        ["Min"] = new[] { "ssd", "std", "s" },
        ["Negate"] = new[] { "sd" },
        ["Abs"] = new[] { "sd" },
        ["Exp"] = new[] { "sd" },
        ["Log"] = new[] { "sd" },
        ["Sqrt"] = new[] { "sd" },
        ["Tanh"] = new[] { "sd" },
        ["Sigmoid"] = new[] { "sd" },
        ["SoftMax"] = new[] { "sd" },
        ["Sinh"] = new[] { "sd" },
        ["Cosh"] = new[] { "sd" },
        ["Sin"] = new[] { "sd" },
        ["Cos"] = new[] { "sd" },
        ["Reciprocal"] = new[] { "sd" },
        ["Sum"] = new[] { "s" },
        ["SumOfSquares"] = new[] { "s" },
        ["SumOfMagnitudes"] = new[] { "s" },
        ["Norm"] = new[] { "s" },
        ["Dot"] = new[] { "ss" },
        ["Distance"] = new[] { "ss" },
        ["CosineSimilarity"] = new[] { "ss" },
    };

    /// <summary>The supported operations, for diagnostics.</summary>
    public static string List => string.Join(", ", Supported.Keys.OrderBy(name => name, System.StringComparer.Ordinal));

    // By name first: this runs for every call lowering meets, on every keystroke; the display string only for matches.
    public static bool IsTensorPrimitives(IMethodSymbol method) =>
        method.ContainingType is { Name: "TensorPrimitives" } type && type.ToDisplayString() == TypeName;

    /// <summary>
    /// The shape of a call's overload (<c>"ssd"</c>), when its element type is <c>double</c> or <c>float</c> and every
    /// parameter is a span of it or a scalar of it; null otherwise.
    /// </summary>
    public static string? ShapeOf(IMethodSymbol method, out string element)
    {
        element = string.Empty;
        var shape = new System.Text.StringBuilder();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            TypeRef type = TypeMapping.From(parameter.Type);
            if (!type.IsFloatingElement || parameter.RefKind != RefKind.None || (type.IsArray && !type.IsSpan) || type.Ranks.Count > 1)
            {
                return null;
            }

            if (element.Length > 0 && element != type.Element)
            {
                return null;
            }

            element = type.Element;
            shape.Append(!type.IsSpan ? 't' : type.Span == "ReadOnlySpan" ? 's' : 'd');
        }

        return element.Length > 0 ? shape.ToString() : null;
    }

    public static bool IsSupported(string name, string shape) => Supported.TryGetValue(name, out string[]? shapes) && shapes.Contains(shape);

    /// <summary>The supported overloads of <paramref name="name"/>, as a user writes their arguments.</summary>
    public static string OverloadsOf(string name) =>
        Supported.TryGetValue(name, out string[]? shapes)
            ? string.Join(", ", shapes.Select(shape => name + "(" + string.Join(", ", shape.Select(c => c switch { 's' => "span", 'd' => "destination", _ => "scalar" })) + ")"))
            : string.Empty;

    /// <summary>The runtime class whose sweeps the generated code calls, for one element type.</summary>
    public static string KernelClass(string element) => "global::SourceDiff.CompilerServices.TensorKernels<" + element + ">";
}
