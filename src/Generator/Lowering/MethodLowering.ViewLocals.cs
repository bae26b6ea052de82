using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Span locals and ref locals: second names for storage. Those bound once to a view of an array or span
/// (<c>Span&lt;double&gt; row = w.AsSpan(i * n, n)</c>), to stack scratch (<c>stackalloc double[n]</c>) or to one array
/// element (<c>ref double cell = ref grid[i, j]</c>) are lowered to the storage they name; any other kind is reported
/// once, at its declaration, saying what to write instead, and its initializer is not lowered (so nothing else is
/// reported for it).
/// </summary>
internal sealed partial class MethodLowering
{
    private static bool IsViewLocal(ILocalSymbol local) => local.IsRef || TypeMapping.From(local.Type).IsSpan;

    private void ReportViewLocal(ILocalSymbol local)
    {
        if (local.IsRef && IsRefRebound(local))
        {
            return;   // the '= ref' assignment is reported where it stands ("A ref assignment"): one error, at the cause
        }

        SyntaxNode? declaration = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
        ExpressionSyntax? value = (declaration as VariableDeclaratorSyntax)?.Initializer?.Value;
        while (value is RefExpressionSyntax reference)
        {
            value = reference.Expression;
        }

        (string Construct, string Instead) text = value switch
        {
            _ when local.IsRef && value is ElementAccessExpressionSyntax element =>
                ("The ref local '" + local.Name + "' to " + element,
                 "read and write the element itself (" + element + " += …), or copy it into a double local and store it back"),
            _ when local.IsRef => ("The ref local '" + local.Name + "'", "read and write the storage it refers to directly"),
            StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax =>
                ("The stackalloc scratch span '" + local.Name + "'", "declare it once as Span<double> " + local.Name + " = stackalloc double[n]; (no initializer, not assigned again), or use a local array"),
            _ => ("The span local '" + local.Name + "'" + (value is null ? string.Empty : " (" + ConstructNames.Excerpt(value) + ")"),
                  "bind it once, where it is declared, to a view of an array or span (w.AsSpan(start, length), s.Slice(start, length)) and do not assign it again; or index the array with the view's offset (w[start + j])"),
        };

        Report(DiagnosticDescriptors.UnsupportedConstruct, declaration ?? method.DeclaringSyntaxReferences[0].GetSyntax(), text.Construct, MethodName, text.Instead);
    }
}

/// <summary>
/// <c>ref double cell = ref grid[i, j];</c>: every use of <c>cell</c> is that element. The array and the indices are
/// evaluated once, into locals nothing else writes, so the element stays the one the ref was bound to whatever the
/// code does to <c>grid</c>, <c>i</c> or <c>j</c> afterwards, as a ref would.
/// </summary>
internal sealed partial class MethodLowering
{
    private readonly Dictionary<ILocalSymbol, Element> refElements = new(SymbolEqualityComparer.Default);

    private bool TryLowerRefElementLocal(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, List<Stmt> output)
    {
        ILocalSymbol local = declarator.Symbol;
        if (!local.IsRef || initializer?.Value is not IArrayElementReferenceOperation element || !TypeMapping.From(element.Type).IsFloatingScalar
            || IsRefRebound(local))
        {
            return false;
        }

        Expr array = LowerExpr(element.ArrayReference, output);
        string stem = local.Name + "Array";
        Var arrayOfCell = Spill(array, stem, element.ArrayReference, output);
        var indices = new List<Expr>();
        foreach (IOperation index in element.Indices)
        {
            Expr lowered = LowerExpr(index, output);
            indices.Add(lowered is Literal ? lowered : Spill(lowered, local.Name + "Index", index, output));
        }

        refElements[local] = new Element(arrayOfCell, indices.ToEquatableArray(), TypeMapping.From(element.Type));
        return true;
    }

    /// <summary>
    /// Whether the method binds the ref local again (<c>cell = ref other[k];</c>), by name: a second binding cannot be
    /// one element, and a false match only costs a diagnostic.
    /// </summary>
    private static bool IsRefRebound(ILocalSymbol local)
    {
        SyntaxNode? body = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax().FirstAncestorOrSelf<MemberDeclarationSyntax>();
        return body is not null && body.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(assignment =>
            assignment.Right is RefExpressionSyntax && assignment.Left is IdentifierNameSyntax { Identifier.ValueText: var name } && name == local.Name);
    }
}

/// <summary>
/// <c>Span&lt;double&gt; row = w.AsSpan(start, length);</c> (or a <c>Slice</c> of a span parameter or of another such
/// local, or a whole array): every <c>row[j]</c> is <c>w[start + j]</c> and <c>row.Length</c> is the length. The array,
/// start and length are evaluated once, into locals nothing else writes, so the view stays the elements it was taken
/// of whatever the code does to <c>w</c> or <c>start</c> afterwards. Bulk operations (<c>row.Clear()</c>,
/// <c>row.CopyTo(h)</c>) see the same run of elements. <c>Span&lt;double&gt; scratch = stackalloc double[n];</c> is a
/// fresh local array: its elements get an adjoint array like any other scratch array's.
/// </summary>
internal sealed partial class MethodLowering
{
    private readonly Dictionary<ILocalSymbol, ElementRun> spanViews = new(SymbolEqualityComparer.Default);

    private bool TryLowerSpanLocal(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, List<Stmt> output)
    {
        ILocalSymbol local = declarator.Symbol;
        TypeRef type = TypeMapping.From(local.Type);
        if (local.IsRef || !type.IsSpan || !type.IsFloatingElement || initializer is null || IsReassigned(local))
        {
            return false;
        }

        IOperation value = initializer.Value;
        while (value is IConversionOperation { Conversion.IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        if (value.Syntax is StackAllocArrayCreationExpressionSyntax { Initializer: null, Type: ArrayTypeSyntax { RankSpecifiers.Count: 1 } stackType }
            && stackType.RankSpecifiers[0].Sizes.Count == 1
            && value.ChildOperations.FirstOrDefault(child => child.Syntax == stackType.RankSpecifiers[0].Sizes[0]) is { } size)
        {
            return LowerStackallocLocal(local, type, size, declarator, output);
        }

        if (!IsViewSource(value) || RunOf(value, declarator, output) is not { } run)
        {
            return false;
        }

        // A view keeps the array it was taken of: a later w = other must not move it.
        Expr storage = run.Storage is Var { Type.IsArray: true, Type.IsSpan: false } array ? Spill(array, local.Name + "Array", value, output) : run.Storage;
        spanViews[local] = new ElementRun(storage, Once(run.Start, local.Name + "Start", value, output), Once(run.Count, local.Name + "Length", value, output));
        return true;
    }

    /// <summary>What a span view local may be bound to: an AsSpan/Slice view, a whole array (parameter, field or local) or span parameter, another view local.</summary>
    private bool IsViewSource(IOperation value) => value switch
    {
        IInvocationOperation view => view.TargetMethod.Name is "AsSpan" or "Slice",
        // A whole local array (ReadOnlySpan<double> all = buf;): the view keeps the array buf names at this point.
        ILocalReferenceOperation local => spanViews.ContainsKey(local.Local) || TypeMapping.From(value.Type) is { IsFloatingElement: true, Ranks.Count: 1, IsSpan: false },
        IParameterReferenceOperation or IFieldReferenceOperation => TypeMapping.From(value.Type) is { IsFloatingElement: true, Ranks.Count: 1 },
        _ => false,
    };

    private Expr Once(Expr value, string stem, IOperation source, List<Stmt> output) =>
        value is Literal ? value : Spill(value, stem, source, output);

    private bool LowerStackallocLocal(ILocalSymbol local, TypeRef spanType, IOperation size, IVariableDeclaratorOperation declarator, List<Stmt> output)
    {
        TypeRef arrayType = TypeRef.Array(spanType.ElementType, 1);
        string name = local.Name;
        for (int suffix = 2; !usedNames.Add(name); suffix++)
        {
            name = local.Name + "_" + suffix;
        }

        var array = new Var(name, VarKind.Local, arrayType);
        locals.Add(local, array);
        localModels.Add(new LocalModel(name, arrayType));
        Expr length = LowerExpr(size, output);
        output.Add(new Assign(array, new NewArray(EquatableArray.Of(length), arrayType), AssignKind.Declare, SourceText(declarator)));
        return true;
    }

    private Expr? LowerSpanViewAccess(IPropertyReferenceOperation property, List<Stmt> output)
    {
        if (property.Instance is not ILocalReferenceOperation local || !spanViews.TryGetValue(local.Local, out ElementRun? view))
        {
            return null;
        }

        if (property.Property.IsIndexer && property.Arguments.Length == 1)
        {
            return new Element(view.Storage, EquatableArray.Of(Plus(view.Start, LowerExpr(property.Arguments[0].Value, output))), TypeMapping.From(property.Type));
        }

        return property.Property.Name == "Length" ? view.Count : null;
    }

    /// <summary>A span view used as a value (handed to a method, returned, compared): its adjoint would be a view too.</summary>
    private Expr ReportSpanViewUse(ILocalReferenceOperation use)
    {
        Unsupported(use, "Using the span view '" + use.Local.Name + "' as a value", "index it, read its Length, Fill/Clear/CopyTo it, or pass the array and the view's offset to the method");
        return Fallback(use);
    }
}
