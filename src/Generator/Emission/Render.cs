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
        NewArray array => NewArrayOf(array),
        Opaque { Member: "Length" or "GetLength", Receiver.Type.IsMathNet: true } shape => MathNetShape(shape),
        Opaque { Member: Opaque.IndexerMember, Receiver: { } list, Arguments: { } at } => Atom(list) + "[" + string.Join(", ", at.Select(argument => Expr(argument))) + "]",
        Opaque opaque => (opaque.Receiver is not null ? Atom(opaque.Receiver) : opaque.StaticType ?? "this") + "." + opaque.Member
            + (opaque.Arguments is { } arguments ? "(" + string.Join(", ", arguments.Select(argument => Expr(argument))) + ")" : string.Empty),
        AdjointVar adjoint => GeneratedNames.AdjointOf(adjoint.Primal),
        Temporary temporary => temporary.Name,
        SweepContext { Object: SweepObject.Tape } => GeneratedNames.Tape,
        SweepContext => GeneratedNames.Gradient,
        TapePop pop => Pop(pop.Type),
        TapeBuffer buffer => GeneratedNames.Tape + buffer.Kind switch
        {
            TapeBufferKind.Sink => ".Sink(" + Expr(buffer.Argument) + ")",
            TapeBufferKind.SinkDoubles => ".SinkDoubles(" + Atom(buffer.Argument) + ".Length)",
            TapeBufferKind.SinkSingles => ".SinkSingles(" + Atom(buffer.Argument) + ".Length)",
            _ => ".ZeroDoubles(" + Expr(buffer.Argument) + ")",
        },
        ZerosLike zeros => zeros.Data.Type.IsSpan
            ? "new " + zeros.Data.Type.Element + "[" + Atom(zeros.Data) + ".Length]"
            : "global::SourceDiff.CompilerServices.Buffers.ZerosLike(" + Expr(zeros.Data) + ")",
        NullArray => "null!",
        SweepCall call => Callee(call) + "(" + string.Join(", ", call.Arguments.Select(Argument)) + ")",
        View view => ViewOf(view),
        _ => "default",
    };

    /// <summary>A run of elements as a span: a whole array or span as it is (arrays convert), a slice of a span, a span over an array.</summary>
    private static string ViewOf(View view) =>
        view.IsWhole ? Expr(view.Storage)
        : view.Storage.Type.IsSpan ? Atom(view.Storage) + ".Slice(" + Expr(view.Start) + ", " + Expr(view.Count) + ")"
        : "new global::System.Span<" + view.Type.Element + ">(" + Expr(view.Storage) + ", " + Expr(view.Start) + ", " + Expr(view.Count) + ")";

    /// <summary>
    /// A MathNet vector's or matrix's shape, kept in the IR as an array's (<c>Length</c>, <c>GetLength(d)</c>) so that
    /// loops over it are counted loops alike.
    /// </summary>
    private static string MathNetShape(Opaque shape)
    {
        string receiver = Atom(shape.Receiver!);
        if (shape.Member == "Length")
        {
            return shape.Receiver!.Type.MathNet == "Vector" ? receiver + ".Count" : "(" + receiver + ".RowCount * " + receiver + ".ColumnCount)";
        }

        return receiver + (shape.Arguments is { Count: 1 } d && d[0] is Literal { Text: "1" } ? ".ColumnCount" : ".RowCount");
    }

    /// <summary><c>new double[n]</c>, <c>new double[n][]</c>, <c>new double[n, m]</c>; a MathNet <c>Build.Dense(n)</c>.</summary>
    private static string NewArrayOf(NewArray array)
    {
        TypeRef type = array.Type;
        if (type.IsMathNet)
        {
            return type.Display + ".Build.Dense(" + string.Join(", ", array.Lengths.Select(length => Expr(length))) + ")";
        }

        var text = new System.Text.StringBuilder("new ").Append(type.Element).Append('[').Append(string.Join(", ", array.Lengths.Select(length => Expr(length)))).Append(']');
        for (int i = 1; i < type.Ranks.Count; i++)
        {
            text.Append('[').Append(',', type.Ranks[i] - 1).Append(']');
        }

        return text.ToString();
    }

    /// <summary>The tape's next value, as the type it was pushed from (small integers travel as int).</summary>
    public static string Pop(TypeRef type)
    {
        if (type.IsArray)
        {
            return GeneratedNames.Tape + ".PopReference<" + type.Display + ">()!";
        }

        string pop = GeneratedNames.Tape + ".Pop" + type.TapeKind + "()";
        return type.Element is "double" or "float" or "int" or "long" or "bool" ? pop : "(" + type.Display + ")" + pop;
    }

    /// <summary>The call that pushes a value on the tape (an array by reference).</summary>
    public static string Push(Expr value, bool reserved = false) =>
        GeneratedNames.Tape + ".Push" + (value.Type.IsArray ? "Reference" : value.Type.TapeKind) + (reserved ? "Reserved(" : "(") + Expr(value) + ")";

    private static string Callee(SweepCall call)
    {
        Call callee = call.Callee;
        string prefix = callee.IsStatic ? callee.ContainingType + "." : callee.Receiver is null ? "this." : Atom(callee.Receiver) + ".";
        return call.Kind switch
        {
            SweepKind.Forward => prefix + GeneratedNames.ForwardName(callee.Name),
            SweepKind.Reverse => prefix + GeneratedNames.ReverseName(callee.Name),
            SweepKind.Pullback => call.Pullback!,
            _ => prefix + callee.Name,
        };
    }

    private static string Argument(SweepArgument argument) => argument.Mode switch
    {
        RefMode.Ref => "ref " + Expr(argument.Value),
        RefMode.Out => "out " + Expr(argument.Value),
        _ => Expr(argument.Value),
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
        TapePop => 90,
        Var or Element or MathCall or NewArray or Opaque => 100,
        AdjointVar or Temporary or SweepContext or TapeBuffer or ZerosLike or NullArray or SweepCall or View => 100,
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
