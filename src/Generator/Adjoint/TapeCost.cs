using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Adjoint;

/// <summary>
/// What one iteration of a loop of the forward sweep records on the tape: the values it pushes itself (the larger
/// branch where they differ), the differentiable callees whose forward sweeps record their own, and whether inner
/// loops record more per iteration of theirs.
/// </summary>
internal sealed record LoopTapeCost(Site Site, int Bytes, IReadOnlyDictionary<string, int> Values, bool UpperBound, IReadOnlyList<string> Callees, bool InnerLoopsRecord)
{
    /// <summary>
    /// Whether the note is worth showing: the iteration records values itself. A loop that only calls methods which
    /// record (or holds inner loops which do) is described where those records are made.
    /// </summary>
    public bool RecordsItself => Bytes > 0;
}

/// <summary>Reads the tape cost of every loop off the forward sweep that is emitted, so it is what runs.</summary>
internal static class TapeCost
{
    public static List<LoopTapeCost> OfLoops(IReadOnlyList<SweepStmt> forward)
    {
        var costs = new List<LoopTapeCost>();
        Collect(forward, costs);
        return costs;
    }

    private static void Collect(IReadOnlyList<SweepStmt> statements, List<LoopTapeCost> costs)
    {
        foreach (SweepStmt statement in statements)
        {
            switch (statement)
            {
                case ForLoop or WhileLoop:
                    IReadOnlyList<SweepStmt> body = statement is ForLoop forLoop ? forLoop.Body : ((WhileLoop)statement).Body;
                    if (statement.Site is { } site)
                    {
                        Iteration iteration = Of(body);
                        costs.Add(new LoopTapeCost(site, iteration.Bytes, iteration.Values, iteration.UpperBound, iteration.Callees.OrderBy(c => c, System.StringComparer.Ordinal).ToList(), iteration.InnerLoopsRecord));
                    }

                    Collect(body, costs);
                    break;
                case Branch branch:
                    Collect(branch.Then, costs);
                    Collect(branch.Else, costs);
                    break;
            }
        }
    }

    private sealed class Iteration
    {
        public int Bytes;
        public Dictionary<string, int> Values = new();
        public bool UpperBound;
        public HashSet<string> Callees = new();
        public bool InnerLoopsRecord;
    }

    /// <summary>The records of one pass through <paramref name="statements"/>, inner loops excluded (they report their own).</summary>
    private static Iteration Of(IReadOnlyList<SweepStmt> statements)
    {
        var iteration = new Iteration();
        foreach (SweepStmt statement in statements)
        {
            switch (statement)
            {
                case Push push:
                    (string kind, int bytes) = KindOf(push.Value.Type);
                    iteration.Bytes += bytes;
                    iteration.Values[kind] = iteration.Values.TryGetValue(kind, out int n) ? n + 1 : 1;
                    break;
                case Branch branch:
                    Iteration then = Of(branch.Then), otherwise = Of(branch.Else);
                    Iteration larger = then.Bytes >= otherwise.Bytes ? then : otherwise;
                    iteration.Bytes += larger.Bytes;
                    foreach (KeyValuePair<string, int> value in larger.Values)
                    {
                        iteration.Values[value.Key] = (iteration.Values.TryGetValue(value.Key, out int m) ? m : 0) + value.Value;
                    }

                    iteration.UpperBound |= then.Bytes != otherwise.Bytes || then.UpperBound || otherwise.UpperBound;
                    iteration.Callees.UnionWith(then.Callees);
                    iteration.Callees.UnionWith(otherwise.Callees);
                    iteration.InnerLoopsRecord |= then.InnerLoopsRecord || otherwise.InnerLoopsRecord;
                    break;
                case ForLoop or WhileLoop:
                    Iteration inner = Of(statement is ForLoop forLoop ? forLoop.Body : ((WhileLoop)statement).Body);
                    iteration.InnerLoopsRecord |= inner.Bytes > 0 || inner.Callees.Count > 0 || inner.InnerLoopsRecord;
                    iteration.Callees.UnionWith(inner.Callees);
                    break;
                case Store store:
                    CollectCallees(store.Value, iteration.Callees);
                    break;
                case Evaluate evaluation:
                    CollectCallees(evaluation.Expression, iteration.Callees);
                    break;
            }
        }

        return iteration;
    }

    private static void CollectCallees(Expr expr, HashSet<string> callees)
    {
        if (expr is SweepCall { Kind: SweepKind.Forward } call)
        {
            callees.Add(call.Callee.Name);
        }

        foreach (Expr child in expr is SweepCall sweepCall ? sweepCall.Arguments.Select(a => a.Value) : IrWalk.Children(expr))
        {
            CollectCallees(child, callees);
        }
    }

    /// <summary>How a pushed value is stored: the tape's stack for its kind and the bytes it takes there.</summary>
    private static (string Kind, int Bytes) KindOf(TypeRef type) => type.TapeKind switch
    {
        "Double" => ("double", 8),
        "Float" => ("float", 4),
        "Int" => ("int", 4),
        "Bool" => ("branch or flag", 4),
        "Long" => ("long", 8),
        _ => ("array reference", 8),
    };

    /// <summary>"16 bytes (2 doubles)", "up to 20 bytes (2 doubles, 1 branch or flag)", "what Step records per call".</summary>
    public static string Describe(LoopTapeCost cost)
    {
        string values = string.Join(", ", cost.Values.OrderByDescending(v => v.Value).ThenBy(v => v.Key, System.StringComparer.Ordinal)
            .Select(v => v.Value + " " + (v.Value == 1 ? v.Key : Plural(v.Key))));
        string own = (cost.UpperBound ? "up to " : string.Empty) + cost.Bytes + (cost.Bytes == 1 ? " byte" : " bytes") + (values.Length > 0 ? " (" + values + ")" : string.Empty);
        var more = new List<string>();
        if (cost.Callees.Count > 0)
        {
            more.Add("what " + string.Join(", ", cost.Callees) + " record" + (cost.Callees.Count == 1 ? "s" : string.Empty) + " per call");
        }

        if (cost.InnerLoopsRecord)
        {
            more.Add("what its inner loops record");
        }

        if (cost.Bytes == 0)
        {
            return string.Join(" and ", more);
        }

        return own + (more.Count > 0 ? ", plus " + string.Join(" and ", more) : string.Empty);
    }

    private static string Plural(string kind) => kind switch
    {
        "branch or flag" => "branches or flags",
        "array reference" => "array references",
        _ => kind + "s",
    };
}
