using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Derivatives;

/// <summary>
/// Builds adjoint expressions with zeros and ones folded away, as Swift's <c>AdjointValue</c> keeps zeros symbolic:
/// <c>g * 1.0</c> is <c>g</c> and a contribution <c>g * 0.0</c> is no contribution, so it is never written. Only folds
/// that are exact in IEEE arithmetic are made (x·1 = x/1 = x, −(−x) = x); a zero factor drops the term, which is the
/// convention the guards already keep (a value that does not reach the result must not turn 0·∞ into NaN).
/// </summary>
internal static class AdjointAlgebra
{
    public static Expr Zero(TypeRef type) => new Literal("0", type);

    public static Expr One(TypeRef type) => new Literal("1", type);

    public static Expr Number(int value, TypeRef type) => new Literal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), type);

    public static bool IsZero(Expr expr) => expr is Literal { Text: "0" or "0.0" or "0f" or "0.0f" or "0d" or "0.0d" or "0L" };

    public static bool IsOne(Expr expr) => expr is Literal { Text: "1" or "1.0" or "1f" or "1.0f" or "1d" or "1.0d" or "1L" };

    public static Expr Negate(Expr value) => value switch
    {
        _ when IsZero(value) => value,
        Unary { Operator: "-" } negation => negation.Operand,
        _ => new Unary("-", value, value.Type),
    };

    public static Expr Multiply(Expr left, Expr right)
    {
        if (IsZero(left) || IsZero(right))
        {
            return Zero(left.Type);
        }

        if (IsOne(left))
        {
            return right;
        }

        return IsOne(right) ? left : new Binary("*", left, right, left.Type);
    }

    public static Expr Divide(Expr numerator, Expr denominator)
    {
        if (IsZero(numerator))
        {
            return numerator;
        }

        return IsOne(denominator) ? numerator : new Binary("/", numerator, denominator, numerator.Type);
    }

    public static Expr Add(Expr left, Expr right) =>
        IsZero(left) ? right : IsZero(right) ? left : new Binary("+", left, right, left.Type);

    public static Expr Subtract(Expr left, Expr right) =>
        IsZero(right) ? left : IsZero(left) ? Negate(right) : new Binary("-", left, right, left.Type);

    public static Expr Call(string mathClass, string function, TypeRef type, params Expr[] arguments) =>
        new MathCall(mathClass, function, EquatableArray.Of(arguments), type);
}
