using System.Collections.Generic;
using System.Text.RegularExpressions;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.Emission;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Adjoint;

/// <summary>
/// Emits the reverse-mode adjoint of one expression: given the adjoint <c>g</c> of its value, adds
/// <c>g·∂expr/∂leaf</c> into the adjoint of every active leaf. Runs on restored state, so intermediate values are
/// recomputed from the variables (into temporaries when a rule needs them) rather than recorded.
/// </summary>
internal sealed class ExpressionAdjoint
{
    private static readonly Regex SimpleName = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    private readonly SourceWriter writer;
    private readonly Activity activity;
    private readonly TempNames temps;
    private readonly ISet<string>? reads;

    public ExpressionAdjoint(SourceWriter writer, Activity activity, TempNames temps)
        : this(writer, activity, temps, reads: null)
    {
    }

    private ExpressionAdjoint(SourceWriter writer, Activity activity, TempNames temps, ISet<string>? reads)
    {
        this.writer = writer;
        this.activity = activity;
        this.temps = temps;
        this.reads = reads;
    }

    /// <summary>
    /// The variables the reverse sweep of <c>x = expr</c> reads: found by running these very rules, so the
    /// to-be-recorded analysis and the adjoint cannot disagree about what must be restored.
    /// </summary>
    public static void ReadsOf(Expr expr, Activity activity, ISet<string> reads) =>
        new ExpressionAdjoint(new SourceWriter(), activity, new TempNames(), reads).Backprop(expr, "g");

    /// <summary>A primal value the adjoint evaluates on restored state.</summary>
    private string Primal(Expr expr)
    {
        if (reads is not null)
        {
            IrWalk.AllVars(expr, reads);
        }

        return Render.Expr(expr);
    }

    /// <summary>Adds <paramref name="adjoint"/>·∂<paramref name="expr"/> into the adjoints of its active leaves.</summary>
    public void Backprop(Expr expr, string adjoint)
    {
        if (!activity.IsActive(expr))
        {
            return;
        }

        string type = expr.Type.Display;
        if (expr is Var or Element)
        {
            if (expr is Element element)
            {
                // The adjoint's element is found with the primal's indices (and, for c ? a : b, its condition).
                Primal(element);
            }

            string? target = AdjointNames.Of(expr, activity);
            if (target is not null)
            {
                writer.Line(target + " += " + adjoint + ";");
            }

            return;
        }

        if (!SimpleName.IsMatch(adjoint))
        {
            adjoint = Temp("g", type, adjoint);
        }

        switch (expr)
        {
            case Unary { Operator: "-" } negation:
                Backprop(negation.Operand, "-" + adjoint);
                return;

            case Cast cast:
                Backprop(cast.Operand, "(" + cast.Operand.Type.Display + ")" + adjoint);
                return;

            case Binary { Operator: "+" } sum:
                Backprop(sum.Left, adjoint);
                Backprop(sum.Right, adjoint);
                return;

            case Binary { Operator: "-" } difference:
                Backprop(difference.Left, adjoint);
                Backprop(difference.Right, "-" + adjoint);
                return;

            case Binary { Operator: "*" } square when square.Left.Equals(square.Right) && square.Left is Var or Element:
                Backprop(square.Left, "2 * " + adjoint + " * " + Value(square.Left, 80));
                return;

            case Binary { Operator: "*" } product:
                if (activity.IsActive(product.Left))
                {
                    Backprop(product.Left, adjoint + " * " + Value(product.Right, 80));
                }

                if (activity.IsActive(product.Right))
                {
                    Backprop(product.Right, Value(product.Left, 80) + " * " + adjoint);
                }

                return;

            case Binary { Operator: "/" } quotient:
            {
                string denominator = Value(quotient.Right, 100);
                Backprop(quotient.Left, adjoint + " / " + denominator);
                if (activity.IsActive(quotient.Right))
                {
                    Backprop(quotient.Right, "-" + adjoint + " * " + Value(quotient.Left, 80) + " / (" + denominator + " * " + denominator + ")");
                }

                return;
            }

            case Binary { Operator: "%" } remainder:
            {
                Backprop(remainder.Left, adjoint);
                if (activity.IsActive(remainder.Right))
                {
                    string mathClass = type == "float" ? "MathF" : "Math";
                    Backprop(remainder.Right, "-" + adjoint + " * " + Render.MathFunction(mathClass, "Truncate") + "(" + Value(remainder.Left, 80) + " / " + Value(remainder.Right, 100) + ")");
                }

                return;
            }

            case Conditional conditional:
                writer.Open("if (" + Primal(conditional.Condition) + ")");
                Backprop(conditional.WhenTrue, adjoint);
                writer.Close();
                if (activity.IsActive(conditional.WhenFalse))
                {
                    writer.Open("else");
                    Backprop(conditional.WhenFalse, adjoint);
                    writer.Close();
                }

                return;

            case MathCall call:
                MathAdjoint(call, adjoint);
                return;
        }
    }

    private void MathAdjoint(MathCall call, string g)
    {
        string type = call.Type.Display;
        string M(string function) => Render.MathFunction(call.Class, function);
        Expr x = call.Arguments[0];
        string X() => Value(x, 100);
        string V() => Value(call, 100);
        switch (call.Function)
        {
            case "Exp":
                Backprop(x, g + " * " + V());
                return;
            case "Log" when call.Arguments.Count == 1:
                Backprop(x, g + " / " + X());
                return;
            case "Log":
            {
                Expr logBase = call.Arguments[1];
                string lnBase = Temp("v", type, M("Log") + "(" + Value(logBase, 100) + ")");
                Backprop(x, g + " / (" + X() + " * " + lnBase + ")");
                if (activity.IsActive(logBase))
                {
                    Backprop(logBase, "-" + g + " * " + M("Log") + "(" + X() + ") / (" + Value(logBase, 100) + " * " + lnBase + " * " + lnBase + ")");
                }

                return;
            }

            case "Log10":
                Backprop(x, g + " / (" + X() + " * " + M("Log") + "(10))");
                return;
            case "Log2":
                Backprop(x, g + " / (" + X() + " * " + M("Log") + "(2))");
                return;
            case "Sqrt":
                Backprop(x, g + " / (2 * " + V() + ")");
                return;
            case "Cbrt":
            {
                string v = V();
                Backprop(x, g + " / (3 * " + v + " * " + v + ")");
                return;
            }

            case "Tanh":
            {
                string v = V();
                Backprop(x, g + " * (1 - " + v + " * " + v + ")");
                return;
            }

            case "Sinh":
                Backprop(x, g + " * " + M("Cosh") + "(" + X() + ")");
                return;
            case "Cosh":
                Backprop(x, g + " * " + M("Sinh") + "(" + X() + ")");
                return;
            case "Sin":
                Backprop(x, g + " * " + M("Cos") + "(" + X() + ")");
                return;
            case "Cos":
                Backprop(x, "-" + g + " * " + M("Sin") + "(" + X() + ")");
                return;
            case "Tan":
            {
                string v = V();
                Backprop(x, g + " * (1 + " + v + " * " + v + ")");
                return;
            }

            case "Asin":
                Backprop(x, g + " / " + M("Sqrt") + "(1 - " + X() + " * " + X() + ")");
                return;
            case "Acos":
                Backprop(x, "-" + g + " / " + M("Sqrt") + "(1 - " + X() + " * " + X() + ")");
                return;
            case "Atan":
                Backprop(x, g + " / (1 + " + X() + " * " + X() + ")");
                return;
            case "Asinh":
                Backprop(x, g + " / " + M("Sqrt") + "(" + X() + " * " + X() + " + 1)");
                return;
            case "Acosh":
                Backprop(x, g + " / " + M("Sqrt") + "(" + X() + " * " + X() + " - 1)");
                return;
            case "Atanh":
                Backprop(x, g + " / (1 - " + X() + " * " + X() + ")");
                return;
            case "Abs":
                // Subgradient 0 at the kink, like PyTorch.
                Backprop(x, g + " * " + M("Sign") + "(" + X() + ")");
                return;
            case "Floor" or "Ceiling" or "Round" or "Truncate":
                return;
            case "Pow":
            {
                Expr exponent = call.Arguments[1];
                string b = Value(exponent, 100);
                if (activity.IsActive(x))
                {
                    Backprop(x, g + " * " + b + " * " + M("Pow") + "(" + X() + ", " + b + " - 1)");
                }

                if (activity.IsActive(exponent))
                {
                    // d/db a^b = a^b·ln a, taken as 0 where a ≤ 0 (its limit at a = 0 for b > 0).
                    Backprop(exponent, "(" + X() + " > 0 ? " + g + " * " + V() + " * " + M("Log") + "(" + X() + ") : 0)");
                }

                return;
            }

            case "Atan2":
            {
                Expr xArgument = call.Arguments[1];
                string y = X();
                string xv = Value(xArgument, 100);
                string r2 = Temp("v", type, xv + " * " + xv + " + " + y + " * " + y);

                // At the origin atan2 has no derivative; 0 is the subgradient convention (as for Abs), and it keeps
                // 0/0 from poisoning gradients where the argument is multiplied by zero.
                Backprop(x, "(" + r2 + " == 0 ? 0 : " + g + " * " + xv + " / " + r2 + ")");
                Backprop(xArgument, "(" + r2 + " == 0 ? 0 : -" + g + " * " + y + " / " + r2 + ")");
                return;
            }

            case "Max" or "Min":
            {
                // The first argument wins ties, as in the primal's own comparison order.
                Expr y = call.Arguments[1];
                writer.Open("if (" + X() + (call.Function == "Max" ? " >= " : " <= ") + Value(y, 100) + ")");
                Backprop(x, g);
                writer.Close();
                if (activity.IsActive(y))
                {
                    writer.Open("else");
                    Backprop(y, g);
                    writer.Close();
                }

                return;
            }

            case "Clamp":
            {
                Expr low = call.Arguments[1];
                Expr high = call.Arguments[2];
                string xv = X();
                writer.Open("if (" + xv + " < " + Value(low, 100) + ")");
                Backprop(low, g);
                writer.Close();
                writer.Open("else if (" + xv + " > " + Value(high, 100) + ")");
                Backprop(high, g);
                writer.Close();
                writer.Open("else");
                Backprop(x, g);
                writer.Close();
                return;
            }

            case "FusedMultiplyAdd":
            {
                Expr b = call.Arguments[1];
                Expr c = call.Arguments[2];
                if (activity.IsActive(x))
                {
                    Backprop(x, g + " * " + Value(b, 80));
                }

                if (activity.IsActive(b))
                {
                    Backprop(b, X() + " * " + g);
                }

                Backprop(c, g);
                return;
            }
        }
    }

    /// <summary>The value of a sub-expression as text usable at the given precedence, in a temporary unless it is cheap.</summary>
    private string Value(Expr expr, int precedence)
    {
        switch (expr)
        {
            case Literal or Var:
            {
                string text = Primal(expr);
                return text.StartsWith("-", System.StringComparison.Ordinal) && precedence > 90 ? "(" + text + ")" : text;
            }

            case Element element when element.Indices.Count <= 2 && IsSimple(element):
                return Primal(expr);
            case Opaque:
                Primal(expr);
                return Render.Atom(expr);
            default:
                return Temp("v", expr.Type.Display, Primal(expr));
        }
    }

    private static bool IsSimple(Expr expr) => expr switch
    {
        Literal or Var => true,
        Element element => IsSimple(element.Array) && System.Linq.Enumerable.All(element.Indices, IsSimple),
        Binary { Operator: "+" or "-" } binary => IsSimple(binary.Left) && IsSimple(binary.Right),
        _ => false,
    };

    private string Temp(string stem, string type, string value)
    {
        string name = temps.Next(stem);
        writer.Line(type + " " + name + " = " + value + ";");
        return name;
    }
}

/// <summary>Unique names for temporaries of the reverse sweep.</summary>
internal sealed class TempNames
{
    private readonly Dictionary<string, int> counters = new();

    public string Next(string stem)
    {
        counters.TryGetValue(stem, out int count);
        counters[stem] = count + 1;
        return "_" + stem + count;
    }
}
