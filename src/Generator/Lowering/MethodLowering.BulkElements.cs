using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;
using SourceDiff.Rules;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Bulk element operations on floating arrays and spans (<c>Array.Copy</c>, <c>Array.Clear</c>, <c>Array.Fill</c>,
/// <c>CopyTo</c>, and span <c>Fill</c>/<c>Clear</c>/<c>CopyTo</c>, also on <c>AsSpan</c>/<c>Slice</c> views) lowered to
/// element loops, so activity, recording and adjoints follow from the element assignments, as for <c>Clone</c>.
/// </summary>
internal sealed partial class MethodLowering
{
    /// <summary>A run of elements: <c>Count</c> elements of a one-dimensional array or span, from <c>Start</c>.</summary>
    private sealed record ElementRun(Expr Storage, Expr Start, Expr Count);

    /// <summary>Whether a call statement is a bulk element operation this file lowers (then it has been lowered).</summary>
    private bool TryLowerBulkElements(IInvocationOperation invocation, IOperation statement, List<Stmt> output)
    {
        IMethodSymbol target = invocation.TargetMethod;
        string? kind = BulkKind(target);
        if (kind is null)
        {
            return false;
        }

        List<IOperation> arguments = ArgumentsInOrder(invocation);
        if (!MovesFloatingElements(invocation.Instance) && !arguments.Exists(MovesFloatingElements))
        {
            return false;   // integer and boolean arrays carry no derivative: the call runs as written
        }

        string text = SourceText(statement);
        switch (kind, arguments.Count)
        {
            case ("Array.Copy", 3) when IsInt(arguments[2]):
            {
                Expr? count = LowerCount(arguments[2], output);
                if (RunOf(arguments[0], statement, output) is { } source && RunOf(arguments[1], statement, output) is { } destination && count is not null
                    && SameElements(source, destination, invocation))
                {
                    EmitCopy(source with { Count = count }, destination, text, output);
                }

                return true;
            }

            case ("Array.Copy", 5) when IsInt(arguments[1]) && IsInt(arguments[3]) && IsInt(arguments[4]):
            {
                ElementRun? source = RunOf(arguments[0], statement, output);
                Expr sourceIndex = LowerCount(arguments[1], output);
                ElementRun? destination = RunOf(arguments[2], statement, output);
                Expr destinationIndex = LowerCount(arguments[3], output);
                Expr count = LowerCount(arguments[4], output);
                if (source is not null && destination is not null && SameElements(source, destination, invocation))
                {
                    EmitCopy(new ElementRun(source.Storage, sourceIndex, count), destination with { Start = destinationIndex }, text, output);
                }

                return true;
            }

            case ("Array.CopyTo", 2) when IsInt(arguments[1]):
            {
                // array.CopyTo(destination, index): the whole source, into destination from index.
                ElementRun? source = RunOf(invocation.Instance!, statement, output);
                ElementRun? destination = RunOf(arguments[0], statement, output);
                Expr index = LowerCount(arguments[1], output);
                if (source is not null && destination is not null && SameElements(source, destination, invocation))
                {
                    EmitCopy(source, destination with { Start = index }, text, output);
                }

                return true;
            }

            case ("Span.CopyTo", 1) when invocation.Instance is not null:
            case ("Span.CopyTo", 2) when invocation.Instance is null:
            {
                // source.CopyTo(destination): the whole source, into the start of destination.
                ElementRun? source = RunOf(invocation.Instance ?? arguments[0], statement, output);
                ElementRun? destination = RunOf(invocation.Instance is null ? arguments[1] : arguments[0], statement, output);
                if (source is not null && destination is not null && SameElements(source, destination, invocation))
                {
                    EmitCopy(source, destination, text, output);
                }

                return true;
            }

            case ("Array.Clear", 1):
            case ("Span.Clear", 0):
            {
                if (RunOf(invocation.Instance ?? arguments[0], statement, output) is { } run)
                {
                    EmitFill(run, new Literal("0", run.Storage.Type.ElementType), text, output);
                }

                return true;
            }

            case ("Array.Clear", 3) when IsInt(arguments[1]) && IsInt(arguments[2]):
            {
                ElementRun? run = RunOf(arguments[0], statement, output);
                Expr start = LowerCount(arguments[1], output);
                Expr count = LowerCount(arguments[2], output);
                if (run is not null)
                {
                    EmitFill(new ElementRun(run.Storage, start, count), new Literal("0", run.Storage.Type.ElementType), text, output);
                }

                return true;
            }

            case ("Array.Fill", 2):
            case ("Array.Fill", 4) when IsInt(arguments[2]) && IsInt(arguments[3]):
            case ("Span.Fill", 1):
            {
                ElementRun? run = RunOf(invocation.Instance ?? arguments[0], statement, output);
                if (run is not null && arguments.Count == 4)
                {
                    run = new ElementRun(run.Storage, LowerCount(arguments[2], output), LowerCount(arguments[3], output));
                }

                IOperation valueOperation = invocation.Instance is null ? arguments[1] : arguments[0];
                if (run is not null)
                {
                    // The value is computed once, as the call does, and every element's adjoint flows back to it.
                    Expr value = Convert(LowerExpr(valueOperation, output), run.Storage.Type.ElementType);
                    if (value is not (Var or Literal))
                    {
                        value = Spill(value, "fill", valueOperation, output);
                    }

                    EmitFill(run, value, text, output);
                }

                return true;
            }

            default:
                Unsupported(invocation, "This overload of '" + target.ContainingType.Name + "." + target.Name + "'", "call Array.Copy, Array.Clear, Array.Fill or CopyTo with element counts and int indices");
                return true;
        }
    }

    /// <summary>Which bulk operation a method is, if it acts on floating elements; null for any other method.</summary>
    private static string? BulkKind(IMethodSymbol target)
    {
        INamedTypeSymbol type = target.ContainingType;
        if (type.ContainingNamespace?.ToDisplayString() != "System")
        {
            return null;
        }

        bool floatingElements = false;
        foreach (IParameterSymbol parameter in target.Parameters)
        {
            floatingElements |= TypeMapping.From(parameter.Type).IsFloatingArray;
        }

        if (type.SpecialType == SpecialType.System_Array)
        {
            // Array.Copy and Array.Clear take System.Array: the arguments' own types say whether they hold floats.
            return target.Name is "Copy" or "Clear" or "Fill" or "CopyTo" ? "Array." + target.Name : null;
        }

        if (type.Name is "Span" or "ReadOnlySpan" && type.TypeArguments.Length == 1 && DerivativeRules.IsFloating(type.TypeArguments[0]))
        {
            return target.Name is "CopyTo" or "Clear" or "Fill" ? "Span." + target.Name : null;
        }

        // MemoryExtensions.CopyTo(this T[] source, Span<T> destination).
        return type.Name == "MemoryExtensions" && target.Name == "CopyTo" && floatingElements ? "Span.CopyTo" : null;
    }

    private static List<IOperation> ArgumentsInOrder(IInvocationOperation invocation)
    {
        var arguments = new List<IOperation>();
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            arguments.Add(argument.Value);
        }

        arguments.Sort((a, b) => ((IArgumentOperation)a.Parent!).Parameter!.Ordinal.CompareTo(((IArgumentOperation)b.Parent!).Parameter!.Ordinal));
        return arguments;
    }

    /// <summary>Whether an operand (seen through implicit conversions to Array or a span) holds floating elements.</summary>
    private static bool MovesFloatingElements(IOperation? operation)
    {
        while (operation is IConversionOperation { Conversion.IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation is not null && TypeMapping.From(operation.Type).IsFloatingArray;
    }

    private static bool IsInt(IOperation operation) => operation.Type?.SpecialType == SpecialType.System_Int32;

    private Expr LowerCount(IOperation operation, List<Stmt> output)
    {
        // Evaluated once, before any element moves, as the call evaluates its arguments.
        Expr count = LowerExpr(operation, output);
        return count is Literal or Var ? count : Spill(count, "elements", operation, output);
    }

    /// <summary>
    /// The elements an argument names: a one-dimensional floating array or span (a variable, or a row of a jagged
    /// one), or an <c>AsSpan</c>/<c>Slice</c> view of one, which is the same elements from an offset.
    /// </summary>
    private ElementRun? RunOf(IOperation operation, IOperation statement, List<Stmt> output)
    {
        while (operation is IConversionOperation { Conversion.IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        if (operation is ILocalReferenceOperation local && spanViews.TryGetValue(local.Local, out ElementRun? named))
        {
            return named;
        }

        if (operation is IInvocationOperation view && view.TargetMethod.Name is "AsSpan" or "AsMemory" or "Slice")
        {
            List<IOperation> arguments = ArgumentsInOrder(view);
            IOperation? whole = view.Instance;
            if (whole is null && arguments.Count > 0)
            {
                whole = arguments[0];
                arguments.RemoveAt(0);
            }

            if (view.TargetMethod.Name == "AsMemory" || whole is null || arguments.Count > 2 || !arguments.TrueForAll(IsInt))
            {
                Unsupported(view, "A view '" + ConstructNames.Excerpt(view.Syntax) + "' taken with an Index or a Range", "take the view with int start and length: AsSpan(start, length)");
                return null;
            }

            if (RunOf(whole, statement, output) is not { } outer)
            {
                return null;
            }

            Expr start = arguments.Count > 0 ? LowerCount(arguments[0], output) : Zero;
            Expr count = arguments.Count > 1 ? LowerCount(arguments[1], output) : Minus(outer.Count, start);
            return new ElementRun(outer.Storage, Plus(outer.Start, start), count);
        }

        TypeRef type = TypeMapping.From(operation.Type);
        if (!type.IsFloatingElement || type.Ranks.Count != 1 || type.Ranks[0] != 1)
        {
            Unsupported(operation, "A bulk copy, clear or fill of '" + ConstructNames.Excerpt(operation.Syntax) + "' (" + (operation.Type?.ToDisplayString() ?? "?") + ")",
                "use one-dimensional double or float arrays or spans, or copy element by element");
            return null;
        }

        Expr storage = LowerExpr(operation, output);
        if (storage is Literal { Text: "default" })
        {
            return null;   // lowering it was reported already: one error per cause
        }

        if (!IsStoragePath(storage))
        {
            if (storage.Type.IsSpan)
            {
                Unsupported(operation, "A span computed in place", "pass a span parameter or an array");
                return null;
            }

            storage = Spill(storage, "target", operation, output);
        }

        return new ElementRun(storage, Zero, Opaque.Read(storage, "Length", TypeRef.Int));
    }

    /// <summary>Array.Copy converts between element types; the element loops here assign, so the types must agree.</summary>
    private bool SameElements(ElementRun source, ElementRun destination, IOperation call)
    {
        if (source.Storage.Type.Element == destination.Storage.Type.Element)
        {
            return true;
        }

        Unsupported(call, "A copy from " + source.Storage.Type.Element + " elements to " + destination.Storage.Type.Element + " elements", "copy element by element with a cast");
        return false;
    }

    /// <summary>
    /// <c>destination[d + k] = source[s + k]</c> for k below the source's count. Within one array the copy runs
    /// backwards when the destination starts later, as Array.Copy copies overlapping runs (as if through a buffer).
    /// </summary>
    private void EmitCopy(ElementRun source, ElementRun destination, string text, List<Stmt> output)
    {
        TypeRef element = destination.Storage.Type.ElementType;
        Stmt Move(Var k) => new Assign(
            new Element(destination.Storage, EquatableArray.Of(Plus(destination.Start, k)), element),
            new Element(source.Storage, EquatableArray.Of(Plus(source.Start, k)), element),
            AssignKind.Set,
            text);

        if (!source.Storage.Equals(destination.Storage))
        {
            output.Add(ElementLoop(source.Count, Move, backwards: false));
            return;
        }

        output.Add(new If(
            new Binary("<=", destination.Start, source.Start, TypeRef.Bool),
            new Block(EquatableArray.Of<Stmt>(ElementLoop(source.Count, Move, backwards: false))),
            new Block(EquatableArray.Of<Stmt>(ElementLoop(source.Count, Move, backwards: true)))));
    }

    private void EmitFill(ElementRun run, Expr value, string text, List<Stmt> output)
    {
        TypeRef element = run.Storage.Type.ElementType;
        output.Add(ElementLoop(run.Count, k => new Assign(new Element(run.Storage, EquatableArray.Of(Plus(run.Start, k)), element), value, AssignKind.Set, text), backwards: false));
    }

    /// <summary>A counted loop over <c>k</c> in [0, count), in either direction, written as lowering writes a for loop.</summary>
    private Block ElementLoop(Expr count, System.Func<Var, Stmt> body, bool backwards)
    {
        Var k = NewTemp("index", TypeRef.Int);
        var one = new Literal("1", TypeRef.Int);
        Stmt start = new Assign(k, backwards ? Minus(count, one) : Zero, AssignKind.Declare, "(element loop)");
        var loop = new Loop(
            backwards ? new Binary(">=", k, Zero, TypeRef.Bool) : new Binary("<", k, count, TypeRef.Bool),
            new Block(EquatableArray.Of(body(k))),
            new Block(EquatableArray.Of<Stmt>(new Assign(k, one, backwards ? AssignKind.Subtract : AssignKind.Add, "(next element)"))),
            TestFirst: true);
        return new Block(EquatableArray.Of(start, loop));
    }

    private static Expr Plus(Expr left, Expr right) =>
        IsZero(left) ? right : IsZero(right) ? left : new Binary("+", left, right, TypeRef.Int);

    private static Expr Minus(Expr left, Expr right) =>
        IsZero(right) ? left : new Binary("-", left, right, TypeRef.Int);

    private static bool IsZero(Expr expr) => expr is Literal { Text: "0" };
}
