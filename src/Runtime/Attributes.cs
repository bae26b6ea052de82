using System;

namespace SourceDiff;

/// <summary>Asks the SourceDiff generator to emit <c>MGradient</c> and <c>MPullback</c> adjoints for this method.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
}

/// <summary>
/// On a <c>[Differentiable]</c> method: checkpoints its loops that are not nested in another loop. The forward sweep keeps
/// at most <see cref="Snapshots"/> copies of each loop's carried state (the locals live across iterations, the contents
/// of the arrays it uses that change, and the fields the method writes) instead of recording every iteration, and the
/// reverse sweep recomputes iterations from the nearest copy on a binomial (revolve) schedule. The tape then holds one
/// iteration at a time; the gradient is bit-for-bit the one without checkpointing. Each such loop must be a counted
/// <c>for</c> (or <c>foreach</c> over an array); anything else is error SD0014.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class CheckpointAttribute : Attribute
{
    /// <summary>
    /// How many copies of the carried state to keep at most, the loop's start among them; 0 (the default) lets SourceDiff
    /// choose the fewest with which no iteration is recomputed more than twice (about √(2T) for T iterations).
    /// </summary>
    public int Snapshots { get; set; }
}

/// <summary>
/// On a parameter: no gradient argument is generated for it and nothing is differentiated with respect to it.
/// On a field or an auto-property: it is data, not a trainable parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}

/// <summary>
/// Marks a field or an auto-property as hidden state: overwritten by differentiable methods and differentiated through
/// (full back-propagation through time), but not a trainable parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class StateAttribute : Attribute
{
}

/// <summary>
/// Supplies the pullback of another method. The annotated method must be static and have the shape of a generated
/// <c>MPullback</c>: the target's parameters, then <c>dResult</c>, then one adjoint per differentiable parameter
/// (<c>ref</c> for scalars, a buffer for arrays) to which it ADDS <c>dResult·∂M/∂parameter</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DerivativeOfAttribute : Attribute
{
    /// <summary>Names the method whose pullback the annotated method is: <c>[DerivativeOf(typeof(T), nameof(T.M))]</c>.</summary>
    /// <param name="type">The type that declares the method.</param>
    /// <param name="methodName">The method's name, as <c>nameof(T.M)</c>.</param>
    public DerivativeOfAttribute(Type type, string methodName)
    {
        Type = type;
        MethodName = methodName;
    }

    /// <summary>The type that declares the method.</summary>
    public Type Type { get; }

    /// <summary>The method's name.</summary>
    public string MethodName { get; }
}
