using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.Emission;
using SourceDiff.Generator.Lowering;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator;

/// <summary>
/// The SourceDiff incremental generator. Pipeline: discovery and lowering of each [Differentiable] method to an
/// equatable model (<see cref="MethodParser"/>), joined with the compilation's [DerivativeOf] pullbacks, then analysis,
/// adjoint construction and emission of one file per method; model types get one Gradient file each.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<MethodModel> methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.DifferentiableAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (syntaxContext, cancellationToken) => MethodParser.Parse(syntaxContext, cancellationToken))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Methods);

        IncrementalValueProvider<EquatableArray<CustomDerivativeModel>> customDerivatives = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.DerivativeOfAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (syntaxContext, cancellationToken) => CustomDerivativeParser.Parse(syntaxContext, cancellationToken))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .Collect()
            .Select(static (models, _) => models.ToEquatableArray())
            .WithTrackingName(TrackingNames.CustomDerivatives);

        IncrementalValueProvider<GeneratorOptions> options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => GeneratorOptions.From(provider.GlobalOptions))
            .WithTrackingName(TrackingNames.Options);

        IncrementalValuesProvider<GeneratedFile> files = methods
            .Combine(customDerivatives)
            .Combine(options)
            .Select(static (pair, _) => MethodOutput.Build(pair.Left.Left, pair.Left.Right, pair.Right))
            .WithTrackingName(TrackingNames.MethodOutputs);

        context.RegisterSourceOutput(files, static (output, file) =>
        {
            foreach (DiagnosticInfo diagnostic in file.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (file.Source is not null)
            {
                output.AddSource(file.HintName, file.Source);
            }
        });

        context.RegisterSourceOutput(customDerivatives, static (output, customs) =>
        {
            foreach (CustomDerivativeModel custom in customs)
            {
                if (custom.Error is not null)
                {
                    output.ReportDiagnostic(custom.Error.ToDiagnostic());
                }
            }
        });

        IncrementalValueProvider<EquatableArray<ContainingTypeModel>> modelTypes = methods
            .Select(static (method, _) => method.Type)
            .Where(static type => type.IsModel && type.IsPartial)
            .Collect()
            .Select(static (types, _) => Distinct(types))
            .WithTrackingName(TrackingNames.ModelTypes);

        context.RegisterSourceOutput(modelTypes, static (output, types) =>
        {
            foreach (ContainingTypeModel type in types)
            {
                output.AddSource(GradientTypeEmitter.HintName(type), GradientTypeEmitter.Emit(type));
            }
        });
    }

    private static EquatableArray<ContainingTypeModel> Distinct(ImmutableArray<ContainingTypeModel> types)
    {
        var seen = new HashSet<string>();
        var distinct = ImmutableArray.CreateBuilder<ContainingTypeModel>();
        foreach (ContainingTypeModel type in types)
        {
            if (seen.Add(type.FullName))
            {
                distinct.Add(type);
            }
        }

        return new EquatableArray<ContainingTypeModel>(distinct.ToImmutable());
    }
}
