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
                w.Line(Render.Push(push.Value) + ";");
                break;

            case Branch branch:
                PrintBranch("if", branch, w);
                break;

            case WhileLoop { TestFirst: true } loop:
                w.Open("while (" + Render.Expr(loop.Condition) + ")");
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

            case Rethrow rethrow:
                w.Line(rethrow.Statement.Text);
                break;
        }
    }

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
