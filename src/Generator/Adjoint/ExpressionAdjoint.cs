using System.Collections.Generic;
using SourceDiff.Generator.Analysis;
using SourceDiff.Generator.IR;
using static SourceDiff.Generator.Adjoint.AdjointAlgebra;

namespace SourceDiff.Generator.Adjoint;

/// <summary>
/// Builds the reverse-mode adjoint of one expression: given the adjoint <c>g</c> of its value, adds
/// <c>g·∂expr/∂leaf</c> into the adjoint of every active leaf. Runs on restored state, so intermediate values are
/// recomputed from the variables (into temporaries when a rule needs them) rather than recorded.
/// </summary>
internal sealed class ExpressionAdjoint
{
    private List<SweepStmt> output;
    private readonly Activity activity;
    private readonly TempNames temps;
    private readonly ISet<string>? reads;

    public ExpressionAdjoint(List<SweepStmt> output, Activity activity, TempNames temps)
        : this(output, activity, temps, reads: null)
    {
    }

    private ExpressionAdjoint(List<SweepStmt> output, Activity activity, TempNames temps, ISet<string>? reads)
    {
        this.output = output;
        this.activity = activity;
        this.temps = temps;
        this.reads = reads;
    }

    /// <summary>
    /// The variables the reverse sweep of <c>x = expr</c> reads: found by running these very rules, so the
    /// to-be-recorded analysis and the adjoint cannot disagree about what must be restored.
    /// </summary>
    public static void ReadsOf(Expr expr, Activity activity, ISet<string> reads) =>
        new ExpressionAdjoint(new List<SweepStmt>(), activity, new TempNames(), reads).Backprop(expr, new Temporary("g", expr.Type));

    /// <summary>A primal value the adjoint evaluates on restored state.</summary>
    private Expr Primal(Expr expr)
    {
        if (reads is not null)
        {
            IrWalk.AllVars(expr, reads);
        }

        return expr;
    }

    /// <summary>Adds <paramref name="adjoint"/>·∂<paramref name="expr"/> into the adjoints of its active leaves.</summary>
    public void Backprop(Expr expr, Expr adjoint)
    {
        if (!activity.IsActive(expr) || IsZero(adjoint))
        {
            return;
        }

        TypeRef type = expr.Type;
        if (expr is Var or Element)
        {
            if (expr is Element element)
            {
                // The adjoint's element is found with the primal's indices (and, for c ? a : b, its condition).
                Primal(element);
            }

            if (AdjointStorage.Of(expr, activity) is { } target)
            {
                output.Add(adjoint is Unary { Operator: "-" } negated
                    ? new Store(target, AssignKind.Subtract, negated.Operand)
                    : new Store(target, AssignKind.Add, adjoint));
            }

            return;
        }

        if (!IsName(adjoint))
        {
            adjoint = Temp("g", type, adjoint);
        }

        switch (expr)
        {
            case Unary { Operator: "-" } negation:
                Backprop(negation.Operand, Negate(adjoint));
                return;

            case Cast cast:
                Backprop(cast.Operand, new Cast(adjoint, cast.Operand.Type));
                return;

            case Binary { Operator: "+" } sum:
                Backprop(sum.Left, adjoint);
                Backprop(sum.Right, adjoint);
                return;

            case Binary { Operator: "-" } difference:
                Backprop(difference.Left, adjoint);
                Backprop(difference.Right, Negate(adjoint));
                return;

            case Binary { Operator: "*" } square when square.Left.Equals(square.Right) && square.Left is Var or Element:
                Backprop(square.Left, Multiply(Multiply(Number(2, type), adjoint), Value(square.Left)));
                return;

            case Binary { Operator: "*" } product:
                if (activity.IsActive(product.Left))
                {
                    Backprop(product.Left, Multiply(adjoint, Value(product.Right)));
                }

                if (activity.IsActive(product.Right))
                {
                    Backprop(product.Right, Multiply(Value(product.Left), adjoint));
                }

                return;

            case Binary { Operator: "/" } quotient:
            {
                Expr denominator = Value(quotient.Right);
                Backprop(quotient.Left, Divide(adjoint, denominator));
                if (activity.IsActive(quotient.Right))
                {
                    Backprop(quotient.Right, Divide(Multiply(Negate(adjoint), Value(quotient.Left)), Multiply(denominator, denominator)));
                }

                return;
            }

            case Binary { Operator: "%" } remainder:
            {
                Backprop(remainder.Left, adjoint);
                if (activity.IsActive(remainder.Right))
                {
                    string mathClass = type.Element == "float" ? "MathF" : "Math";
                    Expr quotient = Divide(Value(remainder.Left), Value(remainder.Right));
                    Backprop(remainder.Right, Multiply(Negate(adjoint), Call(mathClass, "Truncate", type, quotient)));
                }

                return;
            }

            case Conditional conditional:
                AddBranch(
                    Primal(conditional.Condition),
                    Collect(() => Backprop(conditional.WhenTrue, adjoint)),
                    Collect(() => Backprop(conditional.WhenFalse, adjoint)));
                return;

            case MathCall call:
                MathAdjoint(call, adjoint);
                return;
        }
    }

    private void MathAdjoint(MathCall call, Expr g)
    {
        TypeRef type = call.Type;
        Expr M(string function, params Expr[] arguments) => Call(call.Class, function, type, arguments);
        Expr N(int value) => Number(value, type);
        Expr x = call.Arguments[0];
        Expr X() => Value(x);
        Expr V() => Value(call);
        Expr Square(Expr value) => Multiply(value, value);
        switch (call.Function)
        {
            case "Exp":
                Backprop(x, Multiply(g, V()));
                return;
            case "Log" when call.Arguments.Count == 1:
                Backprop(x, Divide(g, X()));
                return;
            case "Log":
            {
                Expr logBase = call.Arguments[1];
                Expr lnBase = Temp("v", type, M("Log", Value(logBase)));
                Backprop(x, Divide(g, Multiply(X(), lnBase)));
                if (activity.IsActive(logBase))
                {
                    Backprop(logBase, Divide(Multiply(Negate(g), M("Log", X())), Multiply(Multiply(Value(logBase), lnBase), lnBase)));
                }

                return;
            }

            case "Log10":
                Backprop(x, Divide(g, Multiply(X(), M("Log", N(10)))));
                return;
            case "Log2":
                Backprop(x, Divide(g, Multiply(X(), M("Log", N(2)))));
                return;
            case "Sqrt":
                Backprop(x, Divide(g, Multiply(N(2), V())));
                return;
            case "Cbrt":
            {
                Expr v = V();
                Backprop(x, Divide(g, Multiply(Multiply(N(3), v), v)));
                return;
            }

            case "Tanh":
                Backprop(x, Multiply(g, Subtract(N(1), Square(V()))));
                return;
            case "Sinh":
                Backprop(x, Multiply(g, M("Cosh", X())));
                return;
            case "Cosh":
                Backprop(x, Multiply(g, M("Sinh", X())));
                return;
            case "Sin":
                Backprop(x, Multiply(g, M("Cos", X())));
                return;
            case "Cos":
                Backprop(x, Multiply(Negate(g), M("Sin", X())));
                return;
            case "Tan":
                Backprop(x, Multiply(g, Add(N(1), Square(V()))));
                return;
            case "Asin":
                Backprop(x, Divide(g, M("Sqrt", Subtract(N(1), Multiply(X(), X())))));
                return;
            case "Acos":
                Backprop(x, Divide(Negate(g), M("Sqrt", Subtract(N(1), Multiply(X(), X())))));
                return;
            case "Atan":
                Backprop(x, Divide(g, Add(N(1), Multiply(X(), X()))));
                return;
            case "Asinh":
                Backprop(x, Divide(g, M("Sqrt", Add(Multiply(X(), X()), N(1)))));
                return;
            case "Acosh":
                Backprop(x, Divide(g, M("Sqrt", Subtract(Multiply(X(), X()), N(1)))));
                return;
            case "Atanh":
                Backprop(x, Divide(g, Subtract(N(1), Multiply(X(), X()))));
                return;
            case "Abs":
                // Subgradient 0 at the kink, like PyTorch.
                Backprop(x, Multiply(g, M("Sign", X())));
                return;
            case "Floor" or "Ceiling" or "Round" or "Truncate":
                return;
            case "Pow":
            {
                Expr exponent = call.Arguments[1];
                Expr b = Value(exponent);
                if (activity.IsActive(x))
                {
                    Backprop(x, Multiply(Multiply(g, b), M("Pow", X(), Subtract(b, N(1)))));
                }

                if (activity.IsActive(exponent))
                {
                    // d/db a^b = a^b·ln a, taken as 0 where a ≤ 0 (its limit at a = 0 for b > 0).
                    Expr positive = new Binary(">", X(), N(0), TypeRef.Bool);
                    Backprop(exponent, new Conditional(positive, Multiply(Multiply(g, V()), M("Log", X())), N(0), type));
                }

                return;
            }

            case "Atan2":
            {
                Expr xArgument = call.Arguments[1];
                Expr y = X();
                Expr xv = Value(xArgument);
                Expr r2 = Temp("v", type, Add(Multiply(xv, xv), Multiply(y, y)));

                // At the origin atan2 has no derivative; 0 is the subgradient convention (as for Abs), and it keeps
                // 0/0 from poisoning gradients where the argument is multiplied by zero.
                Expr origin = new Binary("==", r2, N(0), TypeRef.Bool);
                Backprop(x, new Conditional(origin, N(0), Divide(Multiply(g, xv), r2), type));
                Backprop(xArgument, new Conditional(origin, N(0), Divide(Multiply(Negate(g), y), r2), type));
                return;
            }

            case "Max" or "Min":
            {
                // The first argument wins ties, as in the primal's own comparison order.
                Expr y = call.Arguments[1];
                Expr firstWins = new Binary(call.Function == "Max" ? ">=" : "<=", X(), Value(y), TypeRef.Bool);
                AddBranch(firstWins, Collect(() => Backprop(x, g)), Collect(() => Backprop(y, g)));
                return;
            }

            case "Clamp":
            {
                Expr low = call.Arguments[1];
                Expr high = call.Arguments[2];
                Expr xv = X();
                Expr belowLow = new Binary("<", xv, Value(low), TypeRef.Bool);
                Expr aboveHigh = new Binary(">", xv, Value(high), TypeRef.Bool);
                AddBranch(
                    belowLow,
                    Collect(() => Backprop(low, g)),
                    Collect(() => AddBranch(aboveHigh, Collect(() => Backprop(high, g)), Collect(() => Backprop(x, g)))));
                return;
            }

            case "FusedMultiplyAdd":
            {
                Expr b = call.Arguments[1];
                Expr c = call.Arguments[2];
                if (activity.IsActive(x))
                {
                    Backprop(x, Multiply(g, Value(b)));
                }

                if (activity.IsActive(b))
                {
                    Backprop(b, Multiply(X(), g));
                }

                Backprop(c, g);
                return;
            }
        }
    }

    private void AddBranch(Expr condition, IReadOnlyList<SweepStmt> then, IReadOnlyList<SweepStmt> otherwise)
    {
        if (then.Count > 0 || otherwise.Count > 0)
        {
            output.Add(new Branch(condition, then, otherwise));
        }
    }

    /// <summary>The statements <paramref name="build"/> adds, collected apart (the arm of a branch, a guarded block).</summary>
    public IReadOnlyList<SweepStmt> Collect(System.Action build)
    {
        List<SweepStmt> outer = output;
        output = new List<SweepStmt>();
        build();
        List<SweepStmt> inner = output;
        output = outer;
        return inner;
    }

    /// <summary>The value of a sub-expression, in a temporary unless it is cheap to evaluate again.</summary>
    private Expr Value(Expr expr) => expr switch
    {
        Literal or Var => Primal(expr),
        Element element when element.Indices.Count <= 2 && IsSimple(element) => Primal(expr),
        Opaque => Primal(expr),
        _ => Temp("v", expr.Type, Primal(expr)),
    };

    private static bool IsSimple(Expr expr) => expr switch
    {
        Literal or Var => true,
        Element element => IsSimple(element.Array) && System.Linq.Enumerable.All(element.Indices, IsSimple),
        Binary { Operator: "+" or "-" } binary => IsSimple(binary.Left) && IsSimple(binary.Right),
        _ => false,
    };

    /// <summary>An adjoint that can be read several times without evaluating anything: a temporary or a local's adjoint.</summary>
    private static bool IsName(Expr adjoint) =>
        adjoint is Temporary || adjoint is AdjointVar { Primal.IsField: false };

    private Temporary Temp(string stem, TypeRef type, Expr value)
    {
        var temporary = new Temporary(temps.Next(stem), type);
        output.Add(new Store(temporary, AssignKind.Declare, value));
        return temporary;
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
