using System.Collections.Generic;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// Which array variables may refer to the same storage. Flow-insensitive: every array assignment (<c>v = a</c>,
/// <c>v = c ? a : b</c>, <c>rows[i] = a</c>) joins the classes of both sides, so a write through any member is a
/// write to every member, and the adjoint of a member is the adjoint of whatever array it refers to. A class that may
/// also hold storage SourceDiff cannot see into (a static table, an array read from another object, a call result)
/// is marked untracked.
/// </summary>
internal sealed class ArrayAliases
{
    private readonly Dictionary<string, string> parent = new();
    private readonly Dictionary<string, Var> variables = new();
    private readonly Dictionary<string, string> untracked = new();
    private readonly Dictionary<string, List<Var>> members = new();

    private ArrayAliases()
    {
    }

    public static ArrayAliases Analyze(MethodModel method)
    {
        var aliases = new ArrayAliases();
        foreach (ParameterModel parameter in method.Parameters)
        {
            if (parameter.Type.IsFloatingArray)
            {
                aliases.Add(new Var(parameter.Name, parameter.Mode == RefMode.None ? VarKind.Parameter : VarKind.RefParameter, parameter.Type));
            }
        }

        foreach (LocalModel local in method.Locals)
        {
            if (local.Type.IsFloatingArray)
            {
                aliases.Add(new Var(local.Name, VarKind.Local, local.Type));
            }
        }

        foreach (Stmt statement in IrWalk.Flatten(method.Body))
        {
            switch (statement)
            {
                case Assign { Target.Type.IsFloatingArray: true } assign:
                    aliases.Join(assign.Target, assign.Value, assign.Source);
                    break;
                case CallStmt call:
                    if (call.Target is { Type.IsFloatingArray: true } target)
                    {
                        aliases.MarkUntracked(target, call.Source);
                    }

                    foreach (Argument argument in call.Call.Arguments)
                    {
                        // A callee may point a ref array argument at anything.
                        if (argument.Mode is RefMode.Ref or RefMode.Out && argument.Value.Type.IsFloatingArray)
                        {
                            aliases.MarkUntracked(argument.Value, call.Source);
                        }
                    }

                    break;
            }
        }

        aliases.CollectMembers();
        return aliases;
    }

    /// <summary>The variables that may share storage with <paramref name="name"/> (itself included).</summary>
    public IReadOnlyList<Var> Members(string name) =>
        members.TryGetValue(Find(name), out List<Var>? list) ? list : System.Array.Empty<Var>();

    /// <summary>Every class, as its members in ordinal order of their names.</summary>
    public IEnumerable<IReadOnlyList<Var>> Classes => members.Values;

    /// <summary>The class representative of an array variable.</summary>
    public string ClassOf(string name) => Find(name);

    /// <summary>Whether the variable may share its storage with another variable or with untracked storage.</summary>
    public bool IsShared(string name) => Members(name).Count > 1 || untracked.ContainsKey(Find(name));

    /// <summary>The source statement that brought untracked storage into the class, or null.</summary>
    public string? UntrackedSource(string name) => untracked.TryGetValue(Find(name), out string? source) ? source : null;

    /// <summary>
    /// The array variables an array-valued expression may evaluate to (<c>a</c> for <c>a</c>, <c>rows</c> for
    /// <c>rows[i]</c>, both for <c>c ? a : b</c>); <paramref name="isUntracked"/> when it may also be storage
    /// outside them. A fresh <c>new T[n]</c> or <c>null</c> refers to nothing.
    /// </summary>
    public static void Roots(Expr expr, List<Var> into, ref bool isUntracked)
    {
        switch (expr)
        {
            case Var variable:
                into.Add(variable);
                break;
            case Element element:
                Roots(element.Array, into, ref isUntracked);
                break;
            case Conditional conditional:
                Roots(conditional.WhenTrue, into, ref isUntracked);
                Roots(conditional.WhenFalse, into, ref isUntracked);
                break;
            case NewArray or Literal:
                break;
            default:
                isUntracked = true;
                break;
        }
    }

    public static List<Var> Roots(Expr expr, out bool isUntracked)
    {
        var roots = new List<Var>();
        isUntracked = false;
        Roots(expr, roots, ref isUntracked);
        return roots;
    }

    private void Join(Expr target, Expr value, string source)
    {
        List<Var> targets = Roots(target, out bool targetUntracked);
        List<Var> values = Roots(value, out bool valueUntracked);
        foreach (Var variable in targets)
        {
            Add(variable);
        }

        foreach (Var variable in values)
        {
            Add(variable);
        }

        var all = new List<Var>(targets);
        all.AddRange(values);
        for (int i = 1; i < all.Count; i++)
        {
            Union(all[0].Name, all[i].Name);
        }

        if ((targetUntracked || valueUntracked) && all.Count > 0)
        {
            untracked[Find(all[0].Name)] = source;
        }
    }

    private void MarkUntracked(Expr expr, string source)
    {
        foreach (Var variable in Roots(expr, out _))
        {
            Add(variable);
            untracked[Find(variable.Name)] = source;
        }
    }

    private void Add(Var variable)
    {
        if (!parent.ContainsKey(variable.Name))
        {
            parent[variable.Name] = variable.Name;
            variables[variable.Name] = variable;
        }
    }

    private string Find(string name)
    {
        string root = name;
        while (parent.TryGetValue(root, out string? up) && up != root)
        {
            root = up;
        }

        while (name != root)
        {
            string next = parent[name];
            parent[name] = root;
            name = next;
        }

        return root;
    }

    private void Union(string a, string b)
    {
        string rootA = Find(a);
        string rootB = Find(b);
        if (rootA == rootB)
        {
            return;
        }

        // The ordinal-smaller name represents the class: deterministic whatever the statement order.
        if (string.CompareOrdinal(rootA, rootB) > 0)
        {
            (rootA, rootB) = (rootB, rootA);
        }

        parent[rootB] = rootA;
        if (untracked.TryGetValue(rootB, out string? source))
        {
            untracked.Remove(rootB);
            untracked[rootA] = source;
        }
    }

    private void CollectMembers()
    {
        var names = new List<string>(parent.Keys);
        names.Sort(System.StringComparer.Ordinal);
        foreach (string name in names)
        {
            string root = Find(name);
            if (!members.TryGetValue(root, out List<Var>? list))
            {
                members[root] = list = new List<Var>();
            }

            list.Add(variables[name]);
        }
    }
}
