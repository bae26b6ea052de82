using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// Lists of floating data (<c>List&lt;double&gt;</c>, <c>IReadOnlyList&lt;double&gt;</c>): they carry no derivative, so
/// differentiable code reads them as plain data through their indexer, <c>Count</c> and <c>foreach</c>. The reverse sweep
/// reads them again, so nothing in the method may change them.
/// </summary>
internal sealed partial class MethodLowering
{
    private static bool IsFloatingList(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
        && named.Name is "List" or "IReadOnlyList"
        && named.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
        && TypeMapping.From(named.TypeArguments[0]).IsFloatingScalar;

    /// <summary><c>xs[i]</c> on list data: a value with no derivative, read again as written wherever a sweep needs it.</summary>
    private Expr? TryLowerListElement(IPropertyReferenceOperation property, List<Stmt> output)
    {
        if (!property.Property.IsIndexer || property.Instance is not { } list || !IsFloatingList(list.Type) || property.Arguments.Length != 1)
        {
            return null;
        }

        return Opaque.Indexer(LowerExpr(list, output), LowerExpr(property.Arguments[0].Value, output), TypeMapping.From(property.Type));
    }

    /// <summary><c>foreach (double x in xs)</c> over list data: an index loop up to <c>Count</c>, reading the indexer.</summary>
    private bool LowerForEachOverList(IForEachLoopOperation forEach, IOperation collection, IVariableDeclaratorOperation declarator, List<Stmt> output)
    {
        Expr list = LowerExpr(collection, output);
        if (list is not Var)
        {
            list = Spill(list, "list", collection, output);
        }

        Var index = NewTemp("index", TypeRef.Int);
        output.Add(new Assign(index, Zero, AssignKind.Declare, "foreach"));
        Var item = DeclareLocal(declarator.Symbol);
        TypeRef element = TypeMapping.From(((INamedTypeSymbol)collection.Type!).TypeArguments[0]);
        var bodyStatements = new List<Stmt>
        {
            new Assign(item, Convert(Opaque.Indexer(list, index, element), item.Type), AssignKind.Declare, item.Name + " = " + SourceText(collection) + "[…]"),
        };
        Expr condition = new Binary("<", index, Opaque.Read(list, "Count", TypeRef.Int), TypeRef.Bool);
        ExitScan exits = ScanExits(forEach.Body);
        var stepStatements = new List<Stmt> { new Assign(index, new Literal("1", TypeRef.Int), AssignKind.Add, "(next item)") };
        bodyStatements.AddRange(LowerBody(forEach.Body).Statements);
        return FinishLoop(condition, bodyStatements, stepStatements, exits, testFirst: true, output);
    }

    /// <summary>
    /// Reports a call that may change list data: any method of the list but its searches, and any method outside
    /// differentiable code handed the list. The reverse sweep reads the list again and must see what the primal saw.
    /// </summary>
    private void RejectListChanges(IInvocationOperation invocation)
    {
        IMethodSymbol target = invocation.TargetMethod;
        if (invocation.Instance is { } list && IsFloatingList(list.Type) && target.Name is not ("Contains" or "IndexOf" or "LastIndexOf" or "Equals" or "GetHashCode" or "ToString"))
        {
            Unsupported(invocation, "Calling '" + target.Name + "' on the list '" + ConstructNames.Excerpt(list.Syntax) + "'",
                "fill the list before the call: differentiable code reads lists only through their indexer, Count and foreach");
            return;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IOperation value = argument.Value;
            while (value is IConversionOperation { IsImplicit: true } conversion)
            {
                value = conversion.Operand;
            }

            if (IsFloatingList(value.Type))
            {
                Unsupported(argument, "Passing the list '" + ConstructNames.Excerpt(value.Syntax) + "' to '" + target.Name + "', which may change it",
                    "pass it to a [Differentiable] method, or copy what the call needs into an array");
                return;
            }
        }
    }
}
