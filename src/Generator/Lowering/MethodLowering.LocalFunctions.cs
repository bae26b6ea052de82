using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Local functions are inlined where they are called: the arguments are evaluated into locals of their own (in order,
/// before the body, as a call does), the body is lowered in place with fresh locals for every call, and the returned
/// value is kept in a local before the caller's expression goes on. A local function reads what it captures when it
/// runs, which is what the inlined body does too, so capturing ones inline just as exactly. Each call is then ordinary
/// differentiable code: no delegate, no closure, nothing the adjoint cannot replay.
/// </summary>
internal sealed partial class MethodLowering
{
    // The parameters of the local functions being inlined, bound to what each call passed.
    private readonly Dictionary<IParameterSymbol, Expr> inlinedParameters = new(SymbolEqualityComparer.Default);

    // The local functions being inlined now (a call back into one is recursion), those inlined once already, whose
    // body's diagnostics were reported then, and those reported as not inlinable: one error per construct, not one per call.
    private readonly HashSet<IMethodSymbol> inlining = new(SymbolEqualityComparer.Default);
    private readonly HashSet<IMethodSymbol> inlinedOnce = new(SymbolEqualityComparer.Default);
    private readonly HashSet<IMethodSymbol> rejectedLocalFunctions = new(SymbolEqualityComparer.Default);
    private Dictionary<IMethodSymbol, ILocalFunctionOperation>? localFunctions;

    private static bool IsLocalFunction(IMethodSymbol target) => target.MethodKind == MethodKind.LocalFunction;

    /// <summary>
    /// The call's value (a local holding it, or the body's expression itself when it needed no statement), or null
    /// for a void local function. Reports one error at the local function when its body cannot be inlined.
    /// </summary>
    private Expr? InlineLocalFunction(IInvocationOperation invocation, List<Stmt> output)
    {
        IMethodSymbol function = invocation.TargetMethod.OriginalDefinition;
        TypeRef type = TypeMapping.From(invocation.Type);
        if (Declaration(function, invocation) is not { Body: { } body } declaration)
        {
            Unsupported(invocation, "A call to the local function '" + function.Name + "' declared outside this method", "declare it inside the method");
            return Fallback(invocation);
        }

        if (inlining.Contains(function))
        {
            ReportOnce(function, declaration, "The recursive local function '" + function.Name + "'", "write the recursion as a loop");
            return Fallback(invocation);
        }

        List<IOperation> statements = body.Operations.ToList();
        IReturnOperation? finalReturn = statements.Count > 0 ? statements[statements.Count - 1] as IReturnOperation : null;
        if (finalReturn is not null)
        {
            statements.RemoveAt(statements.Count - 1);
        }

        if (statements.Any(s => ScanExits(s).Return))
        {
            ReportOnce(function, declaration, "The local function '" + function.Name + "' with a return before its end",
                "compute its result into a local and return once, as its last statement");
            return Fallback(invocation);
        }

        var inlined = new List<Stmt>();
        bool pure = !Writes(body);
        var bound = new List<IParameterSymbol>();
        foreach (IArgumentOperation argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            Expr? value = BindArgument(argument, parameter, pure, inlined);
            if (value is null)
            {
                return Fallback(invocation);
            }

            inlinedParameters[parameter.OriginalDefinition] = value;
            bound.Add(parameter.OriginalDefinition);
        }

        // Every call gets locals of its own: the body's locals are declared again under fresh names.
        foreach (ILocalSymbol local in locals.Keys.Where(l => SymbolEqualityComparer.Default.Equals(l.ContainingSymbol, function)).ToList())
        {
            locals.Remove(local);
        }

        int reported = diagnostics.Count;
        bool first = !inlinedOnce.Contains(function);
        inlining.Add(function);
        inlined.AddRange(LowerSequence(statements, isMethodLevel: false));
        Expr? result = finalReturn?.ReturnedValue is { } returned ? Convert(LowerExpr(returned, inlined), type) : null;
        inlining.Remove(function);
        inlinedOnce.Add(function);
        if (!first)
        {
            diagnostics.RemoveRange(reported, diagnostics.Count - reported);
        }

        foreach (IParameterSymbol parameter in bound)
        {
            inlinedParameters.Remove(parameter);
        }

        if (hoistBlocker is not null)
        {
            if (inlined.Count > 0)
            {
                Report(DiagnosticDescriptors.CallNeedsStatement, invocation.Syntax, function.Name, hoistBlocker, MethodName);
                return Fallback(invocation);
            }

            // Nothing can be hoisted here, so nothing runs between the body's expression and the caller's use of it.
            return result;
        }

        output.AddRange(inlined);
        if (result is null or Literal)
        {
            return result;
        }

        // The value the call returned, fixed before the rest of the caller's expression runs (which may write what it read).
        return Spill(result, function.Name, invocation, output);
    }

    /// <summary>
    /// What the body reads for <paramref name="parameter"/>: the caller's own variable where the body writes nothing,
    /// the argument's expression itself where nothing can be hoisted (a condition: the body writes nothing and only
    /// computes, so evaluating it where it is read changes nothing), a fresh local otherwise, and for a ref parameter
    /// the variable passed (the body writes it directly).
    /// </summary>
    private Expr? BindArgument(IArgumentOperation argument, IParameterSymbol parameter, bool pure, List<Stmt> output)
    {
        if (parameter.RefKind is RefKind.Ref or RefKind.Out or RefKind.In)
        {
            if (LowerTarget(argument.Value, output) is Var variable)
            {
                return variable;
            }

            Unsupported(argument, "Passing an element or a field of another object by reference to the local function '" + parameter.ContainingSymbol.Name + "'",
                "pass a local, a parameter or a field of this, or return the value instead");
            return null;
        }

        Expr value = Convert(LowerExpr(argument.Value, output), TypeMapping.From(parameter.Type));
        if (pure && (value is Var { Kind: VarKind.Local or VarKind.Parameter } or Literal || hoistBlocker is not null))
        {
            return value;
        }

        if (value.Type.IsSpan)
        {
            Unsupported(argument, "A span argument to the local function '" + parameter.ContainingSymbol.Name + "'", "pass the array instead");
            return null;
        }

        return Spill(value, parameter.ContainingSymbol.Name + "_" + parameter.Name, argument, output);
    }

    /// <summary>Whether a body may write anything: an assignment, an increment, or a call that could (a ref argument, another local function).</summary>
    private static bool Writes(IOperation body) => body.DescendantsAndSelf().Any(node => node switch
    {
        IAssignmentOperation or IIncrementOrDecrementOperation or IDeconstructionAssignmentOperation => true,
        IInvocationOperation call => IsLocalFunction(call.TargetMethod) || call.Arguments.Any(a => a.Parameter?.RefKind is RefKind.Ref or RefKind.Out),
        _ => false,
    });

    private ILocalFunctionOperation? Declaration(IMethodSymbol function, IOperation site)
    {
        if (localFunctions is null)
        {
            IOperation root = site;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            localFunctions = new Dictionary<IMethodSymbol, ILocalFunctionOperation>(SymbolEqualityComparer.Default);
            foreach (ILocalFunctionOperation declaration in root.DescendantsAndSelf().OfType<ILocalFunctionOperation>())
            {
                localFunctions[declaration.Symbol.OriginalDefinition] = declaration;
            }
        }

        return localFunctions.TryGetValue(function, out ILocalFunctionOperation? found) ? found : null;
    }

    /// <summary>One error at the local function's name, however many calls reach it.</summary>
    private void ReportOnce(IMethodSymbol function, ILocalFunctionOperation declaration, string construct, string instead)
    {
        if (rejectedLocalFunctions.Add(function))
        {
            Location at = declaration.Syntax is LocalFunctionStatementSyntax statement ? statement.Identifier.GetLocation() : declaration.Syntax.GetLocation();
            diagnostics.Add(sites.Diagnostic(DiagnosticDescriptors.UnsupportedConstruct, at, construct, MethodName, instead));
        }
    }
}
