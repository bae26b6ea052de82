using System.Globalization;
using SourceDiff.Rules;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Emission;

/// <summary>
/// Prints checkpointed loops (<see cref="CheckpointedForward"/>, <see cref="CheckpointedReverse"/>): the sweeps follow a
/// <c>CheckpointSchedule</c> action by action, and the carried state goes in and out of its snapshot slots.
/// </summary>
internal static class CheckpointPrinter
{
    private const string Schedule = "global::SourceDiff.CompilerServices.CheckpointSchedule";
    private const string Action = "global::SourceDiff.CompilerServices.CheckpointAction";

    public static void PrintForward(CheckpointedForward loop, SourceWriter w)
    {
        CheckpointFrame frame = loop.Frame;
        string name = frame.Name;
        w.Line("// " + frame.Source + ", checkpointed: the primal loop keeps snapshots instead of recording, and records only its last iteration.");
        string trips = frame is { Step: 1, Inclusive: false, First: Literal { Text: "0" } }
            ? "global::System.Math.Max(0, " + Render.Expr(frame.Bound) + ")"
            : SweepPrinter.TripCount(frame.First, frame.Bound, frame.Step, frame.Inclusive);
        w.Line("var " + name + " = new " + Schedule + "(" + trips + ", "
            + frame.Snapshots.ToString(CultureInfo.InvariantCulture) + ");");
        w.Line("int " + First(frame) + " = " + Render.Expr(frame.First) + ";");
        foreach (Var scalar in frame.Scalars)
        {
            w.Line("var " + Slots(frame, scalar) + " = " + name + ".ScalarSlots<" + scalar.Type.Display + ">();");
        }

        foreach (Var array in frame.Arrays)
        {
            w.Line("var " + Slots(frame, array) + " = " + name + ".ArraySlots<" + array.Type.Display + ">();");
        }

        foreach (FieldModel field in frame.Fields)
        {
            w.Line("var " + FieldSlots(frame, field) + " = " + name + ".ScalarSlots<" + GradientTypeEmitter.SnapshotType(field) + ">();");
        }

        string action = name + "_action";
        w.Open("for (var " + action + " = " + name + ".Next(); " + action + " != " + Action + ".Turn && " + action + " != " + Action + ".Done; " + action + " = " + name + ".Next())");
        Dispatch(frame, loop.Advance, action, w);
        w.Close();
        w.Open("if (" + name + ".Step >= 0)");
        SetCounter(frame, name + ".Step", w);
        SweepPrinter.Print(loop.Record, w);
        w.Close();
        SetCounter(frame, name + ".Steps", w);
        w.Line(GeneratedNames.Tape + ".PushReference(" + name + ");");
        w.Line(GeneratedNames.Tape + ".PushInt(" + First(frame) + ");");
        foreach (Var scalar in frame.Scalars)
        {
            w.Line(GeneratedNames.Tape + ".PushReference(" + Slots(frame, scalar) + ");");
        }

        foreach (Var array in frame.Arrays)
        {
            w.Line(GeneratedNames.Tape + ".PushReference(" + Slots(frame, array) + ");");
        }

        foreach (FieldModel field in frame.Fields)
        {
            w.Line(GeneratedNames.Tape + ".PushReference(" + FieldSlots(frame, field) + ");");
        }

        foreach (Var array in frame.References)
        {
            w.Line(Render.Push(array) + ";");
        }
    }

    public static void PrintReverse(CheckpointedReverse loop, SourceWriter w)
    {
        CheckpointFrame frame = loop.Frame;
        string name = frame.Name;
        w.Line("// " + frame.Source + ", checkpointed: each iteration is recomputed from the nearest snapshot, recorded and reversed at once.");
        for (int i = frame.References.Count - 1; i >= 0; i--)
        {
            w.Line(Render.Expr(frame.References[i]) + " = " + Render.Pop(frame.References[i].Type) + ";");
        }

        for (int i = frame.Fields.Count - 1; i >= 0; i--)
        {
            w.Line("var " + FieldSlots(frame, frame.Fields[i]) + " = " + GeneratedNames.Tape + ".PopReference<" + GradientTypeEmitter.SnapshotType(frame.Fields[i]) + "[]>()!;");
        }

        for (int i = frame.Arrays.Count - 1; i >= 0; i--)
        {
            w.Line("var " + Slots(frame, frame.Arrays[i]) + " = " + GeneratedNames.Tape + ".PopReference<" + frame.Arrays[i].Type.Display + "?[]>()!;");
        }

        for (int i = frame.Scalars.Count - 1; i >= 0; i--)
        {
            w.Line("var " + Slots(frame, frame.Scalars[i]) + " = " + GeneratedNames.Tape + ".PopReference<" + frame.Scalars[i].Type.Display + "[]>()!;");
        }

        w.Line("int " + First(frame) + " = " + GeneratedNames.Tape + ".PopInt();");
        w.Line("var " + name + " = " + GeneratedNames.Tape + ".PopReference<" + Schedule + ">()!;");

        // The forward sweep recorded the last iteration: its reverse comes first.
        string recorded = name + "_recorded";
        string action = name + "_action";
        w.Open("for (bool " + recorded + " = " + name + ".Step >= 0; ; " + recorded + " = false)");
        w.Open("if (!" + recorded + ")");
        w.Line("var " + action + " = " + name + ".Next();");
        w.Open("if (" + action + " == " + Action + ".Done)");
        w.Line("break;");
        w.Close();
        w.Open("if (" + action + " != " + Action + ".Turn)");
        Dispatch(frame, loop.Advance, action, w);
        w.Line("continue;");
        w.Close();
        SetCounter(frame, name + ".Step", w);
        w.Open();
        SweepPrinter.Print(loop.Record, w);
        w.Close();
        w.Close();
        SetCounter(frame, name + ".Step", w);
        w.Open();
        SweepPrinter.Print(loop.Reverse, w);
        w.Close();
        w.Close();
    }

    /// <summary>Advance, store or restore, as the action says.</summary>
    private static void Dispatch(CheckpointFrame frame, System.Collections.Generic.IReadOnlyList<SweepStmt> advance, string action, SourceWriter w)
    {
        string name = frame.Name;
        string slot = name + ".Slot";
        string index = name + "_i";
        string end = name + "_to";
        w.Open("if (" + action + " == " + Action + ".Advance)");
        w.Open("for (int " + index + " = " + name + ".From, " + end + " = " + name + ".To; " + index + " < " + end + "; " + index + "++)");
        SetCounter(frame, index, w);
        SweepPrinter.Print(advance, w);
        w.Close();
        w.Close();
        w.Open("else if (" + action + " == " + Action + ".Store)");
        foreach (Var scalar in frame.Scalars)
        {
            w.Line(Slots(frame, scalar) + "[" + slot + "] = " + Render.Expr(scalar) + ";");
        }

        foreach (Var array in frame.Arrays)
        {
            w.Line(Schedule + ".Save(ref " + Slots(frame, array) + "[" + slot + "], " + Render.Expr(array) + ");");
        }

        foreach (FieldModel field in frame.Fields)
        {
            // An array field is copied into the slot's storage, reused from store to store, as an array local is.
            w.Line(IsArrayStorage(field)
                ? Schedule + ".Save(ref " + FieldSlots(frame, field) + "[" + slot + "], this." + field.Name + ");"
                : FieldSlots(frame, field) + "[" + slot + "] = " + GradientTypeEmitter.Capture(field, GradientTypeEmitter.WritableSnapshot) + ";");
        }

        w.Close();
        w.Open("else");
        foreach (Var scalar in frame.Scalars)
        {
            w.Line(Render.Expr(scalar) + " = " + Slots(frame, scalar) + "[" + slot + "];");
        }

        foreach (Var array in frame.Arrays)
        {
            w.Line(Schedule + ".Load(" + Slots(frame, array) + "[" + slot + "], " + Render.Expr(array) + ");");
        }

        foreach (FieldModel field in frame.Fields)
        {
            if (IsArrayStorage(field))
            {
                w.Line(Schedule + ".Load(" + FieldSlots(frame, field) + "[" + slot + "], this." + field.Name + ");");
            }
            else if (GradientTypeEmitter.Restore(field, FieldSlots(frame, field) + "[" + slot + "]", GradientTypeEmitter.WritableSnapshot) is { } restore)
            {
                w.Line(restore);
            }
        }

        w.Close();
    }

    /// <summary>The loop's counter for iteration <paramref name="iteration"/>: its first value plus that many steps.</summary>
    private static void SetCounter(CheckpointFrame frame, string iteration, SourceWriter w)
    {
        int magnitude = System.Math.Abs(frame.Step);
        string steps = magnitude == 1 ? iteration : iteration + " * " + magnitude.ToString(CultureInfo.InvariantCulture);
        w.Line(Render.Expr(frame.Counter) + " = " + First(frame) + (frame.Step > 0 ? " + " : " - ") + steps + ";");
    }

    private static string First(CheckpointFrame frame) => frame.Name + "_first";

    private static string Slots(CheckpointFrame frame, Var variable) => frame.Name + "_" + variable.Name;

    // The loop cannot point an array field at another array (SD0014), so its contents are all a snapshot holds.
    private static bool IsArrayStorage(FieldModel field) => field.Type.IsArray && field.Role != FieldRole.Layer;

    private static string FieldSlots(CheckpointFrame frame, FieldModel field) => frame.Name + "_this_" + field.Name;
}
