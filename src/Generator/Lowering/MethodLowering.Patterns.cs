using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Patterns (<c>is</c>, switch labels and arms) become the comparisons they stand for: <c>i is 0 or 1</c> is
/// <c>i == 0 || i == 1</c>, <c>x is &gt; 0.5</c> is <c>x &gt; 0.5</c>. Only patterns that test a value are accepted;
/// type and declaration patterns have no meaning over doubles and integers.
/// </summary>
internal sealed partial class MethodLowering
{
    private Expr LowerIsPattern(IIsPatternOperation isPattern, List<Stmt> output)
    {
        Expr value = LowerPatternSubject(isPattern.Value, isPattern, output);
        return PatternTest(value, isPattern.Pattern) ?? Fallback(isPattern);
    }

    /// <summary>
    /// The value a pattern tests, evaluated once: a pattern may compare it several times (<c>or</c>, <c>and</c>), so
    /// anything but a variable or a constant goes into a local first, or is repeated where it reads no call.
    /// </summary>
    private Expr LowerPatternSubject(IOperation subject, IOperation pattern, List<Stmt> output)
    {
        Expr value = LowerExpr(subject, output);
        if (value is Var or Literal)
        {
            return value;
        }

        if (hoistBlocker is null)
        {
            return Spill(value, "subject", subject, output);
        }

        if (CallsMethod(value))
        {
            Unsupported(pattern, "A pattern over a method call in " + hoistBlocker, "compute the value into a local first");
        }

        return value;
    }

    private static bool CallsMethod(Expr expr) => expr is Opaque { Arguments: not null } || IrWalk.Children(expr).Any(CallsMethod);

    /// <summary>The condition a pattern stands for, or null (reported) when it tests something other than a value.</summary>
    private Expr? PatternTest(Expr value, IPatternOperation pattern)
    {
        switch (pattern)
        {
            case IConstantPatternOperation constant:
                return ConstantTest(value, constant.Value, constant);

            case IRelationalPatternOperation relational:
            {
                string? symbol = BinarySymbol(relational.OperatorKind);
                if (symbol is null)
                {
                    Unsupported(relational, "The relational pattern " + relational.OperatorKind, "use <, <=, > or >=");
                    return null;
                }

                return new Binary(symbol, value, PatternOperand(relational.Value, value.Type), TypeRef.Bool);
            }

            case IBinaryPatternOperation binary:
            {
                Expr? left = PatternTest(value, binary.LeftPattern);
                Expr? right = PatternTest(value, binary.RightPattern);
                if (left is null || right is null)
                {
                    return null;
                }

                return new Binary(binary.OperatorKind == BinaryOperatorKind.Or ? "||" : "&&", left, right, TypeRef.Bool);
            }

            case INegatedPatternOperation negated:
            {
                Expr? inner = PatternTest(value, negated.Pattern);
                return inner is null ? null : new Unary("!", inner, TypeRef.Bool);
            }

            case IDiscardPatternOperation:
                return new Literal("true", TypeRef.Bool);

            default:
                Unsupported(pattern, "A type or declaration pattern (" + ConstructNames.Excerpt(pattern.Syntax) + ")", "test values with constants and relational patterns (x is > 0 and < 1), or assign to a local first");
                return null;
        }
    }

    /// <summary><c>value == constant</c>; a NaN constant pattern is <c>double.IsNaN</c>, as C# defines it.</summary>
    private Expr ConstantTest(Expr value, IOperation constant, IOperation pattern)
    {
        if (constant.ConstantValue.HasValue && constant.ConstantValue.Value is double.NaN or float.NaN)
        {
            string type = value.Type.Element == "float" ? "global::System.Single" : "global::System.Double";
            return new Opaque(null, type, "IsNaN", EquatableArray.Of(value), TypeRef.Bool);
        }

        if (!constant.ConstantValue.HasValue || constant.ConstantValue.Value is string)
        {
            Unsupported(pattern, "A pattern that compares with " + ConstructNames.Excerpt(constant.Syntax), "compare numbers, enum members or bools");
            return new Literal("false", TypeRef.Bool);
        }

        return new Binary("==", value, PatternOperand(constant, value.Type), TypeRef.Bool);
    }

    /// <summary>A pattern's constant, in the type of the value it is compared with (<c>x is &gt; 1</c> over a double compares with 1.0).</summary>
    private Expr PatternOperand(IOperation constant, TypeRef valueType)
    {
        Expr operand = LowerExpr(constant, new List<Stmt>());
        return valueType.IsFloatingScalar && operand is Literal ? Convert(operand, valueType) : operand;
    }
}
