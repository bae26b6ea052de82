using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SourceDiff.Analyzers.Common;

namespace SourceDiff.Analyzers.Gradients;

/// <summary>
/// SD2002: every <c>[NoDerivative]</c> parameter and field, reported on the attribute itself. Symbols whose declarations
/// carry no attribute syntax are skipped before their attributes are bound.
/// </summary>
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
            start.RegisterSymbolAction(symbol => AnalyzeField(symbol, noDerivative), SymbolKind.Field);
            start.RegisterSymbolAction(symbol => AnalyzeBackingField(symbol, noDerivative), SymbolKind.Property);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, INamedTypeSymbol noDerivative)
    {
        foreach (var parameter in ((IMethodSymbol)context.Symbol).Parameters)
        {
            if (parameter.DeclaringSyntaxReferences.Any(reference => reference.GetSyntax(context.CancellationToken) is ParameterSyntax { AttributeLists.Count: > 0 }))
            {
                Report(context, parameter, noDerivative);
            }
        }
    }

    private static void AnalyzeField(SymbolAnalysisContext context, INamedTypeSymbol noDerivative)
    {
        if (HasAttributeSyntax(context.Symbol, context))
        {
            Report(context, context.Symbol, noDerivative);
        }
    }

    /// <summary>[field: NoDerivative] on an auto-property: its backing field is implicit and gets no symbol action of its own.</summary>
    private static void AnalyzeBackingField(SymbolAnalysisContext context, INamedTypeSymbol noDerivative)
    {
        if (!HasAttributeSyntax(context.Symbol, context))
        {
            return;
        }

        foreach (var member in context.Symbol.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, context.Symbol))
            {
                Report(context, field, noDerivative);
            }
        }
    }

    private static bool HasAttributeSyntax(ISymbol symbol, SymbolAnalysisContext context) =>
        symbol.DeclaringSyntaxReferences.Any(reference =>
            reference.GetSyntax(context.CancellationToken).FirstAncestorOrSelf<MemberDeclarationSyntax>() is { AttributeLists.Count: > 0 });

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
                    (symbol as IFieldSymbol)?.AssociatedSymbol?.Name ?? symbol.Name));
            }
        }
    }
}
