using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SourceDiff.Analyzers.Common;

namespace SourceDiff.Analyzers.Gradients;

/// <summary>SD2002: every <c>[NoDerivative]</c> parameter and field, reported on the attribute itself.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NoDerivativeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NoDerivative);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (SourceDiffSymbols.TryCreate(start.Compilation) is not { NoDerivative: { } noDerivative })
            {
                return;
            }

            start.RegisterSymbolAction(symbol => AnalyzeMethod(symbol, noDerivative), SymbolKind.Method);
            start.RegisterSymbolAction(symbol => Report(symbol, symbol.Symbol, noDerivative), SymbolKind.Field);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, INamedTypeSymbol noDerivative)
    {
        foreach (var parameter in ((IMethodSymbol)context.Symbol).Parameters)
        {
            Report(context, parameter, noDerivative);
        }
    }

    private static void Report(SymbolAnalysisContext context, ISymbol symbol, INamedTypeSymbol noDerivative)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, noDerivative)
                && attribute.ApplicationSyntaxReference is { } syntax)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.NoDerivative,
                    Location.Create(syntax.SyntaxTree, syntax.Span),
                    symbol.Name));
            }
        }
    }
}
