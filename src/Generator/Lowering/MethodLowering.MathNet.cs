using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// MathNet.Numerics <c>Vector&lt;T&gt;</c>/<c>Matrix&lt;T&gt;</c> code: operators, methods and builders become calls of the
/// runtime's kernel for the operation (<see cref="CallKind.Kernel"/>, as TensorPrimitives calls do). A kernel always
/// writes a destination: the user's (<c>W.Multiply(x, y)</c>) or, where the code makes a new vector or matrix
/// (<c>W * x</c>), a fresh one of the result's shape, an array local like any other. Indexers are elements, and
/// <c>Count</c>/<c>RowCount</c>/<c>ColumnCount</c> are shapes, as an array's.
/// </summary>
internal sealed partial class MethodLowering
{
    /// <summary>One MathNet operation as written: its member, its operands (receiver first), their declared types, and the destination a void overload writes.</summary>
    private sealed record MathNetSource(IOperation Syntax, string Member, IReadOnlyList<IOperation> Operands, IReadOnlyList<ITypeSymbol> Types, IOperation? Destination, string Element)
    {
        /// <summary>The operands' kinds, one letter each (<see cref="MathNetOperations.KindOf"/>).</summary>
        public string Kinds { get; } = MathNetOperations.KindsOf(Types, Element);
    }

    private static MathNetSource? DescribeMathNet(IOperation operation)
    {
        switch (operation)
        {
            case IBinaryOperation { OperatorMethod: { } method } binary:
                return Source(binary, method, null, new[] { binary.LeftOperand, binary.RightOperand });
            case IUnaryOperation { OperatorMethod: { } method } unary:
                return Source(unary, method, null, new[] { unary.Operand });
            case ICompoundAssignmentOperation { OperatorMethod: { } method } compound:
                return Source(compound, method, null, new[] { compound.Target, compound.Value });
            case IInvocationOperation invocation:
            {
                IMethodSymbol target = invocation.TargetMethod;
                IOperation[] arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToArray();
                IOperation? instance = target.IsStatic || MathNetOperations.IsBuilder(target.ContainingType) ? null : invocation.Instance;
                return Source(invocation, target, instance, arguments);
            }

            default:
                return null;
        }

        static MathNetSource Source(IOperation syntax, IMethodSymbol method, IOperation? instance, IOperation[] arguments)
        {
            var operands = new List<IOperation>();
            var types = new List<ITypeSymbol>();
            if (instance is not null)
            {
                operands.Add(instance);
                types.Add(method.ContainingType);
            }

            for (int k = 0; k < arguments.Length && k < method.Parameters.Length; k++)
            {
                operands.Add(arguments[k]);
                types.Add(method.Parameters[k].Type);
            }

            // A void overload writes its last parameter (MathNet's result, or CopyTo's target).
            IOperation? destination = null;
            if (method.ReturnsVoid && operands.Count > 0 && TypeMapping.From(types[types.Count - 1]).IsMathNet)
            {
                destination = operands[operands.Count - 1];
                operands.RemoveAt(operands.Count - 1);
                types.RemoveAt(types.Count - 1);
            }

            ITypeSymbol owner = method.ContainingType;
            string element = owner is INamedTypeSymbol { TypeArguments.Length: 1 } generic ? TypeMapping.From(generic.TypeArguments[0]).Element : string.Empty;
            return new MathNetSource(syntax, method.Name, operands, types, destination, element);
        }
    }

    /// <summary>
    /// A MathNet operation used as a value: the fresh vector or matrix a kernel fills (<paramref name="into"/>, a local
    /// being declared, when given), or a reduction's value; a fallback literal when it was reported.
    /// </summary>
    private Expr LowerMathNetValue(IOperation operation, List<Stmt> output, Var? into = null)
    {
        if (hoistBlocker is not null)
        {
            Report(DiagnosticDescriptors.CallNeedsStatement, operation.Syntax, ConstructNames.Excerpt(operation.Syntax), hoistBlocker, MethodName);
            return Fallback(operation);
        }

        if (DescribeMathNet(operation) is not { } source)
        {
            return Fallback(operation);
        }

        TypeRef built = TypeMapping.From(operation.Type);
        int dimensions = built.MathNet == "Matrix" ? 2 : 1;
        string builderKinds = source.Kinds;
        if (source.Member == "Dense" && built.IsMathNet && (builderKinds == new string('i', dimensions) || builderKinds == new string('i', dimensions) + "t"))
        {
            // Vector<T>.Build.Dense(n), Matrix<T>.Build.Dense(rows, columns): zeros, a fresh array local; with a value,
            // zeros plus that value (so its derivative is the sum of the elements' adjoints).
            Var zeros = into ?? NewTemp(dimensions == 1 ? "vector" : "matrix", built);
            output.Add(new Assign(zeros, new NewArray(source.Operands.Take(dimensions).Select(o => LowerExpr(o, output)).ToEquatableArray(), built), AssignKind.Declare, SourceText(operation)));
            if (builderKinds.Length == dimensions)
            {
                return zeros;
            }

            Expr fill = Convert(LowerExpr(source.Operands[dimensions], output), built.Scalar);
            output.Add(new CallStmt(null, MathNetKernelCall("Add", dimensions == 1 ? "vt" : "mt", source.Element, new[] { zeros, fill }, zeros, TypeRef.Void, operation, output), AssignKind.Set, SourceText(operation)));
            return zeros;
        }

        if (source.Member == "DenseOfArray" && built.MathNet == "Matrix" && source.Operands.Count == 1
            && TypeMapping.From(source.Types[0]) is { Ranks.Count: 1, IsSpan: false } grid && grid.Ranks[0] == 2 && grid.Element == source.Element)
        {
            return LowerMatrixOfArray(source.Operands[0], built, operation, output, into);
        }

        if (LowerMathNet(source, output, out Var? destination, into) is not { } call)
        {
            return Fallback(operation);
        }

        if (destination is not null)
        {
            output.Add(new CallStmt(null, call, AssignKind.Set, SourceText(operation)));
            return destination;
        }

        Var value = into ?? NewTemp("call", call.ReturnType);
        output.Add(new CallStmt(value, call, AssignKind.Declare, SourceText(operation)));
        return value;
    }

    /// <summary>
    /// <c>Matrix&lt;T&gt;.Build.DenseOfArray(a)</c> of a <c>T[,]</c>: a fresh matrix filled element by element, so its
    /// adjoint flows back into the array's through ordinary assignments (as an array's Clone does).
    /// </summary>
    private Expr LowerMatrixOfArray(IOperation arrayOperand, TypeRef matrixType, IOperation operation, List<Stmt> output, Var? into)
    {
        Expr array = LowerExpr(arrayOperand, output);
        if (array is not Var)
        {
            array = Spill(array, "array", arrayOperand, output);
        }

        string text = SourceText(operation);
        Var matrix = into ?? NewTemp("matrix", matrixType);
        output.Add(new Assign(matrix, new NewArray(EquatableArray.Of<Expr>(Opaque.GetLength(array, 0), Opaque.GetLength(array, 1)), matrixType), AssignKind.Declare, text));
        TypeRef scalar = matrixType.Scalar;
        output.Add(ElementLoop(
            Opaque.GetLength(array, 0),
            i => ElementLoop(Opaque.GetLength(array, 1), j => new Assign(new Element(matrix, EquatableArray.Of<Expr>(i, j), scalar), new Element(array, EquatableArray.Of<Expr>(i, j), scalar), AssignKind.Set, text), backwards: false),
            backwards: false));
        return matrix;
    }

    /// <summary>Whether <paramref name="value"/> is a MathNet operator, method or builder call (which lowers to a kernel call).</summary>
    private static bool IsMathNetValue(IOperation value) => value switch
    {
        IBinaryOperation { OperatorMethod.ContainingType: var owner } => MathNetOperations.Owns(owner),
        IUnaryOperation { OperatorMethod.ContainingType: var owner } => MathNetOperations.Owns(owner),
        IInvocationOperation invocation => MathNetOperations.Owns(invocation.TargetMethod.ContainingType) && !invocation.TargetMethod.ReturnsVoid,
        _ => false,
    };

    /// <summary>A MathNet call written as a statement (<c>W.Multiply(x, y);</c>, <c>v.CopyTo(w);</c>).</summary>
    private void LowerMathNetStatement(IInvocationOperation invocation, IOperation statement, List<Stmt> output)
    {
        if (invocation is { TargetMethod: { Name: "Clear", Parameters.Length: 0, IsStatic: false }, Instance: { } cleared } && TypeMapping.From(cleared.Type).IsMathNet)
        {
            // v.Clear(): a copy of fresh zeros, so the old contents are recorded and restored like any destination's.
            Expr storage = MathNetStorage(LowerExpr(cleared, output), cleared, output);
            Var zeros = NewTemp("zeros", storage.Type);
            output.Add(new Assign(zeros, new NewArray(ShapeOf(storage).ToEquatableArray(), storage.Type), AssignKind.Declare, SourceText(statement)));
            output.Add(new CallStmt(null, MathNetKernelCall("Copy", storage.Type.MathNet == "Vector" ? "v" : "m", storage.Type.Element, new Expr[] { zeros }, storage, TypeRef.Void, invocation, output), AssignKind.Set, SourceText(statement)));
            return;
        }

        if (DescribeMathNet(invocation) is { Destination: not null } source)
        {
            if (LowerMathNet(source, output, out _) is { } call)
            {
                output.Add(new CallStmt(null, call, AssignKind.Set, SourceText(statement)));
            }

            return;
        }

        // A value computed and dropped: evaluated as written (a reduction or a fresh result nobody reads).
        LowerMathNetValue(invocation, output);
    }

    /// <summary>
    /// The kernel call for <paramref name="source"/>, its operands lowered in the order C# evaluates them; a fresh
    /// destination, when the code makes a new vector or matrix, is declared first and returned in
    /// <paramref name="fresh"/>. Null when the operation has no built-in adjoint (reported).
    /// </summary>
    private Call? LowerMathNet(MathNetSource source, List<Stmt> output, out Var? fresh, Var? into = null)
    {
        fresh = null;
        string kinds = source.Kinds;
        if (source.Member == "Dense" && kinds == "s")
        {
            Unsupported(source.Syntax, "Build.Dense(array), which binds the vector to the array without copying,", "use Build.DenseOfArray(array), which copies it, so the array and the vector each have their own adjoint");
            return null;
        }

        if (source.Element.Length == 0 || MathNetOperations.Find(source.Member, kinds) is not { } form)
        {
            Unsupported(
                source.Syntax,
                "The MathNet operation '" + ConstructNames.Excerpt(source.Syntax.Syntax) + "'",
                "use the " + (kinds.StartsWith("m", System.StringComparison.Ordinal) ? "matrix" : kinds.StartsWith("v", System.StringComparison.Ordinal) ? "vector" : "vector and matrix") + " operations with built-in adjoints (" + MathNetOperations.ListFor(kinds) + "), indexers, or a loop over elements");
            return null;
        }

        var evaluated = new List<Expr>();
        for (int k = 0; k < source.Operands.Count; k++)
        {
            int mark = output.Count;
            Expr value = MathNetOperand(source.Operands[k], kinds[k], source, output);
            for (int earlier = 0; earlier < evaluated.Count; earlier++)
            {
                if (!evaluated[earlier].Type.IsArray && evaluated[earlier] is not View)
                {
                    evaluated[earlier] = ReadBefore(evaluated[earlier], mark, source.Operands[earlier], output);
                }
            }

            evaluated.Add(value);
        }

        Expr[] operands = form.Order.Select(position => evaluated[position - '0']).ToArray();
        string kernelKinds = string.Concat(form.Order.Select(position => kinds[position - '0']));
        TypeRef element = new(source.Element, EquatableArray<int>.Empty);
        TypeRef returnType = TypeRef.Void;
        Expr? destination = null;
        if (MathNetOperations.IsReduction(form.Kernel))
        {
            returnType = form.Kernel == "L2Norm" ? TypeRef.Double : element;
        }
        else if (source.Destination is not null)
        {
            destination = MathNetStorage(LowerExpr(source.Destination, output), source.Destination, output);
        }
        else
        {
            TypeRef resultType = ResultOf(form.Kernel, kernelKinds, element);
            fresh = into ?? NewTemp(resultType.MathNet == "Vector" ? "vector" : "matrix", resultType);
            output.Add(new Assign(fresh, new NewArray(ShapeOf(form.Kernel, kernelKinds, operands).ToEquatableArray(), resultType), AssignKind.Declare, SourceText(source.Syntax)));
            destination = fresh;
        }

        return MathNetKernelCall(form.Kernel, kernelKinds, source.Element, operands, destination, returnType, source.Syntax, output);
    }

    /// <summary>A call of kernel <paramref name="kernel"/> over <paramref name="operands"/> (of kinds <paramref name="kinds"/>), writing <paramref name="destination"/> when it has one.</summary>
    private Call MathNetKernelCall(string kernel, string kinds, string element, Expr[] operands, Expr? destination, TypeRef returnType, IOperation source, List<Stmt> output)
    {
        var arguments = operands.Select(operand => new Argument(operand, RefMode.None)).ToList();
        var parameters = operands.Select((operand, k) => new CalleeParameter("p" + k, operand.Type, RefMode.None, IsDifferentiable: kinds[k] != 'i', MayWrite: false)).ToList();
        if (destination is not null)
        {
            arguments.Add(new Argument(destination, RefMode.None));
            parameters.Add(new CalleeParameter("destination", destination.Type, RefMode.None, IsDifferentiable: true, MayWrite: true));
        }

        IMethodSymbol symbol = source switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IBinaryOperation { OperatorMethod: { } method } => method,
            IUnaryOperation { OperatorMethod: { } method } => method,
            ICompoundAssignmentOperation { OperatorMethod: { } method } => method,
            _ => throw new System.InvalidOperationException("A MathNet operation is an invocation or an operator."),
        };
        return KeepArgumentsTheCallWrites(new Call(
            CallKind.Kernel,
            MathNetOperations.KernelClass(element),
            kernel,
            "MathNet." + kernel + "(" + kinds + (destination is null ? string.Empty : destination.Type.MathNet == "Vector" ? "V" : "M") + ")<" + element + ">",
            IsStatic: true,
            Receiver: null,
            arguments.ToEquatableArray(),
            parameters.ToEquatableArray(),
            returnType,
            MissingDerivative(symbol, source.Syntax.GetLocation())), source, output);
    }

    /// <summary>An operand as the kernel takes it: a scalar's value, an int, a vector or matrix variable, or a view of an array.</summary>
    private Expr MathNetOperand(IOperation operand, char kind, MathNetSource source, List<Stmt> output)
    {
        switch (kind)
        {
            case 't':
                return Convert(LowerExpr(operand, output), new TypeRef(source.Element, EquatableArray<int>.Empty));
            case 'i':
                return LowerExpr(operand, output);
            case 's':
                if (RunOf(operand, source.Syntax, output) is not { } run)
                {
                    return Fallback(operand);
                }

                return new View(run.Storage, run.Start, run.Count, TypeRef.SpanOf(run.Storage.Type, "ReadOnlySpan"));
            default:
                return MathNetStorage(LowerExpr(operand, output), operand, output);
        }
    }

    /// <summary>
    /// A vector or matrix the kernel reads or writes, as storage: one computed in place (<c>c ? a : b</c>) becomes a
    /// local of its own, so both sweeps hand the kernel one and the same adjoint.
    /// </summary>
    private Expr MathNetStorage(Expr value, IOperation operand, List<Stmt> output) =>
        value is Var or Element or Literal ? value : Spill(value, "operand", operand, output);

    /// <summary>The type a kernel's fresh destination has.</summary>
    private static TypeRef ResultOf(string kernel, string kinds, TypeRef element)
    {
        bool matrix = kernel switch
        {
            "Multiply" or "TransposeThisAndMultiply" => kinds is not ("mv" or "vm") && kinds.Contains('m'),
            "TransposeAndMultiply" or "Transpose" or "OuterProduct" => true,
            "Row" or "Column" or "DenseOfArray" => false,
            _ => kinds.Contains('m'),
        };
        return TypeRef.MathNetOf(element, matrix ? "Matrix" : "Vector");
    }

    /// <summary>The lengths of a kernel's fresh destination, from its operands' shapes.</summary>
    private static IEnumerable<Expr> ShapeOf(string kernel, string kinds, Expr[] operands)
    {
        switch (kernel, kinds)
        {
            case ("Multiply", "mv"):
                return new[] { Rows(operands[0]) };
            case ("Multiply", "vm"):
            case ("TransposeThisAndMultiply", "mv"):
                return new[] { Columns(operands[kinds == "vm" ? 1 : 0]) };
            case ("Multiply", "mm"):
                return new[] { Rows(operands[0]), Columns(operands[1]) };
            case ("TransposeThisAndMultiply", "mm"):
                return new[] { Columns(operands[0]), Columns(operands[1]) };
            case ("TransposeAndMultiply", _):
                return new[] { Rows(operands[0]), Rows(operands[1]) };
            case ("Transpose", _):
                return new[] { Columns(operands[0]), Rows(operands[0]) };
            case ("OuterProduct", _):
                return new[] { Length(operands[0]), Length(operands[1]) };
            case ("Row", _):
                return new[] { Columns(operands[0]) };
            case ("Column", _):
                return new[] { Rows(operands[0]) };
            case ("DenseOfArray", _):
                return new[] { ((View)operands[0]).Count };
            default:
                // Element-wise: the shape of the first vector or matrix operand.
                return ShapeOf(operands.First(operand => operand.Type.IsMathNet));
        }

        static Expr Length(Expr vector) => Opaque.Read(vector, "Length", TypeRef.Int);
        static Expr Rows(Expr matrix) => Opaque.GetLength(matrix, 0);
        static Expr Columns(Expr matrix) => Opaque.GetLength(matrix, 1);
    }

    /// <summary>A vector's length, or a matrix's row and column counts.</summary>
    private static Expr[] ShapeOf(Expr value) =>
        value.Type.MathNet == "Vector" ? new Expr[] { Opaque.Read(value, "Length", TypeRef.Int) } : new Expr[] { Opaque.GetLength(value, 0), Opaque.GetLength(value, 1) };

    /// <summary><c>v.Count</c>, <c>m.RowCount</c>, <c>m.ColumnCount</c>: shapes, kept as an array's so loops over them are counted loops.</summary>
    private Expr? LowerMathNetShape(IPropertyReferenceOperation property, List<Stmt> output)
    {
        if (property.Instance is not { } instance || !TypeMapping.From(instance.Type).IsMathNet || property.Property.IsIndexer)
        {
            return null;
        }

        Expr receiver = LowerReference(instance, output);
        return property.Property.Name switch
        {
            "Count" => Opaque.Read(receiver, "Length", TypeRef.Int),
            "RowCount" => Opaque.GetLength(receiver, 0),
            "ColumnCount" => Opaque.GetLength(receiver, 1),
            _ => null,
        };
    }
}
