using Microsoft.CodeAnalysis;

namespace SourceDiff.Generator.Diagnostics;

/// <summary>
/// The generator's diagnostics. IDs SD0001–SD0099 are reserved for the generator (errors: unsupported construct,
/// missing derivative, bad signature); SD1xxx (warnings) and SD2xxx (information) belong to SourceDiff.Analyzers.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string UnsupportedConstructId = "SD0001";
    public const string MissingDerivativeId = "SD0002";
    public const string UnsupportedSignatureId = "SD0003";
    public const string TypeNotPartialId = "SD0004";
    public const string InternalErrorId = "SD0005";
    public const string InvalidCustomDerivativeId = "SD0006";
    public const string StaticStateWriteId = "SD0007";
    public const string CallNeedsStatementId = "SD0008";
    public const string UnsupportedReceiverId = "SD0009";
    public const string ModelDerivesFromModelId = "SD0010";
    public const string ReservedFieldNameId = "SD0011";
    public const string DerivativeIntoNoDerivativeId = "SD0012";
    public const string DerivativeIntoUntrackedStorageId = "SD0013";
    public const string CheckpointNotPossibleId = "SD0014";
    public const string LoopTapeCostId = "SD2003";
    public const string CheckpointSuggestedId = "SD2004";

    private const string Category = "SourceDiff.Generator";
    private const string DocsBase = "https://github.com/sourcediff/sourcediff/blob/main/docs/";
    private const string HelpBase = DocsBase + "diagnostics.md#";

    /// <summary>The address of a section of docs/supported-csharp.md (core, statements, library, models, outside), for messages.</summary>
    public static string SupportedCSharp(string section) => DocsBase + "supported-csharp.md#" + section;

    public static readonly DiagnosticDescriptor UnsupportedConstruct = Error(
        UnsupportedConstructId,
        "Construct not supported in differentiable code",
        "{0} is not supported in [Differentiable] method '{1}': {2}",
        "SourceDiff differentiates the C# listed in docs/supported-csharp.md; what stays outside, and what to write instead, is in its section 'What stays outside, and why' (" + DocsBase + "supported-csharp.md#outside). Outside the list the generator emits no adjoint rather than a wrong one.");

    public static readonly DiagnosticDescriptor MissingDerivative = Error(
        MissingDerivativeId,
        "No derivative for called method",
        "'{0}' has no known derivative: {1}",
        "A differentiable method may call System.Math/MathF functions, other [Differentiable] methods, and methods with a [DerivativeOf] pullback.");

    public static readonly DiagnosticDescriptor UnsupportedSignature = Error(
        UnsupportedSignatureId,
        "Unsupported signature for a differentiable method",
        "[Differentiable] method '{0}' {1}",
        "A differentiable method returns double, float or void, is not generic, async or an iterator, and has a body.");

    public static readonly DiagnosticDescriptor TypeNotPartial = Error(
        TypeNotPartialId,
        "Type containing a differentiable method must be partial",
        "Type '{0}' must be declared partial (with every type that contains it) so that SourceDiff can add the adjoint of '{1}'",
        "Generated adjoints are added to the user's type as another part of it.");

    public static readonly DiagnosticDescriptor InternalError = Error(
        InternalErrorId,
        "SourceDiff generator failed on a method",
        "SourceDiff could not generate the adjoint of '{0}': {1}. Please report this with the method's code.",
        "An internal failure of the generator is reported here instead of crashing the compiler.");

    public static readonly DiagnosticDescriptor InvalidCustomDerivative = Error(
        InvalidCustomDerivativeId,
        "Invalid [DerivativeOf] pullback",
        "[DerivativeOf] method '{0}' {1}",
        "A custom pullback is static and has the shape of a generated Pullback: the target's parameters, dResult, then one adjoint per differentiable parameter.");

    public static readonly DiagnosticDescriptor StaticStateWrite = Error(
        StaticStateWriteId,
        "Differentiable code writes static state",
        "[Differentiable] method '{0}' writes static field '{1}': gradients through global state are not differentiated; make it an instance field marked [State] or pass it as a ref parameter",
        "Global mutable state makes gradients depend on hidden history: a second call sees what the first one left.");

    public static readonly DiagnosticDescriptor CallNeedsStatement = Error(
        CallNeedsStatementId,
        "Differentiable call in a conditionally evaluated position",
        "Call to '{0}' inside {1} in [Differentiable] method '{2}': assign its result to a local in a statement of its own first",
        "Calls with pullbacks must run exactly once per statement so the reverse sweep can replay them.");

    public static readonly DiagnosticDescriptor UnsupportedReceiver = Error(
        UnsupportedReceiverId,
        "Unsupported receiver of a differentiable instance call",
        "Call to '{0}' on '{1}': differentiable instance methods can be called on this, or on a field of this holding a layer",
        "The adjoint of a layer lives in the matching field of the caller's Gradient.");

    public static readonly DiagnosticDescriptor ModelDerivesFromModel = Error(
        ModelDerivesFromModelId,
        "Model type derives from another model type",
        "Model type '{0}' derives from the model type '{1}', which has a Gradient of its own: SourceDiff cannot add the adjoint of '{2}'; hold the '{1}' in a field (a layer) instead of deriving from it",
        "A model's Gradient holds every parameter the adjoints write; a base model's adjoints write the base's Gradient, which a derived Gradient cannot extend. Fields inherited from base classes that are not models are supported.");

    public static readonly DiagnosticDescriptor ReservedFieldName = Error(
        ReservedFieldNameId,
        "Parameter field has the name of a member of the generated Gradient",
        "The field '{0}' of '{1}' would be the Gradient's field '{0}', but the generated Gradient already has a member of that name: rename the field",
        "Every trainable parameter (and layer) of a model becomes a field of the same name of its Gradient, beside the Gradient's own members (Copy, Clear, Scale, Dot, Norm, …).");

    public static readonly DiagnosticDescriptor DerivativeIntoNoDerivative = Error(
        DerivativeIntoNoDerivativeId,
        "Differentiable value written into [NoDerivative] storage",
        "'{0}' writes a differentiable value into the [NoDerivative] '{1}' (directly or through an array that may refer to it) in [Differentiable] method '{2}': its derivative would be lost; remove [NoDerivative], or write Grad.Stop(value) to drop it on purpose",
        "[NoDerivative] data has no adjoint. Writes are followed through local aliases, ?:, rows of jagged arrays and callees that write their parameters, so a write that may reach such data is reported where it is written.");

    public static readonly DiagnosticDescriptor DerivativeIntoUntrackedStorage = Error(
        DerivativeIntoUntrackedStorageId,
        "Differentiable value written into storage SourceDiff cannot track",
        "'{0}' writes a differentiable value into an array that may be storage SourceDiff cannot track (a static table, an array of another object, a call result) in [Differentiable] method '{1}': its derivative would be lost; write into a parameter, a field of this or a local array (copy the data into one first)",
        "Adjoints exist for parameters, fields of the model and local arrays. An array reached any other way has none, so a derivative written into it would be dropped.");

    public static readonly DiagnosticDescriptor CheckpointNotPossible = Error(
        CheckpointNotPossibleId,
        "Loop cannot be checkpointed",
        "[Checkpoint] on '{0}' cannot checkpoint {1}: {2}",
        "[Checkpoint] recomputes the iterations of the method's loops that are not nested in another loop from snapshots of their carried state, so it needs counted for loops (or foreach over arrays) whose trip count is known when they start, and state it can copy.");

    public static readonly DiagnosticDescriptor LoopTapeCost = new(
        LoopTapeCostId,
        "Tape recorded per loop iteration",
        "Each iteration of this loop records {0} for the gradient of '{1}'; a gradient call keeps what every iteration recorded until its reverse sweep",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        "The forward sweep of a gradient call records the values its reverse sweep needs and cannot recompute. Memory grows with the trip count: multiply by the number of iterations (and by the outer loops' trip counts) to get what a call holds at its peak. See " + DocsBase + "performance.md#tape-cost.",
        HelpBase + LoopTapeCostId.ToLowerInvariant());

    public static readonly DiagnosticDescriptor CheckpointSuggested = new(
        CheckpointSuggestedId,
        "Long loops can be checkpointed",
        "This loop runs as many times as the inputs of '{0}' say, and each iteration records {1}: a gradient call keeps all of it until its reverse sweep; [Checkpoint] on '{0}' keeps about √(2T) snapshots of the loop's state instead and recomputes the rest",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        "A loop over a sequence records every iteration, so a gradient over 10⁶ steps can need gigabytes. [Checkpoint] (binomial checkpointing) gives the same gradient, bit for bit, with memory for one iteration plus the snapshots, for about two more runs of the primal loop. See " + DocsBase + "performance.md#checkpointing.",
        HelpBase + CheckpointSuggestedId.ToLowerInvariant());

    private static DiagnosticDescriptor Error(string id, string title, string message, string description) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description, HelpBase + id.ToLowerInvariant());
}
