using System.Collections.Generic;

namespace SourceDiff.Generator.IR;

/// <summary>Queries over IR expressions shared by the analyses and the emitters.</summary>
internal static class IrWalk
{
    /// <summary>Every variable an expression reads (including indices, conditions and opaque parts).</summary>
    public static void AllVars(Expr expr, ISet<string> into)
    {
        var variables = new List<Var>();
        Variables(expr, variables);
        foreach (Var variable in variables)
        {
            into.Add(variable.Name);
        }
    }

    public static HashSet<string> AllVars(Expr expr)
    {
        var set = new HashSet<string>();
        AllVars(expr, set);
        return set;
    }

    /// <summary>Every variable a statement reads or writes, conditions included, in code order.</summary>
    public static void Variables(Stmt statement, List<Var> into)
    {
        switch (statement)
        {
            case Block block:
                foreach (Stmt inner in block.Statements)
                {
                    Variables(inner, into);
                }

                break;
            case If conditional:
                Variables(conditional.Condition, into);
                Variables(conditional.Then, into);
                Variables(conditional.Else, into);
                break;
            case Loop loop:
                Variables(loop.Condition, into);
                Variables(loop.Body, into);
                Variables(loop.Step, into);
                break;
            case Assign assign:
                Variables(assign.Target, into);
                Variables(assign.Value, into);
                break;
            case CallStmt call:
                if (call.Target is not null)
                {
                    Variables(call.Target, into);
                }

                if (call.Call.Receiver is not null)
                {
                    Variables(call.Call.Receiver, into);
                }

                foreach (Argument argument in call.Call.Arguments)
                {
                    Variables(argument.Value, into);
                }

                break;
            case NonDifferentiableCall effect:
                Variables(effect.Expression, into);
                break;
        }
    }

    /// <summary>Every variable an expression reads, in order (indices, conditions and opaque parts included).</summary>
    public static void Variables(Expr expr, List<Var> into)
    {
        if (expr is Var v)
        {
            into.Add(v);
            return;
        }

        foreach (Expr child in Children(expr))
        {
            Variables(child, into);
        }
    }

    /// <summary>The expressions an expression is made of, in code order (an element's array before its indices).</summary>
    public static IEnumerable<Expr> Children(Expr expr)
    {
        switch (expr)
        {
            case Element e:
                yield return e.Array;
                foreach (Expr index in e.Indices)
                {
                    yield return index;
                }

                break;
            case Unary u:
                yield return u.Operand;
                break;
            case Binary b:
                yield return b.Left;
                yield return b.Right;
                break;
            case Conditional c:
                yield return c.Condition;
                yield return c.WhenTrue;
                yield return c.WhenFalse;
                break;
            case MathCall m:
                foreach (Expr argument in m.Arguments)
                {
                    yield return argument;
                }

                break;
            case Cast c:
                yield return c.Operand;
                break;
            case StopGradient s:
                yield return s.Operand;
                break;
            case NewArray n:
                foreach (Expr length in n.Lengths)
                {
                    yield return length;
                }

                break;
            case Opaque o:
                foreach (Expr part in o.Parts)
                {
                    yield return part;
                }

                break;
            case TapeBuffer t:
                yield return t.Argument;
                break;
            case ZerosLike z:
                yield return z.Data;
                break;
            case View v:
                yield return v.Storage;
                yield return v.Start;
                yield return v.Count;
                break;
        }
    }

    /// <summary>
    /// The variables through which a derivative can flow out of an expression: its floating leaves, not counting
    /// indices, conditions, stopped values, integer casts or opaque (derivative-free) parts.
    /// </summary>
    public static void DerivativeLeaves(Expr expr, ICollection<Var> into)
    {
        if (!expr.Type.IsDifferentiable)
        {
            return;
        }

        switch (expr)
        {
            case Var v:
                into.Add(v);
                break;
            case Element e:
                DerivativeLeaves(e.Array, into);
                break;
            case Unary u:
                DerivativeLeaves(u.Operand, into);
                break;
            case Binary b:
                DerivativeLeaves(b.Left, into);
                DerivativeLeaves(b.Right, into);
                break;
            case Conditional c:
                DerivativeLeaves(c.WhenTrue, into);
                DerivativeLeaves(c.WhenFalse, into);
                break;
            case MathCall m:
                foreach (Expr argument in m.Arguments)
                {
                    DerivativeLeaves(argument, into);
                }

                break;
            case Cast c:
                DerivativeLeaves(c.Operand, into);
                break;
            case View v:
                DerivativeLeaves(v.Storage, into);
                break;
        }
    }

    /// <summary>The variable an element chain is rooted in (<c>a</c> for <c>a[i][j]</c>), or null (opaque arrays).</summary>
    public static Var? Root(Expr expr) => expr switch
    {
        Var v => v,
        Element e => Root(e.Array),
        View v => Root(v.Storage),
        _ => null,
    };

    /// <summary>Whether the expression reads variable <paramref name="name"/> anywhere.</summary>
    public static bool Reads(Expr expr, string name) => AllVars(expr).Contains(name);

    /// <summary>The simple statements (assignments, calls, throws, effects) of a body, in code order.</summary>
    public static void Flatten(Stmt statement, List<Stmt> into)
    {
        switch (statement)
        {
            case Block block:
                foreach (Stmt inner in block.Statements)
                {
                    Flatten(inner, into);
                }

                break;
            case If conditional:
                Flatten(conditional.Then, into);
                Flatten(conditional.Else, into);
                break;
            case Loop loop:
                Flatten(loop.Body, into);
                Flatten(loop.Step, into);
                break;
            default:
                into.Add(statement);
                break;
        }
    }

    public static List<Stmt> Flatten(Stmt statement)
    {
        var statements = new List<Stmt>();
        Flatten(statement, statements);
        return statements;
    }
}
