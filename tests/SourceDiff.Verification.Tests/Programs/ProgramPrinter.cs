using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>
/// Renders a <see cref="ProgramSpec"/> as C#. Every method is printed twice: the <c>[Differentiable]</c> primal in its
/// own precision, and a reference twin <c>M{i}_Ref</c> in double precision whose <c>Grad.Stop</c> calls go through
/// <see cref="StopTape"/>. Finite differences are taken on the twin: it is the same function computed in double
/// (so float methods are checked against a double oracle), and stopped values stay frozen at their base-point value,
/// which is exactly the function whose gradient the generator promises.
/// </summary>
public static class ProgramPrinter
{
    public const string Namespace = "Verify";

    public static string ClassName(int programId) => "P" + programId;

    /// <summary>The whole compilation unit for one program.</summary>
    public static string Print(ProgramSpec program, int programId)
    {
        var writer = new StringBuilder();
        writer.AppendLine("using System;");
        writer.AppendLine("using SourceDiff;");
        writer.AppendLine();
        writer.AppendLine("namespace " + Namespace + ";");
        writer.AppendLine();
        writer.AppendLine("public static partial class " + ClassName(programId));
        writer.AppendLine("{");
        writer.Append(RefHelpers);
        foreach (FillerSpec filler in program.FillerMethods)
        {
            new FillerPrinter(writer, filler, reference: false).Print();
            writer.AppendLine();
        }

        foreach (MethodSpec method in program.Methods)
        {
            new MethodPrinter(writer, method, reference: false, program.Rows).Print();
            writer.AppendLine();
        }

        foreach (MethodSpec method in program.Methods.Where(Checkpointable))
        {
            new MethodPrinter(writer, method, reference: false, program.Rows, checkpointSnapshots: CheckpointSnapshots(method)).Print();
            writer.AppendLine();
        }

        foreach (FillerSpec filler in program.FillerMethods)
        {
            new FillerPrinter(writer, filler, reference: true).Print();
            writer.AppendLine();
        }

        foreach (MethodSpec method in program.Methods)
        {
            new MethodPrinter(writer, method, reference: true, program.Rows).Print();
            writer.AppendLine();
        }

        writer.AppendLine("}");
        string text = writer.ToString();

        // Only programs that call TensorPrimitives (ProgramFeatures.TensorCalls) import it: the others print as they always did.
        if (text.Contains("TensorPrimitives.", StringComparison.Ordinal))
        {
            text = "using System.Numerics.Tensors;" + Environment.NewLine + text;
        }

        // Likewise MathNet (ProgramFeatures.MathNetCalls).
        return text.Contains("Vector<", StringComparison.Ordinal) || text.Contains("Matrix<", StringComparison.Ordinal)
            ? "using MathNet.Numerics.LinearAlgebra;" + Environment.NewLine + text
            : text;
    }

    /// <summary>Only the [Differentiable] methods, as a reader of a failure message wants to see them.</summary>
    public static string PrintPrimal(ProgramSpec program)
    {
        var writer = new StringBuilder();
        writer.AppendLine("public static partial class P");
        writer.AppendLine("{");
        foreach (FillerSpec filler in program.FillerMethods)
        {
            new FillerPrinter(writer, filler, reference: false).Print();
        }

        foreach (MethodSpec method in program.Methods)
        {
            new MethodPrinter(writer, method, reference: false, program.Rows).Print();
        }

        writer.AppendLine("}");
        foreach (Point point in program.Points)
        {
            writer.AppendLine("// point: " + Describe(point));
        }

        return writer.ToString();
    }

    public static string Describe(Point point) =>
        FormattableString.Invariant($"x = {point.X:R}, y = {point.Y:R}, w = {{ {string.Join(", ", point.W)} }}, k = {point.K}")
        + (point.Rows.IsEmpty ? "" : ", r = { " + string.Join(", ", point.Rows.Select(row => "{ " + string.Join(", ", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + " }")) + " }");

    /// <summary>The name of a method's twin under <c>[Checkpoint]</c>, whose gradient must equal the method's bit for bit.</summary>
    public static string CheckpointedName(MethodSpec method) => method.Name + "_Checkpointed";

    /// <summary>
    /// Whether the method gets a <c>[Checkpoint]</c> twin: it has loops, and every loop not nested in another is a counted
    /// for or foreach with no break, continue or return inside, that points no array variable elsewhere (SD0014 otherwise;
    /// a MathNet vector or matrix assigned, <c>h = …</c> or <c>h += …</c>, is pointed at a new one).
    /// </summary>
    public static bool Checkpointable(MethodSpec method)
    {
        var loops = Outermost(method.Body).ToList();
        return loops.Count > 0 && loops.All(loop => loop is For or ForEach && !Descendants(loop).Any(s => s is Break or Continue or Return or AssignArray or AssignMn));
    }

    /// <summary>1, 2 or 3 snapshots, or 0 (SourceDiff chooses), by the method's index.</summary>
    public static int CheckpointSnapshots(MethodSpec method) => method.Index % 4;

    private static IEnumerable<Stmt> Outermost(ImmutableArray<Stmt> statements)
    {
        foreach (Stmt statement in statements)
        {
            switch (statement)
            {
                case For or ForEach or While or DoWhile:
                    yield return statement;
                    break;
                case IfElse branch:
                    foreach (Stmt loop in Outermost(branch.Then).Concat(Outermost(branch.Else)))
                    {
                        yield return loop;
                    }

                    break;
                case Sequence sequence:
                    foreach (Stmt loop in Outermost(sequence.Statements))
                    {
                        yield return loop;
                    }

                    break;
            }
        }
    }

    private static IEnumerable<Stmt> Descendants(Stmt statement)
    {
        ImmutableArray<Stmt> children = statement switch
        {
            For loop => loop.Body,
            ForEach loop => loop.Body,
            While loop => loop.Body,
            DoWhile loop => loop.Body,
            IfElse branch => branch.Then.AddRange(branch.Else),
            Sequence sequence => sequence.Statements,
            _ => ImmutableArray<Stmt>.Empty,
        };
        foreach (Stmt child in children)
        {
            yield return child;
            foreach (Stmt inner in Descendants(child))
            {
                yield return inner;
            }
        }
    }

    private sealed class MethodPrinter(StringBuilder writer, MethodSpec method, bool reference, bool rows, int? checkpointSnapshots = null)
    {
        private readonly CodePrinter code = new(writer, single: method.IsFloat && !reference, reference, rows, indent: 1);

        public void Print()
        {
            string name = reference ? method.Name + "_Ref" : checkpointSnapshots is null ? method.Name : CheckpointedName(method);
            if (checkpointSnapshots is { } snapshots)
            {
                code.Line(snapshots == 0 ? "[Differentiable, Checkpoint]" : $"[Differentiable, Checkpoint(Snapshots = {snapshots})]");
            }
            else if (!reference)
            {
                code.Line("[Differentiable]");
            }

            string type = code.Type;
            string signature = $"public static {type} {name}({type} x, {type} y, {type}[] w, {(rows ? type + "[][] r, " : "")}int k)";
            if (method.ExpressionBodied && method.Body.IsEmpty)
            {
                code.Line(signature + " => " + code.E(method.Result) + ";");
                return;
            }

            code.Line(signature);
            code.Line("{");
            code.Indent++;
            code.Statements(method.Body);
            code.Line("return " + code.E(method.Result) + ";");
            code.Indent--;
            code.Line("}");
        }
    }

    private sealed class FillerPrinter(StringBuilder writer, FillerSpec filler, bool reference)
    {
        private readonly CodePrinter code = new(writer, single: filler.IsFloat && !reference, reference, rows: false, indent: 1) { Length = "v.Length" };

        public void Print()
        {
            if (!reference)
            {
                code.Line("[Differentiable]");
            }

            string type = code.Type;
            code.Line($"public static void {filler.Name}{(reference ? "_Ref" : "")}({type}[] v, {type} x, {type} y, int k)");
            code.Block(filler.Body);
        }
    }

    /// <summary>
    /// The helpers <see cref="RefHelperCall"/> and <see cref="StoreAtCall"/> call, in each precision and as the double
    /// reference twin (which tracks its intermediates, see <see cref="Intermediates"/>): callees whose reverse sweeps
    /// start from the value they wrote through <c>ref</c>/<c>out</c> or into their array.
    /// </summary>
    public const string RefHelpers = """
            [Differentiable]
            public static double RefStepD(ref double h, double a) { h = 0.5 * h + Math.Tanh(a * h); return h * h; }

            [Differentiable]
            public static float RefStepF(ref float h, float a) { h = 0.5f * h + MathF.Tanh(a * h); return h * h; }

            public static double RefStep_Ref(ref double h, double a) { h = global::SourceDiff.Verification.Tests.Programs.Intermediates.Track(0.5 * h + Math.Tanh(global::SourceDiff.Verification.Tests.Programs.Intermediates.Track(a * h))); return global::SourceDiff.Verification.Tests.Programs.Intermediates.Track(h * h); }

            [Differentiable]
            public static double SquareOutD(double a, out double s) { s = a * Math.Sin(a); return s * a; }

            [Differentiable]
            public static float SquareOutF(float a, out float s) { s = a * MathF.Sin(a); return s * a; }

            public static double SquareOut_Ref(double a, out double s) { s = global::SourceDiff.Verification.Tests.Programs.Intermediates.Track(a * Math.Sin(a)); return global::SourceDiff.Verification.Tests.Programs.Intermediates.Track(s * a); }

            [Differentiable]
            public static double MixRefsD(ref double a, ref double b, double c) { a = b * a + c; b = Math.Tanh(b * c) - 0.5 * b; return a * b; }

            [Differentiable]
            public static float MixRefsF(ref float a, ref float b, float c) { a = b * a + c; b = MathF.Tanh(b * c) - 0.5f * b; return a * b; }

            public static double MixRefs_Ref(ref double a, ref double b, double c) { a = global::SourceDiff.Verification.Tests.Programs.Intermediates.Track(b * a + c); b = Math.Tanh(global::SourceDiff.Verification.Tests.Programs.Intermediates.Track(b * c)) - 0.5 * b; return global::SourceDiff.Verification.Tests.Programs.Intermediates.Track(a * b); }

            [Differentiable]
            public static double StoreAtD(double[] a, int k, double v) { int j = k % a.Length; a[j] = 0.5 * a[j] + v; return Math.Sin(a[j] * v); }

            [Differentiable]
            public static float StoreAtF(float[] a, int k, float v) { int j = k % a.Length; a[j] = 0.5f * a[j] + v; return MathF.Sin(a[j] * v); }

            public static double StoreAt_Ref(double[] a, int k, double v) { int j = k % a.Length; a[j] = global::SourceDiff.Verification.Tests.Programs.Intermediates.Track(0.5 * a[j] + v); return Math.Sin(global::SourceDiff.Verification.Tests.Programs.Intermediates.Track(a[j] * v)); }


        """;

    /// <summary>A round-trip, culture-invariant literal; parenthesized when negative.</summary>
    public static string Literal(double value, bool single)
    {
        string text = single
            ? ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f"
            : value.ToString("R", CultureInfo.InvariantCulture);
        if (!single && !text.Contains('.') && !text.Contains('E'))
        {
            text += ".0";
        }

        return value < 0 ? "(" + text + ")" : text;
    }
}

/// <summary>Printer-internal statement: fixed text (the counter increment of while/do loops).</summary>
internal sealed record RawStatement(string Text) : Stmt;

/// <summary>
/// Prints statements and expressions of the program AST in one precision: the primal's (<c>float</c> or
/// <c>double</c>), or the reference twin's (always <c>double</c>, <c>Grad.Stop</c> through <see cref="StopTape"/>,
/// calls to the twins <c>M{i}_Ref</c>). Shared by the program and model printers.
/// </summary>
internal sealed class CodePrinter(StringBuilder writer, bool single, bool reference, bool rows, int indent)
{
    public int Indent { get; set; } = indent;

    /// <summary>What <c>{Ops}</c> stands for in the name of an <see cref="Invoke"/>: a model's Q{id}Ops.</summary>
    public string OpsClass { get; init; } = "Ops";

    /// <summary>The length of scratch arrays: <c>w.Length</c> in programs, <c>v.Length</c> in fillers, <c>x.Length</c> in models.</summary>
    public string Length { get; init; } = "w.Length";

    public string Type => single ? "float" : "double";

    private string MathType => single ? "MathF" : "Math";

    public void Statements(ImmutableArray<Stmt> statements)
    {
        foreach (Stmt statement in statements)
        {
            Statement(statement);
        }
    }

    public void Block(ImmutableArray<Stmt> body)
    {
        Line("{");
        Indent++;
        Statements(body);
        Indent--;
        Line("}");
    }

    public void Statement(Stmt statement)
    {
        string type = Type;
        string math = MathType;
        switch (statement)
        {
            case Declare d:
                Line($"{type} {d.Name} = {E(d.Value)};");
                break;
            case Assign a:
                Line($"{a.Name} {a.Op}= {E(a.Value)};");
                break;
            case DeclareArray d:
                Line($"{type}[] {d.Name} = new {type}[{(d.Wide ? "2 * " + Length : Length)}];");
                break;
            case AssignElement a:
                Line($"{a.Array}[{a.IndexText}] {a.Op}= {E(a.Value)};");
                break;
            case DeclareInt d when d.DataSource is null:
                Line($"int {d.Name} = {d.ValueText};");
                break;
            case DeclareInt { DataSource: { } source } d:
                Line($"int {d.Name} = 1 + (int)({math}.Abs({E(source)}) * {L(2)}) % 3;");
                break;
            case For f:
                string v = f.Var, n = f.BoundText;
                Line(f.Shape switch
                {
                    LoopShape.FromOne => $"for (int {v} = 1; {v} < {n}; {v}++)",
                    LoopShape.ByTwo => $"for (int {v} = 0; {v} < {n}; {v} += 2)",
                    LoopShape.UpInclusive => $"for (int {v} = 0; {v} <= {n} - 1; {v}++)",
                    LoopShape.Down => $"for (int {v} = {n} - 1; {v} >= 0; {v}--)",
                    LoopShape.DownByTwo => $"for (int {v} = {n} - 1; {v} > 0; {v} -= 2)",
                    _ => $"for (int {v} = 0; {v} < {n}; {v}++)",
                });
                Block(f.Body);
                break;
            case While wl:
                Line($"int {wl.Var} = 0;");
                Line($"while ({wl.Var} < {wl.BoundText})");
                Block(wl.Body.Insert(0, Increment(wl.Var)));
                break;
            case DoWhile dw:
                Line($"int {dw.Var} = 0;");
                Line("do");
                Block(dw.Body.Insert(0, Increment(dw.Var)));
                Line($"while ({dw.Var} < {dw.BoundText});");
                break;
            case ForEach fe:
                Line($"foreach ({type} {fe.Var} in {fe.Array})");
                Block(fe.Body);
                break;
            case IfElse ie:
                Line($"if ({C(ie.Test)})");
                Block(ie.Then);
                if (!ie.Else.IsEmpty)
                {
                    Line("else");
                    Block(ie.Else);
                }

                break;
            case Break:
                Line("break;");
                break;
            case Continue:
                Line("continue;");
                break;
            case Return { Value: null }:
                Line("return;");
                break;
            case Return r:
                Line($"return {E(r.Value!)};");
                break;
            case DeclareArrayAlias d:
                Line($"{type}[] {d.Name} = {A(d.Value)};");
                break;
            case AssignArray a:
                Line($"{a.Name} = {A(a.Value)};");
                break;
            case AssignThrough a:
                Line($"{ArrayAtom(a.Array)}[{a.IndexText}] {a.Op}= {E(a.Value)};");
                break;
            case Sequence s:
                Statements(s.Statements);
                break;
            case TupleAssign t:
                Line($"({t.First}, {t.Second}) = ({E(t.FirstValue)}, {E(t.SecondValue)});");
                break;
            case InvokeStatement i:
                Line(E(i.Call) + ";");
                break;
            case RawStatement raw:
                Line(raw.Text);
                break;
            case TensorCall t:
                Line($"TensorPrimitives.{t.Op}<{type}>({string.Join(", ", t.Args.Select(E))});");
                if (reference)
                {
                    // What the call wrote goes through Intermediates (overflow detection), as every operation of the twin does.
                    Line($"global::{typeof(Intermediates).FullName}.TrackSpan({E(t.Args[^1])});");
                }

                break;
            case DeclareSpan d:
                Line($"{(d.ReadOnly ? "ReadOnlySpan" : "Span")}<{type}> {d.Name} = {S(d.View)};");
                break;
            case DeclareMn d:
                Line($"{(d.Matrix ? "Matrix" : "Vector")}<{type}> {d.Name} = {TrackedMn(M(d.Value))};");
                break;
            case AssignMn a:
                Line($"{a.Name} {a.Op}= {(a.Value is MnExpr m ? TrackedMn(M(m)) : E(a.Value))};");
                break;
            case MnCall c:
                Line($"{MnAtom(c.Target)}.{c.Method}({string.Join(", ", c.Args.Select(E))});");
                if (reference && c.Args[^1] is MnName written)
                {
                    Line($"global::{typeof(Intermediates).FullName}.Track({written.Name});");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(statement), statement, null);
        }
    }

    private static Stmt Increment(string name) => new RawStatement(name + "++;");

    public string C(Condition test) =>
        test.IntText ?? $"{E(test.Left!)} {test.Op} {E(test.Right!)}";

    public string E(Expr expression) => expression switch
    {
        ArrayExpr a => A(a),
        SpanExpr s => S(s),
        TensorReduce t => Tracked($"TensorPrimitives.{t.Op}<{Type}>({string.Join(", ", t.Args.Select(E))})"),
        MnExpr m => M(m),
        MnReduce { Method: "*" } r => Tracked($"({M(r.Target)} * {E(r.Args[0])})"),
        MnReduce { Method: "L2Norm" } r when single => $"(float){MnAtom(r.Target)}.L2Norm()", // a double for every T
        MnReduce r => Tracked($"{MnAtom(r.Target)}.{r.Method}({string.Join(", ", r.Args.Select(E))})"),
        Num n => L(n.Value),
        Programs.Ref r => r.Name,
        IntAsReal i => i.Name,
        Index i => $"{i.Array}[{i.IndexText}]",
        ElementOf e => $"{ArrayAtom(e.Array)}[{e.IndexText}]",
        Neg n => "-" + Atom(n.Operand),
        Bin b => Tracked($"({E(b.Left)} {b.Op} {E(b.Right)})"),
        Fn { Kind: FnKind.SqrtExp } f when reference => Tracked($"Math.Sqrt(global::{typeof(Intermediates).FullName}.TrackUnderflow(Math.Exp({E(f.Arg)})))"),
        Fn f => Tracked(F(f.Kind, E(f.Arg), MathType, single)),
        Fn2 f => Tracked(F2(f)),
        Conditional c => $"({C(c.Test)} ? {E(c.WhenTrue)} : {E(c.WhenFalse)})",
        Stop s => reference ? $"global::{typeof(StopTape).FullName}.Stop({E(s.Operand)})" : $"Grad.Stop({E(s.Operand)})",
        Call { NamedBackwards: true } c => $"M{c.Target}{(reference ? "_Ref" : "")}(k: {c.CountText}, {(rows ? "r: r, " : "")}w: {(c.ArrayArgument is null ? c.Array : A(c.ArrayArgument))}, y: {E(c.B)}, x: {E(c.A)})",
        Call c => $"M{c.Target}{(reference ? "_Ref" : "")}({E(c.A)}, {E(c.B)}, {(c.ArrayArgument is null ? c.Array : A(c.ArrayArgument))}, {(rows ? "r, " : "")}{c.CountText})",
        ViaDouble v when single => $"(float){F(v.Kind, E(v.Arg), "Math", single: false)}",
        ViaDouble v => Tracked(F(v.Kind, E(v.Arg), MathType, single)),
        Invoke i => $"{i.Callee.Replace("{Ops}", OpsClass, StringComparison.Ordinal)}{(reference && i.HasTwin ? "_Ref" : "")}({string.Join(", ", i.Args.Select(E))})",
        RefHelperCall { Second: { } second } r => $"MixRefs{RefHelperSuffix}(ref {r.Name}, ref {second}, {E(r.Argument)})",
        RefHelperCall { Out: true, NamedBackwards: true } r => $"SquareOut{RefHelperSuffix}(s: out {r.Name}, a: {E(r.Argument)})",
        RefHelperCall { Out: true } r => $"SquareOut{RefHelperSuffix}({E(r.Argument)}, out {r.Name})",
        RefHelperCall { NamedBackwards: true } r => $"RefStep{RefHelperSuffix}(a: {E(r.Argument)}, h: ref {r.Name})",
        RefHelperCall r => $"RefStep{RefHelperSuffix}(ref {r.Name}, {E(r.Argument)})",
        StoreAtCall s => $"StoreAt{RefHelperSuffix}({s.Array}, {s.IndexText}, {E(s.Value)})",
        _ => throw new ArgumentOutOfRangeException(nameof(expression), expression, null),
    };

    private string RefHelperSuffix => reference ? "_Ref" : single ? "F" : "D";

    /// <summary>In the reference twin, an operation's value goes through <see cref="Intermediates"/> (overflow detection).</summary>
    private string Tracked(string operation) => reference ? $"global::{typeof(Intermediates).FullName}.Track({operation})" : operation;

    /// <summary>An array expression: <c>s0</c>, <c>(k &gt; 1 ? s0 : w)</c>, <c>(s0)</c>, <c>(T[])w.Clone()</c>.</summary>
    public string A(ArrayExpr array) => array switch
    {
        ArrayName n => n.Text,
        ArrayConditional c => $"({C(c.Test)} ? {A(c.WhenTrue)} : {A(c.WhenFalse)})",
        ArrayParen p => $"({A(p.Inner)})",
        ArrayClone c => $"({Type}[]){ArrayAtom(c.Source)}.Clone()",
        _ => throw new ArgumentOutOfRangeException(nameof(array), array, null),
    };

    /// <summary>A span argument or a span local's value: <c>a</c>, <c>a.AsSpan(1, w.Length - 1)</c>, <c>v</c>, <c>v.Slice(0, 2)</c>.</summary>
    public static string S(SpanExpr span) => span switch
    {
        ArrayView { StartText: null, LengthText: null } v => v.AsSpan ? v.Array + ".AsSpan()" : v.Array,
        ArrayView { LengthText: null } v => $"{v.Array}.AsSpan({v.StartText})",
        ArrayView v => $"{v.Array}.AsSpan({v.StartText ?? "0"}, {v.LengthText})",
        SpanName { StartText: null, LengthText: null } n => n.Name,
        SpanName { LengthText: null } n => $"{n.Name}.Slice({n.StartText})",
        SpanName n => $"{n.Name}.Slice({n.StartText ?? "0"}, {n.LengthText})",
        _ => throw new ArgumentOutOfRangeException(nameof(span), span, null),
    };

    /// <summary>A MathNet vector or matrix expression (<see cref="ProgramFeatures.MathNetCalls"/>).</summary>
    public string M(MnExpr expression) => expression switch
    {
        MnName n => n.Name,
        MnOfArray a => $"Vector<{Type}>.Build.DenseOfArray({a.Array})",
        MnBuild { ColumnsText: null } b => $"Vector<{Type}>.Build.Dense({b.RowsText}{(b.Fill is null ? "" : ", " + E(b.Fill))})",
        MnBuild b => $"Matrix<{Type}>.Build.Dense({b.RowsText}, {b.ColumnsText}{(b.Fill is null ? "" : ", " + E(b.Fill))})",
        MnOp o => $"({E(o.Left)} {o.Op} {E(o.Right)})",
        MnNeg n => "-" + MnAtom(n.Operand),
        MnMethod m => $"{MnAtom(m.Target)}.{m.Method}({string.Join(", ", m.Args.Select(E))})",
        MnOuter o => $"Vector<{Type}>.OuterProduct({M(o.Left)}, {M(o.Right)})",
        MnConditional c => $"({C(c.Test)} ? {M(c.WhenTrue)} : {M(c.WhenFalse)})",
        _ => throw new ArgumentOutOfRangeException(nameof(expression), expression, null),
    };

    /// <summary>A MathNet expression that can be followed by <c>.Method()</c>.</summary>
    private string MnAtom(MnExpr expression) => expression is MnNeg ? "(" + M(expression) + ")" : M(expression);

    /// <summary>In the reference twin, a vector or matrix the twin binds goes through <see cref="Intermediates"/> (overflow detection).</summary>
    private string TrackedMn(string value) => reference ? $"global::{typeof(Intermediates).FullName}.Track({value})" : value;

    /// <summary>An array expression that can be followed by <c>[i]</c> or <c>.Clone()</c>.</summary>
    private string ArrayAtom(ArrayExpr array) => array is ArrayClone ? "(" + A(array) + ")" : A(array);

    private string Atom(Expr expression)
    {
        string text = E(expression);
        return expression is Num { Value: < 0 } or Neg ? "(" + text + ")" : text;
    }

    private string F2(Fn2 f)
    {
        string left = E(f.Left), right = E(f.Right);
        string math = MathType;
        return f.Kind switch
        {
            Fn2Kind.Max => $"{math}.Max({left}, {right})",
            Fn2Kind.Min => $"{math}.Min({left}, {right})",
            Fn2Kind.Atan2 => $"{math}.Atan2({left}, {right})",
            Fn2Kind.PowPositiveBase => $"{math}.Pow({L(1.5)} + {math}.Sin({left}), {right})",
            _ => throw new ArgumentOutOfRangeException(nameof(f)),
        };
    }

    private static string F(FnKind kind, string a, string m, bool single)
    {
        string L(double value) => ProgramPrinter.Literal(value, single);
        return kind switch
        {
            FnKind.Exp => $"{m}.Exp({a})",
            FnKind.Softplus => $"{m}.Log({L(1)} + {m}.Exp({a}))",
            FnKind.LogTwoPlusSin => $"{m}.Log({L(2)} + {m}.Sin({a}))",
            FnKind.LogOnePlusSquare => $"{m}.Log({L(1)} + {m}.Pow({a}, {L(2)}))",
            FnKind.SqrtOnePlusSquare => $"{m}.Sqrt({L(1)} + {m}.Pow({a}, {L(2)}))",
            FnKind.SqrtExp => $"{m}.Sqrt({m}.Exp({a}))",
            FnKind.Tanh => $"{m}.Tanh({a})",
            FnKind.Sin => $"{m}.Sin({a})",
            FnKind.Cos => $"{m}.Cos({a})",
            FnKind.Atan => $"{m}.Atan({a})",
            FnKind.Abs => $"{m}.Abs({a})",
            FnKind.Square => $"{m}.Pow({a}, {L(2)})",
            FnKind.Cube => $"{m}.Pow({a}, {L(3)})",
            FnKind.Sinh => $"{m}.Sinh({a})",
            FnKind.Clamp => $"Math.Clamp({a}, {L(-1)}, {L(1)})",
            FnKind.PositiveDenominator => $"({L(1.5)} + {m}.Sin({a}))",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private string L(double value) => ProgramPrinter.Literal(value, single);

    public void Line(string text) => writer.Append(' ', 4 * Indent).AppendLine(text);
}
