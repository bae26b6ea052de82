using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.Diagnostics;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// SD0002, worded for the callee at hand and reported once per callee and method: every call of a method with no
/// derivative has the same root cause and the same fix, so the first call stands for all of them.
/// </summary>
internal sealed partial class MethodLowering
{
    // Callees already explained (by SD0002 at their first call, or by SD0001 at a local function's declaration).
    private readonly HashSet<string> calleesReportedMissing = new();
    private readonly Dictionary<string, DiagnosticInfo> missingDerivativeReports = new();
    private readonly HashSet<string> receiversReported = new();

    private void ReportMissingDerivative(IInvocationOperation invocation)
    {
        string callee = TypeMapping.MethodKey(invocation.TargetMethod.OriginalDefinition);
        if (calleesReportedMissing.Add(callee))
        {
            DiagnosticInfo report = MissingDerivative(invocation.TargetMethod, invocation.Syntax.GetLocation());
            missingDerivativeReports[callee] = report;
            diagnostics.Add(report);
        }
    }

    /// <summary>SD0009 once per receiver: every call on the same unsupported object has the same cause.</summary>
    private void ReportUnsupportedReceiver(IInvocationOperation invocation, IOperation receiver)
    {
        string text = receiver.Syntax.ToString();
        if (receiversReported.Add(text))
        {
            Report(DiagnosticDescriptors.UnsupportedReceiver, invocation.Syntax, invocation.TargetMethod.Name, text);
        }
    }

    /// <summary>
    /// An SD0001 that is the root cause of other errors takes their place: a rejected local function explains every
    /// call of it, wherever the calls stand (before or after the declaration), so they get no SD0002 of their own.
    /// </summary>
    private void SupersedeCascades(IOperation rejected)
    {
        if (rejected is not ILocalFunctionOperation localFunction)
        {
            return;
        }

        string callee = TypeMapping.MethodKey(localFunction.Symbol.OriginalDefinition);
        calleesReportedMissing.Add(callee);
        if (missingDerivativeReports.TryGetValue(callee, out DiagnosticInfo? report))
        {
            diagnostics.Remove(report);
        }
    }

    /// <summary>SD0002 for a call whose pullback may still be supplied elsewhere; emission reports it when none is.</summary>
    private DiagnosticInfo MissingDerivative(IMethodSymbol target, Location location) =>
        sites.Diagnostic(DiagnosticDescriptors.MissingDerivative, location, CalleeName(target), HowToGiveDerivative(target));

    private static string CalleeName(IMethodSymbol target) =>
        target.MethodKind == MethodKind.LocalFunction ? target.Name : target.ContainingType.Name + "." + target.Name;

    /// <summary>What to write instead: only code that compiles for this callee (no nameof of a local function or an open generic).</summary>
    private string HowToGiveDerivative(IMethodSymbol target)
    {
        INamedTypeSymbol type = target.ContainingType;
        if (target.MethodKind == MethodKind.LocalFunction)
        {
            return "local functions are not differentiated; make it a [Differentiable] method of '" + type.Name + "'";
        }

        if (IsRandomSource(type))
        {
            return "'" + type.Name + "' is a stateful random source and its numbers have no derivative; draw them before the call and pass them in as [NoDerivative] data (a [NoDerivative] double[] parameter or field)";
        }

        if (target.IsGenericMethod || type.IsGenericType)
        {
            return "generic methods have no pullback of their own; call a non-generic [Differentiable] method instead";
        }

        bool inSource = target.Locations.Length > 0 && target.Locations[0].IsInSource;
        if (!target.IsStatic && !known.IsModelType(type))
        {
            // [DerivativeOf] pullbacks are static: they cannot reach the state of an arbitrary object.
            return inSource
                ? "mark it [Differentiable] (in a partial type), hold the '" + type.Name + "' in a field and call it through that field"
                : "'" + type.Name + "' is not a model, so its instance methods have no derivative; compute the value before the call and pass it in as [NoDerivative] data";
        }

        string pullback = "supply a pullback with [DerivativeOf(typeof(" + type.ToDisplayString() + "), nameof(" + type.ToDisplayString() + "." + target.Name + "))]";
        return inSource ? "mark it [Differentiable] (in a partial type) or " + pullback : pullback;
    }

    private static bool IsRandomSource(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.Name == "Random" && type.ContainingNamespace?.ToDisplayString() == "System")
            {
                return true;
            }
        }

        return false;
    }
}
