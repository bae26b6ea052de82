using System;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.IR;

/// <summary>
/// A C# type as the IR needs it: its display text (keywords for primitives, <c>global::</c>-qualified otherwise),
/// the element type and the ranks of its array levels from the outside in (<c>double[][]</c> → [1, 1],
/// <c>double[,]</c> → [2]). <c>Span</c> is "Span" or "ReadOnlySpan" for <c>Span&lt;double&gt;</c>-like parameters,
/// which behave as one-dimensional arrays that cannot be stored or reassigned. <c>MathNet</c> is "Vector" or "Matrix" for
/// MathNet.Numerics' <c>Vector&lt;T&gt;</c> (rank [1]) and <c>Matrix&lt;T&gt;</c> (rank [2]) over double or float, which
/// behave as arrays of that rank whose indexers, shapes and creation are MathNet's.
/// </summary>
internal sealed record TypeRef(string Element, EquatableArray<int> Ranks, string? Span = null, string? MathNet = null)
{
    public const string MathNetNamespace = "global::MathNet.Numerics.LinearAlgebra.";

    public static readonly TypeRef Double = new("double", EquatableArray<int>.Empty);
    public static readonly TypeRef Float = new("float", EquatableArray<int>.Empty);
    public static readonly TypeRef Int = new("int", EquatableArray<int>.Empty);
    public static readonly TypeRef Bool = new("bool", EquatableArray<int>.Empty);
    public static readonly TypeRef Void = new("void", EquatableArray<int>.Empty);

    public bool IsArray => Ranks.Count > 0;

    public bool IsSpan => Span is not null;

    public bool IsMathNet => MathNet is not null;

    public static TypeRef MathNetOf(TypeRef element, string kind) => new(element.Element, EquatableArray.Of(kind == "Matrix" ? 2 : 1), MathNet: kind);

    /// <summary>The type of this value's adjoint buffer: a writable span for any span, the same type otherwise.</summary>
    public string AdjointDisplay => IsSpan ? "global::System.Span<" + Element + ">" : Display;

    /// <summary><c>double</c> or <c>float</c>: values that carry a derivative.</summary>
    public bool IsFloatingScalar => !IsArray && IsFloatingElement;

    public bool IsFloatingArray => IsArray && IsFloatingElement;

    /// <summary>A scalar or an array (of any depth) of <c>double</c>/<c>float</c>.</summary>
    public bool IsDifferentiable => IsFloatingElement;

    public bool IsFloatingElement => Element is "double" or "float";

    public bool IsVoid => Element == "void" && !IsArray;

    /// <summary>The type of one element of this array (one level down).</summary>
    public TypeRef ElementType => IsArray ? new TypeRef(Element, new EquatableArray<int>(Ranks.AsImmutableArray().RemoveAt(0))) : this;

    public static TypeRef SpanOf(TypeRef element, string span) => new(element.Element, EquatableArray.Of(1), span);

    /// <summary>The innermost scalar type (<c>double</c> for <c>double[][]</c>).</summary>
    public TypeRef Scalar => new(Element, EquatableArray<int>.Empty);

    /// <summary>The tape method suffix for values of this type (<c>Double</c>, <c>Int</c>, …), or null for references.</summary>
    public string? TapeKind => IsArray ? null : Element switch
    {
        "double" => "Double",
        "float" => "Float",
        "int" or "short" or "sbyte" or "byte" or "ushort" or "char" => "Int",
        "long" or "uint" or "ulong" => "Long",
        "bool" => "Bool",
        _ => null,
    };

    /// <summary>C# text of the type, e.g. <c>double[][]</c>, <c>double[,]</c>.</summary>
    public string Display
    {
        get
        {
            if (IsSpan)
            {
                return "global::System." + Span + "<" + Element + ">";
            }

            if (IsMathNet)
            {
                return MathNetNamespace + MathNet + "<" + Element + ">";
            }

            if (!IsArray)
            {
                return Element;
            }

            var text = new System.Text.StringBuilder(Element);
            foreach (int rank in Ranks)
            {
                text.Append('[').Append(',', rank - 1).Append(']');
            }

            return text.ToString();
        }
    }

    /// <summary>C# text of <c>new T[len0, len1]</c> for this array type with the given outermost lengths.</summary>
    public override string ToString() => Display;

    public static TypeRef Array(TypeRef element, int rank) =>
        new(element.Element, new EquatableArray<int>(element.Ranks.AsImmutableArray().Insert(0, rank)));

    public static bool IsKeyword(string element) => element is "double" or "float" or "int" or "long" or "bool" or "short"
        or "byte" or "sbyte" or "ushort" or "uint" or "ulong" or "char" or "decimal" or "string" or "object";

}
