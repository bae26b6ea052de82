using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Rules;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Which fields of a model its methods read and write, from their source: the method itself, every method and property
/// of <c>this</c> it calls (non-differentiable helpers may write counters), transitively, and the methods it calls on
/// layers (a layer field counts as written when the layer's method writes any of the layer's fields). Arrays handed to a
/// callee count as written when the callee may write through that parameter. Code whose effect cannot be seen — no
/// source, an abstract target, <c>this</c> handed out as a value — makes the result <see cref="Access.Unknown"/>, which
/// callers treat as "every field". Never throws into the generator: any failure is also unknown.
/// </summary>
internal sealed class FieldAccessScan
{
    private readonly Compilation compilation;
    private readonly KnownSymbols known;
    private readonly CancellationToken cancellationToken;
    private readonly Dictionary<IMethodSymbol, bool> writesReceiver = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IParameterSymbol, bool> writesParameter = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, bool> writesAlias = new(SymbolEqualityComparer.Default);

    public FieldAccessScan(Compilation compilation, KnownSymbols known, CancellationToken cancellationToken)
    {
        this.compilation = compilation;
        this.known = known;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>Fields (by name) of the methods' receiver that they read and write.</summary>
    public sealed class Access
    {
        public HashSet<string> Read { get; } = new();

        public HashSet<string> Written { get; } = new();

        /// <summary>Array fields pointed at another array (assigned whole, swapped, passed by ref), not only written into.</summary>
        public HashSet<string> Rebound { get; } = new();

        /// <summary>Some code could not be seen: any field may be read or written.</summary>
        public bool Unknown { get; set; }

        public bool Rebinds(string field) => Unknown || Rebound.Contains(field);

        public bool Reads(string field) => Unknown || Read.Contains(field);

        public bool Writes(string field) => Unknown || Written.Contains(field);
    }

    /// <summary>The union of what <paramref name="roots"/> (instance methods of one type) touch of their receiver.</summary>
    public Access Scan(IEnumerable<IMethodSymbol> roots)
    {
        var access = new Access();
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        try
        {
            foreach (IMethodSymbol root in roots)
            {
                Visit(root, access, visited);
            }
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            access.Unknown = true;
        }

        return access;
    }

    private void Visit(IMethodSymbol method, Access access, HashSet<IMethodSymbol> visited)
    {
        method = method.PartialImplementationPart ?? method.OriginalDefinition;
        if (!visited.Add(method) || access.Unknown)
        {
            return;
        }

        if (method.IsAbstract || method.IsExtern || method.DeclaringSyntaxReferences.IsEmpty)
        {
            access.Unknown = true;
            return;
        }

        foreach (IOperation body in Bodies(method))
        {
            foreach (IOperation operation in body.DescendantsAndSelf())
            {
                Inspect(operation, access, visited);
            }
        }
    }

    /// <summary>The operation trees of a method's declarations (block or expression bodies, accessors included).</summary>
    private IEnumerable<IOperation> Bodies(IMethodSymbol method)
    {
        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            SyntaxNode syntax = reference.GetSyntax(cancellationToken);
            SemanticModel model = compilation.GetSemanticModel(syntax.SyntaxTree);
            if (model.GetOperation(syntax, cancellationToken) is { } whole)
            {
                yield return whole;
                continue;
            }

            foreach (SyntaxNode child in syntax.ChildNodes())
            {
                if (child is BlockSyntax or ArrowExpressionClauseSyntax or ExpressionSyntax && model.GetOperation(child, cancellationToken) is { } part)
                {
                    yield return part;
                }
            }
        }
    }

    private void Inspect(IOperation operation, Access access, HashSet<IMethodSymbol> visited)
    {
        switch (operation)
        {
            case IFieldReferenceOperation { Field.IsStatic: false } field when IsThis(field.Instance):
                access.Read.Add(field.Field.Name);
                if (IsWritten(field))
                {
                    access.Written.Add(field.Field.Name);
                }

                if (field.Type is IArrayTypeSymbol && IsRebinding(field))
                {
                    access.Rebound.Add(field.Field.Name);
                }

                break;

            case IInvocationOperation call when IsThis(call.Instance) && call.TargetMethod.MethodKind != MethodKind.LocalFunction:
                Visit(call.TargetMethod, access, visited);
                break;

            case IMethodReferenceOperation reference when IsThis(reference.Instance):
                // A delegate to a method of this may run it later: count what it touches.
                Visit(reference.Method, access, visited);
                break;

            case IPropertyReferenceOperation property when IsThis(property.Instance) && DerivativeRules.IsAutoProperty(property.Property):
                // An auto-property is storage, like a field of the same name.
                access.Read.Add(property.Property.Name);
                if (IsWritten(property))
                {
                    access.Written.Add(property.Property.Name);
                }

                if (property.Type is IArrayTypeSymbol && IsRebinding(property))
                {
                    access.Rebound.Add(property.Property.Name);
                }

                break;

            case IPropertyReferenceOperation property when IsThis(property.Instance):
                foreach (IMethodSymbol? accessor in new[] { property.Property.GetMethod, property.Property.SetMethod })
                {
                    if (accessor is not null)
                    {
                        Visit(accessor, access, visited);
                    }
                }

                break;

            case IInstanceReferenceOperation self when IsThis(self) && self.Parent is not (IFieldReferenceOperation or IInvocationOperation or IPropertyReferenceOperation
                or IMethodReferenceOperation or IEventReferenceOperation):
                // 'this' handed out as a value: whatever receives it may write anything.
                access.Unknown = true;
                break;
        }
    }

    /// <summary>
    /// Whether the reference to an array field is itself overwritten here, so the field may afterwards hold another array:
    /// an assignment's target, an element of a deconstruction's target (a swap), a ref or out argument, a ref local.
    /// </summary>
    private static bool IsRebinding(IOperation reference)
    {
        IOperation node = reference;
        while (node.Parent is ITupleOperation tuple)
        {
            node = tuple;
        }

        return node.Parent switch
        {
            IAssignmentOperation assignment => assignment.Target == node,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.IsRef: true } } => true,
            _ => false,
        };
    }

    /// <summary>The receiver is the model itself (not an object being initialized, nor a pattern input).</summary>
    private static bool IsThis(IOperation? instance) =>
        instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    /// <summary>
    /// Whether the storage <paramref name="reference"/> names (a field of this, or a parameter) may be written here: as
    /// the target of an assignment, through its elements, its own fields, a method called on it, a ref argument, an
    /// array handed to a callee that writes it, or an array alias (a local copy of the reference, which may be written later).
    /// </summary>
    private bool IsWritten(IOperation reference)
    {
        IOperation node = reference;
        while (true)
        {
            switch (node.Parent)
            {
                case IArrayElementReferenceOperation element when element.ArrayReference == node:
                    node = element;
                    continue;
                case IFieldReferenceOperation field when field.Instance == node:
                    node = field;
                    continue;
                case IInvocationOperation call when call.Instance == node && IsView(call):
                    node = call;   // span.Slice(…): written where the slice is written
                    continue;
                case IInvocationOperation call when call.Instance == node:
                    return CallWritesReceiver(call.TargetMethod);
                case IPropertyReferenceOperation property when property.Instance == node && TypeMapping.From(node.Type).IsMathNet:
                    // v[i] = …, m[i, j] += …: written where an element is; Count, RowCount, ColumnCount only read.
                    return property.Property.IsIndexer && IsWritePosition(property);
                case IPropertyReferenceOperation property when property.Instance == node && DerivativeRules.IsAutoProperty(property.Property):
                    node = property;
                    continue;
                case IPropertyReferenceOperation property when property.Instance == node:
                    if (node.Type is IArrayTypeSymbol)
                    {
                        return false;   // Length, Rank
                    }

                    return (property.Property.SetMethod is { } setter && CallWritesReceiver(setter))
                        || (property.Property.GetMethod is { } getter && CallWritesReceiver(getter));
            }

            break;
        }

        return IsWritePosition(node);
    }

    private bool IsWritePosition(IOperation node)
    {
        bool isArray = node.Type is IArrayTypeSymbol || TypeMapping.From(node.Type) is { IsSpan: true } or { IsMathNet: true };

        // A layer given a second name (var layer = Layers[i]) is written through the methods called on that name.
        bool isLayer = node.Type is not null && known.IsModelType(node.Type);
        switch (node.Parent)
        {
            case IAssignmentOperation assignment when assignment.Target == node:
            case IIncrementOrDecrementOperation:
                return true;
            case IAssignmentOperation assignment when assignment.Value == node:
                // A second name for the array, through which it may be written: a local's uses tell; anything else may.
                return (isArray || isLayer) && (assignment.Target is not ILocalReferenceOperation { Local.IsRef: false } alias || AliasMayBeWritten(alias.Local, node));
            case IVariableInitializerOperation initializer:
                if (initializer.Parent is IVariableDeclaratorOperation { Symbol: { } declared })
                {
                    return declared.IsRef || ((isArray || isLayer) && AliasMayBeWritten(declared, node));
                }

                return isArray;
            case IReturnOperation:
                return isArray;
            case IConversionOperation:
            case IConditionalOperation choice when choice.Condition != node:
                return IsWritePosition(node.Parent!);
            case IArgumentOperation { Parent: IInvocationOperation view } argument when isArray && IsView(view) && argument.Parameter?.Ordinal == 0:
                // array.AsSpan(…) (an extension method): the array is written where the view is written.
                return IsWritten(view);
            case IArgumentOperation argument:
                // System.Array parameters (Array.Copy's destination, Array.Clear) may be written whatever the element type.
                return argument.Parameter is not { } parameter || parameter.RefKind is RefKind.Ref or RefKind.Out
                    || (parameter.RefKind == RefKind.None && isArray && ParameterMayBeWritten(parameter))
                    || parameter.Type.SpecialType == SpecialType.System_Array;
            case ITupleOperation tuple:
                return tuple.Parent is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target == tuple;
            case IForEachLoopOperation loop when loop.Collection == node:
                // foreach (var row in Rows): each row is a second name for part of the array; so is each layer of Layers.
                ITypeSymbol? iterated = (node is IConversionOperation conversion ? conversion.Operand : node).Type;
                return iterated is IArrayTypeSymbol { ElementType: IArrayTypeSymbol }
                    || (iterated is IArrayTypeSymbol { ElementType: var element } && known.IsModelType(element)
                        && (loop.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: var item } || AliasMayBeWritten(item, node)));
            default:
                // An array anywhere else (a ?? b, a switch arm, a collection expression…) may become a second name
                // through which it is written: only comparisons and type tests are known to read nothing.
                return isArray && node.Parent is not (IBinaryOperation or IIsPatternOperation or IIsTypeOperation or INameOfOperation);
        }
    }

    /// <summary><c>AsSpan</c> and <c>Slice</c>: a view of the same elements, not a copy.</summary>
    private static bool IsView(IInvocationOperation call) =>
        call.TargetMethod.Name is "AsSpan" or "Slice" && TypeMapping.From(call.Type).IsSpan;

    /// <summary>
    /// Whether an array may be written through the local <paramref name="alias"/> that receives it at <paramref name="site"/>:
    /// through any use of the local in the same body. Rebinding the local writes nothing; a cycle of aliases adds no write.
    /// </summary>
    private bool AliasMayBeWritten(ILocalSymbol alias, IOperation site)
    {
        if (writesAlias.TryGetValue(alias, out bool writes))
        {
            return writes;
        }

        IOperation body = site;
        while (body.Parent is not null)
        {
            body = body.Parent;
        }

        writesAlias[alias] = false;
        writes = body.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(use =>
            SymbolEqualityComparer.Default.Equals(use.Local, alias) && !IsRebinding(use) && IsWritten(use));
        return writesAlias[alias] = writes;
    }

    private static bool IsRebinding(ILocalReferenceOperation use) =>
        use.Parent is ISimpleAssignmentOperation { IsRef: false } or ICoalesceAssignmentOperation && ((IAssignmentOperation)use.Parent).Target == use;

    /// <summary>
    /// Whether a callee may write through a parameter: ref/out, or the elements of an array (or writable span) passed
    /// as <paramref name="parameter"/>, directly, through a local alias or through a further callee. Unknown bodies
    /// are assumed to write.
    /// </summary>
    public bool ParameterMayBeWritten(IParameterSymbol parameter)
    {
        if (parameter.RefKind is RefKind.Ref or RefKind.Out)
        {
            return true;
        }

        // The type as the call site sees it: Span<double> for Span<T>.CopyTo's destination, which the generic
        // definition's Span<T> would not tell apart from a value.
        IR.TypeRef type = TypeMapping.From(parameter.Type);
        if (!type.IsArray || type.Span == "ReadOnlySpan")
        {
            return false;
        }

        if (parameter.ContainingSymbol is IMethodSymbol { ContainingType: var owner } library && MathNetOperations.Owns(owner))
        {
            // MathNet writes only the result (or CopyTo's target) of a void overload: its last parameter.
            return library.ReturnsVoid && parameter.Ordinal == library.Parameters.Length - 1;
        }

        parameter = parameter.OriginalDefinition;
        if (writesParameter.TryGetValue(parameter, out bool writes))
        {
            return writes;
        }

        if (parameter.ContainingSymbol is not IMethodSymbol method || method.IsAbstract || method.IsExtern || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return writesParameter[parameter] = true;
        }

        // Recursion through the same parameter (f passes a to g, g to f) adds no write of its own.
        writesParameter[parameter] = false;
        writes = false;
        foreach (IOperation body in Bodies(method.PartialImplementationPart ?? method))
        {
            foreach (IParameterReferenceOperation use in body.DescendantsAndSelf().OfType<IParameterReferenceOperation>())
            {
                if (SymbolEqualityComparer.Default.Equals(use.Parameter.OriginalDefinition, parameter) && IsWritten(use))
                {
                    writes = true;
                    break;
                }
            }
        }

        return writesParameter[parameter] = writes;
    }

    /// <summary>
    /// Whether calling <paramref name="method"/> on an object held in a field may change that object: for a layer,
    /// whether the method writes any of the layer's fields; for anything else (arrays, library objects), assumed yes
    /// unless it is one of the array members that only read.
    /// </summary>
    private bool CallWritesReceiver(IMethodSymbol method)
    {
        if (method.ContainingType?.SpecialType == SpecialType.System_Array || method.ContainingType?.SpecialType == SpecialType.System_Object)
        {
            return method.Name is not ("Clone" or "GetLength" or "GetLongLength" or "GetLowerBound" or "GetUpperBound" or "GetValue" or "CopyTo"
                or "GetEnumerator" or "Equals" or "GetHashCode" or "ToString" or "GetType");
        }

        if (MathNetOperations.Owns(method.ContainingType))
        {
            // The operations with built-in adjoints write only a result passed to them, never the vector they are called on.
            return !MathNetOperations.ReadsReceiver(method.Name);
        }

        if (method.ContainingType is null || !known.IsModelType(method.ContainingType))
        {
            return true;
        }

        method = method.OriginalDefinition;
        if (!writesReceiver.TryGetValue(method, out bool writes))
        {
            writesReceiver[method] = true;   // a cycle back here: assume the worst until known
            var access = new Access();
            Visit(method, access, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));
            writesReceiver[method] = writes = access.Unknown || access.Written.Count > 0;
        }

        return writes;
    }
}
