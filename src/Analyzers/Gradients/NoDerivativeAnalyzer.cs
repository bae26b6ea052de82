using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SourceDiff.Analyzers.Common;

namespace SourceDiff.Analyzers.Gradients;

/// <summary>
/// SD2002: every <c>[NoDerivative]</c> parameter and field, reported on the attribute itself. Visiting attribute syntax
/// binds only the attributes written in the code, instead of the attributes of every parameter of every method.
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

            start.RegisterSyntaxNodeAction(node => Analyze(node, noDerivative), SyntaxKind.Attribute);
        });
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, INamedTypeSymbol noDerivative)
    {
        var attribute = (AttributeSyntax)context.Node;
        var constructor = context.SemanticModel.GetSymbolInfo(attribute, context.CancellationToken).Symbol;
        if (!SymbolEqualityComparer.Default.Equals(constructor?.ContainingType, noDerivative))
        {
            return;
        }

        switch (attribute.Parent?.Parent)
        {
            case ParameterSyntax parameter:
                Report(context, attribute, parameter.Identifier.ValueText);
                break;
            case BaseFieldDeclarationSyntax field:
                foreach (var variable in field.Declaration.Variables)
                {
                    Report(context, attribute, variable.Identifier.ValueText);
                }

                break;
            case PropertyDeclarationSyntax property:
                // [field: NoDerivative] on an auto-property applies to its backing field.
                Report(context, attribute, property.Identifier.ValueText);
                break;
        }
    }

    private static void Report(SyntaxNodeAnalysisContext context, AttributeSyntax attribute, string name) =>
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NoDerivative, attribute.GetLocation(), name));
}
