using SourceDiff.Generator.Diagnostics;

namespace SourceDiff.Generator.Model;

/// <summary>
/// A user pullback declared with <c>[DerivativeOf(typeof(T), nameof(T.M))]</c>: the key of the method it differentiates
/// and the full name to call. <c>Error</c> is set when its signature does not have the Pullback shape.
/// </summary>
internal sealed record CustomDerivativeModel(string TargetKey, string PullbackName, DiagnosticInfo? Error);
