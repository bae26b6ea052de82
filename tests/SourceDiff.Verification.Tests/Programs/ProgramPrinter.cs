using System;
using System.Collections.Immutable;
using System.Globalization;
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
        foreach (MethodSpec method in program.Methods)
        {
            new MethodPrinter(writer, method, reference: false).Print();
            writer.AppendLine();
        }

        foreach (MethodSpec method in program.Methods)
        {
            new MethodPrinter(writer, method, reference: true).Print();
            writer.AppendLine();
        }

        writer.AppendLine("}");
        return writer.ToString();
    }

    /// <summary>Only the [Differentiable] methods, as a reader of a failure message wants to see them.</summary>
    public static string PrintPrimal(ProgramSpec program)
    {
        var writer = new StringBuilder();
        writer.AppendLine("public static partial class P");
        writer.AppendLine("{");
        foreach (MethodSpec method in program.Methods)
        {
            new MethodPrinter(writer, method, reference: false).Print();
        }

        writer.AppendLine("}");
        foreach (Point point in program.Points)
        {
            writer.AppendLine("// point: " + Describe(point));
        }

        return writer.ToString();
    }

    public static string Describe(Point point) =>
        FormattableString.Invariant($"x = {point.X:R}, y = {point.Y:R}, w = {{ {string.Join(", ", point.W)} }}, k = {point.K}");

    private sealed class MethodPrinter
    {
        private readonly StringBuilder writer;
        private readonly MethodSpec method;
        private readonly bool reference;
        private readonly bool single;
        private readonly string type;
        private readonly string math;
        private int indent = 1;

        public MethodPrinter(StringBuilder writer, MethodSpec method, bool reference)
        {
            this.writer = writer;
            this.method = method;
            this.reference = reference;
            single = method.IsFloat && !reference;
            type = single ? "float" : "double";
            math = single ? "MathF" : "Math";
        }

        public void Print()
        {
            string name = reference ? method.Name + "_Ref" : method.Name;
            if (!reference)
            {
                Line("[Differentiable]");
            }

            string signature = $"public static {type} {name}({type} x, {type} y, {type}[] w, int k)";
            if (method.ExpressionBodied && method.Body.IsEmpty)
            {
                Line(signature + " => " + E(method.Result) + ";");
                return;
            }

            Line(signature);
            Line("{");
            indent++;
            Statements(method.Body);
            Line("return " + E(method.Result) + ";");
            indent--;
            Line("}");
        }

        private void Statements(ImmutableArray<Stmt> statements)
        {
            foreach (Stmt statement in statements)
            {
                Statement(statement);
            }
        }

        private void Block(ImmutableArray<Stmt> body)
        {
            Line("{");
            indent++;
            Statements(body);
            indent--;
            Line("}");
        }

        private void Statement(Stmt statement)
        {
            switch (statement)
            {
                case Declare d:
                    Line($"{type} {d.Name} = {E(d.Value)};");
                    break;
                case Assign a:
                    Line($"{a.Name} {a.Op}= {E(a.Value)};");
                    break;
                case DeclareArray d:
                    Line($"{type}[] {d.Name} = new {type}[w.Length];");
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
                    Line($"for (int {f.Var} = 0; {f.Var} < {f.BoundText}; {f.Var}++)");
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
                case Return r:
                    Line($"return {E(r.Value)};");
                    break;
                case RawStatement raw:
                    Line(raw.Text);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(statement), statement, null);
            }
        }

        private static Stmt Increment(string name) => new RawStatement(name + "++;");

        private string C(Condition test) =>
            test.IntText ?? $"{E(test.Left!)} {test.Op} {E(test.Right!)}";

        private string E(Expr expression) => expression switch
        {
            Num n => L(n.Value),
            Programs.Ref r => r.Name,
            IntAsReal i => i.Name,
            Index i => $"{i.Array}[{i.IndexText}]",
            Neg n => "-" + Atom(n.Operand),
            Bin b => $"({E(b.Left)} {b.Op} {E(b.Right)})",
            Fn f => F(f.Kind, E(f.Arg), math, single),
            Fn2 f => F2(f),
            Conditional c => $"({C(c.Test)} ? {E(c.WhenTrue)} : {E(c.WhenFalse)})",
            Stop s => reference ? $"global::{typeof(StopTape).FullName}.Stop({E(s.Operand)})" : $"Grad.Stop({E(s.Operand)})",
            Call c => $"M{c.Target}{(reference ? "_Ref" : "")}({E(c.A)}, {E(c.B)}, {c.Array}, {c.CountText})",
            ViaDouble v when single => $"(float){F(v.Kind, E(v.Arg), "Math", single: false)}",
            ViaDouble v => F(v.Kind, E(v.Arg), math, single),
            _ => throw new ArgumentOutOfRangeException(nameof(expression), expression, null),
        };

        private string Atom(Expr expression)
        {
            string text = E(expression);
            return expression is Num { Value: < 0 } or Neg ? "(" + text + ")" : text;
        }

        private string F2(Fn2 f)
        {
            string left = E(f.Left), right = E(f.Right);
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
            string L(double value) => Literal(value, single);
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

        private string L(double value) => Literal(value, single);

        private void Line(string text) => writer.Append(' ', 4 * indent).AppendLine(text);
    }

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
