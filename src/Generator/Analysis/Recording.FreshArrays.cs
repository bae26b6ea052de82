using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Analysis;

// Element writes into arrays the method allocates and only one variable reaches (a gate array, a scratch row): such a
// write is recorded only where a reverse read of the array's elements comes before it since the allocation, tracked
// by FindPushes as element tokens beside variable names. A read at the counter of a replayed loop stops mattering at
// the loop's back edge, since later iterations write other elements.
internal sealed partial class Recording
{
    /// <summary>
    /// Whether this write to an array element pushes the old element. Into a fresh array only its variable reaches, only
    /// where some reverse read of its elements comes earlier, since the allocation, than the write (see FindPushes): a
    /// gate array written once per element and read after is not recorded, although the reverse sweep reads it.
    /// </summary>
    public bool Records(Stmt write, Element target) =>
        Records(target) && (!(target.Array is Var array && IsOwnedFresh(array)) || elementPushes.Contains(write));

    /// <summary>Arrays allocated in the method (every object the expression may be) that no other variable reaches.</summary>
    private bool IsOwnedFresh(Expr array)
    {
        IReadOnlyCollection<string> objects = activity.Storage.Objects(array);
        return objects.Count > 0 && objects.All(obj => ArrayStorage.IsFresh(obj) && activity.Storage.PointersTo(obj).Count == 1);
    }

    /// <summary>
    /// The element reads of owned fresh arrays the statement's reverse makes before its write is undone, as tokens:
    /// <c>a[k]</c> where every read of a in the statement is at the counter k of a replayed loop around it, else all of a.
    /// A reused result read out of the written element is not among them: it comes after the write.
    /// </summary>
    private IEnumerable<string> ElementReadsBefore(Stmt statement, Expr? target)
    {
        if (!statementContents.TryGetValue(statement, out HashSet<string>? contents))
        {
            yield break;
        }

        foreach (string name in contents)
        {
            if (activity.Storage.VariableNamed(name) is not { } array || !IsOwnedFresh(array))
            {
                continue;
            }

            var occurrences = new List<Expr>();
            Occurrences(statement, name, occurrences);
            if (reloads.TryGetValue(statement, out Element? reloadedFrom))
            {
                Occurrences(reloadedFrom, name, occurrences);
            }

            bool onlyTheResult = reusing.Contains(statement) && target is Element { Array: Var written } && written.Name == name
                && statement is Assign assign && !IrWalk.Reads(assign.Value, name);
            if (!onlyTheResult)
            {
                List<string> tokens = occurrences.Select(o => o is Element element ? ElementToken(name, element.Indices) : ElementTokens.Whole(name)).Distinct().ToList();
                yield return tokens.Count == 1 ? tokens[0] : ElementTokens.Whole(name);
            }
        }
    }

    /// <summary>
    /// The owned fresh arrays a loop body writes only at the counter (<c>a[k] = …</c>), never elsewhere nor through a call:
    /// of those, an iteration writes no element an earlier iteration read at its own counter.
    /// </summary>
    private HashSet<string> WrittenOnlyAt(Block body, Var counter)
    {
        var only = new HashSet<string>();
        var elsewhere = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Flatten(body))
        {
            Expr? target = statement switch
            {
                Assign assign => assign.Target,
                CallStmt call => call.Target,
                _ => null,
            };
            if (target is Element { Array: Var array } element)
            {
                (element.Indices.Count == 1 && element.Indices[0] is Var index && index.Name == counter.Name ? only : elsewhere).Add(array.Name);
            }
            else if (target is Element other)
            {
                IrWalk.AllVars(other.Array, elsewhere);
            }

            if (statement is CallStmt { Call: var callee })
            {
                foreach (Argument argument in callee.Arguments)
                {
                    IrWalk.AllVars(argument.Value, elsewhere);
                }
            }
        }

        only.ExceptWith(elsewhere);
        return only;
    }

    private string ElementToken(string array, EquatableArray<Expr> indices) =>
        indices.Count == 1 && indices[0] is Var counter && replayedCounters.Contains(counter.Name) ? ElementTokens.At(array, counter.Name) : ElementTokens.Whole(array);

    /// <summary>Where the statement names the array: its elements (<c>a[i]</c>), or the bare variable (an argument, a row).</summary>
    private static void Occurrences(Stmt statement, string name, List<Expr> into)
    {
        var exprs = new List<Expr>();
        switch (statement)
        {
            case Assign assign:
                exprs.Add(assign.Target);
                exprs.Add(assign.Value);
                break;
            case CallStmt call:
                if (call.Target is not null)
                {
                    exprs.Add(call.Target);
                }

                if (call.Call.Receiver is not null)
                {
                    exprs.Add(call.Call.Receiver);
                }

                exprs.AddRange(call.Call.Arguments.Select(a => a.Value));
                break;
        }

        foreach (Expr expr in exprs)
        {
            Occurrences(expr, name, into);
        }
    }

    private static void Occurrences(Expr expr, string name, List<Expr> into)
    {
        if (expr is Element { Array: Var array } element && array.Name == name)
        {
            into.Add(element);
            foreach (Expr index in element.Indices)
            {
                Occurrences(index, name, into);
            }

            return;
        }

        if (expr is Var variable)
        {
            if (variable.Name == name)
            {
                into.Add(variable);
            }

            return;
        }

        // Every other expression: look at the variables it reads, and at the elements inside it.
        foreach (Expr child in IrWalk.Children(expr))
        {
            Occurrences(child, name, into);
        }
    }
}

/// <summary>
/// Tokens for reads of an owned fresh array's elements in FindPushes' pending set, beside variable names: all of the
/// array, or its element at the counter of a replayed loop (which the next iteration does not write again).
/// </summary>
internal static class ElementTokens
{
    private const string Prefix = "[]";

    public static string Whole(string array) => Prefix + array;

    public static string At(string array, string counter) => Prefix + array + "@" + counter;

    public static bool IsToken(string token) => token.StartsWith(Prefix, System.StringComparison.Ordinal);

    public static bool IsAt(string token, string counter) => IsToken(token) && token.EndsWith("@" + counter, System.StringComparison.Ordinal);

    /// <summary>The array a token is about, or null for a variable name.</summary>
    public static string? ArrayOf(string token)
    {
        if (!IsToken(token))
        {
            return null;
        }

        int at = token.IndexOf('@');
        return at < 0 ? token.Substring(Prefix.Length) : token.Substring(Prefix.Length, at - Prefix.Length);
    }
}
