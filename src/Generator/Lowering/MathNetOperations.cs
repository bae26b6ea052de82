using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// The MathNet.Numerics <c>Vector&lt;T&gt;</c>/<c>Matrix&lt;T&gt;</c> operators, methods and builders with built-in
/// adjoints: the runtime's <c>MathNetKernels&lt;T&gt;</c> gives each kernel its primal, forward and reverse sweeps, always
/// writing into a destination (lowering allocates one where the user's code returns a new vector or matrix).
/// </summary>
/// <remarks>
/// A source form is keyed by its member name and its operands' kinds, receiver first (<c>v</c> vector, <c>m</c> matrix,
/// <c>t</c> scalar, <c>i</c> int, <c>s</c> an array read as a span), without the destination of a <c>void</c> overload
/// (MathNet's <c>result</c>/<c>target</c>, always last). The kernel takes the operands in the order given by
/// <see cref="Form.Order"/> and keeps the name unless <see cref="Form.Kernel"/> renames it.
/// </remarks>
internal static class MathNetOperations
{
    public const string Namespace = "MathNet.Numerics.LinearAlgebra";

    /// <summary>A source form: the kernel it lowers to and the order of its operands there.</summary>
    public sealed record Form(string Kernel, string Order);

    private static readonly Dictionary<string, Form> Forms = Build();

    /// <summary>Kernels that return a value (reductions) rather than writing a destination.</summary>
    private static readonly HashSet<string> Reductions = new() { "DotProduct", "Sum", "L2Norm" };

    private static Dictionary<string, Form> Build()
    {
        var forms = new Dictionary<string, Form>();
        void Add(string key, string kernel, string order) => forms[key] = new Form(kernel, order);

        foreach (char x in "vm")
        {
            string xx = new(x, 2);
            // Element-wise, for vectors and matrices alike.
            Add("op_Addition:" + xx, "Add", "01");
            Add("op_Addition:" + x + "t", "Add", "01");
            Add("op_Addition:t" + x, "Add", "10");
            Add("Add:" + xx, "Add", "01");
            Add("Add:" + x + "t", "Add", "01");
            Add("op_Subtraction:" + xx, "Subtract", "01");
            Add("op_Subtraction:" + x + "t", "Subtract", "01");
            Add("op_Subtraction:t" + x, "Subtract", "01");
            Add("Subtract:" + xx, "Subtract", "01");
            Add("Subtract:" + x + "t", "Subtract", "01");
            Add("SubtractFrom:" + x + "t", "Subtract", "10");
            Add("op_Multiply:" + x + "t", "Multiply", "01");
            Add("op_Multiply:t" + x, "Multiply", "10");
            Add("Multiply:" + x + "t", "Multiply", "01");
            Add("op_Division:" + x + "t", "Divide", "01");
            Add("op_Division:t" + x, "Divide", "01");
            Add("Divide:" + x + "t", "Divide", "01");
            Add("DivideByThis:" + x + "t", "Divide", "10");
            Add("op_UnaryNegation:" + x, "Negate", "0");
            Add("Negate:" + x, "Negate", "0");
            foreach (string pointwise in new[] { "PointwiseMultiply", "PointwiseDivide", "PointwiseMaximum", "PointwiseMinimum" })
            {
                Add(pointwise + ":" + xx, pointwise, "01");
            }

            Add("PointwiseMaximum:" + x + "t", "PointwiseMaximum", "01");
            Add("PointwiseMinimum:" + x + "t", "PointwiseMinimum", "01");
            foreach (string pointwise in new[] { "PointwiseExp", "PointwiseLog", "PointwiseTanh", "PointwiseAbs", "PointwiseSqrt" })
            {
                Add(pointwise + ":" + x, pointwise, "0");
            }

            Add("CopyTo:" + x, "Copy", "0");
            Add("Clone:" + x, "Copy", "0");
        }

        // Linear algebra.
        Add("op_Multiply:mv", "Multiply", "01");
        Add("Multiply:mv", "Multiply", "01");
        Add("op_Multiply:vm", "Multiply", "01");
        Add("LeftMultiply:mv", "Multiply", "10");
        Add("op_Multiply:mm", "Multiply", "01");
        Add("Multiply:mm", "Multiply", "01");
        Add("TransposeThisAndMultiply:mv", "TransposeThisAndMultiply", "01");
        Add("TransposeThisAndMultiply:mm", "TransposeThisAndMultiply", "01");
        Add("TransposeAndMultiply:mm", "TransposeAndMultiply", "01");
        Add("Transpose:m", "Transpose", "0");
        Add("OuterProduct:vv", "OuterProduct", "01");
        Add("Row:mi", "Row", "01");
        Add("Column:mi", "Column", "01");

        // Reductions.
        Add("op_Multiply:vv", "DotProduct", "01");
        Add("DotProduct:vv", "DotProduct", "01");
        Add("Sum:v", "Sum", "0");
        Add("L2Norm:v", "L2Norm", "0");

        // Builders (Vector<T>.Build.…): Dense(n) and Dense(rows, columns) are fresh zeros, not kernels.
        Add("DenseOfArray:s", "DenseOfArray", "0");
        return forms;
    }

    /// <summary>The forms, for diagnostics.</summary>
    public static string List => ListOf(Forms.Keys);

    /// <summary>
    /// The forms whose first operand has the kind of <paramref name="kinds"/>' first (what may be called on a vector, or
    /// on a matrix), for diagnostics; all of them when that kind is not a vector's or a matrix's.
    /// </summary>
    public static string ListFor(string kinds) =>
        kinds.Length > 0 && kinds[0] is 'v' or 'm' ? ListOf(Forms.Keys.Where(key => key.Split(':')[1].StartsWith(kinds[0].ToString(), System.StringComparison.Ordinal))) : List;

    private static string ListOf(IEnumerable<string> keys) => string.Join(", ", keys.Select(key => key.Split(':')[0]).Select(name => name.StartsWith("op_", System.StringComparison.Ordinal) ? OperatorText(name) : name)
        .Distinct().OrderBy(name => name, System.StringComparer.Ordinal));

    private static string OperatorText(string name) => name switch
    {
        "op_Addition" => "+",
        "op_Subtraction" => "-",
        "op_Multiply" => "*",
        "op_Division" => "/",
        "op_UnaryNegation" => "unary -",
        _ => name,
    };

    /// <summary>
    /// Whether <paramref name="type"/> is MathNet's <c>Vector&lt;T&gt;</c>, <c>Matrix&lt;T&gt;</c> or one of their
    /// builders (by name first: this runs for every call and operator lowering meets).
    /// </summary>
    public static bool Owns(INamedTypeSymbol? type) =>
        type is { Name: "Vector" or "Matrix" or "VectorBuilder" or "MatrixBuilder", Arity: 1 } && type.ContainingNamespace?.ToDisplayString() == Namespace;

    /// <summary><c>Vector&lt;T&gt;[]</c>, <c>Matrix&lt;T&gt;[][]</c>…: arrays of objects, which carry no derivative.</summary>
    public static bool IsArrayOfAlgebra(ITypeSymbol? type)
    {
        if (type is not IArrayTypeSymbol)
        {
            return false;
        }

        while (type is IArrayTypeSymbol array)
        {
            type = array.ElementType;
        }

        return SourceDiff.Rules.DerivativeRules.IsMathNetAlgebra(type);
    }

    public static bool IsBuilder(INamedTypeSymbol type) => type.Name is "VectorBuilder" or "MatrixBuilder";

    /// <summary>The operand kind of a type: <c>v</c>, <c>m</c>, <c>t</c> (the element type), <c>i</c>, <c>s</c>, or null.</summary>
    public static char? KindOf(ITypeSymbol? type, string element)
    {
        TypeRef mapped = TypeMapping.From(type);
        if (mapped.IsMathNet)
        {
            return mapped.Element == element ? (mapped.MathNet == "Vector" ? 'v' : 'm') : null;
        }

        if (mapped.IsFloatingScalar)
        {
            return mapped.Element == element ? 't' : null;
        }

        if (type?.SpecialType == SpecialType.System_Int32)
        {
            return 'i';
        }

        return mapped is { IsArray: true, IsSpan: false, Ranks.Count: 1 } && mapped.Ranks[0] == 1 && mapped.Element == element ? 's' : null;
    }

    /// <summary>
    /// Whether a method of that name with a built-in adjoint only reads the vector or matrix it is called on (MathNet
    /// methods without one are rejected in differentiable code; elsewhere they may write it).
    /// </summary>
    public static bool ReadsReceiver(string name) => name is "get_Count" or "get_RowCount" or "get_ColumnCount" || Members.Contains(name);

    /// <summary>The members with a form (the field scan asks for every MathNet call it meets).</summary>
    private static readonly HashSet<string> Members = new(Forms.Keys.Select(key => key.Split(':')[0]));

    /// <summary>The operand kinds of <paramref name="types"/>, one letter each (<c>?</c> for a type with none).</summary>
    public static string KindsOf(IEnumerable<ITypeSymbol> types, string element) =>
        string.Concat(types.Select(type => KindOf(type, element)?.ToString() ?? "?"));

    public static Form? Find(string name, string kinds) => Forms.TryGetValue(name + ":" + kinds, out Form? form) ? form : null;

    public static bool IsReduction(string kernel) => Reductions.Contains(kernel);

    /// <summary>The runtime class whose sweeps the generated code calls, for one element type.</summary>
    public static string KernelClass(string element) => "global::SourceDiff.CompilerServices.MathNetKernels<" + element + ">";
}
