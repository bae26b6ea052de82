using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.IR;

/// <summary>
/// A statement of the IR. <c>Source</c> is the user's statement, shown as a comment beside its adjoint;
/// <see cref="Site"/> is where it stands, for diagnostics about it.
/// </summary>
internal abstract record Stmt
{
    public Site? Site { get; init; }
}

internal enum AssignKind
{
    /// <summary><c>x = e</c>.</summary>
    Set,

    /// <summary><c>T x = e</c>: the first write of a local declared here.</summary>
    Declare,

    /// <summary><c>x += e</c>.</summary>
    Add,

    /// <summary><c>x -= e</c>.</summary>
    Subtract,
}

internal sealed record Assign(Expr Target, Expr Value, AssignKind Kind, string Source) : Stmt;

internal sealed record Block(EquatableArray<Stmt> Statements) : Stmt
{
    public static readonly Block Empty = new(EquatableArray<Stmt>.Empty);
}

internal sealed record If(Expr Condition, Block Then, Block Else) : Stmt;

/// <summary>
/// A structured loop: <c>while (Condition) { Body; Step; }</c>, or with <c>TestFirst = false</c> a
/// <c>do { Body; Step; } while (Condition)</c>. Initializers are ordinary statements before it; break, continue and
/// return inside have already been turned into flag assignments and guards by lowering.
/// </summary>
internal sealed record Loop(Expr Condition, Block Body, Block Step, bool TestFirst) : Stmt;

/// <summary><c>Target = Call(...)</c> or <c>Call(...);</c> for a call that has a pullback.</summary>
internal sealed record CallStmt(Expr? Target, Call Call, AssignKind Kind, string Source) : Stmt;

/// <summary><c>throw …;</c>: ends the forward sweep; nothing to reverse.</summary>
internal sealed record Throw(string Text) : Stmt;

internal enum CallKind
{
    /// <summary>A <c>[Differentiable]</c> method: its generated forward and reverse sweeps are called.</summary>
    Differentiable,

    /// <summary>Any other method: resolved later against the <c>[DerivativeOf]</c> methods of the compilation.</summary>
    External,

    /// <summary>
    /// A <c>TensorPrimitives</c> operation: the runtime's <c>TensorKernels&lt;T&gt;</c> has its primal and its forward and
    /// reverse sweeps, in the generated sweeps' calling convention, with views as span arguments.
    /// </summary>
    Kernel,
}

/// <summary>
/// A call with a pullback. <c>Receiver</c> is null for static methods and for methods of <c>this</c>;
/// otherwise a layer field (or an element of an array of layers).
/// </summary>
internal sealed record Call(
    CallKind Kind,
    string ContainingType,
    string Name,
    string Key,
    bool IsStatic,
    Expr? Receiver,
    EquatableArray<Argument> Arguments,
    EquatableArray<CalleeParameter> Parameters,
    TypeRef ReturnType,
    DiagnosticInfo IfUnresolved);

internal sealed record Argument(Expr Value, RefMode Mode);

internal enum RefMode
{
    None,
    Ref,
    Out,
    In,
}

/// <summary>A parameter of a called method; <c>MayWrite</c> when the callee may write through it (ref/out, or array elements).</summary>
internal sealed record CalleeParameter(string Name, TypeRef Type, RefMode Mode, bool IsDifferentiable, bool MayWrite);

/// <summary>A call that cannot change any floating value (logging, integer helpers): run in the forward sweep only.</summary>
internal sealed record NonDifferentiableCall(Expr Expression, string Source) : Stmt;
