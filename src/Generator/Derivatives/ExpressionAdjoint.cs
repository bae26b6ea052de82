using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;
using static SourceDiff.Generator.Derivatives.AdjointAlgebra;

namespace SourceDiff.Generator.Derivatives;

/// <summary>
/// Builds the reverse-mode adjoint of one expression: given the adjoint <c>g</c> of its value, adds
/// <c>g·∂expr/∂leaf</c> into the adjoint of every active leaf. Runs on restored state, so intermediate values are
/// recomputed from the variables (into temporaries when a rule needs them) rather than recorded.
/// </summary>
internal sealed partial class ExpressionAdjoint
{
    private List<SweepStmt> output;
    private readonly IActivityFacts activity;
    private readonly TempNames temps;
    private readonly ISet<string>? reads;

    public ExpressionAdjoint(List<SweepStmt> output, IActivityFacts activity, TempNames temps)
        : this(output, activity, temps, reads: null)
    {
    }

    private ExpressionAdjoint(List<SweepStmt> output, IActivityFacts activity, TempNames temps, ISet<string>? reads)
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
    public static void ReadsOf(Expr expr, IActivityFacts activity, ISet<string> reads, Expr? result = null) =>
        new ExpressionAdjoint(new List<SweepStmt>(), activity, new TempNames(), reads).Backprop(expr, new Temporary("g", expr.Type), result);

    /// <summary>
    /// Whether the adjoint of <paramref name="expr"/> is cheaper from the value it computed than from its operands:
    /// exp, sqrt, cbrt, tanh and tan are their own derivatives' ingredients, and so is a reciprocal (a sigmoid
    /// written <c>1 / (1 + Math.Exp(-z))</c> above all), which then needs neither a division nor an exp.
    /// </summary>
    public static bool ReusesResult(Expr expr, IActivityFacts activity) => expr switch
    {
        MathCall { Function: "Exp" or "Sqrt" or "Cbrt" or "Tanh" or "Tan", Arguments.Count: 1 } call => activity.IsActive(call.Arguments[0]),
        Binary { Operator: "/" } reciprocal => IsOne(reciprocal.Left) && activity.IsActive(reciprocal.Right),
        _ => false,
    };

    // The value of the whole expression being differentiated, when the caller has it (see ReusesResult).
    private Expr? result;
    private Expr? resultOf;

    /// <summary>
    /// <see cref="Backprop(Expr, Expr)"/> given the value <paramref name="value"/> of <paramref name="expr"/> (the
    /// target of <c>x = expr</c> before it is restored), which rules reuse instead of recomputing it.
    /// </summary>
    public void Backprop(Expr expr, Expr adjoint, Expr? value)
    {
        result = value is null ? null : Primal(value);
        resultOf = value is null ? null : expr;
        Backprop(expr, adjoint);
        result = null;
        resultOf = null;
    }

    /// <summary>The value of <paramref name="expr"/>: the one given, for the expression it was given for.</summary>
    private Expr ResultOf(Expr expr) => result is not null && ReferenceEquals(expr, resultOf) ? result : Value(expr);

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
                // The adjoint's element is found with the primal's indices (and, for c ? a : b, its condition); an
                // array held in a variable is only indexed, its elements are not read.
                foreach (Expr index in element.Indices)
                {
                    Primal(index);
                }

                if (element.Array is not Var)
                {
                    Primal(element.Array);
                }
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

            case Binary { Operator: "/" } reciprocal when result is not null && ReferenceEquals(reciprocal, resultOf) && IsOne(reciprocal.Left):
            {
                // v = 1 / d: dv/dd = -v². For a sigmoid v = 1 / (1 + exp(-z)): dv/dz = v (1 - v).
                Expr v = result;
                if (reciprocal.Right is Binary { Operator: "+", Left: var one, Right: MathCall { Function: "Exp", Arguments.Count: 1 } exp } && IsOne(one)
                    && exp.Arguments[0] is Unary { Operator: "-" } negated)
                {
                    Backprop(negated.Operand, Multiply(Multiply(adjoint, v), Subtract(Number(1, type), v)));
                }
                else
                {
                    Backprop(reciprocal.Right, Negate(Multiply(Multiply(adjoint, v), v)));
                }

                return;
            }

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

/// <summary>Unique names for temporaries of the reverse sweep, none equal to a name the method already uses.</summary>
internal sealed class TempNames
{
    private readonly Dictionary<string, int> counters = new();
    private readonly HashSet<string> taken;

    public TempNames(IEnumerable<string>? taken = null) => this.taken = new HashSet<string>(taken ?? Enumerable.Empty<string>());

    public string Next(string stem)
    {
        string name;
        do
        {
            counters.TryGetValue(stem, out int count);
            counters[stem] = count + 1;
            name = "_" + stem + count;
        }
        while (taken.Contains(name));

        return name;
    }
}
