using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>Discovery of <c>[DerivativeOf]</c> pullbacks and the check of their signature against the target's.</summary>
internal static class CustomDerivativeParser
{
    public static Parsed<CustomDerivativeModel>? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol pullback || context.TargetNode is not MethodDeclarationSyntax syntax)
        {
            return null;
        }

        var sites = new SiteTable();
        CustomDerivativeModel model = Parse(pullback, syntax, context.Attributes[0], context.SemanticModel, sites.Add(syntax.Identifier.GetLocation()));
        return new Parsed<CustomDerivativeModel>(model, sites.ToArray());
    }

    private static CustomDerivativeModel Parse(IMethodSymbol pullback, MethodDeclarationSyntax syntax, AttributeData attribute, SemanticModel semanticModel, Site site)
    {
        string name = TypeMapping.FullName(pullback.ContainingType) + "." + pullback.Name;
        DiagnosticInfo Fail(string why) => DiagnosticInfo.Create(DiagnosticDescriptors.InvalidCustomDerivative, site, pullback.Name, why);

        if (attribute.ConstructorArguments.Length != 2 || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol targetType
            || attribute.ConstructorArguments[1].Value is not string targetName)
        {
            return new CustomDerivativeModel(string.Empty, name, Fail("must name a type and a method: [DerivativeOf(typeof(T), nameof(T.M))]"));
        }

        if (!pullback.IsStatic)
        {
            return new CustomDerivativeModel(string.Empty, name, Fail("must be static"));
        }

        for (ISymbol? symbol = pullback; symbol is INamedTypeSymbol or IMethodSymbol; symbol = symbol.ContainingType)
        {
            if (symbol.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return new CustomDerivativeModel(string.Empty, name, Fail("must be public or internal (and so must its type), so that generated adjoints can call it"));
            }
        }

        var known = KnownSymbols.From(semanticModel.Compilation);
        List<IMethodSymbol> candidates = targetType.GetMembers(targetName).OfType<IMethodSymbol>().ToList();
        if (candidates.Count == 0)
        {
            return new CustomDerivativeModel(string.Empty, name, Fail("names '" + targetType.Name + "." + targetName + "', which does not exist"));
        }

        string? lastProblem = null;
        foreach (IMethodSymbol target in candidates)
        {
            string? problem = target.IsStatic
                ? Mismatch(target, pullback, known)
                : "names the instance method '" + targetType.Name + "." + targetName + "': a pullback stands for a static method; make the method static and pass what it reads as parameters, or make '" + targetType.Name + "' a model with [Differentiable] methods";
            if (problem is null)
            {
                return new CustomDerivativeModel(TypeMapping.MethodKey(target.OriginalDefinition), name, null);
            }

            lastProblem = problem;
        }

        return new CustomDerivativeModel(string.Empty, name, Fail(lastProblem!));
    }

    /// <summary>Null when <paramref name="pullback"/> has the Pullback shape of <paramref name="target"/>; otherwise what differs.</summary>
    private static string? Mismatch(IMethodSymbol target, IMethodSymbol pullback, KnownSymbols known)
    {
        var expected = new List<(string Type, RefKind Kind, string What)>();
        foreach (IParameterSymbol parameter in target.Parameters)
        {
            expected.Add((TypeMapping.From(parameter.Type).Display, parameter.RefKind, "parameter '" + parameter.Name + "'"));
        }

        TypeRef returnType = TypeMapping.From(target.ReturnType);
        if (!returnType.IsFloatingScalar)
        {
            return "targets '" + target.Name + "', which does not return double or float";
        }

        expected.Add((returnType.Display, RefKind.None, "dResult"));
        foreach (IParameterSymbol parameter in target.Parameters)
        {
            TypeRef type = TypeMapping.From(parameter.Type);
            if (parameter.RefKind != RefKind.None && type.IsDifferentiable)
            {
                return "targets '" + target.Name + "', which has the ref/out parameter '" + parameter.Name + "' (not supported for custom pullbacks)";
            }

            if (type.IsDifferentiable && !known.Has(parameter, known.NoDerivative))
            {
                expected.Add((type.Display, type.IsArray ? RefKind.None : RefKind.Ref, "the adjoint of '" + parameter.Name + "'"));
            }
        }

        if (pullback.Parameters.Length != expected.Count)
        {
            return "has " + pullback.Parameters.Length + " parameters; a pullback of '" + target.Name + "' takes " + expected.Count + ": "
                + string.Join(", ", expected.Select(e => (e.Kind == RefKind.Ref ? "ref " : string.Empty) + e.Type + " (" + e.What + ")"));
        }

        for (int i = 0; i < expected.Count; i++)
        {
            IParameterSymbol actual = pullback.Parameters[i];
            if (TypeMapping.From(actual.Type).Display != expected[i].Type || actual.RefKind != expected[i].Kind)
            {
                return "parameter " + (i + 1) + " ('" + actual.Name + "') should be " + (expected[i].Kind == RefKind.Ref ? "ref " : string.Empty) + expected[i].Type + ", " + expected[i].What;
            }
        }

        return pullback.ReturnsVoid ? null : "must return void";
    }
}
