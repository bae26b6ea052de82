using System.Linq;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Emission;

/// <summary>Renders IR expressions as C# with only the parentheses precedence needs.</summary>
internal static class Render
{
    public static string Expr(Expr expr) => expr switch
    {
        Literal literal => literal.Text,
        Var variable => Variable(variable),
        Element element => Atom(element.Array) + "[" + string.Join(", ", element.Indices.Select(index => Expr(index))) + "]",
        Unary unary => unary.Operator + UnaryOperand(unary),
        Binary binary => Operand(binary.Left, Precedence(binary.Operator), strict: false) + " " + binary.Operator + " " + Operand(binary.Right, Precedence(binary.Operator), strict: true),
        Conditional conditional => Operand(conditional.Condition, 25, strict: true) + " ? " + Operand(conditional.WhenTrue, 20, strict: false) + " : " + Operand(conditional.WhenFalse, 20, strict: false),
        MathCall call => MathFunction(call.Class, call.Function) + "(" + string.Join(", ", call.Arguments.Select(argument => Expr(argument))) + ")",
        Cast cast => "(" + cast.Type.Display + ")" + Operand(cast.Operand, 90, strict: false),
        StopGradient stop => Expr(stop.Operand),
        NewArray array => array.Type.NewArrayText(string.Join(", ", array.Lengths.Select(length => Expr(length)))),
        Opaque opaque => string.Format(System.Globalization.CultureInfo.InvariantCulture, opaque.Format, opaque.Parts.Select(part => (object)Atom(part)).ToArray()),
        _ => "default",
    };

    /// <summary>The C# operator of an assignment of <paramref name="kind"/>, with its spaces.</summary>
    public static string AssignOperator(AssignKind kind) => kind switch
    {
        AssignKind.Add => " += ",
        AssignKind.Subtract => " -= ",
        _ => " = ",
    };

    // "-" followed by "-x" would read as the decrement operator "--x".
    private static string UnaryOperand(Unary unary)
    {
        string operand = Operand(unary.Operand, 90, strict: false);
        return operand.StartsWith("-", System.StringComparison.Ordinal) || operand.StartsWith("+", System.StringComparison.Ordinal) ? "(" + operand + ")" : operand;
    }

    public static string MathFunction(string mathClass, string function) => "global::System." + mathClass + "." + function;

    public static string Variable(Var variable) => variable.IsField ? "this." + variable.Name : variable.Name;

    /// <summary>The expression as an operand of a postfix/member access: parenthesized unless primary.</summary>
    public static string Atom(Expr expr) => Operand(expr, 100, strict: false);

    private static string Operand(Expr expr, int required, bool strict)
    {
        int own = Precedence(expr);
        string text = Expr(expr);
        return own > required || (own == required && !strict) ? text : "(" + text + ")";
    }

    private static int Precedence(Expr expr) => expr switch
    {
        Literal literal => literal.Text.StartsWith("-", System.StringComparison.Ordinal) ? 90 : 100,
        Var or Element or MathCall or NewArray or Opaque => 100,
        StopGradient stop => Precedence(stop.Operand),
        Unary or Cast => 90,
        Binary binary => Precedence(binary.Operator),
        Conditional => 20,
        _ => 0,
    };

    private static int Precedence(string op) => op switch
    {
        "*" or "/" or "%" => 80,
        "+" or "-" => 70,
        "<<" or ">>" => 65,
        "<" or ">" or "<=" or ">=" => 60,
        "==" or "!=" => 55,
        "&" => 50,
        "^" => 45,
        "|" => 40,
        "&&" => 35,
        "||" => 30,
        _ => 0,
    };
}
