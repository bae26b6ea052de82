using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// Integer expressions (a loop's first value or bound) rewritten over what a method has where it starts: literals,
/// by-value parameters it never assigns and the shapes of arrays it never reassigns, fields nothing it runs writes, and
/// locals assigned once, at the top of the body, from such values (<c>int n = x.Length;</c>, the length of
/// <c>new double[hidden]</c>). Where an expression reads anything else, it may differ by the time the loop starts.
/// </summary>
internal sealed class EntryValues
{
    /// <summary>How far local definitions are followed (a chain of locals defined from locals).</summary>
    private const int MaxDepth = 8;

    private readonly HashSet<string> written = new();
    private readonly Dictionary<string, Expr> definitions = new();
    private readonly HashSet<string> stableFields;
    private readonly bool callsAnything;

    private EntryValues(MethodModel method)
    {
        CountedLoops.Writes(method.Body, written);
        stableFields = new HashSet<string>(method.IsStatic ? Enumerable.Empty<string>() : method.Type.Fields.Select(f => f.Name).Where(name => !method.WrittenFields.Contains(name)));
        List<Stmt> statements = IrWalk.Flatten(method.Body);
        callsAnything = statements.Any(s => s is CallStmt or NonDifferentiableCall);

        var assignments = new Dictionary<string, int>();
        foreach (Stmt statement in statements)
        {
            foreach (Var local in LocalsWritten(statement))
            {
                assignments[local.Name] = assignments.TryGetValue(local.Name, out int count) ? count + 1 : 1;
            }
        }

        foreach (Stmt statement in method.Body.Statements)
        {
            if (statement is Assign { Target: Var { Kind: VarKind.Local } local, Kind: AssignKind.Set or AssignKind.Declare } assign
                && assignments.TryGetValue(local.Name, out int count) && count == 1)
            {
                definitions[local.Name] = assign.Value;
            }
        }
    }

    public static EntryValues Of(MethodModel method) => new(method);

    private static IEnumerable<Var> LocalsWritten(Stmt statement)
    {
        Expr? target = statement switch
        {
            Assign assign => assign.Target,
            CallStmt call => call.Target,
            _ => null,
        };
        if (target is Var { Kind: VarKind.Local } local)
        {
            yield return local;
        }

        if (statement is CallStmt { Call: var called })
        {
            foreach (Argument argument in called.Arguments)
            {
                if (argument.Mode is RefMode.Ref or RefMode.Out && IrWalk.Root(argument.Value) is { Kind: VarKind.Local } passed)
                {
                    yield return passed;
                }
            }
        }
    }

    /// <summary>The expression over values the method has where it starts, or null where it may differ.</summary>
    public Expr? AtEntry(Expr expr) => AtEntry(expr, MaxDepth);

    private Expr? AtEntry(Expr expr, int depth)
    {
        if (depth < 0)
        {
            return null;
        }

        switch (expr)
        {
            case Literal:
                return expr;
            case Var { Kind: VarKind.Parameter, Type.IsArray: false } parameter:
                return written.Contains(parameter.Name) ? null : expr;
            case Var { Kind: VarKind.Local, Type.IsArray: false } local:
                return definitions.TryGetValue(local.Name, out Expr? definition) ? AtEntry(definition, depth - 1) : null;
            case Var { IsField: true, Type.IsArray: false } field:
                return stableFields.Contains(field.Name) ? expr : null;
            case Opaque { Receiver: Var array } shape when CountedLoops.IsShape(shape):
                return ShapeAtEntry(shape, array, depth);
            case Binary { Operator: "+" or "-" or "*" } binary:
                return AtEntry(binary.Left, depth) is { } left && AtEntry(binary.Right, depth) is { } right ? binary with { Left = left, Right = right } : null;
            case Binary { Operator: "/", Right: Literal { Text: not "0" } } division:
                // A literal divisor only: dividing by a value where the primal may not would throw where it does not.
                return AtEntry(division.Left, depth) is { } dividend ? division with { Left = dividend } : null;
            case Unary { Operator: "-" } negation:
                return AtEntry(negation.Operand, depth) is { } operand ? negation with { Operand = operand } : null;
            default:
                return null;
        }
    }

    private Expr? ShapeAtEntry(Opaque shape, Var array, int depth)
    {
        switch (array.Kind)
        {
            case VarKind.Parameter:
                return written.Contains(array.Name) ? null : shape;
            case VarKind.Local when definitions.TryGetValue(array.Name, out Expr? definition):
                if (definition is NewArray fresh && !array.Type.IsMathNet)
                {
                    int dimension = shape.Member == "Length" ? 0 : int.Parse(((Literal)shape.Arguments!.Value[0]).Text, System.Globalization.CultureInfo.InvariantCulture);
                    return fresh.Lengths.Count == (shape.Member == "Length" ? 1 : fresh.Lengths.Count) && dimension < fresh.Lengths.Count
                        ? AtEntry(fresh.Lengths[dimension], depth - 1)
                        : null;
                }

                return definition is Var other ? AtEntry(shape with { Receiver = other }, depth - 1) : null;
            case VarKind.ParameterField or VarKind.StateField or VarKind.DataField:
                return stableFields.Contains(array.Name) || (!written.Contains(array.Name) && !callsAnything) ? shape : null;
            default:
                return null;
        }
    }
}
