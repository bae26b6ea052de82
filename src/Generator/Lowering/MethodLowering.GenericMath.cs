using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

internal sealed partial class MethodLowering
{
    /// <summary>
    /// Whether a call is a generic-math spelling of a Math function with a built-in derivative (<c>double.Sqrt</c>,
    /// <c>float.Tanh</c>): a static method of <c>double</c>/<c>float</c> itself, of that type, with the twin's arity.
    /// </summary>
    private static bool IsGenericMathTwin(IMethodSymbol target) =>
        target.IsStatic
        && target.ContainingType?.SpecialType is SpecialType.System_Double or SpecialType.System_Single
        && SymbolEqualityComparer.Default.Equals(target.ReturnType, target.ContainingType)
        && target.Parameters.All(p => p.RefKind == RefKind.None)
        && MathFunctions.IsKnown(target.Name, target.Parameters.Length);

    /// <summary>
    /// Lowers <c>double.Exp(x)</c> exactly as <c>Math.Exp(x)</c> (and <c>float.Exp</c> as <c>MathF.Exp</c>): one table of
    /// derivatives, and the forward sweep computes the same value the primal does.
    /// </summary>
    private Expr LowerGenericMathTwin(IInvocationOperation invocation, List<IArgumentOperation> arguments, List<Stmt> output)
    {
        IMethodSymbol target = invocation.TargetMethod;
        TypeRef type = TypeMapping.From(target.ReturnType);
        EquatableArray<Expr> loweredArguments = arguments
            .Select(a => TypeMapping.From(a.Parameter?.Type).IsFloatingScalar ? Convert(LowerExpr(a.Value, output), type) : LowerExpr(a.Value, output))
            .ToEquatableArray();
        bool isFloat = target.ContainingType.SpecialType == SpecialType.System_Single;
        return new MathCall(MathFunctions.TwinClass(isFloat, target.Name), target.Name, loweredArguments, type);
    }
}
