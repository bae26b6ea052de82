using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// A loop <c>j = First; while (j &lt; Bound) { body; j += Step; }</c> (or <c>&lt;=</c>, or counting down with
/// <c>&gt;</c>, <c>&gt;=</c> and <c>-=</c>) whose counter only the step writes and whose first value and bound the
/// loop does not change: its trip count and every value of its counter follow from First, Bound and Step, so the
/// reverse sweep replays it with no tape traffic.
/// </summary>
internal sealed record CountedLoop(Var Counter, Expr First, Expr Bound, int Step, bool Inclusive)
{
    public bool CountsUp => Step > 0;
}

/// <summary>Finds the counted loops of a method (<see cref="CountedLoop"/>).</summary>
internal static class CountedLoops
{
    /// <summary>
    /// The counted loops of a method. Fields that nothing the method runs may write (its own code or any callee, see
    /// <see cref="MethodModel.WrittenFields"/>) keep their value and their arrays' lengths, calls or not.
    /// </summary>
    public static IReadOnlyDictionary<Loop, CountedLoop> Find(MethodModel method)
    {
        var stable = new HashSet<string>(method.IsStatic ? Enumerable.Empty<string>() : method.Type.Fields.Select(f => f.Name).Where(name => !method.WrittenFields.Contains(name)));
        var found = new Dictionary<Loop, CountedLoop>(ReferenceComparer.Instance);
        Visit(method.Body, found, stable);
        return found;
    }

    private static void Visit(Stmt statement, Dictionary<Loop, CountedLoop> found, HashSet<string> stable)
    {
        switch (statement)
        {
            case Block block:
                for (int i = 0; i < block.Statements.Count; i++)
                {
                    if (block.Statements[i] is Loop loop && i > 0 && block.Statements[i - 1] is Assign init && Match(init, loop, stable) is { } counted)
                    {
                        found[loop] = counted;
                    }

                    Visit(block.Statements[i], found, stable);
                }

                break;
            case If branch:
                Visit(branch.Then, found, stable);
                Visit(branch.Else, found, stable);
                break;
            case Loop loop:
                Visit(loop.Body, found, stable);
                Visit(loop.Step, found, stable);
                break;
        }
    }

    private static CountedLoop? Match(Assign init, Loop loop, HashSet<string> stable)
    {
        if (init.Target is not Var { Kind: VarKind.Local, Type.Element: "int", Type.IsArray: false } counter
            || init.Kind is not (AssignKind.Set or AssignKind.Declare) || !loop.TestFirst
            || loop.Step.Statements.Count != 1 || loop.Step.Statements[0] is not Assign { Target: Var stepped, Value: Literal { Text: var stepText } } step
            || stepped.Name != counter.Name || step.Kind is not (AssignKind.Add or AssignKind.Subtract)
            || !int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out int magnitude) || magnitude <= 0
            || loop.Condition is not Binary { Left: Var tested, Right: var bound } condition || tested.Name != counter.Name
            || bound.Type.Element != "int" || bound.Type.IsArray)
        {
            return null;
        }

        bool up = step.Kind == AssignKind.Add;
        bool? inclusive = (condition.Operator, up) switch
        {
            ("<", true) or (">", false) => false,
            ("<=", true) or (">=", false) => true,
            _ => null,
        };
        if (inclusive is null)
        {
            return null;
        }

        // Nothing in the loop may write the counter (but its step), or what its first value and bound read.
        var written = new HashSet<string>();
        Writes(loop.Body, written);
        if (IrWalk.Flatten(loop.Body).Any(s => s is CallStmt or NonDifferentiableCall))
        {
            // A call may reassign a field of the model, so a field's length is invariant only where nothing is called.
            written.Add(AnyField);
        }

        if (written.Contains(counter.Name) || !Invariant(init.Value, written, counter, stable) || !Invariant(bound, written, counter, stable))
        {
            return null;
        }

        return new CountedLoop(counter, init.Value, bound, up ? magnitude : -magnitude, inclusive.Value);
    }

    /// <summary>Stands in the written set for "every field": the loop calls something that may reassign one.</summary>
    private const string AnyField = "this.*";

    /// <summary>
    /// An integer expression over literals, by-value locals and parameters and their array lengths, and the lengths of
    /// the model's array fields, none of them written in the loop, and fields nothing the method runs writes: it has the
    /// same value when the reverse sweep replays the loop as when the loop began.
    /// </summary>
    private static bool Invariant(Expr expr, HashSet<string> written, Var counter, HashSet<string> stable) => expr switch
    {
        Literal => true,
        Var { Kind: VarKind.Local or VarKind.Parameter } variable => variable.Name != counter.Name && !written.Contains(variable.Name),
        Var { IsField: true, Type.IsArray: false } field => stable.Contains(field.Name),
        Opaque { Receiver: Var { Kind: VarKind.Local or VarKind.Parameter } array } shape when IsShape(shape) =>
            array.Name != counter.Name && !written.Contains(array.Name),
        Opaque { Receiver: Var { IsField: true } field } shape when IsShape(shape) =>
            stable.Contains(field.Name) || (field.Kind != VarKind.LayerField && !written.Contains(field.Name) && !written.Contains(AnyField)),
        Binary { Operator: "+" or "-" or "*" or "/" } binary => Invariant(binary.Left, written, counter, stable) && Invariant(binary.Right, written, counter, stable),
        Unary { Operator: "-" } negation => Invariant(negation.Operand, written, counter, stable),
        _ => false,
    };

    /// <summary><c>a.Length</c>, or <c>a.GetLength(d)</c> of a literal dimension: an array's shape, fixed while the reference is.</summary>
    public static bool IsShape(Opaque read) => read switch
    {
        { Member: "Length", Arguments: null } => true,
        { Member: "GetLength", Arguments: { Count: 1 } arguments } => arguments[0] is Literal,
        _ => false,
    };

    /// <summary>The variables a block assigns: targets, and arguments passed by reference.</summary>
    public static void Writes(Block block, HashSet<string> into)
    {
        foreach (Stmt statement in IrWalk.Flatten(block))
        {
            Expr? target = statement switch
            {
                Assign assign => assign.Target,
                CallStmt call => call.Target,
                _ => null,
            };
            if (target is Var variable)
            {
                into.Add(variable.Name);
            }

            if (statement is CallStmt { Call: var called })
            {
                foreach (Argument argument in called.Arguments)
                {
                    if (argument.Mode is RefMode.Ref or RefMode.Out && IrWalk.Root(argument.Value) is { } root)
                    {
                        into.Add(root.Name);
                    }
                }
            }
        }
    }
}
