using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Derivatives;

/// <summary>
/// What the derivative rules need to know of a method's activity (implemented by <c>Analysis.Activity</c>): the rules
/// sit below the analyses that read them, so data flows one way.
/// </summary>
internal interface IActivityFacts
{
    /// <summary>Whether the value of an expression depends on a differentiable input and reaches the result.</summary>
    bool IsActive(Expr expr);

    /// <summary>Whether an lvalue or array-valued expression has adjoint storage of its own.</summary>
    bool HasAdjoint(Expr expr);
}
