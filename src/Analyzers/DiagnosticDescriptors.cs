using Microsoft.CodeAnalysis;

namespace SourceDiff.Analyzers;

/// <summary>
/// Every diagnostic the SourceDiff analyzers report. ID ranges:
/// SD0001-SD0999 are reserved for the generator (errors: unsupported construct, missing derivative, bad signature);
/// SD1001-SD1999 are analyzer warnings about state and silent-gradient hazards;
/// SD2001-SD2999 are informational notes about deliberate gradient stops and truncation;
/// SD9001-SD9999 are warnings of the package's MSBuild targets (src/Runtime/buildTransitive/SourceDiff.targets).
/// The IDs are constants so code fixes and tests name the same strings.
/// </summary>
public static class DiagnosticDescriptors
{
    public const string StaticMutableStateId = "SD1001";
    public const string CapturedMutableVariableId = "SD1002";
    public const string UnorderedStatefulCallId = "SD1003";
    public const string UnmarkedStateFieldId = "SD1004";
    public const string ZeroDerivativeOperationId = "SD1005";
    public const string CheckpointWithoutDifferentiableId = "SD1006";
    public const string GradStopId = "SD2001";
    public const string NoDerivativeId = "SD2002";

    private const string StateCategory = "SourceDiff.State";
    private const string GradientCategory = "SourceDiff.Gradient";
    private const string HelpBase = "https://github.com/sourcediff/sourcediff/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor StaticMutableState = new(
        StaticMutableStateId,
        title: "Static mutable state in differentiable code",
        messageFormat: "'{0}' {1} static mutable state '{2}'; gradients depend on whatever the global holds when they run and can disagree with finite differences",
        StateCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A [Differentiable] method, or a helper it calls, reads or writes a static field, a static property with a setter, or the elements of a static array. "
            + "The generated adjoint cannot snapshot or restore a global: it is shared by every caller, must be reset by hand before each evaluation, and a gradient check that re-evaluates the method sees a different value each time. "
            + "Keep hidden state in an instance [State] field or pass it as a ref parameter.",
        helpLinkUri: HelpBase + "sd1001");

    public static readonly DiagnosticDescriptor CapturedMutableVariable = new(
        CapturedMutableVariableId,
        title: "Captured mutable variable in differentiable code",
        messageFormat: "The {0} captures '{1}', which is reassigned, and {2}; the value it sees depends on when it runs, and no derivative flows through the capture",
        StateCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A lambda, anonymous method or local function that captures a local or parameter which is assigned after its declaration, and is written in a [Differentiable] method, passed to one, or calls one and is handed to LINQ, Parallel or a task. "
            + "The captured variable is shared mutable state whose value depends on when the delegate runs; gradients cannot follow it. "
            + "Pass the value as an argument, or write the computation as a loop.",
        helpLinkUri: HelpBase + "sd1002");

    public static readonly DiagnosticDescriptor UnorderedStatefulCall = new(
        UnorderedStatefulCallId,
        title: "Stateful differentiable method called in an order the code does not fix",
        messageFormat: "'{0}' writes state '{1}' and is called through {2}; the order of its calls is not fixed by the code, so its state and gradients can disagree with a sequential evaluation",
        StateCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A [Differentiable] method that writes fields, [State], static state or ref parameters is invoked inside a lambda or turned into a delegate that LINQ (Select, Aggregate), Parallel.For, Task.Run or a differentiable method runs. A delegate of ordinary code kept in a Func and called in place is not reported. "
            + "Deferred, lazy or parallel evaluation decides when each call happens, so each call sees a different state than a plain loop would: this is the Flux 'm.(x)' bug, where the pullback saw stateful calls in the wrong order. "
            + "Call it in a for loop.",
        helpLinkUri: HelpBase + "sd1003");

    public static readonly DiagnosticDescriptor UnmarkedStateField = new(
        UnmarkedStateFieldId,
        title: "Field written by a differentiable method is not marked [State]",
        messageFormat: "'{0}' writes field '{1}', which is not marked [State]; {2}",
        StateCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A [Differentiable] method assigns a field (or elements of an array field) that is not marked [State]. "
            + "A floating-point field that is not [State] is a trainable parameter: overwriting it during the evaluation means the gradient is taken with respect to a value that no longer exists. "
            + "Any other written field is hidden state that gradient checks and repeated calls do not know to restore. Mark hidden state [State].",
        helpLinkUri: HelpBase + "sd1004");

    public static readonly DiagnosticDescriptor ZeroDerivativeOperation = new(
        ZeroDerivativeOperationId,
        title: "Differentiable value passed through an operation with zero derivative",
        messageFormat: "The derivative of {0} is zero almost everywhere: no gradient flows back to '{1}' through it",
        GradientCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A value that depends on a differentiable input goes through a cast to an integer type, Math.Round, Floor, Ceiling, Truncate or Sign, a Convert.To* integer conversion, or a comparison turned into a constant (x > 0 ? 1 : 0), and has no other way to the result (t in t - (int)t keeps its gradient). "
            + "These are differentiated as zero, so the gradient silently vanishes there. If that is intended, write Grad.Stop to say so; otherwise use a smooth function.",
        helpLinkUri: HelpBase + "sd1005");

    public static readonly DiagnosticDescriptor GradStop = new(
        GradStopId,
        title: "Gradient stopped with Grad.Stop",
        messageFormat: "Grad.Stop truncates the gradient of '{0}': no derivative flows through this value",
        GradientCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Grad.Stop returns its argument with no derivative. It is how truncated back-propagation through time is written, and it is reported so that truncation is never silent.",
        helpLinkUri: HelpBase + "sd2001");

    public static readonly DiagnosticDescriptor NoDerivative = new(
        NoDerivativeId,
        title: "[NoDerivative] excludes a value from the gradient",
        messageFormat: "'{0}' is marked [NoDerivative]: no gradient is computed with respect to it",
        GradientCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "A [NoDerivative] parameter gets no gradient argument, and a [NoDerivative] field is data rather than a trainable parameter. It is reported so that an excluded input is never a surprise.",
        helpLinkUri: HelpBase + "sd2002");
    public static readonly DiagnosticDescriptor CheckpointWithoutDifferentiable = new(
        CheckpointWithoutDifferentiableId,
        title: "[Checkpoint] on a method that is not [Differentiable]",
        messageFormat: "[Checkpoint] on '{0}' does nothing: the method is not [Differentiable], so no gradient is generated for it",
        GradientCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "[Checkpoint] changes how the gradient of a [Differentiable] method records its loops. On any other method it is ignored, so the memory it was meant to save would silently be spent by whatever computes that method's gradient. "
            + "Add [Differentiable], or remove [Checkpoint].",
        helpLinkUri: HelpBase + "sd1006");
}
