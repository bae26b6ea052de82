using SourceDiff.Rules;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Model;

// Contract of every model in this folder: plain equatable data. No ISymbol, SyntaxNode, Location, SemanticModel or
// Compilation is stored, so the incremental pipeline can cache by value and no compilation is kept alive.

/// <summary>A <c>[Differentiable]</c> method, lowered to IR, plus everything emission needs about its type.</summary>
internal sealed record MethodModel(
    ContainingTypeModel Type,
    string Name,
    string Accessibility,
    bool IsStatic,
    TypeRef ReturnType,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<LocalModel> Locals,
    Block Body,
    string HintName,
    Site Site,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool HasErrors,
    bool IsGeneric = false)
{
    /// <summary>
    /// The fields of <c>this</c> an instance method may write, with everything it calls (layers by their field), which
    /// a gradient call saves after its forward sweep and puts back after its reverse sweep.
    /// </summary>
    public EquatableArray<string> WrittenFields { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The method's <c>[Checkpoint]</c>, or null: its top-level loops are checkpointed (<see cref="CheckpointRequest"/>).</summary>
    public CheckpointRequest? Checkpoint { get; init; }

    /// <summary>A key that identifies the method across the compilation (type, name and parameter types).</summary>
    public string Key => Type.FullName + "." + Name + "(" + string.Join(",", System.Linq.Enumerable.Select(Parameters, p => p.Type.Display)) + ")";
}

/// <summary><c>[Checkpoint(Snapshots = n)]</c> on a method (0: SourceDiff chooses), and where it stands.</summary>
internal sealed record CheckpointRequest(int Snapshots, Site Site);

/// <summary>A parameter of a differentiable method.</summary>
/// <param name="MayBeWritten">Whether the method may write the storage the parameter refers to (an array's elements, a vector's).</param>
internal sealed record ParameterModel(string Name, TypeRef Type, RefMode Mode, bool IsDifferentiable, bool MayBeWritten = false)
{
    /// <summary>The name of its gradient argument: <c>w</c> → <c>dw</c>, <c>hPrev</c> → <c>dHPrev</c>.</summary>
    public string GradientName => Name.Length == 0 ? "d" : "d" + char.ToUpperInvariant(Name[0]) + Name.Substring(1);
}

/// <summary>A local of the lowered body (user locals after renaming, and lowering's temporaries).</summary>
internal sealed record LocalModel(string Name, TypeRef Type);

/// <summary>
/// The type that contains a differentiable method, with its enclosing types (outermost first) so the generated code
/// can reopen them, and — for types with instance methods — the fields that make up its <c>Gradient</c> (its own and
/// those inherited from bases that are not models). <c>BaseModel</c> names a base class that is a model itself, which
/// is not supported (SD0010): its Gradient and snapshot members are hidden, not extended.
/// </summary>
internal sealed record ContainingTypeModel(
    string Namespace,
    EquatableArray<TypeDeclarationModel> Declarations,
    string FullName,
    EquatableArray<FieldModel> Fields,
    bool IsModel,
    bool IsValueType,
    bool IsPartial,
    string? BaseModel = null);

/// <summary>One level of the type nesting: <c>partial class Outer</c>, then <c>partial struct Inner</c>.</summary>
internal sealed record TypeDeclarationModel(string Keyword, string NameWithTypeParameters);

/// <summary>
/// A field of a model. <c>LayerType</c> is the layer's type for layers (and arrays of layers). <c>IsRead</c> and
/// <c>IsWritten</c>: whether any differentiable method of the model (with everything it calls) may read or write it,
/// from <c>FieldAccessScan</c>; a gradient call checks only what is read and restores only what is written.
/// <c>Property</c>: set for an auto-property, read and written through its accessors, whose storage cannot be passed by ref.
/// </summary>
/// <c>IsRebound</c>: an array field some differentiable method may point at another array (a buffer swap), or a layer
/// whose own arrays (or its layers') may be; a snapshot that copies contents cannot undo that.
internal sealed record FieldModel(string Name, TypeRef Type, FieldRole Role, string? LayerType, bool IsReadOnly, bool IsRead = true, bool IsWritten = true, PropertyStorage? Property = null, bool IsRebound = false);

/// <summary>
/// Where an auto-property's value lives: the compiler's backing field (named as the compiler names it) in the type that
/// declares the property, which generated code reaches by an <c>UnsafeAccessor</c> to hand it out as a writable span.
/// </summary>
internal sealed record PropertyStorage(string BackingField, string DeclaringType);
