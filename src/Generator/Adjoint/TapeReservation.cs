using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Adjoint;

/// <summary>
/// Reserves, where a forward sweep starts, the room all its pushes take, and makes them reserved pushes (no capacity
/// check, so no call in the loops: around a call the JIT keeps a loop's floating-point accumulators in memory). It
/// applies when every push can be counted there: pushes sit in counted loops whose bounds <see cref="EntryValues"/> knows
/// at the start, or in branches (the larger side counts) that hold no such loops; and the sweep calls no sweep or kernel,
/// which would record too. Otherwise the sweep is left as it is. The count is exact but for branches, so the reservation
/// never holds much more than the pushes take.
/// </summary>
internal static class TapeReservation
{
    private static readonly string[] Kinds = { "Double", "Float", "Int", "Reference" };

    public static IReadOnlyList<SweepStmt> Apply(IReadOnlyList<SweepStmt> forward, EntryValues entry)
    {
        if (forward.Any(RecordsElsewhere))
        {
            return forward;
        }

        var reservations = new List<SweepStmt>();
        foreach (string kind in Kinds)
        {
            TapeRoom? room = Room(forward, kind, entry);
            if (room is null)
            {
                return forward;
            }

            if (room is not RoomConstant { Count: 0 })
            {
                reservations.Add(new ReserveTape(kind, room));
            }
        }

        if (reservations.Count == 0)
        {
            return forward;
        }

        reservations.AddRange(Reserved(forward));
        return reservations;
    }

    /// <summary>The tape kind a pushed value goes to, and how many of that kind it takes.</summary>
    private static (string Kind, int Count) KindOf(TypeRef type) => type.IsArray ? ("Reference", 1) : type.TapeKind switch
    {
        "Double" => ("Double", 1),
        "Float" => ("Float", 1),
        "Long" => ("Int", 2),
        _ => ("Int", 1),
    };

    /// <summary>How many values of <paramref name="kind"/> the statements push; null when that is not known at the start.</summary>
    private static TapeRoom? Room(IReadOnlyList<SweepStmt> statements, string kind, EntryValues entry)
    {
        TapeRoom total = new RoomConstant(0);
        foreach (SweepStmt statement in statements)
        {
            TapeRoom? room = Room(statement, kind, entry);
            if (room is null)
            {
                return null;
            }

            total = Sum(total, room);
        }

        return total;
    }

    private static TapeRoom? Room(SweepStmt statement, string kind, EntryValues entry)
    {
        switch (statement)
        {
            case Push push:
                (string pushed, int count) = KindOf(push.Value.Type);
                return new RoomConstant(pushed == kind ? count : 0);

            case Branch branch:
                if (HasLoopThatPushes(branch.Then) || HasLoopThatPushes(branch.Else))
                {
                    // A rarely taken side's loop would be counted on every iteration around the branch.
                    return null;
                }

                return Room(branch.Then, kind, entry) is { } then && Room(branch.Else, kind, entry) is { } otherwise ? Max(then, otherwise) : null;

            case ForLoop loop:
            {
                if (!Pushes(loop.Body))
                {
                    return new RoomConstant(0);
                }

                if (loop.Trips is not { } trips || entry.AtEntry(trips.First) is not { } first || entry.AtEntry(trips.Bound) is not { } bound)
                {
                    return null;
                }

                TapeRoom? perIteration = Room(loop.Body, kind, entry);
                return perIteration is null ? null
                    : perIteration is RoomConstant { Count: 0 } ? perIteration
                    : new RoomPerTrip(trips with { First = first, Bound = bound }, perIteration);
            }

            case WhileLoop loop:
                return Pushes(loop.Body) ? null : new RoomConstant(0);

            default:
                return new RoomConstant(0);
        }
    }

    private static TapeRoom Sum(TapeRoom left, TapeRoom right) => (left, right) switch
    {
        (RoomConstant { Count: 0 }, _) => right,
        (_, RoomConstant { Count: 0 }) => left,
        (RoomConstant a, RoomConstant b) => new RoomConstant(a.Count + b.Count),
        (RoomSum { Right: RoomConstant a } sum, RoomConstant b) => new RoomSum(sum.Left, new RoomConstant(a.Count + b.Count)),
        _ => new RoomSum(left, right),
    };

    private static TapeRoom Max(TapeRoom left, TapeRoom right) => (left, right) switch
    {
        (RoomConstant a, RoomConstant b) => new RoomConstant(System.Math.Max(a.Count, b.Count)),
        _ => new RoomMax(left, right),
    };

    /// <summary>Whether a statement records in a way not counted here: a call of a sweep or a kernel, or a checkpointed loop.</summary>
    private static bool RecordsElsewhere(SweepStmt statement) => statement switch
    {
        Store store => CallsSweep(store.Target) || CallsSweep(store.Value),
        Evaluate evaluation => CallsSweep(evaluation.Expression),
        Push push => CallsSweep(push.Value),
        Branch branch => CallsSweep(branch.Condition) || branch.Then.Any(RecordsElsewhere) || branch.Else.Any(RecordsElsewhere),
        ForLoop loop => (loop.Init is { } init && RecordsElsewhere(init)) || CallsSweep(loop.Condition) || RecordsElsewhere(loop.Step) || loop.Body.Any(RecordsElsewhere),
        WhileLoop loop => CallsSweep(loop.Condition) || loop.Body.Any(RecordsElsewhere),
        SourceComment or GiveBack or Rethrow => false,
        _ => true,
    };

    private static bool CallsSweep(Expr expr) => expr switch
    {
        SweepCall { Kind: SweepKind.Forward } => true,
        SweepCall call => call.Arguments.Any(argument => CallsSweep(argument.Value)),
        TapeBuffer buffer => CallsSweep(buffer.Argument),
        ZerosLike zeros => CallsSweep(zeros.Data),
        _ => IrWalk.Children(expr).Any(CallsSweep),
    };

    private static bool Pushes(IReadOnlyList<SweepStmt> statements) => statements.Any(statement => statement switch
    {
        Push => true,
        Branch branch => Pushes(branch.Then) || Pushes(branch.Else),
        ForLoop loop => Pushes(loop.Body),
        WhileLoop loop => Pushes(loop.Body),
        _ => false,
    });

    private static bool HasLoopThatPushes(IReadOnlyList<SweepStmt> statements) => statements.Any(statement => statement switch
    {
        ForLoop loop => Pushes(loop.Body),
        WhileLoop loop => Pushes(loop.Body),
        Branch branch => HasLoopThatPushes(branch.Then) || HasLoopThatPushes(branch.Else),
        _ => false,
    });

    private static List<SweepStmt> Reserved(IReadOnlyList<SweepStmt> statements) => statements.Select(Reserved).ToList();

    private static SweepStmt Reserved(SweepStmt statement) => statement switch
    {
        Push push => push with { Reserved = true },
        Branch branch => branch with { Then = Reserved(branch.Then), Else = Reserved(branch.Else) },
        ForLoop loop => loop with { Body = Reserved(loop.Body) },
        WhileLoop loop => loop with { Body = Reserved(loop.Body) },
        _ => statement,
    };
}
