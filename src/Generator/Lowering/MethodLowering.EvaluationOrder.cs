using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// C# evaluates operands left to right, but lowering hoists a differentiable call out of its expression into a
/// statement before it. A value an earlier operand read which the hoisted call may write (a local passed by
/// <c>ref</c>/<c>out</c>, a field of the model whose method it calls, an element of an array it may write) would then
/// be read after the call: <c>x += Step(ref x)</c> would add to the new x. Such a value is taken into a temporary
/// where C# reads it, before the call.
/// </summary>
internal sealed partial class MethodLowering
{
    /// <summary>
    /// <paramref name="earlier"/>, read before the statements lowered since <paramref name="mark"/>: as it is, or a
    /// temporary declared at <paramref name="mark"/> when a call among those statements may write what it reads.
    /// </summary>
    private Expr ReadBefore(Expr earlier, int mark, IOperation source, List<Stmt> output)
    {
        // Most operands hoist nothing: no statement since the mark, nothing to walk (this runs for every operator).
        if (output.Count == mark || earlier is Literal || !CallsSince(mark, output).Any(call => MayWrite(call, earlier)))
        {
            return earlier;
        }

        Var temp = NewTemp("operand", earlier.Type);
        output.Insert(mark, new Assign(temp, earlier, AssignKind.Declare, SourceText(source)));
        return temp;
    }

    /// <summary>
    /// A call's by-value arguments that read storage the call itself may write (<c>F(a, a[0])</c> with <c>a</c>
    /// written, <c>TensorPrimitives.Multiply(a, a[0], a)</c>): the callee's reverse sweep gets its arguments evaluated
    /// again before the write is undone, so each such argument is taken into a temporary before the call, which keeps
    /// the value the call was given.
    /// </summary>
    private Call KeepArgumentsTheCallWrites(Call call, IOperation source, List<Stmt> output)
    {
        Argument[]? kept = null;
        for (int i = 0; i < call.Arguments.Count; i++)
        {
            Argument argument = call.Arguments[i];
            if (argument.Mode == RefMode.None && !argument.Value.Type.IsArray && argument.Value is not Literal && MayWrite(call, argument.Value))
            {
                kept ??= call.Arguments.ToArray();
                kept[i] = argument with { Value = Spill(argument.Value, "argument", source, output) };
            }
        }

        return kept is null ? call : call with { Arguments = kept.ToEquatableArray() };
    }

    private static IEnumerable<Call> CallsSince(int mark, List<Stmt> output) =>
        output.Skip(mark).SelectMany(IrWalk.Flatten).OfType<CallStmt>().Select(statement => statement.Call);

    /// <summary>Whether <paramref name="call"/> may write storage <paramref name="read"/> reads (conservatively).</summary>
    private static bool MayWrite(Call call, Expr read)
    {
        foreach (Expr node in Nodes(read))
        {
            switch (node)
            {
                case Var { Type.IsArray: false } variable:
                    if (call.Arguments.Any(a => a.Mode is RefMode.Ref or RefMode.Out && a.Value is Var passed && passed.Name == variable.Name)
                        || (variable.IsField && !call.IsStatic))
                    {
                        return true;
                    }

                    break;
                case Element element:
                    bool field = RootOf(element) is Var { IsField: true };
                    for (int i = 0; i < call.Arguments.Count; i++)
                    {
                        Argument argument = call.Arguments[i];
                        bool writesArray = argument.Value.Type.IsFloatingArray && (i >= call.Parameters.Count || call.Parameters[i].MayWrite);
                        if (writesArray || (argument.Mode is RefMode.Ref or RefMode.Out && argument.Value is Element))
                        {
                            return true;
                        }
                    }

                    if (field && !call.IsStatic)
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    private static IEnumerable<Expr> Nodes(Expr expr)
    {
        yield return expr;
        foreach (Expr child in IrWalk.Children(expr))
        {
            foreach (Expr node in Nodes(child))
            {
                yield return node;
            }
        }
    }

    private static Expr RootOf(Element element) => element.Array is Element row ? RootOf(row) : element.Array;
}
