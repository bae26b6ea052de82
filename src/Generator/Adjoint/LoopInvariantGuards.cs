using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Adjoint;

/// <summary>
/// Hoists a zero guard out of a counted replay whose whole body it guards: <c>for (…) { if (g != 0) { B } }</c> becomes
/// <c>if (g != 0) { for (…) { B } }</c> when B cannot change what the guard reads. The guard still skips exactly the
/// same work (so a dead overflow still cannot turn 0·∞ into NaN); it is only tested once. The replay sets nothing the
/// rest of the sweep reads, so skipping it whole is the same as skipping each of its iterations.
/// </summary>
internal static class LoopInvariantGuards
{
    public static IReadOnlyList<SweepStmt> Hoist(IReadOnlyList<SweepStmt> statements) => statements.Select(Hoist).ToList();

    private static SweepStmt Hoist(SweepStmt statement) => statement switch
    {
        Branch branch => new Branch(branch.Condition, Hoist(branch.Then), Hoist(branch.Else)),
        WhileLoop loop => new WhileLoop(loop.Condition, Hoist(loop.Body), loop.TestFirst),
        Replay replay => new Replay(replay.Counter, Hoist(replay.Body)),
        ReplayCounted replay => HoistFrom(replay with { Body = Hoist(replay.Body) }),
        _ => statement,
    };

    private static SweepStmt HoistFrom(ReplayCounted replay)
    {
        // The body is the guard alone, beside the comments naming the user's statement.
        List<SweepStmt> work = replay.Body.Where(statement => statement is not SourceComment).ToList();
        if (work.Count != 1 || work[0] is not Branch { Else.Count: 0 } guard || !OnlyAccumulates(guard.Then))
        {
            return replay;
        }

        var read = new HashSet<string>();
        if (!Names(guard.Condition, read))
        {
            return replay;
        }

        var written = new HashSet<string> { Name(replay.Counter), Name(replay.Index) };
        foreach (SweepStmt inner in guard.Then)
        {
            Writes(inner, written);
        }

        if (read.Overlaps(written))
        {
            return replay;
        }

        List<SweepStmt> body = replay.Body.Where(statement => statement is SourceComment).Concat(guard.Then).ToList();
        return new Branch(guard.Condition, new SweepStmt[] { replay with { Body = body } }, new List<SweepStmt>());
    }

    /// <summary>Statements that only compute and store: no tape traffic, no calls, no loops of their own.</summary>
    private static bool OnlyAccumulates(IReadOnlyList<SweepStmt> statements) => statements.All(statement => statement switch
    {
        Store store => !ContainsPop(store.Value),
        Branch branch => !ContainsPop(branch.Condition) && OnlyAccumulates(branch.Then) && OnlyAccumulates(branch.Else),
        SourceComment => true,
        _ => false,
    });

    private static bool ContainsPop(Expr expr) => expr is TapePop or SweepCall || IrWalk.Children(expr).Any(ContainsPop);

    /// <summary>The scalar names a guard reads; false when it reads anything else (an element, a call).</summary>
    private static bool Names(Expr expr, HashSet<string> into)
    {
        switch (expr)
        {
            case Literal:
                return true;
            case Var or AdjointVar or Temporary:
                into.Add(Name(expr));
                AddSharedStorage(expr, into);
                return true;
            case Binary binary:
                return Names(binary.Left, into) && Names(binary.Right, into);
            case Unary unary:
                return Names(unary.Operand, into);
            default:
                return false;
        }
    }

    private static void Writes(SweepStmt statement, HashSet<string> into)
    {
        switch (statement)
        {
            case Store store:
                into.Add(Name(store.Target is Element element ? Root(element) : store.Target));
                AddSharedStorage(store.Target, into);
                break;
            case Branch branch:
                foreach (SweepStmt inner in branch.Then.Concat(branch.Else))
                {
                    Writes(inner, into);
                }

                break;
        }
    }

    // Two ref parameters (and so their adjoints) may be one variable of the caller's.
    private static void AddSharedStorage(Expr expr, HashSet<string> into)
    {
        if (expr is Var { Kind: VarKind.RefParameter } or AdjointVar { Primal.Kind: VarKind.RefParameter })
        {
            into.Add("ref");
        }
    }

    private static Expr Root(Element element) => element.Array is Element outer ? Root(outer) : element.Array;

    private static string Name(Expr expr) => expr switch
    {
        AdjointVar adjoint => "d:" + adjoint.Primal.Name,
        Var variable => "v:" + variable.Name,
        Temporary temporary => "t:" + temporary.Name,
        _ => "?",
    };
}
