using System.Collections.Generic;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Emission;

/// <summary>Prints the statements of a sweep (adjoint IR) as C#.</summary>
internal static class SweepPrinter
{
    public static void Print(IReadOnlyList<SweepStmt> statements, SourceWriter w)
    {
        foreach (SweepStmt statement in statements)
        {
            Print(statement, w);
        }
    }

    private static void Print(SweepStmt statement, SourceWriter w)
    {
        switch (statement)
        {
            case SourceComment comment:
                w.Line("// " + comment.Text);
                break;

            case Store { Kind: AssignKind.Declare } declaration:
                w.Line(declaration.Target.Type.Display + " " + Render.Expr(declaration.Target) + " = " + Render.Expr(declaration.Value) + ";");
                break;

            case Store store:
                w.Line(Render.Expr(store.Target) + Render.AssignOperator(store.Kind) + Render.Expr(store.Value) + ";");
                break;

            case Evaluate evaluation:
                w.Line(Render.Expr(evaluation.Expression) + ";");
                break;

            case Push push:
                w.Line(Render.Push(push.Value, push.Reserved) + ";");
                break;

            case ReserveTape reserve:
                w.Line(GeneratedNames.Tape + ".Reserve" + reserve.Kind + "s(" + Room(reserve.Count) + ");");
                break;

            case GiveBack giveBack:
                w.Line(GeneratedNames.Tape + ".GiveBack(" + Render.Expr(giveBack.Buffer) + ");");
                break;

            case Branch branch:
                PrintBranch("if", branch, w);
                break;

            case WhileLoop { TestFirst: true } loop:
                w.Open("while (" + Render.Expr(loop.Condition) + ")");
                Print(loop.Body, w);
                w.Close();
                break;

            case ForLoop loop:
                w.Open("for (" + (loop.Init is { } init ? Clause(init) : string.Empty) + "; " + Render.Expr(loop.Condition) + "; " + Clause(loop.Step) + ")");
                Print(loop.Body, w);
                w.Close();
                break;

            case WhileLoop loop:
                w.Open("do");
                Print(loop.Body, w);
                w.Close(" while (" + Render.Expr(loop.Condition) + ");");
                break;

            case Replay replay:
                string counter = Render.Expr(replay.Counter);
                w.Open("for (int " + counter + " = " + Render.Pop(TypeRef.Int) + "; " + counter + " > 0; " + counter + "--)");
                Print(replay.Body, w);
                w.Close();
                break;

            case ReplayCounted replay:
                PrintReplay(replay, w);
                break;

            case AddScaled update:
                w.Line("global::SourceDiff.CompilerServices.Kernels.AddScaled(" + Render.Expr(update.Alpha) + ", "
                    + Slice(update.Source, update.Count, readOnly: true) + ", " + Slice(update.Target, update.Count, readOnly: false) + ");");
                break;

            case CheckpointedForward forward:
                CheckpointPrinter.PrintForward(forward, w);
                break;

            case CheckpointedReverse reverse:
                CheckpointPrinter.PrintReverse(reverse, w);
                break;

            case Rethrow rethrow:
                w.Line(rethrow.Statement.Text);
                break;
        }
    }

    /// <summary>
    /// A counted loop backwards. Counting up by one from a literal, the counter itself runs down (the shape the JIT
    /// removes bounds checks from); otherwise an index runs down over the trip count, computed in long arithmetic,
    /// and the counter is derived from it, so no value outside the primal's range is ever formed.
    /// </summary>
    private static void PrintReplay(ReplayCounted replay, SourceWriter w)
    {
        string counter = Render.Expr(replay.Counter);
        string bound = Render.Atom(replay.Bound);
        if (replay.Step == 1 && replay.First is Literal literal
            && int.TryParse(literal.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int first)
            && first > int.MinValue)
        {
            // A length is never below 0, so from a first value of at most 0 the bound alone says where to start.
            bool lengthFromBelow = !replay.Inclusive && first <= 0 && replay.Bound is Opaque { Member: "Length" or "GetLength" };
            string start = lengthFromBelow ? bound + " - 1"
                : replay.Inclusive ? Max(bound, (first - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
                : Max(bound, literal.Text) + " - 1";
            w.Open("for (" + counter + " = " + start + "; " + counter + " >= " + literal.Text + "; " + counter + "--)");
            SweepPrinter.Print(replay.Body, w);
            w.Close();
            return;
        }

        int magnitude = System.Math.Abs(replay.Step);
        string from = Render.Atom(replay.First);
        string trips = TripCount(replay.First, replay.Bound, replay.Step, replay.Inclusive);
        string index = Render.Expr(replay.Index);
        w.Open("for (int " + index + " = " + trips + " - 1; " + index + " >= 0; " + index + "--)");
        w.Line(counter + " = " + from + (replay.Step > 0 ? " + " : " - ") + index + (magnitude == 1 ? string.Empty : " * " + magnitude) + ";");
        SweepPrinter.Print(replay.Body, w);
        w.Close();
    }

    /// <summary>
    /// The trip count of a counted loop, computed in long arithmetic, so no value outside the primal's range is formed.
    /// </summary>
    public static string TripCount(Expr first, Expr bound, int step, bool inclusive)
    {
        int magnitude = System.Math.Abs(step);
        string from = Render.Atom(first);
        string to = Render.Atom(bound);
        string span = step > 0 ? "(long)" + to + " - " + from : "(long)" + from + " - " + to;
        int round = inclusive ? magnitude : magnitude - 1;
        return "(int)global::System.Math.Max(0L, (" + span + " + " + round + ") / " + magnitude + ")";
    }

    /// <summary>
    /// A count of pushes, in long arithmetic. Array shapes in it read as 0 for a null array: the count is taken where the
    /// sweep starts, and the primal may never reach the loop that would dereference it.
    /// </summary>
    private static string Room(TapeRoom room) => room switch
    {
        RoomConstant constant => constant.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        RoomPerTrip { PerIteration: RoomConstant { Count: 1 } } perTrip => Trips(perTrip.Loop),
        RoomPerTrip perTrip => Trips(perTrip.Loop) + " * " + (perTrip.PerIteration is RoomSum ? "(" + Room(perTrip.PerIteration) + ")" : Room(perTrip.PerIteration)),
        RoomSum sum => Room(sum.Left) + " + " + Room(sum.Right),
        RoomMax max => Max(Room(max.Left), Room(max.Right)),
        _ => throw new System.InvalidOperationException("Unknown tape room " + room.GetType().Name),
    };

    private static string Trips(LoopTrips loop)
    {
        if (System.Math.Abs(loop.Step) != 1)
        {
            return "(long)" + TripCount(NullSafeShapes(loop.First), NullSafeShapes(loop.Bound), loop.Step, loop.Inclusive);
        }

        // By one: (bound - first) up, (first - bound) down, one more where the bound is included; a length from 0 up
        // needs no clamp at 0.
        (Expr from, Expr to) = loop.Step > 0 ? (loop.First, loop.Bound) : (loop.Bound, loop.First);
        if (IntLiteral(from) is long low && IntLiteral(to) is long high)
        {
            return System.Math.Max(0L, high - low + (loop.Inclusive ? 1 : 0)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        string span = "(long)" + Render.Atom(NullSafeShapes(to));
        if (from is not Literal { Text: "0" })
        {
            span += " - " + Render.Atom(NullSafeShapes(from));
        }

        if (loop.Inclusive)
        {
            span += " + 1";
        }

        return loop.Step > 0 && !loop.Inclusive && from is Literal { Text: "0" } && to is Opaque ? span : Max("0L", span);
    }

    private static long? IntLiteral(Expr expr) =>
        expr is Literal literal && long.TryParse(literal.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long value) ? value : null;

    private static Expr NullSafeShapes(Expr expr) => expr switch
    {
        Opaque { Receiver: Var array } shape when array.Type.IsArray && !array.Type.IsSpan => new Literal("(" + Render.Expr(array) + " is null ? 0 : " + Render.Expr(shape) + ")", shape.Type),
        Binary binary => binary with { Left = NullSafeShapes(binary.Left), Right = NullSafeShapes(binary.Right) },
        Unary unary => unary with { Operand = NullSafeShapes(unary.Operand) },
        _ => expr,
    };

    /// <summary>An assignment as a clause of a for header (no semicolon).</summary>
    private static string Clause(Store store) => Render.Expr(store.Target) + Render.AssignOperator(store.Kind) + Render.Expr(store.Value);

    /// <summary><c>count</c> elements of an array or span from <c>start</c>, as a span.</summary>
    private static string Slice(VectorSlice slice, Expr count, bool readOnly)
    {
        string range = Render.Expr(slice.Start) + ", " + Render.Expr(count);
        if (slice.Row is not null)
        {
            // A row of a matrix: checked against both dimensions, as the loop's indexing was.
            return "global::SourceDiff.CompilerServices.Kernels.Row(" + Render.Expr(slice.Array) + ", " + Render.Expr(slice.Row) + ", " + range + ")";
        }

        return slice.Array.Type.IsSpan
            ? Render.Atom(slice.Array) + ".Slice(" + range + ")"
            : "new global::System." + (readOnly ? "ReadOnlySpan<" : "Span<") + slice.Array.Type.Element + ">(" + Render.Expr(slice.Array) + ", " + range + ")";
    }

    private static string Max(string left, string right) => "global::System.Math.Max(" + left + ", " + right + ")";

    // An else holding nothing but another branch reads as "else if".
    private static void PrintBranch(string keyword, Branch branch, SourceWriter w)
    {
        w.Open(keyword + " (" + Render.Expr(branch.Condition) + ")");
        Print(branch.Then, w);
        w.Close();
        if (branch.Else.Count == 1 && branch.Else[0] is Branch nested)
        {
            PrintBranch("else if", nested, w);
        }
        else if (branch.Else.Count > 0)
        {
            w.Open("else");
            Print(branch.Else, w);
            w.Close();
        }
    }
}
