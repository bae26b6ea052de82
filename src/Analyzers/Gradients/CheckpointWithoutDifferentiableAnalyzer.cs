using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SourceDiff.Analyzers.Common;

namespace SourceDiff.Analyzers.Gradients;

/// <summary>
/// SD1006: <c>[Checkpoint]</c> on a method without <c>[Differentiable]</c>. The generator reads only differentiable
/// methods, so the attribute would do nothing, and the memory it was meant to save would silently be spent.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CheckpointWithoutDifferentiableAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.CheckpointWithoutDifferentiable);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (SourceDiffSymbols.TryCreate(start.Compilation) is not { } symbols
                || start.Compilation.GetTypeByMetadataName("SourceDiff.CheckpointAttribute") is not { } checkpoint)
            {
                return;
            }

            start.RegisterSymbolAction(symbol => Analyze(symbol, symbols, checkpoint), SymbolKind.Method);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, SourceDiffSymbols symbols, INamedTypeSymbol checkpoint)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (symbols.IsDifferentiable(method))
        {
            return;
        }

        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, checkpoint) && attribute.ApplicationSyntaxReference is { } reference)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.CheckpointWithoutDifferentiable,
                    Location.Create(reference.SyntaxTree, reference.Span),
                    method.Name));
            }
        }
    }
}
