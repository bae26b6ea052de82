using System.Collections.Generic;
using SourceDiff.Generator.IR;
using static SourceDiff.Generator.Derivatives.AdjointAlgebra;

namespace SourceDiff.Generator.Derivatives;

/// <summary>The derivative rules of the <c>Math</c>/<c>MathF</c> functions.</summary>
internal sealed partial class ExpressionAdjoint
{
    private void MathAdjoint(MathCall call, Expr g)
    {
        TypeRef type = call.Type;
        Expr M(string function, params Expr[] arguments) => Call(call.Class, function, type, arguments);
        Expr N(int value) => Number(value, type);
        Expr x = call.Arguments[0];
        Expr X() => Value(x);
        Expr V() => ResultOf(call);
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
}
