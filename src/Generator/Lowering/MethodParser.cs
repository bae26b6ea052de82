using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Rules;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Discovery: turns one <c>[Differentiable]</c> method (symbol + syntax) into a <see cref="MethodModel"/>. This is the
/// only place that sees symbols and syntax; everything it returns is plain equatable data.
/// </summary>
internal static class MethodParser
{
    public static Parsed<MethodModel>? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax)
        {
            return null;
        }

        var sites = new SiteTable();
        MethodModel model = Parse(method, syntax, context.SemanticModel, sites, cancellationToken);
        return new Parsed<MethodModel>(model, sites.ToArray());
    }

    private static MethodModel Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, SiteTable sites, CancellationToken cancellationToken)
    {
        // The method's own site comes first: it is where method-level diagnostics point.
        Site methodSite = sites.Add(syntax.Identifier.GetLocation());

        var known = KnownSymbols.From(semanticModel.Compilation);
        var diagnostics = new List<DiagnosticInfo>();
        var scan = new FieldAccessScan(semanticModel.Compilation, known, cancellationToken);
        ContainingTypeModel type = ParseType(method.ContainingType, known, scan, diagnostics, sites, method.Name);
        EquatableArray<ParameterModel> parameters = method.Parameters
            .Select(p => new ParameterModel(p.Name, TypeMapping.From(p.Type), DeclaredMode(p.RefKind), TypeMapping.From(p.Type).IsDifferentiable && !known.Has(p, known.NoDerivative),
                TypeMapping.From(p.Type) is { IsArray: true, IsSpan: false } && p.RefKind == RefKind.None && scan.ParameterMayBeWritten(p)))
            .ToEquatableArray();
        var model = new MethodModel(
            type,
            method.Name,
            Accessibility(method),
            method.IsStatic,
            TypeMapping.From(method.ReturnType),
            parameters,
            EquatableArray<LocalModel>.Empty,
            Block.Empty,
            HintName(method),
            methodSite,
            EquatableArray<DiagnosticInfo>.Empty,
            HasErrors: false,
            IsGeneric: method.IsGenericMethod)
        {
            WrittenFields = type.IsModel && !method.IsStatic ? WrittenFields(type, scan.Scan(new[] { method })) : EquatableArray<string>.Empty,
            Checkpoint = CheckpointOf(method, known, sites),
        };

        if (HasCompileErrors(semanticModel, syntax, cancellationToken))
        {
            // The user is typing: the compiler already reports what is wrong, and diagnostics or an adjoint of broken
            // code would only add noise.
            return model with { HasErrors = true };
        }

        CheckSignature(method, methodSite, syntax, diagnostics, sites, known);

        if (diagnostics.Count > 0)
        {
            return model with { Diagnostics = diagnostics.ToEquatableArray() };
        }

        try
        {
            if (semanticModel.GetOperation(syntax, cancellationToken) is not IMethodBodyBaseOperation body)
            {
                return model with { HasErrors = true };
            }

            var lowering = new MethodLowering(method, known, scan, sites, cancellationToken);
            Block lowered = lowering.Lower(body);
            return model with
            {
                Locals = lowering.Locals.ToEquatableArray(),
                Body = lowered,
                Diagnostics = lowering.Diagnostics.ToEquatableArray(),
            };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, methodSite, method.Name, exception.GetType().Name + ": " + exception.Message));
            return model with { Diagnostics = diagnostics.ToEquatableArray() };
        }
    }

    /// <summary>The method's <c>[Checkpoint]</c>, with its <c>Snapshots</c> (0 when not set), or null.</summary>
    private static CheckpointRequest? CheckpointOf(IMethodSymbol method, KnownSymbols known, SiteTable sites)
    {
        foreach (AttributeData data in method.GetAttributes())
        {
            if (known.Checkpoint is null || !SymbolEqualityComparer.Default.Equals(data.AttributeClass, known.Checkpoint))
            {
                continue;
            }

            int snapshots = 0;
            foreach (KeyValuePair<string, TypedConstant> argument in data.NamedArguments)
            {
                if (argument.Key == "Snapshots" && argument.Value.Value is int value)
                {
                    snapshots = value;
                }
            }

            Location location = data.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? Location.None;
            return new CheckpointRequest(snapshots, sites.Add(location));
        }

        return null;
    }

    private static bool HasCompileErrors(SemanticModel semanticModel, MethodDeclarationSyntax syntax, CancellationToken cancellationToken)
    {
        if (syntax.ContainsDiagnostics)
        {
            return true;
        }

        foreach (Diagnostic diagnostic in semanticModel.GetDiagnostics(syntax.Span, cancellationToken))
        {
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckSignature(IMethodSymbol method, Site methodSite, MethodDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics, SiteTable sites, KnownSymbols known)
    {
        void Fail(string why) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSignature, methodSite, method.Name, why));

        TypeRef returnType = TypeMapping.From(method.ReturnType);
        // A generic method gets one error for being generic, not a second for returning T.
        if (!method.IsGenericMethod && (!(returnType.IsVoid || returnType.IsFloatingScalar) || method.ReturnsByRef || method.ReturnsByRefReadonly))
        {
            // A tuple result would need a tuple of adjoints in every Pullback signature; out parameters already have one.
            Fail(method.ReturnType.IsTupleType
                ? "returns the tuple " + method.ReturnType.ToDisplayString() + ": return one value and pass the others as out parameters"
                : "returns " + method.ReturnType.ToDisplayString() + ": return double or float (or void, writing results into array or ref parameters)");
        }

        if (method.IsGenericMethod)
        {
            // Generic math (T : INumber<T>, IFloatingPointIeee754<T>) would need an adjoint per instantiation or over T's operators.
            Fail("is a generic method (" + string.Join(", ", method.TypeParameters.Select(t => t.Name)) + "): generic math is not differentiated; write it for double, and a float copy if you need one");
        }

        if (method.IsAsync)
        {
            Fail("is async");
        }

        if (method.IsAbstract || method.IsExtern || (syntax.Body is null && syntax.ExpressionBody is null))
        {
            Fail("has no body to differentiate");
        }

        if (method.MethodKind != MethodKind.Ordinary)
        {
            Fail("is not an ordinary method");
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            TypeRef type = TypeMapping.From(parameter.Type);
            if (type.IsSpan && parameter.RefKind != RefKind.None)
            {
                Fail("takes the span '" + parameter.Name + "' by reference: pass it by value");
            }
            else if (type.IsFloatingArray && type.Scalar.Element != type.Element)
            {
                Fail("takes '" + parameter.Name + "' of an unsupported type");
            }
            else if (type.IsMathNet && parameter.RefKind != RefKind.None)
            {
                Fail("takes the MathNet " + type.MathNet!.ToLowerInvariant() + " '" + parameter.Name + "' by reference: pass it by value (write into it with the result overloads)");
            }
            else if (MathNetOperations.IsArrayOfAlgebra(parameter.Type) && !known.Has(parameter, known.NoDerivative))
            {
                // Silently data otherwise: an array of objects is not storage SourceDiff differentiates.
                Fail("takes '" + parameter.Name + "', an array of MathNet vectors or matrices, which carries no derivative: mark it [NoDerivative] if it is data, or pass each trainable vector or matrix as a parameter of its own");
            }
        }

        foreach (INamedTypeSymbol containing in ContainingTypes(method.ContainingType))
        {
            foreach (SyntaxReference reference in containing.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                    && declaration.SyntaxTree == syntax.SyntaxTree)
                {
                    diagnostics.Add(sites.Diagnostic(DiagnosticDescriptors.TypeNotPartial, declaration.Identifier.GetLocation(), containing.Name, method.Name));
                }
            }
        }
    }

    /// <summary>
    /// An <c>in</c> parameter cannot be written, so it is a value like any by-value one: the sweeps and the Gradient
    /// take it by value, and callers pass it as they pass any value.
    /// </summary>
    private static RefMode DeclaredMode(RefKind kind) => kind == RefKind.In ? RefMode.None : TypeMapping.From(kind);

    /// <summary>Whether every declaration of the type and of its containing types is partial, so it can be extended.</summary>
    internal static bool IsPartial(INamedTypeSymbol type) =>
        ContainingTypes(type).All(t => t.DeclaringSyntaxReferences.All(r => r.GetSyntax() is not TypeDeclarationSyntax declaration || declaration.Modifiers.Any(SyntaxKind.PartialKeyword)));

    private static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            yield return current;
        }
    }

    /// <summary>
    /// The containing type and, for models, the fields that make up its Gradient: its own instance fields, then those it
    /// inherits from base classes that are not models themselves (a base model has a Gradient of its own: SD0010).
    /// </summary>
    public static ContainingTypeModel ParseType(INamedTypeSymbol type, KnownSymbols known, FieldAccessScan scan, List<DiagnosticInfo> diagnostics, SiteTable sites, string methodName)
    {
        var declarations = ContainingTypes(type).Reverse().Select(t => new TypeDeclarationModel(Keyword(t), NameWithTypeParameters(t))).ToEquatableArray();
        string @namespace = type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty;
        var fields = new List<FieldModel>();
        bool isModel = known.IsModelType(type);
        string? baseModel = null;
        if (isModel)
        {
            FieldAccessScan.Access access = scan.Scan(type.GetMembers().OfType<IMethodSymbol>().Where(m => !m.IsStatic && known.IsDifferentiable(m)));
            var names = new HashSet<string>();
            for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                if (!SymbolEqualityComparer.Default.Equals(current, type) && known.IsModelType(current))
                {
                    baseModel = TypeMapping.FullName(current);
                    diagnostics.Add(sites.Diagnostic(DiagnosticDescriptors.ModelDerivesFromModel, DeclarationIdentifier(type), type.Name, current.Name, methodName));
                    break;
                }

                foreach (ISymbol member in current.GetMembers())
                {
                    // A member of a derived class hides the base's of the same name: differentiable code reads the derived one.
                    bool hidden = !names.Add(member.Name) && !SymbolEqualityComparer.Default.Equals(current, type);
                    if (hidden || !IsAccessibleFrom(member, type) || StorageOf(member, known) is not { } storage)
                    {
                        continue;
                    }

                    (ITypeSymbol memberType, FieldRole role, bool isReadOnly) = storage;
                    if (role is FieldRole.Parameter or FieldRole.Layer && GradientMemberNames.Contains(member.Name))
                    {
                        // Left out of the model, so the Gradient that is emitted still compiles; the methods get placeholders.
                        diagnostics.Add(sites.Diagnostic(DiagnosticDescriptors.ReservedFieldName, member.Locations.FirstOrDefault() ?? Location.None, member.Name, type.Name));
                        continue;
                    }

                    TypeRef fieldType = TypeMapping.From(memberType);
                    ITypeSymbol element = memberType is IArrayTypeSymbol { Rank: 1 } array ? array.ElementType : memberType;
                    bool rebound = role == FieldRole.Layer ? LayerRebindsArrays(element, known, scan, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default)) : access.Rebinds(member.Name);
                    fields.Add(new FieldModel(member.Name, fieldType, role, role == FieldRole.Layer ? TypeMapping.FullName(element) : null, isReadOnly,
                        access.Reads(member.Name), access.Writes(member.Name) && !(isReadOnly && !fieldType.IsArray && role != FieldRole.Layer), PropertyStorageOf(member), rebound));
                }
            }
        }

        return new ContainingTypeModel(@namespace, declarations, TypeMapping.FullName(type), fields.ToEquatableArray(), isModel, type.IsValueType, IsPartial(type), baseModel);
    }

    /// <summary>Whether a layer type's differentiable methods may point one of its array fields (or its own layers') at another array.</summary>
    private static bool LayerRebindsArrays(ITypeSymbol layer, KnownSymbols known, FieldAccessScan scan, HashSet<ITypeSymbol> visited)
    {
        if (layer is not INamedTypeSymbol named || !visited.Add(layer))
        {
            return false;
        }

        FieldAccessScan.Access access = scan.Scan(named.GetMembers().OfType<IMethodSymbol>().Where(m => !m.IsStatic && known.IsDifferentiable(m)));
        if (access.Unknown || access.Rebound.Count > 0)
        {
            return true;
        }

        foreach (IFieldSymbol field in named.GetMembers().OfType<IFieldSymbol>())
        {
            ITypeSymbol element = field.Type is IArrayTypeSymbol { Rank: 1 } array ? array.ElementType : field.Type;
            if (!field.IsStatic && known.IsModelType(element) && LayerRebindsArrays(element, known, scan, visited))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The members of every generated Gradient, which a parameter field of the same name would collide with.</summary>
    private static readonly HashSet<string> GradientMemberNames = new()
    {
        "Gradient", "Copy", "Clear", "AddScaled", "Scale", "Dot", "Norm", "ClearState", "CheckShape", "CheckAliasing",
        "LocateSourceDiffParameter", "GetParameterName", "IsSingle", "GetDoubles", "GetSingles", "ParameterCount",
        "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize",
    };

    /// <summary>The model's fields a method may write (every one, when the scan could not see everything it runs).</summary>
    private static EquatableArray<string> WrittenFields(ContainingTypeModel type, FieldAccessScan.Access access) =>
        type.Fields.Where(f => f.IsWritten && access.Writes(f.Name)).Select(f => f.Name).ToEquatableArray();

    /// <summary>
    /// A member that is storage of the model: a field written in source, or an auto-property (a field by another name;
    /// read-only when nothing outside initialization can assign it). Null for anything else, and for members with no role.
    /// </summary>
    private static (ITypeSymbol Type, FieldRole Role, bool IsReadOnly)? StorageOf(ISymbol member, KnownSymbols known) => member switch
    {
        IFieldSymbol { IsImplicitlyDeclared: false } field when FieldRoles.Classify(field, known) is { } role => (field.Type, role, field.IsReadOnly),
        IPropertySymbol property when FieldRoles.Classify(property, known) is { } role =>
            (property.Type, role, property.SetMethod is null or { IsInitOnly: true }),
        _ => null,
    };

    private static PropertyStorage? PropertyStorageOf(ISymbol member) =>
        member is IPropertySymbol property && DerivativeRules.BackingField(property) is { } backing
            ? new PropertyStorage(backing.Name, TypeMapping.FullName(property.ContainingType))
            : null;

    /// <summary>Whether generated code in <paramref name="type"/> can name an inherited field or property (private ones it cannot, nor can the user's code).</summary>
    private static bool IsAccessibleFrom(ISymbol member, INamedTypeSymbol type) => member.DeclaredAccessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Private => SymbolEqualityComparer.Default.Equals(member.ContainingType, type),
        Microsoft.CodeAnalysis.Accessibility.Internal or Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal =>
            SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, type.ContainingAssembly),
        _ => true,
    };

    /// <summary>The identifier of the type's first declaration in source, where type-level diagnostics point.</summary>
    private static Location DeclarationIdentifier(INamedTypeSymbol type)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax declaration)
            {
                return declaration.Identifier.GetLocation();
            }
        }

        return type.Locations.FirstOrDefault() ?? Location.None;
    }

    private static string Keyword(INamedTypeSymbol type) => (type.IsRecord, type.TypeKind) switch
    {
        (true, TypeKind.Struct) => "record struct",
        (true, _) => "record",
        (_, TypeKind.Struct) => "struct",
        (_, TypeKind.Interface) => "interface",
        _ => "class",
    };

    private static string NameWithTypeParameters(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0 ? type.Name : type.Name + "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";

    private static string Accessibility(IMethodSymbol method) => method.DeclaredAccessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    /// <summary>
    /// The generated file's name: type and method, and for an overload its parameter types, so that the name of each
    /// overload's file stays the same when overloads are reordered or added (users commit snapshots under these names).
    /// </summary>
    private static string HintName(IMethodSymbol method)
    {
        string typeName = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);
        var name = new System.Text.StringBuilder();
        AppendFileNameSafe(name, typeName + "." + method.Name);
        if (method.ContainingType.GetMembers(method.Name).Length > 1)
        {
            name.Append('(');
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                if (i > 0)
                {
                    name.Append(',');
                }

                IParameterSymbol parameter = method.Parameters[i];
                string refKind = parameter.RefKind switch { RefKind.Ref => "ref ", RefKind.Out => "out ", RefKind.In => "in ", _ => string.Empty };
                AppendFileNameSafe(name, refKind + parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
            }

            name.Append(')');
        }

        return name.Append(".g.cs").ToString();
    }

    private static void AppendFileNameSafe(System.Text.StringBuilder name, string text)
    {
        foreach (char c in text)
        {
            name.Append(char.IsLetterOrDigit(c) || c is '.' or '_' or '[' or ']' ? c : c == ' ' ? '-' : '_');
        }
    }
}
