using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.IR;

/// <summary>An expression of the IR: side-effect free (calls to differentiable methods are statements).</summary>
internal abstract record Expr(TypeRef Type);

/// <summary>A literal, already formatted as culture-invariant C# text.</summary>
internal sealed record Literal(string Text, TypeRef Type) : Expr(Type);

/// <summary>Where a variable lives; decides how it is recorded and where its adjoint is kept.</summary>
internal enum VarKind
{
    /// <summary>A local of the method (uniquely renamed) or a temporary introduced by lowering.</summary>
    Local,

    /// <summary>A by-value parameter.</summary>
    Parameter,

    /// <summary>A <c>ref</c> or <c>out</c> parameter: storage owned by the caller.</summary>
    RefParameter,

    /// <summary>An instance field that is a trainable parameter (adjoint in <c>gradient.Name</c>).</summary>
    ParameterField,

    /// <summary>A <c>[State]</c> instance field (adjoint in an internal slot of the gradient object).</summary>
    StateField,

    /// <summary>An instance field that carries no derivative (<c>[NoDerivative]</c>, integers, …).</summary>
    DataField,

    /// <summary>An instance field holding a layer object with differentiable methods.</summary>
    LayerField,
}

/// <summary>A named storage location: local, parameter or field of <c>this</c>.</summary>
internal sealed record Var(string Name, VarKind Kind, TypeRef Type) : Expr(Type)
{
    public bool IsField => Kind is VarKind.ParameterField or VarKind.StateField or VarKind.DataField or VarKind.LayerField;

    /// <summary>Storage that outlives the method: writes to it are always recorded, because callers may need the old value.</summary>
    public bool IsNonLocal => IsField || Kind == VarKind.RefParameter;
}

/// <summary><c>array[i]</c>, <c>matrix[i, j]</c>.</summary>
internal sealed record Element(Expr Array, EquatableArray<Expr> Indices, TypeRef Type) : Expr(Type);

internal sealed record Unary(string Operator, Expr Operand, TypeRef Type) : Expr(Type);

internal sealed record Binary(string Operator, Expr Left, Expr Right, TypeRef Type) : Expr(Type);

internal sealed record Conditional(Expr Condition, Expr WhenTrue, Expr WhenFalse, TypeRef Type) : Expr(Type);

/// <summary>A call to a <c>System.Math</c>/<c>MathF</c> function with a built-in derivative.</summary>
internal sealed record MathCall(string Class, string Function, EquatableArray<Expr> Arguments, TypeRef Type) : Expr(Type);

/// <summary>A numeric conversion; the derivative passes through between floating types and stops at integers.</summary>
internal sealed record Cast(Expr Operand, TypeRef Type) : Expr(Type);

/// <summary><c>Grad.Stop(x)</c>: the value of x, with no derivative.</summary>
internal sealed record StopGradient(Expr Operand, TypeRef Type) : Expr(Type);

/// <summary>
/// <c>Count</c> elements of a one-dimensional array or span from <c>Start</c>, handed to a vector kernel as a span
/// (<c>x.AsSpan(start, count)</c>, a slice, a whole array). Its adjoint is the same run of the adjoint storage.
/// </summary>
internal sealed record View(Expr Storage, Expr Start, Expr Count, TypeRef Type) : Expr(Type)
{
    /// <summary>The whole of <c>Storage</c>: passed as it is (arrays convert to spans).</summary>
    public bool IsWhole => Start is Literal { Text: "0" } && Count is Opaque { Member: "Length", Arguments: null } length && Equals(length.Receiver, Storage);
}

/// <summary><c>new double[n]</c>, <c>new double[n, m]</c>, <c>new double[n][]</c>: a fresh zero array.</summary>
internal sealed record NewArray(EquatableArray<Expr> Lengths, TypeRef Type) : Expr(Type);

/// <summary>
/// An expression that never carries a derivative (array lengths, integer helpers, static readonly data,
/// <c>double.IsNaN</c>…): the member <c>Member</c> read from <c>Receiver</c> — or, with no receiver, a static member of
/// <c>StaticType</c>, or a member of <c>this</c> when that is null too — and called with <c>Arguments</c> when they are
/// given.
/// </summary>
internal sealed record Opaque(Expr? Receiver, string? StaticType, string Member, EquatableArray<Expr>? Arguments, TypeRef Type) : Expr(Type)
{
    public static Opaque Read(Expr receiver, string member, TypeRef type) => new(receiver, null, member, null, type);

    public static Opaque Static(string type, string member, TypeRef memberType) => new(null, type, member, null, memberType);

    /// <summary><c>array.GetLength(dimension)</c>: a dimension of a rectangular array (a MathNet matrix's row or column count).</summary>
    public static Opaque GetLength(Expr array, int dimension) =>
        new(array, null, "GetLength", EquatableArray.Of<Expr>(new Literal(dimension.ToString(System.Globalization.CultureInfo.InvariantCulture), TypeRef.Int)), TypeRef.Int);

    /// <summary>The member of an indexer read, <c>receiver[arguments]</c> (a list of data, which has no derivative).</summary>
    public const string IndexerMember = "this[]";

    public static Opaque Indexer(Expr receiver, Expr index, TypeRef elementType) => new(receiver, null, IndexerMember, EquatableArray.Of(index), elementType);

    /// <summary>The IR values it reads: its receiver and its arguments.</summary>
    public System.Collections.Generic.IEnumerable<Expr> Parts
    {
        get
        {
            if (Receiver is not null)
            {
                yield return Receiver;
            }

            foreach (Expr argument in Arguments ?? EquatableArray<Expr>.Empty)
            {
                yield return argument;
            }
        }
    }
}
