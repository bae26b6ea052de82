using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Analyzers.Common;
using SourceDiff.Rules;

namespace SourceDiff.Analyzers.State;

/// <summary>
/// SD1004: a differentiable method writes an instance field or auto-property (or its elements) that is not marked [State].
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
                    block.RegisterOperationAction(operation => Analyze(operation, method, symbols), OperationKind.FieldReference, OperationKind.PropertyReference);
                }
            });
        });
    }

    private static void Analyze(OperationAnalysisContext context, IMethodSymbol method, SourceDiffSymbols symbols)
    {
        ISymbol member;
        FieldRole? role;
        switch (context.Operation)
        {
            case IFieldReferenceOperation { Field: var field } when !field.IsStatic && !field.IsConst && !symbols.IsState(field):
                (member, role) = (field, symbols.RoleOf(field));
                break;
            case IPropertyReferenceOperation { Property: var property } when !property.IsStatic && DerivativeRules.IsAutoProperty(property) && !symbols.IsState(property):
                // An auto-property is storage, like a field of the same name.
                (member, role) = (property, symbols.RoleOf(property));
                break;
            default:
                return;
        }

        var elementsWritten = StaticState.IsArrayElementWritten(context.Operation);
        if (!elementsWritten && !WriteTargets.IsWritten(context.Operation))
        {
            return;
        }

        var consequence = role == FieldRole.Parameter
            ? "it is a trainable parameter, so the gradient is taken with respect to a value the method itself overwrites; mark it [State] if it is hidden state"
            : "it is hidden state that gradient checks and repeated calls do not know to restore; mark it [State]";

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnmarkedStateField,
            context.Operation.Syntax.GetLocation(),
            method.Name,
            member.Name,
            consequence));
    }
}
