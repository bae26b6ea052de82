using SourceDiff.Verification.Tests.Programs;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Verification.Tests.Properties;

/// <summary>
/// Issue 8: the gradient property over each class of programs whose gradients were silently wrong (often zero), one
/// test per class so each can be run, sized and unskipped on its own, and all classes together. A class is skipped,
/// with the bug named, while the generator still fails it; its minimal programs are in <see cref="RegressionTests"/>.
/// </summary>
public sealed class ProgramFeaturePropertyTests(ITestOutputHelper output)
{
    /// <summary><c>T[] v = c ? a : b;</c>, <c>?:</c> as a call argument, jagged rows, ping-pong stencils.</summary>
    [Fact]
    public void ArrayConditionals() => Run(ProgramFeatures.ArrayConditionals);

    /// <summary><c>T[] a = v; a[i] = …</c> in callers and in void callees, reassigned in branches and loops, <c>F((v), …)</c>.</summary>
    [Fact]
    public void LocalArrayAliases() => Run(ProgramFeatures.LocalAliases);

    /// <summary><c>(T[])a.Clone()</c> copies, written independently of their original.</summary>
    [Fact]
    public void ArrayClones() => Run(ProgramFeatures.ArrayClones);

    /// <summary>
    /// <c>TensorPrimitives.Op&lt;T&gt;(…)</c> over arrays, <c>AsSpan(start, length)</c> views (of a wider scratch array too) and
    /// span locals, in place and in loops, with differentiable scalar arguments; reductions (Sum, Dot, Norm, Max, …) in expressions.
    /// </summary>
    [Fact]
    public void TensorPrimitivesCalls() => Run(ProgramFeatures.TensorCalls);

    /// <summary>
    /// MathNet.Numerics <c>Vector&lt;T&gt;</c>/<c>Matrix&lt;T&gt;</c> built from the method's arrays and element writes, combined by
    /// operators, products, point-wise functions, rows, columns, outer products, transposes, result overloads (in place
    /// too), compound assignment and <c>?:</c>; reduced by DotProduct, Sum, L2Norm and element reads.
    /// </summary>
    [Fact]
    public void MathNetCalls() => Run(ProgramFeatures.MathNetCalls);

    /// <summary>All classes in the same programs: how the one bug left after the fixes of issue 8 was found.</summary>
    [Fact]
    public void AllClassesTogether() => Run(ProgramFeatures.All);

    private void Run(ProgramFeatures features)
    {
        int count = PropertySettings.FeaturePrograms;
        PropertyRunner.Check(output, GradientPropertyTests.Subject(features), count, PropertySettings.Seed(PropertySettings.FeatureProgramsDefault, count));
    }
}
