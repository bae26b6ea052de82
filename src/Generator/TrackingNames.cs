namespace SourceDiff.Generator;

/// <summary>Names of the generator's incremental steps, so tests can assert what ran and what was cached.</summary>
internal static class TrackingNames
{
    public const string Methods = nameof(Methods);
    public const string CustomDerivatives = nameof(CustomDerivatives);
    public const string Options = nameof(Options);
    public const string MethodOutputs = nameof(MethodOutputs);
    public const string ModelTypes = nameof(ModelTypes);
}
