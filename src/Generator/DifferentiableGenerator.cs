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
        IncrementalValuesProvider<Parsed<MethodModel>> parsedMethods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.DifferentiableAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (syntaxContext, cancellationToken) => MethodParser.Parse(syntaxContext, cancellationToken))
            .Where(static parsed => parsed is not null)
            .Select(static (parsed, _) => parsed!);

        // Models without positions: moving code re-runs nothing below this step.
        IncrementalValuesProvider<MethodModel> methods = parsedMethods
            .Select(static (parsed, _) => parsed.Model)
            .WithTrackingName(TrackingNames.Methods);

        IncrementalValuesProvider<Parsed<CustomDerivativeModel>> parsedCustomDerivatives = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.DerivativeOfAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (syntaxContext, cancellationToken) => CustomDerivativeParser.Parse(syntaxContext, cancellationToken))
            .Where(static parsed => parsed is not null)
            .Select(static (parsed, _) => parsed!);

        IncrementalValueProvider<EquatableArray<CustomDerivativeModel>> customDerivatives = parsedCustomDerivatives
            .Select(static (parsed, _) => parsed.Model)
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
            if (file.Source is not null)
            {
                output.AddSource(file.HintName, file.Source);
            }
        });

        // Diagnostics are reported where the code is now: each file's sites are looked up in the locations of the
        // latest parse of its method, which are real source locations (navigable, suppressible with #pragma and
        // .editorconfig).
        IncrementalValueProvider<ImmutableArray<Parsed<MethodModel>>> methodSites = parsedMethods.Collect();
        IncrementalValuesProvider<GeneratedFile> filesWithDiagnostics = files.Where(static file => file.Diagnostics.Count > 0);
        context.RegisterSourceOutput(filesWithDiagnostics.Combine(methodSites), static (output, pair) =>
        {
            foreach (Parsed<MethodModel> parsed in pair.Right)
            {
                if (parsed.Model.HintName == pair.Left.HintName)
                {
                    foreach (DiagnosticInfo diagnostic in pair.Left.Diagnostics)
                    {
                        output.ReportDiagnostic(diagnostic.ToDiagnostic(parsed.Sites));
                    }

                    return;
                }
            }
        });

        context.RegisterSourceOutput(parsedCustomDerivatives, static (output, parsed) =>
        {
            if (parsed.Model.Error is { } error)
            {
                output.ReportDiagnostic(error.ToDiagnostic(parsed.Sites));
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
