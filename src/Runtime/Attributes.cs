using System;

namespace SourceDiff;

/// <summary>Asks the SourceDiff generator to emit <c>MGradient</c> and <c>MPullback</c> adjoints for this method.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
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
