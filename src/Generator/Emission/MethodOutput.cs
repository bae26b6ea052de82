using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Emission;

/// <summary>
/// Joins a method with the compilation's custom pullbacks, resolves calls to non-differentiable methods, and emits the
/// file — or placeholders that throw, when the method has an error, so callers of its adjoint keep compiling while the
/// error is reported at its exact span.
/// </summary>
internal static class MethodOutput
{
    public static GeneratedFile Build(MethodModel method, EquatableArray<CustomDerivativeModel> customDerivatives, GeneratorOptions options)
    {
        var diagnostics = new List<DiagnosticInfo>(method.Diagnostics);
        try
        {
            var pullbacks = new Dictionary<string, string>();
            foreach (CustomDerivativeModel custom in customDerivatives)
            {
                if (custom.Error is null && !pullbacks.ContainsKey(custom.TargetKey))
                {
                    pullbacks.Add(custom.TargetKey, custom.PullbackName);
                }
            }

            Analysis.Activity? activity = null;
            if (diagnostics.Count == 0 && !method.HasErrors)
            {
                activity = Analysis.Activity.Analyze(method);
                foreach ((string name, Stmt write) in activity.DroppedDerivatives)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeIntoNoDerivative, write.Site ?? method.Site, SourceOf(write), name, method.Name));
                }

                foreach (Stmt write in activity.UntrackedWrites)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeIntoUntrackedStorage, write.Site ?? method.Site, SourceOf(write), method.Name));
                }

                diagnostics.AddRange(Analysis.CheckpointedLoops.Check(method));
                var unresolvedCallees = new HashSet<string>();
                foreach (Call call in Calls(method.Body))
                {
                    // One SD0002 per callee, at its first call: the other calls share its cause and its fix.
                    if (call.Kind == CallKind.External && !pullbacks.ContainsKey(call.Key) && unresolvedCallees.Add(call.Key))
                    {
                        diagnostics.Add(call.IfUnresolved);
                    }
                }
            }

            if (!method.Type.IsPartial || method.IsGeneric)
            {
                // The generated part could not join the type (SD0004 says why), or its signature would name type
                // parameters it does not declare (SD0003): nothing is emitted that could fail to compile.
                return new GeneratedFile(method.HintName, null, diagnostics.ToEquatableArray());
            }

            if (method.HasErrors)
            {
                // Placeholders keep callers of the adjoint compiling while the user fixes the method, when its
                // signature is complete enough to write them.
                bool signatureIsComplete = method.Parameters.All(p => SyntaxFacts.IsValidIdentifier(p.Name) && !p.Type.Element.Contains("?"));
                return new GeneratedFile(method.HintName, signatureIsComplete ? MethodEmitter.Emit(method, pullbacks, "The method does not compile.", activity: null, options) : null, diagnostics.ToEquatableArray());
            }

            string? reason = diagnostics.Count > 0 ? "SourceDiff could not differentiate " + method.Name + ": " + diagnostics[0].Descriptor.Id + "." : null;
            string source = MethodEmitter.Emit(method, pullbacks, reason, activity, options, out List<Adjoint.LoopTapeCost> loopCosts);
            foreach (Adjoint.LoopTapeCost cost in loopCosts.Where(c => c.RecordsItself))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LoopTapeCost, cost.Site, Adjoint.TapeCost.Describe(cost), method.Name));
            }

            var heavy = loopCosts.Where(c => c.Bytes >= SuggestCheckpointFromBytes || c.Callees.Count > 0 || c.InnerLoopsRecord).ToList();
            HashSet<Site> checkpointable = heavy.Count > 0 ? Analysis.CheckpointedLoops.Checkpointable(method) : new HashSet<Site>();
            foreach (Adjoint.LoopTapeCost cost in heavy.Where(c => checkpointable.Contains(c.Site)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CheckpointSuggested, cost.Site, method.Name, Adjoint.TapeCost.Describe(cost)));
            }

            return new GeneratedFile(method.HintName, source, diagnostics.ToEquatableArray());
        }
        catch (Exception exception)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, method.Site, method.Name, exception.GetType().Name + ": " + exception.Message));
            return new GeneratedFile(method.HintName, null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>Below this many bytes of its own per iteration (and with no recording callee) a loop is not worth a snapshot schedule.</summary>
    private const int SuggestCheckpointFromBytes = 64;

    private static string SourceOf(Stmt write) => write is Assign assign ? assign.Source : ((CallStmt)write).Source;

    private static IEnumerable<Call> Calls(Stmt statement)
    {
        return IrWalk.Flatten(statement).OfType<CallStmt>().Select(s => s.Call);
    }
}
