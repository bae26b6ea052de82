using System.Collections.Immutable;
using SourceDiff.Verification.Tests.Programs;
using Xunit;

namespace SourceDiff.Verification.Tests.Properties;

/// <summary>
/// Minimal programs found by <see cref="GradientPropertyTests"/>, kept as regression tests. Each is written as the AST
/// the property generated, with the C# it prints to above it; a test still failing is skipped with the bug named,
/// and reported to whoever owns the generator.
/// </summary>
public sealed class RegressionTests
{
    private static readonly ImmutableArray<Point> Points = ImmutableArray.Create(
        new Point(0.75, -1.25, ImmutableArray.Create(0.5, -0.875), 2),
        new Point(-1.125, 0.625, ImmutableArray.Create(1.25, 0.375), 1));

    // public static double M0(double x, double y, double[] w, int k) => -(-y);
    [Fact]
    public void DoubleNegationOfAParameter() => AssertVerified(Single(isFloat: false, new Neg(new Neg(new Ref("y")))));

    // public static float M0(float x, float y, float[] w, int k) => -(-y);
    // Symptom: M0Gradient returned 0.4855637550354004, but M0 returns 1.4855637550354004.
    [Fact]
    public void DoubleNegationOfAFloatParameter() => AssertVerified(Single(isFloat: true, new Neg(new Neg(new Ref("y")))));

    // public static double M0(double x, double y, double[] w, int k) => x * -(-w[1]);
    // Symptom: M0Gradient decrements w[1] (the caller's array).
    [Fact]
    public void DoubleNegationOfAnArrayElement() =>
        AssertVerified(Single(isFloat: false, new Bin('*', new Ref("x"), new Neg(new Neg(new Index("w", "1"))))));

    // public static float M0(float x, float y, float[] w, int k) => -(-MathF.Tanh(x));
    // Symptom: generated code does not compile (CS1059: the operand of an increment or decrement operator must be a variable).
    [Fact]
    public void DoubleNegationOfACall() => AssertVerified(Single(isFloat: true, new Neg(new Neg(new Fn(FnKind.Tanh, new Ref("x"))))));

    // public static double M0(double x, double y, double[] w, int k) => Grad.Stop(y);
    // Symptom: SD0002 "'Grad.Stop' has no known derivative" on code inside the documented subset.
    [Fact]
    public void StopAsTheReturnedValue() => AssertVerified(Single(isFloat: false, new Stop(new Ref("y"))));

    // public static double M0(double x, double y, double[] w, int k) { return x * Grad.Stop(y); }
    [Fact]
    public void StopInsideTheReturnedExpression() =>
        AssertVerified(Single(isFloat: false, new Bin('*', new Ref("x"), new Stop(new Ref("y"))), expressionBodied: false));

    // public static double M0(double x, double y, double[] w, int k) { double h0 = Grad.Stop(y); return x * h0; }
    // Symptom: SD0002, as for a returned value: Grad.Stop as the whole right-hand side is lowered as a call needing a pullback.
    [Fact]
    public void StopInADeclaration() => AssertVerified(new ProgramSpec(
        ImmutableArray.Create(new MethodSpec(0, false, false, ImmutableArray.Create<Stmt>(new Declare("h0", new Stop(new Ref("y")))),
            new Bin('*', new Ref("x"), new Ref("h0")))),
        2, Points));

    // public static double M0(double x, double y, double[] w, int k)
    // {
    //     for (int i0 = 0; i0 < k + 1; i0++) { y = Math.Sinh(y + 1.5); }
    //     return x;
    // }
    // At k = 3, y overflows to infinity, but it never reaches the result: ∂M0/∂y = 0 and ∂M0/∂x = 1.
    // Found as 20 of 20,000 random programs (float and double) with a NaN gradient where finite differences give 0 or 1:
    // adjoints flow through a dead, overflowing chain (0 · cosh(∞) = NaN) into inputs.
    [Fact]
    public void DeadOverflowingValueDoesNotPoisonTheGradient() => AssertVerified(new ProgramSpec(
        ImmutableArray.Create(new MethodSpec(0, false, false,
            ImmutableArray.Create<Stmt>(new For("i0", "k + 1", ImmutableArray.Create<Stmt>(
                new Assign("y", "", new Fn(FnKind.Sinh, new Bin('+', new Ref("y"), new Num(1.5))))))),
            new Ref("x"))),
        2,
        ImmutableArray.Create(new Point(1.0, 0.1875, ImmutableArray.Create(0.5, -0.875), 3))));

    // public static double M0(double x, double y, double[] w, int k) => Math.Sin(y);
    // public static double M1(double x, double y, double[] w, int k) { x = M0(y, x, w, k); return x; }
    // Symptom: ∂M1/∂x is cos(M0's result) instead of cos(x) (0.7765 vs 0.7317 at x = −0.75): the callee's pullback
    // runs with the argument already overwritten by the call's result. Found (inside a larger program, x = M0(x, x, …))
    // in a 10,000-program run; also fails for x = M0(x, x, w, k).
    [Fact]
    public void CallWhoseResultOverwritesItsArgument() => AssertVerified(new ProgramSpec(
        ImmutableArray.Create(
            new MethodSpec(0, false, true, ImmutableArray<Stmt>.Empty, new Fn(FnKind.Sin, new Ref("y"))),
            new MethodSpec(1, false, false,
                ImmutableArray.Create<Stmt>(new Assign("x", "", new Call(0, new Ref("y"), new Ref("x"), "w", "k"))),
                new Ref("x"))),
        2,
        ImmutableArray.Create(new Point(-0.75, 0.625, ImmutableArray.Create(-0.875, -0.25), 2))));

    private static ProgramSpec Single(bool isFloat, Expr result, bool expressionBodied = true) =>
        new(ImmutableArray.Create(new MethodSpec(0, isFloat, expressionBodied, ImmutableArray<Stmt>.Empty, result)), 2, Points);

    private static void AssertVerified(ProgramSpec program)
    {
        ProgramResult result = BatchVerifier.Run(new[] { program })[0];
        Assert.True(
            result.Verdict == ProgramVerdict.Verified,
            $"{result.Verdict}: {result.Detail}\n{ProgramPrinter.PrintPrimal(program)}");
    }
}
