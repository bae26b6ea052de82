using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Analyzers.Common;
using SourceDiff.Rules;

namespace SourceDiff.Analyzers.State;

/// <summary>
/// SD1004: a differentiable method writes an instance field (or its elements) that is not marked [State].
/// Static fields are SD1001's. A floating field that is not [State] or [NoDerivative] is a trainable parameter,
/// so overwriting it is reported with that consequence; any other field is hidden state nobody knows to restore.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnmarkedStateFieldAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnmarkedStateField);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (SourceDiffSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            start.RegisterOperationBlockStartAction(block =>
            {
                if (block.OwningSymbol is IMethodSymbol method && symbols.IsDifferentiable(method))
                {
                    block.RegisterOperationAction(operation => Analyze(operation, method, symbols), OperationKind.FieldReference);
                }
            });
        });
    }

    private static void Analyze(OperationAnalysisContext context, IMethodSymbol method, SourceDiffSymbols symbols)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        var field = reference.Field;
        if (field.IsStatic || field.IsConst || symbols.IsState(field))
        {
            return;
        }

        var elementsWritten = StaticState.IsArrayElementWritten(reference);
        if (!elementsWritten && !WriteTargets.IsWritten(reference))
        {
            return;
        }

        var isParameter = symbols.RoleOf(field) == FieldRole.Parameter;
        var consequence = isParameter
            ? "it is a trainable parameter, so the gradient is taken with respect to a value the method itself overwrites; mark it [State] if it is hidden state"
            : "it is hidden state that gradient checks and repeated calls do not know to restore; mark it [State]";

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnmarkedStateField,
            reference.Syntax.GetLocation(),
            method.Name,
            field.Name,
            consequence));
    }
}
