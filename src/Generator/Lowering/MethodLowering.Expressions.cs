using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

internal sealed partial class MethodLowering
{
    // Set while lowering code that runs conditionally or as a condition (?: branches, && / || operands, if and loop
    // conditions): calls with pullbacks cannot be hoisted out of it, so they are rejected there.
    private string? hoistBlocker;

    private Expr LowerCondition(IOperation condition, List<Stmt> output, string where)
    {
        string? saved = hoistBlocker;
        hoistBlocker = where;
        Expr lowered = LowerExpr(condition, output);
        hoistBlocker = saved;
        return lowered;
    }

    private Expr LowerBlocked(IOperation operation, List<Stmt> output, string where)
    {
        string? saved = hoistBlocker;
        hoistBlocker ??= where;
        Expr lowered = LowerExpr(operation, output);
        hoistBlocker = saved;
        return lowered;
    }

    private static Expr Convert(Expr value, TypeRef type)
    {
        if (value.Type.Display == type.Display || type.IsArray || value.Type.IsArray || type.Element.StartsWith("global::", System.StringComparison.Ordinal))
        {
            return value;
        }

        if (value is Literal literal && type.IsFloatingScalar && double.TryParse(literal.Text.TrimEnd('f', 'd', 'L', 'U'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double number))
        {
            return new Literal(Literals.Format(number, type), type);
        }

        return new Cast(value, type);
    }

    private Expr Fallback(IOperation operation) => new Literal("default", TypeMapping.From(operation.Type));

    // Nesting the IR keeps: deeper expressions are rejected, and long left-nested chains (a + b + c + … with
    // thousands of terms, as generated code has) are split into partial results, so no stage recurses deeply.
    private const int MaxNesting = 200;
    private const int ChainSplit = 64;
    private int nesting;
    private bool reportedNesting;

    private Expr LowerExpr(IOperation operation, List<Stmt> output)
    {
        if (nesting >= MaxNesting)
        {
            if (!reportedNesting)
            {
                reportedNesting = true;
                Unsupported(operation, "An expression nested more than " + MaxNesting + " levels deep", "split it into statements with locals");
            }

            return Fallback(operation);
        }

        nesting++;
        try
        {
            return LowerNested(operation, output);
        }
        finally
        {
            nesting--;
        }
    }

    private Expr LowerNested(IOperation operation, List<Stmt> output)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TypeRef type = TypeMapping.From(operation.Type);
        if (operation.ConstantValue.HasValue && operation.Type is not null && (type.IsFloatingScalar || type.TapeKind is not null))
        {
            return new Literal(Literals.Format(operation.ConstantValue.Value, type), type);
        }

        if (IsReferenceConstant(operation))
        {
            return ReferenceConstant(operation, type);
        }

        switch (operation)
        {
            case IInterpolatedStringOperation interpolated:
                return LowerInterpolatedString(interpolated, output);

            case IInterpolatedStringHandlerCreationOperation { Content: IInterpolatedStringOperation handled }:
                return LowerInterpolatedString(handled, output);

            case IConditionalOperation or ICoalesceOperation when HasThrowBranch(operation):
                return LowerThrowExpression(operation, output);

            case IConversionOperation conversion:
                return LowerConversion(conversion, output);

            case ILocalReferenceOperation local when refElements.TryGetValue(local.Local, out Element? cell):
                return cell;

            case ILocalReferenceOperation local when spanViews.ContainsKey(local.Local):
                return ReportSpanViewUse(local);

            case ILocalReferenceOperation local when layerLocals.ContainsKey(local.Local):
                return ReportLayerLocalUse(local);

            case ILocalReferenceOperation local:
                return DeclareLocal(local.Local);

            case IParameterReferenceOperation parameter when inlinedParameters.TryGetValue(parameter.Parameter.OriginalDefinition, out Expr? argument):
                return argument;

            case IParameterReferenceOperation parameter:
                return ParameterVar(parameter.Parameter);

            case IFieldReferenceOperation field:
                return LowerFieldRead(field, output);

            case IArrayElementReferenceOperation element:
                return new Element(LowerExpr(element.ArrayReference, output), element.Indices.Select(index => LowerExpr(index, output)).ToEquatableArray(), type);

            case IPropertyReferenceOperation property:
                return LowerProperty(property, output);

            case IInvocationOperation invocation:
                return LowerInvocation(invocation, output);

            case IBinaryOperation binary when IsChainable(binary):
                return LowerChain(binary, output);

            case IBinaryOperation { OperatorMethod.ContainingType: var owner } mathNet when MathNetOperations.Owns(owner):
                return LowerMathNetValue(mathNet, output);

            case IUnaryOperation { OperatorMethod.ContainingType: var owner } mathNet when MathNetOperations.Owns(owner):
                return LowerMathNetValue(mathNet, output);

            case IBinaryOperation binary:
            {
                if (binary.OperatorMethod is not null)
                {
                    Unsupported(binary, "The user-defined operator " + binary.OperatorMethod.ToDisplayString(), "use double/float arithmetic");
                    return Fallback(binary);
                }

                string? symbol = BinarySymbol(binary.OperatorKind);
                if (symbol is null)
                {
                    Unsupported(binary, "The operator " + binary.OperatorKind, "rewrite it with + - * / and comparisons");
                    return Fallback(binary);
                }

                Expr left = LowerExpr(binary.LeftOperand, output);
                if (symbol is "&&" or "||" && hoistBlocker is null && ContainsPullbackCall(binary.RightOperand))
                {
                    // a && F(x) > 1: the right operand runs only when needed, so it becomes an if around its calls.
                    Var test = NewTemp("test", TypeRef.Bool);
                    output.Add(new Assign(test, left, AssignKind.Declare, SourceText(binary.LeftOperand)));
                    var whenNeeded = new List<Stmt>();
                    whenNeeded.Add(new Assign(test, LowerExpr(binary.RightOperand, whenNeeded), AssignKind.Set, SourceText(binary.RightOperand)));
                    Expr needed = symbol == "&&" ? test : new Unary("!", test, TypeRef.Bool);
                    output.Add(new If(needed, new Block(whenNeeded.ToEquatableArray()), Block.Empty));
                    return test;
                }

                int mark = output.Count;
                Expr right = symbol is "&&" or "||" ? LowerBlocked(binary.RightOperand, output, "the right operand of " + symbol) : LowerExpr(binary.RightOperand, output);
                return new Binary(symbol, ReadBefore(left, mark, binary.LeftOperand, output), right, type);
            }

            case IUnaryOperation unary:
            {
                if (unary.OperatorMethod is not null)
                {
                    Unsupported(unary, "A user-defined operator", "use double/float arithmetic");
                    return Fallback(unary);
                }

                string? symbol = unary.OperatorKind switch
                {
                    UnaryOperatorKind.Minus => "-",
                    UnaryOperatorKind.Plus => "+",
                    UnaryOperatorKind.Not => "!",
                    UnaryOperatorKind.BitwiseNegation => "~",
                    _ => null,
                };
                if (symbol is null)
                {
                    Unsupported(unary, "The operator " + unary.OperatorKind, "rewrite it with arithmetic");
                    return Fallback(unary);
                }

                Expr operand = LowerExpr(unary.Operand, output);
                return symbol == "+" ? operand : new Unary(symbol, operand, type);
            }

            case IConditionalOperation { WhenFalse: not null } choice when hoistBlocker is null && (ContainsPullbackCall(choice.WhenTrue) || ContainsPullbackCall(choice.WhenFalse)):
            {
                // c ? F(a) : G(b): each branch's call must run only when chosen, so the value comes from an if/else.
                Expr condition = LowerExpr(choice.Condition, output);
                Var chosen = NewTemp("choice", type);
                if (type.IsArray)
                {
                    // A vector chosen here (c ? u : W * x) is declared here: fresh in every iteration of a loop around it,
                    // not a variable the loop carries and points at another array (which [Checkpoint] could not snapshot).
                    output.Add(new Assign(chosen, new Literal("default", type), AssignKind.Declare, SourceText(choice)));
                }

                var whenTrue = new List<Stmt>();
                var whenFalse = new List<Stmt>();
                LowerAssignment(chosen, choice.WhenTrue, AssignKind.Set, choice, whenTrue);
                LowerAssignment(chosen, choice.WhenFalse, AssignKind.Set, choice, whenFalse);
                output.Add(new If(condition, new Block(whenTrue.ToEquatableArray()), new Block(whenFalse.ToEquatableArray())));
                return chosen;
            }

            case IConditionalOperation { WhenFalse: not null } conditional:
            {
                // The condition always runs, once: calls in it hoist like any other (unless an outer position blocks them).
                Expr condition = LowerExpr(conditional.Condition, output);
                Expr whenTrue = LowerBlocked(conditional.WhenTrue, output, "a branch of ?:");
                Expr whenFalse = LowerBlocked(conditional.WhenFalse, output, "a branch of ?:");
                return new Conditional(condition, Convert(whenTrue, type), Convert(whenFalse, type), type);
            }

            case IArrayCreationOperation creation:
                return LowerArrayCreation(creation, output);

            case IIsPatternOperation isPattern:
                return LowerIsPattern(isPattern, output);

            case ISwitchExpressionOperation switchExpression:
                return LowerSwitchExpression(switchExpression, output);

            case IDefaultValueOperation:
                return new Literal("default(" + type.Display + ")", type);

            case IInstanceReferenceOperation:
                Unsupported(operation, "Using 'this' as a value", "read its fields, or call its [Differentiable] methods");
                return Fallback(operation);

            case IAnonymousFunctionOperation or IDelegateCreationOperation:
                Unsupported(operation, "A lambda or delegate", "write the computation as a loop or a [Differentiable] method");
                return Fallback(operation);

            case IInvalidOperation:
                return Fallback(operation);

            default:
                Unsupported(operation, ConstructNames.Describe(operation), "rewrite it with the constructs listed at " + DiagnosticDescriptors.SupportedCSharp("core"));
                return Fallback(operation);
        }
    }

    private static bool IsChainable(IBinaryOperation binary) =>
        binary.OperatorMethod is null && !binary.ConstantValue.HasValue && BinarySymbol(binary.OperatorKind) is { } symbol && symbol is not ("&&" or "||");

    /// <summary>
    /// A left-nested chain of binary operators, walked iteratively. Every <see cref="ChainSplit"/> operators the
    /// partial result goes into a temporary (where evaluating it early is allowed), which keeps the IR shallow.
    /// </summary>
    private Expr LowerChain(IBinaryOperation binary, List<Stmt> output)
    {
        var spine = new Stack<IBinaryOperation>();
        IOperation leftmost = binary;
        while (leftmost is IBinaryOperation link && IsChainable(link))
        {
            spine.Push(link);
            leftmost = link.LeftOperand;
        }

        Expr result = LowerExpr(leftmost, output);
        int length = 0;
        while (spine.Count > 0)
        {
            IBinaryOperation link = spine.Pop();
            int mark = output.Count;
            Expr right = LowerExpr(link.RightOperand, output);
            TypeRef type = TypeMapping.From(link.Type);
            result = new Binary(BinarySymbol(link.OperatorKind)!, ReadBefore(result, mark, link.LeftOperand, output), right, type);
            length++;
            if (hoistBlocker is not null && length >= MaxNesting)
            {
                Unsupported(binary, "An expression of more than " + MaxNesting + " operators in " + hoistBlocker, "compute it into a local first");
                return Fallback(binary);
            }

            if (hoistBlocker is null && length % ChainSplit == 0 && spine.Count > 0)
            {
                Var partial = NewTemp("partial", type);
                output.Add(new Assign(partial, result, AssignKind.Declare, SourceText(link)));
                result = partial;
            }
        }

        return result;
    }

    private Expr LowerConversion(IConversionOperation conversion, List<Stmt> output)
    {
        TypeRef type = TypeMapping.From(conversion.Type);
        if (conversion.Operand is IInvocationOperation clone && IsArrayClone(clone) && type.IsArray)
        {
            return LowerClone(clone.Instance!, type, conversion, output);
        }

        Expr operand = LowerExpr(conversion.Operand, output);
        if (conversion.Conversion.IsIdentity || operand.Type.Display == type.Display)
        {
            return operand;
        }

        if (conversion.Conversion.IsNumeric)
        {
            return Convert(operand, type);
        }

        if (conversion.Conversion.IsReference && type.IsArray)
        {
            return operand;
        }

        if (IsForwardOnlyConversion(conversion, operand))
        {
            return operand;
        }

        // double[] → Span<double>: the same storage, and the adjoint array converts the same way.
        if (type.IsSpan && operand.Type.IsArray && operand.Type.Ranks.Count == 1 && operand.Type.Element == type.Element)
        {
            return operand;
        }

        Unsupported(conversion, "A conversion from " + operand.Type.Display.Replace("global::", string.Empty) + " to " + type.Display.Replace("global::", string.Empty), "use numeric conversions between double, float and integers");
        return Fallback(conversion);
    }

    private static bool IsArrayClone(IInvocationOperation invocation) =>
        invocation is { TargetMethod.Name: "Clone", Arguments.Length: 0, Instance.Type: IArrayTypeSymbol };

    /// <summary>
    /// <c>(T[])x.Clone()</c>: a fresh array filled element by element (row by row for jagged arrays, which Clone
    /// copies shallowly), so the copy's adjoint flows back into x's through ordinary assignments.
    /// </summary>
    private Expr LowerClone(IOperation source, TypeRef type, IOperation clone, List<Stmt> output)
    {
        if (hoistBlocker is not null)
        {
            Unsupported(clone, "Clone in " + hoistBlocker, "copy the array into a local first");
            return Fallback(clone);
        }

        int rank = type.Ranks[0];
        if (rank > 2 || type.IsSpan)
        {
            Unsupported(clone, "Cloning an array of rank " + rank, "copy it element by element");
            return Fallback(clone);
        }

        Expr original = LowerExpr(source, output);
        if (original is not Var)
        {
            Var held = NewTemp("original", original.Type);
            output.Add(new Assign(held, original, AssignKind.Declare, SourceText(source)));
            original = held;
        }

        string text = SourceText(clone);
        var lengths = new List<Expr>();
        for (int dimension = 0; dimension < rank; dimension++)
        {
            lengths.Add(rank == 1 ? Opaque.Read(original, "Length", TypeRef.Int) : Opaque.GetLength(original, dimension));
        }

        Var copy = NewTemp("copy", type);
        output.Add(new Assign(copy, new NewArray(lengths.ToEquatableArray(), type), AssignKind.Declare, text));
        var indices = new List<Var>();
        for (int dimension = 0; dimension < rank; dimension++)
        {
            indices.Add(NewTemp("index", TypeRef.Int));
        }

        EquatableArray<Expr> at = indices.Cast<Expr>().ToEquatableArray();
        Stmt body = new Assign(new Element(copy, at, type.ElementType), new Element(original, at, type.ElementType), AssignKind.Set, text);
        for (int dimension = rank - 1; dimension >= 0; dimension--)
        {
            Var index = indices[dimension];
            var loop = new Loop(
                new Binary("<", index, lengths[dimension], TypeRef.Bool),
                new Block(EquatableArray.Of(body)),
                new Block(EquatableArray.Of<Stmt>(new Assign(index, new Literal("1", TypeRef.Int), AssignKind.Add, "(next element)"))),
                TestFirst: true);
            body = new Block(EquatableArray.Of<Stmt>(new Assign(index, Zero, AssignKind.Declare, "(copy)"), loop));
        }

        output.Add(body);
        return copy;
    }

    private Expr LowerArrayCreation(IArrayCreationOperation creation, List<Stmt> output)
    {
        TypeRef type = TypeMapping.From(creation.Type);
        if (creation.Initializer is null)
        {
            return new NewArray(creation.DimensionSizes.Select(size => LowerExpr(size, output)).ToEquatableArray(), type);
        }

        if (hoistBlocker is null && type.Ranks[0] > 1)
        {
            return LowerRectangularInitializer(creation, type, output);
        }

        if (hoistBlocker is not null)
        {
            // Its element fills would be statements, which a condition or a ?: branch cannot hold.
            Unsupported(creation, "An array initializer in " + hoistBlocker, "create the array in a statement of its own before it");
            return Fallback(creation);
        }

        // new[] { a, b } → a fresh array filled element by element, so each element's adjoint flows as usual.
        ImmutableArray<IOperation> values = creation.Initializer.ElementValues;
        Var array = NewTemp("array", type);
        output.Add(new Assign(array, new NewArray(EquatableArray.Of<Expr>(new Literal(values.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), TypeRef.Int)), type), AssignKind.Declare, SourceText(creation)));
        for (int i = 0; i < values.Length; i++)
        {
            Expr value = Convert(LowerExpr(values[i], output), type.ElementType);
            var index = new Literal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), TypeRef.Int);
            output.Add(new Assign(new Element(array, EquatableArray.Of<Expr>(index), type.ElementType), value, AssignKind.Set, SourceText(values[i])));
        }

        return array;
    }

    private static string? BinarySymbol(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Add => "+",
        BinaryOperatorKind.Subtract => "-",
        BinaryOperatorKind.Multiply => "*",
        BinaryOperatorKind.Divide => "/",
        BinaryOperatorKind.Remainder => "%",
        BinaryOperatorKind.Equals => "==",
        BinaryOperatorKind.NotEquals => "!=",
        BinaryOperatorKind.LessThan => "<",
        BinaryOperatorKind.LessThanOrEqual => "<=",
        BinaryOperatorKind.GreaterThan => ">",
        BinaryOperatorKind.GreaterThanOrEqual => ">=",
        BinaryOperatorKind.ConditionalAnd => "&&",
        BinaryOperatorKind.ConditionalOr => "||",
        BinaryOperatorKind.And => "&",
        BinaryOperatorKind.Or => "|",
        BinaryOperatorKind.ExclusiveOr => "^",
        BinaryOperatorKind.LeftShift => "<<",
        BinaryOperatorKind.RightShift => ">>",
        _ => null,
    };
}
