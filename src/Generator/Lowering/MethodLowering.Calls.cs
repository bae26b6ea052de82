using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

internal sealed partial class MethodLowering
{
    /// <summary>A call whose result carries a derivative: it needs a pullback (generated, or supplied by [DerivativeOf]).</summary>
    private bool NeedsPullback(IMethodSymbol target) =>
        known.IsDifferentiable(target)
        || (TypeMapping.From(target.ReturnType).IsDifferentiable && !IsMath(target.ContainingType) && !IsGenericMathTwin(target) && !SymbolEqualityComparer.Default.Equals(target.ContainingType, known.Grad));

    /// <summary>A call that could write floating values through an array or a ref argument.</summary>
    private static bool PassesFloatingStorage(IMethodSymbol target) =>
        target.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.Out ? TypeMapping.From(p.Type).IsDifferentiable : TypeMapping.From(p.Type).IsFloatingArray);

    private bool IsMath(INamedTypeSymbol? type) =>
        type is not null && (SymbolEqualityComparer.Default.Equals(type, known.Math) || SymbolEqualityComparer.Default.Equals(type, known.MathF));

    private Expr LowerInvocation(IInvocationOperation invocation, List<Stmt> output)
    {
        IMethodSymbol target = invocation.TargetMethod;
        TypeRef type = TypeMapping.From(invocation.Type);
        List<IArgumentOperation> arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();

        if (IsMath(target.ContainingType))
        {
            if (MathFunctions.IsKnown(target.Name, arguments.Count) && type.IsFloatingScalar)
            {
                // Floating arguments share the result's type; others (Round's digits and mode) pass through as they are.
                // In the order C# evaluates them (as written), each earlier one keeping the value it had before a
                // later one's calls (Math.Pow(x, F(ref x))); passed in the order of the parameters.
                var evaluated = new List<IArgumentOperation>();
                var loweredArguments = new List<Expr>();
                foreach (IArgumentOperation argument in invocation.Arguments)
                {
                    int mark = output.Count;
                    Expr lowered = LowerExpr(argument.Value, output);
                    for (int i = 0; i < loweredArguments.Count; i++)
                    {
                        loweredArguments[i] = ReadBefore(loweredArguments[i], mark, evaluated[i].Value, output);
                    }

                    evaluated.Add(argument);
                    loweredArguments.Add(TypeMapping.From(argument.Parameter?.Type).IsFloatingScalar ? Convert(lowered, type) : lowered);
                }

                EquatableArray<Expr> byParameter = evaluated.Zip(loweredArguments, (argument, lowered) => (argument, lowered))
                    .OrderBy(pair => pair.argument.Parameter?.Ordinal ?? 0).Select(pair => pair.lowered).ToEquatableArray();
                return new MathCall(SymbolEqualityComparer.Default.Equals(target.ContainingType, known.MathF) ? "MathF" : "Math", target.Name, byParameter, type);
            }

            if (!type.IsDifferentiable)
            {
                return OpaqueCall(invocation, arguments, output);
            }

            ReportMissingDerivative(invocation);
            return Fallback(invocation);
        }

        if (MathNetOperations.Owns(target.ContainingType))
        {
            return TypeMapping.From(invocation.Type).IsDifferentiable || target.ReturnsVoid ? LowerMathNetValue(invocation, output) : OpaqueCall(invocation, arguments, output);
        }

        if (IsGenericMathTwin(target))
        {
            return LowerGenericMathTwin(invocation, arguments, output);
        }

        if (RejectLinq(invocation))
        {
            return Fallback(invocation);
        }

        if (known.Grad is not null && SymbolEqualityComparer.Default.Equals(target.ContainingType, known.Grad) && target.Name == "Stop" && arguments.Count == 1)
        {
            return new StopGradient(LowerExpr(arguments[0].Value, output), type);
        }

        if (TensorOperations.IsTensorPrimitives(target) && LowerTensorQuery(invocation, output) is { } query)
        {
            return query;
        }

        if (target.IsGenericMethod && !IsForwardOnlyGenericCall(target) && !TensorOperations.IsTensorPrimitives(target))
        {
            Unsupported(invocation, "A call to the generic method '" + target.Name + "'", "call a non-generic method");
            return Fallback(invocation);
        }

        if (IsLocalFunction(target))
        {
            return InlineLocalFunction(invocation, output) ?? Fallback(invocation);
        }

        if (NeedsPullback(target) || PassesFloatingStorage(target))
        {
            if (hoistBlocker is not null)
            {
                Report(DiagnosticDescriptors.CallNeedsStatement, invocation.Syntax, target.Name, hoistBlocker, MethodName);
                return Fallback(invocation);
            }

            if (target.ReturnsVoid)
            {
                Unsupported(invocation, "A void call used as a value", "call it as a statement");
                return Fallback(invocation);
            }

            Call? call = LowerCall(invocation, output);
            if (call is null)
            {
                return Fallback(invocation);
            }

            Var temp = NewTemp(type.IsDifferentiable ? "call" : "value", type);
            output.Add(new CallStmt(temp, call, AssignKind.Declare, SourceText(invocation)));
            return temp;
        }

        return OpaqueCall(invocation, arguments, output);
    }

    /// <summary>A call that carries no derivative (integer helpers, predicates): rendered as written.</summary>
    private Expr OpaqueCall(IInvocationOperation invocation, List<IArgumentOperation> arguments, List<Stmt> output)
    {
        IMethodSymbol target = invocation.TargetMethod;
        RejectListChanges(invocation);
        RejectUnrecordedFieldWrites(invocation);
        Expr? receiver = target.IsStatic || invocation.Instance is null or IInstanceReferenceOperation ? null : LowerExpr(invocation.Instance, output);
        var values = new List<Expr>();
        for (int i = 0; i < arguments.Count; i++)
        {
            // An interpolated-string handler is passed by ref only to be filled; its call gets the formatted string instead.
            if (arguments[i].Parameter?.RefKind is RefKind.Ref or RefKind.Out && arguments[i].Value is not IInterpolatedStringHandlerCreationOperation)
            {
                Unsupported(arguments[i], "A ref or out argument to '" + target.Name + "'", "return the value instead");
            }

            values.Add(LowerExpr(arguments[i].Value, output));
        }

        string? staticType = target.IsStatic ? TypeMapping.FullName(target.ContainingType) : null;
        return new Opaque(receiver, staticType, target.Name, values.ToEquatableArray(), TypeMapping.From(invocation.Type));
    }

    /// <summary>
    /// A plain (not [Differentiable]) method of the model or of one of its layers that writes a floating field: the call
    /// runs in the forward sweep only, so its writes are neither differentiated nor undone, and the reverse sweep would
    /// run on values the forward sweep no longer had (a helper clearing [State] gave silently wrong gradients). Writing
    /// counters and other integers is fine; code the scan cannot see is left to the analyzers.
    /// </summary>
    private void RejectUnrecordedFieldWrites(IInvocationOperation invocation)
    {
        IMethodSymbol target = invocation.TargetMethod;
        bool onModelOrLayer = invocation.Instance is IInstanceReferenceOperation
            || (invocation.Instance is IFieldReferenceOperation { Instance: IInstanceReferenceOperation } or IArrayElementReferenceOperation { ArrayReference: IFieldReferenceOperation { Instance: IInstanceReferenceOperation } }
                && invocation.Instance.Type is { } layer && known.IsModelType(layer));
        if (target.IsStatic || !onModelOrLayer || known.IsDifferentiable(target))
        {
            return;
        }

        FieldAccessScan.Access access = fieldAccess.Scan(new[] { target });
        string? field = access.Unknown ? null : access.Written.Concat(access.Rebound).FirstOrDefault(name =>
            target.ContainingType.GetMembers(name).OfType<IFieldSymbol>().Any(f => TypeMapping.From(f.Type).IsDifferentiable));
        if (field is not null)
        {
            Unsupported(invocation, "Calling '" + target.Name + "', which writes the floating field '" + field + "' but is not [Differentiable],",
                "mark '" + target.Name + "' [Differentiable] so its writes are recorded and differentiated, or make the write in this method");
        }
    }

    /// <summary>Lowers a call with a pullback; arguments become IR expressions, evaluated again by the reverse sweep.</summary>
    private bool RejectLinq(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.ContainingType.ToDisplayString() != "System.Linq.Enumerable")
        {
            return false;
        }

        Unsupported(invocation, "LINQ (" + invocation.TargetMethod.Name + ")", "write the computation as a for loop, whose evaluation order the adjoint can replay");
        return true;
    }

    private Call? LowerCall(IInvocationOperation invocation, List<Stmt> output)
    {
        IMethodSymbol target = invocation.TargetMethod;
        if (RejectLinq(invocation))
        {
            return null;
        }

        if (TensorOperations.IsTensorPrimitives(target))
        {
            return LowerTensorCall(invocation, output);
        }

        if (MathNetOperations.Owns(target.ContainingType) && DescribeMathNet(invocation) is { } mathNet)
        {
            return LowerMathNet(mathNet, output, out _);
        }

        if (target.IsGenericMethod || target.ContainingType.IsGenericType)
        {
            Unsupported(invocation, "A call to the generic method '" + target.Name + "'", "call a non-generic method");
            return null;
        }

        Expr? receiver = null;
        if (!target.IsStatic)
        {
            switch (invocation.Instance)
            {
                case null or IInstanceReferenceOperation:
                    break;
                case ILocalReferenceOperation local when layerLocals.TryGetValue(local.Local, out Expr? layer):
                    receiver = layer;
                    break;
                case IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field when known.IsModelType(field.Field.Type):
                    receiver = FieldVar(field.Field, field.Field.Name);
                    break;
                case IPropertyReferenceOperation { Instance: IInstanceReferenceOperation } layer when known.IsModelType(layer.Type!) && LowerModelProperty(layer) is { } layerProperty:
                    receiver = layerProperty;
                    break;
                case IArrayElementReferenceOperation { ArrayReference: IFieldReferenceOperation { Instance: IInstanceReferenceOperation } arrayField } element
                    when arrayField.Field.Type is IArrayTypeSymbol { Rank: 1, ElementType: var layerType } && known.IsModelType(layerType):
                    receiver = new Element(FieldVar(arrayField.Field, arrayField.Field.Name), element.Indices.Select(i => LowerExpr(i, output)).ToEquatableArray(), TypeMapping.From(element.Type));
                    break;
                default:
                    if (!known.IsDifferentiable(target) && !known.IsModelType(target.ContainingType))
                    {
                        // Not a layer call at all: the callee has no derivative wherever its object lives (Random.NextDouble).
                        ReportMissingDerivative(invocation);
                        return null;
                    }

                    ReportUnsupportedReceiver(invocation, invocation.Instance);
                    return null;
            }

            if (!known.IsDifferentiable(target))
            {
                ReportMissingDerivative(invocation);
                return null;
            }
        }

        if (known.IsDifferentiable(target) && !MethodParser.IsPartial(target.ContainingType))
        {
            // The callee's adjoint cannot be added to its type (it reports SD0004 itself); nor can this one call it.
            Report(DiagnosticDescriptors.TypeNotPartial, invocation.Syntax, target.ContainingType.Name, target.Name);
            return null;
        }

        // Arguments are lowered in the order C# evaluates them, as written (F(b: Step(x), a: H) runs Step first), and
        // passed in the order of the parameters.
        var evaluated = new List<(IArgumentOperation Operation, Argument Argument)>();
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            RefMode mode = TypeMapping.From(argument.Parameter?.RefKind ?? RefKind.None);
            if ((argument.Value is IConversionOperation { Operand: var converted } ? converted : argument.Value) is IInvocationOperation { TargetMethod.Name: "AsSpan" or "Slice" } view)
            {
                // One error for the one cause (not also "a call to the generic method AsSpan").
                Unsupported(argument, "A span view passed to '" + target.Name + "' (" + ConstructNames.Excerpt(view.Syntax) + ")", "pass the array and the offset, or bind the view to a span local and read or write through it here");
                return null;
            }

            int mark = output.Count;
            Expr value = mode is RefMode.Ref or RefMode.Out
                ? LowerTarget(argument.Value, output)
                : Convert(LowerExpr(argument.Value, output), TypeMapping.From(argument.Parameter?.Type));
            bool reported = argument.Value is ILocalReferenceOperation { Local: var named } && spanViews.ContainsKey(named);
            if (mode is RefMode.None or RefMode.In && value.Type.IsFloatingArray && value is not (Var or Element or Opaque) && !reported)
            {
                value = SpillArray(value, argument, output);
            }

            for (int earlier = 0; earlier < evaluated.Count; earlier++)
            {
                // F(x, G(ref x)): x is read before G writes it. Locations (ref/out) and arrays are passed, not read.
                (IArgumentOperation operation, Argument passed) = evaluated[earlier];
                if (passed.Mode is RefMode.None or RefMode.In && !passed.Value.Type.IsArray)
                {
                    evaluated[earlier] = (operation, passed with { Value = ReadBefore(passed.Value, mark, operation.Value, output) });
                }
            }

            evaluated.Add((argument, new Argument(value, mode)));
        }

        List<Argument> arguments = evaluated.OrderBy(a => a.Operation.Parameter?.Ordinal ?? 0).Select(a => a.Argument).ToList();

        if (InArgumentWrittenByTheCall(invocation, target, arguments) is { } aliased)
        {
            Unsupported(aliased, "An 'in' argument the call may also write through another argument (" + ConstructNames.Excerpt(aliased.Syntax) + ")", "the callee differentiates 'in' parameters as values; pass a copy (a local) or drop 'in' and pass the value");
            return null;
        }

        if (TypeMapping.From(target.ReturnType).IsArray)
        {
            Unsupported(invocation, "A call returning an array ('" + target.Name + "')", "pass the array to fill as a parameter and return void");
            return null;
        }

        EquatableArray<CalleeParameter> parameters = target.Parameters
            .Select(p => new CalleeParameter(p.Name, TypeMapping.From(p.Type), TypeMapping.From(p.RefKind), IsDifferentiableParameter(p), fieldAccess.ParameterMayBeWritten(p)))
            .ToEquatableArray();
        CallKind kind = known.IsDifferentiable(target) ? CallKind.Differentiable : CallKind.External;
        return KeepArgumentsTheCallWrites(new Call(
            kind,
            TypeMapping.FullName(target.ContainingType),
            target.Name,
            TypeMapping.MethodKey(target.OriginalDefinition),
            target.IsStatic,
            receiver,
            arguments.ToEquatableArray(),
            parameters,
            TypeMapping.From(target.ReturnType),
            MissingDerivative(target, invocation.Syntax.GetLocation())), invocation, output);
    }

    /// <summary>
    /// An <c>in</c> argument that names storage the same call may write: the same variable passed by <c>ref</c>/<c>out</c>,
    /// or an element of an array passed to a parameter the callee may write. The callee reads an <c>in</c> parameter
    /// after such a write as the new value, but its adjoint treats the parameter as the value passed, so that would be
    /// a wrong gradient (and a forward sweep computing something else than the primal).
    /// </summary>
    private IArgumentOperation? InArgumentWrittenByTheCall(IInvocationOperation invocation, IMethodSymbol target, List<Argument> arguments)
    {
        List<IArgumentOperation> ordered = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();
        for (int i = 0; i < arguments.Count && i < ordered.Count; i++)
        {
            if (arguments[i].Mode != RefMode.In || arguments[i].Value.Type.IsArray)
            {
                continue;
            }

            Expr read = arguments[i].Value;
            for (int j = 0; j < arguments.Count; j++)
            {
                Expr other = arguments[j].Value;
                bool sameVariable = arguments[j].Mode is RefMode.Ref or RefMode.Out && read is Var readVariable && other is Var otherVariable && readVariable.Name == otherVariable.Name;
                bool sameArray = arguments[j].Mode is RefMode.Ref or RefMode.Out && read is Element readElement && other is Element otherElement && RootOf(readElement) == RootOf(otherElement);
                bool writtenArray = j != i && read is Element && other.Type.IsFloatingArray && j < target.Parameters.Length && fieldAccess.ParameterMayBeWritten(target.Parameters[j]);
                if (sameVariable || sameArray || writtenArray)
                {
                    return ordered[i];
                }
            }
        }

        return null;

        static string? RootOf(Element element) => element.Array switch
        {
            Var array => array.Name,
            Element row => RootOf(row),
            _ => null,
        };
    }

    /// <summary>
    /// An array argument chosen by <c>?:</c> or created in place becomes a local of its own, so the forward and the
    /// reverse sweep hand the callee one and the same adjoint buffer, aliased like any other array local.
    /// </summary>
    private Expr SpillArray(Expr value, IOperation argument, List<Stmt> output)
    {
        if (value.Type.IsSpan)
        {
            Unsupported(argument, "A span argument computed in place", "pass a span parameter or an array");
            return value;
        }

        return Spill(value, "argument", argument, output);
    }

    /// <summary>The parameter rule shared by callers and callees: floating (arrays of) unless [NoDerivative].</summary>
    public bool IsDifferentiableParameter(IParameterSymbol parameter) =>
        TypeMapping.From(parameter.Type).IsDifferentiable && !known.Has(parameter, known.NoDerivative);
}
