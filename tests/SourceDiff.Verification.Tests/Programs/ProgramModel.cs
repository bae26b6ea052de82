using System.Collections.Immutable;

namespace SourceDiff.Verification.Tests.Programs;

// A small AST for the random programs. It is not C#'s syntax: it holds only what the program generator can produce,
// so the printer can render the same program twice (the [Differentiable] primal, and a double-precision reference
// twin used for finite differences). Integer index and count expressions are kept as text: they are never
// differentiated, and the generator builds them from a handful of shapes that are in bounds by construction.

/// <summary>A real-valued expression.</summary>
public abstract record Expr;

/// <summary>A literal, printed in the method's precision.</summary>
public sealed record Num(double Value) : Expr;

/// <summary>A scalar parameter or local.</summary>
public sealed record Ref(string Name) : Expr;

/// <summary>An integer local or loop index used as a real value (an implicit int → real conversion).</summary>
public sealed record IntAsReal(string Name) : Expr;

/// <summary><c>array[index]</c>; every array a program touches has the length of <c>w</c>.</summary>
public sealed record Index(string Array, string IndexText) : Expr;

public sealed record Neg(Expr Operand) : Expr;

/// <summary><c>+ - *</c>, and <c>/</c> whose right side the generator always makes a <see cref="Fn"/> that is bounded away from zero.</summary>
public sealed record Bin(char Op, Expr Left, Expr Right) : Expr;

/// <summary>A Math function, in a form that keeps its argument inside the domain (see <see cref="FnKind"/>).</summary>
public sealed record Fn(FnKind Kind, Expr Arg) : Expr;

/// <summary><c>Math.Max/Min/Atan2</c>, or <c>Math.Pow</c> of a positive base.</summary>
public sealed record Fn2(Fn2Kind Kind, Expr Left, Expr Right) : Expr;

/// <summary><c>(l OP r ? a : b)</c>.</summary>
public sealed record Conditional(Condition Test, Expr WhenTrue, Expr WhenFalse) : Expr;

/// <summary><c>Grad.Stop(e)</c>: the reference twin replays the value recorded at the base point (see StopTape).</summary>
public sealed record Stop(Expr Operand) : Expr;

/// <summary>
/// A call of an earlier method of the same program and precision: <c>M{Target}(a, b, array, count)</c>; with
/// <paramref name="ArrayArgument"/> the array argument is that expression (<c>M0(x, y, (k &gt; 1 ? w : s0), k)</c>).
/// </summary>
public sealed record Call(int Target, Expr A, Expr B, string Array, string CountText, ArrayExpr? ArrayArgument = null, bool NamedBackwards = false) : Expr;

/// <summary>Computes in double inside a float method: <c>(float)Math.F(e)</c>; in a double method just <c>Math.F(e)</c>.</summary>
public sealed record ViaDouble(FnKind Kind, Expr Arg) : Expr;

/// <summary>
/// An array-valued expression (issue 8). Only array positions hold one: array arguments, alias declarations and
/// assignments; it derives from <see cref="Expr"/> so that argument lists of <see cref="Invoke"/> can mix both.
/// </summary>
public abstract record ArrayExpr : Expr;

/// <summary>An array variable, parameter, field or jagged row, as text: <c>w</c>, <c>s0</c>, <c>r[1]</c>, <c>Hs[l - 1]</c>.</summary>
public sealed record ArrayName(string Text) : ArrayExpr;

/// <summary><c>(test ? a : b)</c> of arrays: both branches are arrays of the same shape.</summary>
public sealed record ArrayConditional(Condition Test, ArrayExpr WhenTrue, ArrayExpr WhenFalse) : ArrayExpr;

/// <summary><c>(a)</c>.</summary>
public sealed record ArrayParen(ArrayExpr Inner) : ArrayExpr;

/// <summary><c>(T[])a.Clone()</c>: a fresh copy, independent of <c>a</c>.</summary>
public sealed record ArrayClone(ArrayExpr Source) : ArrayExpr;

/// <summary><c>(c ? a : b)[index]</c>: an element read through an array expression.</summary>
public sealed record ElementOf(ArrayExpr Array, string IndexText) : Expr;

/// <summary>
/// A call by name with mixed scalar and array arguments, printed <c>Callee(args)</c>; with <paramref name="HasTwin"/>
/// the reference twin calls <c>Callee_Ref</c>. Used for model members (<c>Out.Apply(x)</c>, <c>Ops.Act(z)</c>); an
/// integer argument is an <see cref="IntAsReal"/>, printed as its text.
/// </summary>
public sealed record Invoke(string Callee, bool HasTwin, ImmutableArray<Expr> Args) : Expr;

/// <summary>
/// A call of one of the fixed helpers every program holds (<see cref="ProgramPrinter.RefHelpers"/>), which write a
/// caller's scalar through <c>ref</c> or <c>out</c> and whose reverse sweep reads the value they left there:
/// <c>RefStep(ref h, a)</c> (<c>h = 0.5 * h + Tanh(a * h); return h * h;</c>) or <c>SquareOut(a, out s)</c>
/// (<c>s = a * Sin(a); return s * a;</c>). <paramref name="Name"/> is a local or a parameter of the caller. With
/// <paramref name="NamedBackwards"/> the arguments are named and written in the opposite order of the parameters, which
/// C# evaluates as written.
/// </summary>
public sealed record RefHelperCall(bool Out, string Name, Expr Argument, bool NamedBackwards = false, string? Second = null) : Expr;

/// <summary>
/// <c>StoreAt(a, k, v)</c>, one of the fixed helpers (<see cref="ProgramPrinter.RefHelpers"/>): writes
/// <c>a[k % a.Length]</c> and returns a function of what it wrote, so that <c>a[i] = StoreAt(a, i, v)</c> overwrites an
/// element the call has just written (or, at <c>i + 1</c>, one the next iteration overwrites).
/// </summary>
public sealed record StoreAtCall(string Array, string IndexText, Expr Value) : Expr;

public enum FnKind
{
    Exp, Softplus, LogTwoPlusSin, LogOnePlusSquare, SqrtOnePlusSquare, SqrtExp, Tanh, Sin, Cos, Atan, Abs, Square, Cube,
    Sinh, Clamp,
    /// <summary><c>(1 + e*e)</c>-style positive denominator, printed as <c>(1.5 + Math.Sin(e))</c>.</summary>
    PositiveDenominator,
}

public enum Fn2Kind { Max, Min, Atan2, PowPositiveBase }

/// <summary>A comparison; real-valued (<c>a &gt; b</c>) or integer-valued (kept as text, e.g. <c>i % 2 == 0</c>).</summary>
public sealed record Condition(Expr? Left, string Op, Expr? Right, string? IntText = null);

/// <summary>A statement.</summary>
public abstract record Stmt;

/// <summary><c>T name = e;</c></summary>
public sealed record Declare(string Name, Expr Value) : Stmt;

/// <summary><c>name op= e;</c> where op is "", "+", "-", "*" (or "/" with a positive denominator).</summary>
public sealed record Assign(string Name, string Op, Expr Value) : Stmt;

/// <summary><c>(First, Second) = (FirstValue, SecondValue);</c>: both values are evaluated, left to right, before either target is written.</summary>
public sealed record TupleAssign(string First, string Second, Expr FirstValue, Expr SecondValue) : Stmt;

/// <summary><c>T[] name = new T[w.Length];</c>, or with <paramref name="Wide"/> <c>new T[2 * w.Length]</c> (views of it are TensorPrimitives arguments).</summary>
public sealed record DeclareArray(string Name, bool Wide = false) : Stmt;

/// <summary><c>name[index] op= e;</c></summary>
public sealed record AssignElement(string Array, string IndexText, string Op, Expr Value) : Stmt;

/// <summary>
/// <c>int name = text;</c>, or with <paramref name="DataSource"/> a data-dependent count
/// <c>1 + (int)(Math.Abs(source) * 2) % 3</c> (zero derivative; a change under perturbation shows as a jump).
/// </summary>
public sealed record DeclareInt(string Name, string ValueText, Expr? DataSource = null) : Stmt;

/// <summary>
/// <c>for (int v = 0; v &lt; bound; v++) { body }</c>, or another counted shape that keeps v in [0, bound): counted
/// loops are replayed by the reverse sweep from their first value, bound and step, so each shape is its own case.
/// </summary>
public sealed record For(string Var, string BoundText, ImmutableArray<Stmt> Body, LoopShape Shape = LoopShape.Up) : Stmt;

public enum LoopShape
{
    /// <summary><c>for (int v = 0; v &lt; n; v++)</c></summary>
    Up,

    /// <summary><c>for (int v = 1; v &lt; n; v++)</c></summary>
    FromOne,

    /// <summary><c>for (int v = 0; v &lt; n; v += 2)</c></summary>
    ByTwo,

    /// <summary><c>for (int v = 0; v &lt;= n - 1; v++)</c></summary>
    UpInclusive,

    /// <summary><c>for (int v = n - 1; v &gt;= 0; v--)</c></summary>
    Down,

    /// <summary><c>for (int v = n - 1; v &gt; 0; v -= 2)</c></summary>
    DownByTwo,
}

/// <summary><c>int v = 0; while (v &lt; bound) { v++; body }</c> (the increment first, so <c>continue</c> cannot spin).</summary>
public sealed record While(string Var, string BoundText, ImmutableArray<Stmt> Body) : Stmt;

/// <summary><c>int v = 0; do { v++; body } while (v &lt; bound);</c></summary>
public sealed record DoWhile(string Var, string BoundText, ImmutableArray<Stmt> Body) : Stmt;

/// <summary><c>foreach (T v in array) { body }</c></summary>
public sealed record ForEach(string Var, string Array, ImmutableArray<Stmt> Body) : Stmt;

public sealed record IfElse(Condition Test, ImmutableArray<Stmt> Then, ImmutableArray<Stmt> Else) : Stmt;

public sealed record Break : Stmt;

public sealed record Continue : Stmt;

/// <summary><c>return e;</c>, or <c>return;</c> in a void method (a <see cref="FillerSpec"/>).</summary>
public sealed record Return(Expr? Value) : Stmt;

/// <summary><c>T[] name = e;</c> of an array expression: an alias (<c>= s0</c>, <c>= c ? a : b</c>) or a copy (Clone).</summary>
public sealed record DeclareArrayAlias(string Name, ArrayExpr Value) : Stmt;

/// <summary><c>name = e;</c>: an array local made to refer to another array.</summary>
public sealed record AssignArray(string Name, ArrayExpr Value) : Stmt;

/// <summary><c>(c ? a : b)[index] op= e;</c>: an element write through an array expression.</summary>
public sealed record AssignThrough(ArrayExpr Array, string IndexText, string Op, Expr Value) : Stmt;

/// <summary>Statements printed in line, in the enclosing block (what they declare stays visible after them).</summary>
public sealed record Sequence(ImmutableArray<Stmt> Statements) : Stmt;

/// <summary>A call as a statement, <see cref="Invoke"/>'s statement form: <c>F0(s0, x, y, k);</c>, <c>Layers[l].Step(a, Hs[l]);</c>.</summary>
public sealed record InvokeStatement(Invoke Call) : Stmt;

/// <summary>
/// A span argument of a TensorPrimitives call (<see cref="TensorCall"/>, <see cref="TensorReduce"/>) or the value of a
/// span local (<see cref="DeclareSpan"/>). Index texts are in bounds by construction (see TensorStatements).
/// </summary>
public abstract record SpanExpr : Expr;

/// <summary>
/// A view of an array: <c>a</c> (the whole array, converted), <c>a.AsSpan()</c> (<paramref name="AsSpan"/>),
/// <c>a.AsSpan(start)</c> or <c>a.AsSpan(start, length)</c>.
/// </summary>
public sealed record ArrayView(string Array, string? StartText = null, string? LengthText = null, bool AsSpan = false) : SpanExpr;

/// <summary>A span local, <c>v</c>, or a slice of one: <c>v.Slice(start)</c>, <c>v.Slice(start, length)</c>.</summary>
public sealed record SpanName(string Name, string? StartText = null, string? LengthText = null) : SpanExpr;

/// <summary>
/// <c>TensorPrimitives.Op&lt;T&gt;(args);</c> of an element-wise operation: span arguments are <see cref="SpanExpr"/>s,
/// scalars any expression; the destination comes last. The reference twin calls the same operation in double.
/// </summary>
public sealed record TensorCall(string Op, ImmutableArray<Expr> Args) : Stmt;

/// <summary><c>TensorPrimitives.Op&lt;T&gt;(spans)</c>: a reduction (Sum, Dot, Norm, Max, …) as a real value.</summary>
public sealed record TensorReduce(string Op, ImmutableArray<Expr> Args) : Expr;

/// <summary><c>ReadOnlySpan&lt;T&gt; name = view;</c> (or <c>Span&lt;T&gt;</c>): a span local bound once to a view.</summary>
public sealed record DeclareSpan(string Name, bool ReadOnly, SpanExpr View) : Stmt;

/// <summary>
/// <c>static T M{Index}(T x, T y, T[] w, int k)</c> where T is double or float. Every method of a program has this
/// shape, so any method can call any earlier one of the same precision.
/// </summary>
public sealed record MethodSpec(int Index, bool IsFloat, bool ExpressionBodied, ImmutableArray<Stmt> Body, Expr Result)
{
    public string Name => "M" + Index;
}

/// <summary>
/// <c>static void F{Index}(T[] v, T x, T y, int k)</c>: a differentiable callee that writes into its array argument
/// (issue 8: aliases in callees, <c>{ T[] a = v; a[0] = 3 * x; }</c>). Its pullback is checked through its callers.
/// </summary>
public sealed record FillerSpec(int Index, bool IsFloat, ImmutableArray<Stmt> Body)
{
    public string Name => "F" + Index;
}

/// <summary>
/// One input point: the two scalars, <c>w</c>, the count <c>k</c> and, when the program has rows, the rows of
/// <c>r</c> (each as long as <c>w</c>).
/// </summary>
public sealed record Point(double X, double Y, ImmutableArray<double> W, int K, ImmutableArray<ImmutableArray<double>> R = default)
{
    /// <summary>The rows of <c>r</c>; empty when the program has none.</summary>
    public ImmutableArray<ImmutableArray<double>> Rows => R.IsDefault ? ImmutableArray<ImmutableArray<double>>.Empty : R;
}

/// <summary>
/// A program: a few methods in one class, and the points at which to check every method's gradient. With
/// <paramref name="Rows"/> every method takes a jagged <c>T[][] r</c> after <c>w</c> (<c>M(x, y, w, r, k)</c>); fillers
/// come before the methods and may be called by any method of their precision.
/// </summary>
public sealed record ProgramSpec(
    ImmutableArray<MethodSpec> Methods, int ArrayLength, ImmutableArray<Point> Points, ImmutableArray<FillerSpec> Fillers = default, bool Rows = false)
{
    public ImmutableArray<FillerSpec> FillerMethods => Fillers.IsDefault ? ImmutableArray<FillerSpec>.Empty : Fillers;
}

/// <summary>
/// A MathNet.Numerics <c>Vector&lt;T&gt;</c> or <c>Matrix&lt;T&gt;</c> valued expression (<see cref="ProgramFeatures.MathNetCalls"/>,
/// see MathNetStatements). Shapes are right by construction; element reads are <see cref="Index"/> (<c>v[i]</c>,
/// <c>m[i, j]</c>) and element writes <see cref="AssignElement"/>.
/// </summary>
public abstract record MnExpr : Expr;

/// <summary>A vector or matrix local, <c>h</c>.</summary>
public sealed record MnName(string Name) : MnExpr;

/// <summary><c>Vector&lt;T&gt;.Build.DenseOfArray(a)</c>: a copy of an array of the method's length.</summary>
public sealed record MnOfArray(string Array) : MnExpr;

/// <summary>
/// <c>Vector&lt;T&gt;.Build.Dense(rows)</c> or, with <paramref name="ColumnsText"/>, <c>Matrix&lt;T&gt;.Build.Dense(rows, columns)</c>;
/// with <paramref name="Fill"/> every element that value.
/// </summary>
public sealed record MnBuild(string RowsText, string? ColumnsText, Expr? Fill = null) : MnExpr;

/// <summary><c>(l op r)</c> for <c>+ - * /</c>, at least one side a vector or matrix (<c>/</c> by a scalar bounded away from 0, or a scalar by a positive vector).</summary>
public sealed record MnOp(char Op, Expr Left, Expr Right) : MnExpr;

/// <summary><c>-e</c>.</summary>
public sealed record MnNeg(MnExpr Operand) : MnExpr;

/// <summary><c>target.Method(args)</c> returning a vector or matrix: <c>PointwiseTanh()</c>, <c>Row(i)</c>, <c>TransposeThisAndMultiply(x)</c>, …; an <see cref="IntAsReal"/> argument prints as its text.</summary>
public sealed record MnMethod(MnExpr Target, string Method, ImmutableArray<Expr> Args) : MnExpr;

/// <summary><c>Vector&lt;T&gt;.OuterProduct(u, v)</c>.</summary>
public sealed record MnOuter(MnExpr Left, MnExpr Right) : MnExpr;

/// <summary><c>(test ? a : b)</c> of vectors or matrices of one shape.</summary>
public sealed record MnConditional(Condition Test, MnExpr WhenTrue, MnExpr WhenFalse) : MnExpr;

/// <summary>A scalar of vectors: <c>u.DotProduct(v)</c>, <c>v.Sum()</c>, <c>v.L2Norm()</c>, or with <paramref name="Method"/> <c>*</c> the product <c>(u * v)</c>.</summary>
public sealed record MnReduce(MnExpr Target, string Method, ImmutableArray<Expr> Args) : Expr;

/// <summary><c>Vector&lt;T&gt; name = value;</c> or <c>Matrix&lt;T&gt; name = value;</c>.</summary>
public sealed record DeclareMn(string Name, bool Matrix, MnExpr Value) : Stmt;

/// <summary><c>name op= value;</c> of a vector or matrix local (op "", "+", "-", or "*" by a scalar).</summary>
public sealed record AssignMn(string Name, string Op, Expr Value) : Stmt;

/// <summary><c>target.Method(args);</c>: an overload that writes the result the caller passes last (<c>W.Multiply(x, y)</c>, <c>h.PointwiseTanh(h)</c>).</summary>
public sealed record MnCall(MnExpr Target, string Method, ImmutableArray<Expr> Args) : Stmt;
