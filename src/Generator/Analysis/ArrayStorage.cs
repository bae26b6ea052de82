using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// Which storage each array variable may refer to: a flow-insensitive points-to analysis over abstract arrays. An
/// input array (parameter or field <c>w</c>) is the object <c>@w</c>, the rows of a jagged object <c>o</c> are
/// <c>rows:o</c>, each <c>new T[n]</c> is an object of its own, and storage SourceDiff cannot see into (a static
/// table, another object's array, a call result) is <see cref="Untracked"/>. <c>v = c ? a : b</c> lets v point to
/// what a and b point to, without making a and b one array; <c>rows[i] = v</c> adds v's objects to the rows of rows'.
/// A write through a variable is a write to every object it may point to.
/// </summary>
internal sealed class ArrayStorage
{
    public const string Untracked = "untracked";

    private const string RowsPrefix = "rows:";

    private readonly Dictionary<string, HashSet<string>> pointsTo = new();
    private readonly Dictionary<string, HashSet<string>> rows = new();
    private readonly Dictionary<string, Var> variables = new();
    private readonly Dictionary<object, string> sites = new(ReferenceComparer.Instance);
    private readonly Dictionary<string, int> levels = new();
    private readonly Dictionary<string, HashSet<string>> reachable = new();

    private ArrayStorage()
    {
    }

    private readonly Dictionary<string, List<Var>> pointers = new();
    private List<Var> sortedVariables = new();

    /// <summary>Every array variable the method uses, in ordinal order of their names.</summary>
    public IReadOnlyList<Var> Variables => sortedVariables;

    /// <summary>The array variable of this name, if the method uses one.</summary>
    public Var? VariableNamed(string name) => variables.TryGetValue(name, out Var? variable) ? variable : null;

    public static ArrayStorage Analyze(MethodModel method)
    {
        var storage = new ArrayStorage();
        foreach (ParameterModel parameter in method.Parameters)
        {
            if (parameter.Type.IsFloatingArray)
            {
                storage.Variable(new Var(parameter.Name, parameter.Mode == RefMode.None ? VarKind.Parameter : VarKind.RefParameter, parameter.Type));
            }
        }

        var used = new List<Var>();
        IrWalk.Variables(method.Body, used);
        foreach (Var variable in used)
        {
            if (variable.Type.IsFloatingArray)
            {
                storage.Variable(variable);
            }
        }

        List<Stmt> statements = IrWalk.Flatten(method.Body);
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Stmt statement in statements)
            {
                switch (statement)
                {
                    case Assign { Target: Var { Type.IsFloatingArray: true } target } assign:
                        changed |= Add(storage.Variable(target), storage.Objects(assign.Value));
                        break;
                    case Assign { Target: Element { Type.IsFloatingArray: true } row } assign:
                        foreach (string owner in storage.Objects(row.Array))
                        {
                            changed |= Add(storage.RowsOf(owner), storage.Objects(assign.Value));
                        }

                        break;
                    case CallStmt call:
                        if (call.Target is Var { Type.IsFloatingArray: true } result)
                        {
                            changed |= Add(storage.Variable(result), new[] { Untracked });
                        }

                        foreach (Argument argument in call.Call.Arguments)
                        {
                            // A callee may point a ref array argument at anything.
                            if (argument.Mode is RefMode.Ref or RefMode.Out && argument.Value is Var { Type.IsFloatingArray: true } reference)
                            {
                                changed |= Add(storage.Variable(reference), new[] { Untracked });
                            }
                        }

                        break;
                }
            }
        }

        // The analysis is done: who reaches what is asked per write by the later stages, so it is computed once.
        storage.sortedVariables = storage.variables.Values.OrderBy(v => v.Name, System.StringComparer.Ordinal).ToList();
        foreach (Var variable in storage.sortedVariables)
        {
            foreach (string obj in storage.Reachable(variable))
            {
                if (!storage.pointers.TryGetValue(obj, out List<Var>? reaching))
                {
                    storage.pointers[obj] = reaching = new List<Var>();
                }

                reaching.Add(variable);
            }
        }

        return storage;
    }

    /// <summary>The variables that may reach an object: more than one means a write through one is seen through another.</summary>
    public IReadOnlyList<Var> PointersTo(string obj) =>
        pointers.TryGetValue(obj, out List<Var>? reaching) ? reaching : (IReadOnlyList<Var>)System.Array.Empty<Var>();

    /// <summary>The objects an array-valued expression may evaluate to.</summary>
    public IReadOnlyCollection<string> Objects(Expr expr)
    {
        var into = new HashSet<string>();
        Objects(expr, into);
        return into;
    }

    /// <summary>The objects a variable may point to, and their rows, transitively.</summary>
    public HashSet<string> Reachable(Var variable)
    {
        if (!reachable.TryGetValue(variable.Name, out HashSet<string>? objects))
        {
            reachable[variable.Name] = objects = Closure(Variable(variable));
        }

        return objects;
    }

    /// <summary>Every object reachable from these objects through rows.</summary>
    public HashSet<string> Closure(IEnumerable<string> objects)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>(objects);
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            if (seen.Add(current) && current != Untracked)
            {
                foreach (string row in RowsOf(current))
                {
                    pending.Push(row);
                }
            }
        }

        return seen;
    }

    /// <summary>The input variable (parameter or field) an object belongs to, or null for fresh and untracked arrays.</summary>
    public Var? InputOf(string obj)
    {
        string name = obj;
        while (name.StartsWith(RowsPrefix, System.StringComparison.Ordinal))
        {
            name = name.Substring(RowsPrefix.Length);
        }

        return name.StartsWith("@", System.StringComparison.Ordinal) && variables.TryGetValue(name.Substring(1), out Var? input) ? input : null;
    }

    /// <summary>Whether an object is an array created in the method (so nobody outside can see it).</summary>
    public static bool IsFresh(string obj) => obj.StartsWith("new:", System.StringComparison.Ordinal);

    private void Objects(Expr expr, HashSet<string> into)
    {
        switch (expr)
        {
            case Var variable:
                into.UnionWith(Variable(variable));
                break;
            case Element element:
                foreach (string owner in Objects(element.Array))
                {
                    into.UnionWith(RowsOf(owner));
                }

                break;
            case Conditional conditional:
                Objects(conditional.WhenTrue, into);
                Objects(conditional.WhenFalse, into);
                break;
            case View view:
                Objects(view.Storage, into);
                break;
            case NewArray fresh:
                if (!sites.TryGetValue(fresh, out string? site))
                {
                    sites[fresh] = site = "new:" + sites.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    levels[site] = fresh.Type.Ranks.Count;
                }

                into.Add(site);
                break;
            case Literal:
                break;
            default:
                into.Add(Untracked);
                break;
        }
    }

    private HashSet<string> Variable(Var variable)
    {
        if (!pointsTo.TryGetValue(variable.Name, out HashSet<string>? objects))
        {
            pointsTo[variable.Name] = objects = new HashSet<string>();
            variables[variable.Name] = variable;
            if (variable.Kind != VarKind.Local)
            {
                objects.Add("@" + variable.Name);
                levels["@" + variable.Name] = variable.Type.Ranks.Count;
            }
        }

        return objects;
    }

    private HashSet<string> RowsOf(string obj)
    {
        if (!rows.TryGetValue(obj, out HashSet<string>? objects))
        {
            rows[obj] = objects = new HashSet<string>();
            if (obj == Untracked)
            {
                objects.Add(Untracked);
            }
            else if (!IsFresh(obj) && levels.TryGetValue(obj, out int level) && level > 1)
            {
                // The rows an input array arrives with.
                objects.Add(RowsPrefix + obj);
                levels[RowsPrefix + obj] = level - 1;
            }
        }

        return objects;
    }

    private static bool Add(HashSet<string> into, IReadOnlyCollection<string> objects)
    {
        int before = into.Count;
        into.UnionWith(objects);
        return into.Count != before;
    }
}
