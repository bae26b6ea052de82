using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Argument validation, assertions and logging: code with no derivative meaning that runs in the forward sweep only.
/// Throw expressions become an if around a throw statement; strings exist only as arguments of calls that cannot
/// change a floating value, so nothing read from a string can reach the result without a call that needs a derivative
/// (reported as SD0002).
/// </summary>
internal sealed partial class MethodLowering
{
    private static readonly TypeRef StringType = new("string", EquatableArray<int>.Empty);

    /// <summary>
    /// The statement <c>throw new E(…);</c>. The generated file has none of the user's usings, so the exception type is
    /// written in full; its arguments are copied as written, so they may read only constants, nameof, the method's
    /// variables and interpolated strings of those.
    /// </summary>
    private Stmt? LowerThrow(IThrowOperation throwOperation)
    {
        IOperation? exception = throwOperation.Exception;
        while (exception is IConversionOperation { IsImplicit: true } conversion)
        {
            exception = conversion.Operand;
        }

        if (exception is not IObjectCreationOperation { Initializer: null, Type: { } exceptionType } creation
            || creation.Arguments.Any(argument => argument.ArgumentKind == ArgumentKind.Explicit && !IsCopyableText(argument.Value)))
        {
            Unsupported(throwOperation, "This throw (" + ConstructNames.Excerpt(throwOperation.Syntax) + ")", "throw new SomeException(message) with a message built from constants, nameof and the method's variables");
            return null;
        }

        IEnumerable<string> arguments = creation.Arguments
            .Where(argument => argument.ArgumentKind == ArgumentKind.Explicit)
            .OrderBy(argument => argument.Syntax.SpanStart)
            .Select(argument => argument.Syntax.ToString());
        return new Throw("throw new " + TypeMapping.FullName(exceptionType) + "(" + string.Join(", ", arguments) + ");");
    }

    /// <summary>Whether an expression's source text means the same in the generated code: no type names, no renamed locals.</summary>
    private bool IsCopyableText(IOperation operation) => operation switch
    {
        _ when operation.ConstantValue.HasValue => true,
        IConversionOperation { IsImplicit: true } conversion => IsCopyableText(conversion.Operand),
        IParameterReferenceOperation => true,
        ILocalReferenceOperation local => DeclareLocal(local.Local).Name == local.Local.Name,
        IBinaryOperation { OperatorMethod: null } binary => IsCopyableText(binary.LeftOperand) && IsCopyableText(binary.RightOperand),
        IInterpolatedStringOperation interpolated => interpolated.Parts.All(part => part switch
        {
            IInterpolatedStringTextOperation => true,
            IInterpolationOperation hole => IsCopyableText(hole.Expression),
            _ => false,
        }),
        _ => false,
    };

    private static bool IsThrow(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation is IThrowOperation;
    }

    private static IThrowOperation AsThrow(IOperation operation) =>
        operation is IConversionOperation conversion ? AsThrow(conversion.Operand) : (IThrowOperation)operation;

    /// <summary>Whether <paramref name="operation"/> is <c>c ? v : throw …</c>, <c>c ? throw … : v</c> or <c>v ?? throw …</c>.</summary>
    private static bool HasThrowBranch(IOperation operation) => operation switch
    {
        IConditionalOperation conditional => IsThrow(conditional.WhenTrue) || IsThrow(conditional.WhenFalse),
        ICoalesceOperation coalesce => IsThrow(coalesce.WhenNull),
        _ => false,
    };

    /// <summary><c>n &gt; 0 ? n : throw e</c> → <c>if (!(n &gt; 0)) throw e;</c> then the value; <c>v ?? throw e</c> likewise.</summary>
    private Expr LowerThrowExpression(IOperation operation, List<Stmt> output)
    {
        if (hoistBlocker is not null)
        {
            Unsupported(operation, "A throw expression in " + hoistBlocker, "validate with an if and a throw statement before it");
            return Fallback(operation);
        }

        TypeRef type = TypeMapping.From(operation.Type);
        Expr failed;
        IOperation thrown;
        IOperation value;
        if (operation is ICoalesceOperation coalesce)
        {
            Expr checkedValue = LowerExpr(coalesce.Value, output);
            if (checkedValue is not Var)
            {
                checkedValue = Spill(checkedValue, "checked", coalesce.Value, output);
            }

            Stmt? throwNull = LowerThrow(AsThrow(coalesce.WhenNull));
            if (throwNull is not null)
            {
                output.Add(new If(new Binary("==", checkedValue, new Literal("null", checkedValue.Type), TypeRef.Bool), new Block(EquatableArray.Of(throwNull)), Block.Empty));
            }

            return checkedValue;
        }

        var conditional = (IConditionalOperation)operation;
        Expr condition = LowerExpr(conditional.Condition, output);
        if (IsThrow(conditional.WhenFalse))
        {
            failed = new Unary("!", condition, TypeRef.Bool);
            thrown = conditional.WhenFalse!;
            value = conditional.WhenTrue;
        }
        else
        {
            failed = condition;
            thrown = conditional.WhenTrue;
            value = conditional.WhenFalse!;
        }

        Stmt? throwStatement = LowerThrow(AsThrow(thrown));
        if (throwStatement is not null)
        {
            output.Add(new If(failed, new Block(EquatableArray.Of(throwStatement)), Block.Empty));
        }

        return Convert(LowerExpr(value, output), type);
    }

    /// <summary>A string or null constant (a message, <c>nameof(x)</c>, a caller-argument name), as C# text.</summary>
    private static Expr ReferenceConstant(IOperation operation, TypeRef type) =>
        operation.ConstantValue.Value is string text
            ? new Literal(SymbolDisplay.FormatLiteral(text, quote: true), type)
            : new Literal("null", type);

    private static bool IsReferenceConstant(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: null or string } && operation.Type is { IsReferenceType: true };

    /// <summary>
    /// <c>$"loss {loss:F3}"</c> → <c>string.Format("loss {0:F3}", loss)</c>: the same text, culture and formatting,
    /// with the holes as ordinary IR reads, so they see the values the forward sweep computed.
    /// </summary>
    private Expr LowerInterpolatedString(IInterpolatedStringOperation interpolated, List<Stmt> output)
    {
        var format = new StringBuilder();
        var holes = new List<Expr>();
        foreach (IInterpolatedStringContentOperation part in interpolated.Parts)
        {
            switch (part)
            {
                case IInterpolatedStringTextOperation text:
                    format.Append((text.Text.ConstantValue.Value as string ?? string.Empty).Replace("{", "{{").Replace("}", "}}"));
                    break;
                case IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation append }:
                    if (!AppendHole(append, format, holes, output))
                    {
                        Unsupported(part, "This part of an interpolated string", "format the value with ToString first");
                        return Fallback(interpolated);
                    }

                    break;
                case IInterpolationOperation hole:
                    format.Append('{').Append(holes.Count);
                    if (hole.Alignment?.ConstantValue.Value is { } alignment)
                    {
                        format.Append(',').Append(System.Convert.ToString(alignment, System.Globalization.CultureInfo.InvariantCulture));
                    }

                    if (hole.FormatString?.ConstantValue.Value is string holeFormat)
                    {
                        format.Append(':').Append(holeFormat);
                    }

                    format.Append('}');
                    holes.Add(LowerExpr(hole.Expression, output));
                    break;
                default:
                    Unsupported(part, "This part of an interpolated string", "format the value with ToString first");
                    return Fallback(interpolated);
            }
        }

        var formatText = new Literal(SymbolDisplay.FormatLiteral(format.ToString(), quote: true), StringType);
        return new Opaque(null, "global::System.String", "Format", new[] { formatText }.Concat(holes).ToEquatableArray(), StringType);
    }

    /// <summary>
    /// One call an interpolated-string handler makes (<c>AppendLiteral("n = ")</c>, <c>AppendFormatted(n, 8, "F3")</c>),
    /// written into the format string and its holes.
    /// </summary>
    private bool AppendHole(IInvocationOperation append, StringBuilder format, List<Expr> holes, List<Stmt> output)
    {
        IOperation? Argument(string name) => append.Arguments.FirstOrDefault(a => a.Parameter?.Name == name && a.ArgumentKind == ArgumentKind.Explicit)?.Value;
        if (append.TargetMethod.Name == "AppendLiteral" && append.Arguments.Length == 1 && append.Arguments[0].Value.ConstantValue.Value is string literal)
        {
            format.Append(literal.Replace("{", "{{").Replace("}", "}}"));
            return true;
        }

        if (append.TargetMethod.Name != "AppendFormatted" || Argument("value") is not { } value)
        {
            return false;
        }

        format.Append('{').Append(holes.Count);
        if (Argument("alignment")?.ConstantValue.Value is { } alignment)
        {
            format.Append(',').Append(System.Convert.ToString(alignment, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (Argument("format")?.ConstantValue.Value is string holeFormat)
        {
            format.Append(':').Append(holeFormat);
        }

        format.Append('}');
        holes.Add(LowerExpr(value, output));
        return true;
    }

    /// <summary><c>logger?.Invoke(…)</c>, <c>x?.M()</c>: a conditional call, most often through a delegate.</summary>
    private void UnsupportedConditionalAccess(IConditionalAccessOperation access)
    {
        if (access.Operation.Type?.TypeKind == TypeKind.Delegate)
        {
            Unsupported(access, "Calling the delegate '" + ConstructNames.Excerpt(access.Operation.Syntax) + "' (?.)", "a delegate's target is unknown at compile time: log after the gradient call, or call a method directly");
            return;
        }

        Unsupported(access, "A conditional call (?.)", "test for null with an if and call the method in it");
    }

    /// <summary>
    /// A value converted to <c>object</c> only to be shown or checked: boxing copies a scalar, and an array reaches
    /// only <c>ArgumentNullException.ThrowIfNull</c>, which reads nothing in it. Any other reference conversion of an
    /// array could hand it to code that writes it unseen, so it stays an error.
    /// </summary>
    private static bool IsForwardOnlyConversion(IConversionOperation conversion, Expr operand) =>
        (conversion.GetConversion().IsBoxing && !operand.Type.IsArray)
        || (conversion.Conversion.IsReference && operand.Type.IsArray && conversion.Parent is IArgumentOperation
            {
                Parent: IInvocationOperation { TargetMethod: { Name: "ThrowIfNull", ContainingType: var owner } },
            } && owner.ToDisplayString() == "System.ArgumentNullException");

    /// <summary>
    /// A generic call that runs in the forward sweep only (<c>ArgumentOutOfRangeException.ThrowIfNegative(n)</c>):
    /// its type arguments are inferred again from the same arguments in the generated code.
    /// </summary>
    private bool IsForwardOnlyGenericCall(IMethodSymbol target) =>
        target.ReturnsVoid && !NeedsPullback(target) && !PassesFloatingStorage(target);
}
