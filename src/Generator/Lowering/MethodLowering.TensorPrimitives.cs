using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// <c>TensorPrimitives</c> calls over arrays, spans and their views (<c>AsSpan(start, length)</c>, <c>Slice</c>, span
/// locals bound to views): a call of the runtime's kernel for the same operation (<see cref="CallKind.Kernel"/>), whose
/// span arguments are <see cref="View"/>s, so the reverse sweep hands the kernel the same views of the adjoint storage.
/// The forward sweep runs the user's SIMD kernel; the reverse sweep runs adjoints that are TensorPrimitives calls too.
/// </summary>
internal sealed partial class MethodLowering
{
    /// <summary>
    /// A TensorPrimitives call that only reads floating spans and returns no floating value (<c>IndexOfMax</c>,
    /// <c>IndexOfMin</c>): no derivative, run as written, its span arguments as views.
    /// </summary>
    private Expr? LowerTensorQuery(IInvocationOperation invocation, List<Stmt> output)
    {
        IMethodSymbol target = invocation.TargetMethod;
        if (TypeMapping.From(invocation.Type).IsDifferentiable || TensorOperations.ShapeOf(target, out string element) is not { } shape || shape.Contains('d'))
        {
            return null;
        }

        var evaluated = new List<(int Ordinal, Expr Value)>();
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (TensorArgument(argument, shape, invocation, output) is not { } value)
            {
                return Fallback(invocation);
            }

            evaluated.Add((argument.Parameter!.Ordinal, value));
        }

        EquatableArray<Expr> arguments = evaluated.OrderBy(a => a.Ordinal).Select(a => a.Value).ToEquatableArray();
        return new Opaque(null, "global::" + TensorOperations.TypeName, target.Name + "<" + element + ">", arguments, TypeMapping.From(invocation.Type));
    }

    private Call? LowerTensorCall(IInvocationOperation invocation, List<Stmt> output)
    {
        IMethodSymbol target = invocation.TargetMethod;
        string? shape = TensorOperations.ShapeOf(target, out string element);
        if (shape is null || !TensorOperations.IsSupported(target.Name, shape))
        {
            string overloads = TensorOperations.OverloadsOf(target.Name);
            Unsupported(
                invocation,
                "TensorPrimitives." + target.Name + (overloads.Length == 0 ? string.Empty : " with these arguments"),
                overloads.Length > 0
                    ? "call one of the overloads with built-in adjoints over double or float spans: " + overloads
                    : "use one of the TensorPrimitives operations with built-in adjoints (" + TensorOperations.List + "), or write the loop");
            return null;
        }

        // In the order C# evaluates them (as written); passed in the order of the parameters.
        var evaluated = new List<(int Ordinal, Expr Value)>();
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IParameterSymbol parameter = argument.Parameter!;
            int mark = output.Count;
            if (TensorArgument(argument, shape, invocation, output) is not { } value)
            {
                return null;
            }

            for (int i = 0; i < evaluated.Count; i++)
            {
                if (!evaluated[i].Value.Type.IsArray)
                {
                    evaluated[i] = (evaluated[i].Ordinal, ReadBefore(evaluated[i].Value, mark, argument.Value, output));
                }
            }

            evaluated.Add((parameter.Ordinal, value));
        }

        EquatableArray<Argument> arguments = evaluated.OrderBy(a => a.Ordinal).Select(a => new Argument(a.Value, RefMode.None)).ToEquatableArray();
        EquatableArray<CalleeParameter> parameters = target.Parameters
            .Select(p => new CalleeParameter(p.Name, TypeMapping.From(p.Type), RefMode.None, IsDifferentiable: true, MayWrite: shape[p.Ordinal] == 'd'))
            .ToEquatableArray();
        return KeepArgumentsTheCallWrites(new Call(
            CallKind.Kernel,
            TensorOperations.KernelClass(element),
            target.Name,
            "TensorPrimitives." + target.Name + "(" + shape + ")<" + element + ">",
            IsStatic: true,
            Receiver: null,
            arguments,
            parameters,
            TypeMapping.From(target.ReturnType),
            MissingDerivative(target, invocation.Syntax.GetLocation())), invocation, output);
    }

    /// <summary>
    /// A TensorPrimitives argument as the kernel takes it: a scalar's value, or a <see cref="View"/> of the run of
    /// elements a span argument names (null when that run was reported as unsupported).
    /// </summary>
    private Expr? TensorArgument(IArgumentOperation argument, string shape, IInvocationOperation invocation, List<Stmt> output)
    {
        IParameterSymbol parameter = argument.Parameter!;
        if (shape[parameter.Ordinal] == 't')
        {
            return Convert(LowerExpr(argument.Value, output), TypeMapping.From(parameter.Type));
        }

        if (RunOf(argument.Value, invocation, output) is not { } run)
        {
            return null;
        }

        TypeRef span = run.Storage.Type.Span == "ReadOnlySpan" ? run.Storage.Type : TypeRef.SpanOf(run.Storage.Type, "Span");
        return new View(run.Storage, run.Start, run.Count, span);
    }
}
