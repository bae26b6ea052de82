using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Diagnostics;

/// <summary>A source location as plain data (file path, span, line span), so it can sit in a cached model.</summary>
internal sealed record SourceLocation(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static SourceLocation From(Location location)
    {
        FileLinePositionSpan lineSpan = location.GetLineSpan();
        return new SourceLocation(lineSpan.Path ?? string.Empty, location.SourceSpan, lineSpan.Span);
    }

    public Location ToLocation() => string.IsNullOrEmpty(FilePath) ? Location.None : Location.Create(FilePath, Span, LineSpan);
}

/// <summary>
/// A diagnostic as plain data: the descriptor's ID, its message arguments and where it points, turned back into a
/// <see cref="Diagnostic"/> at output time.
/// </summary>
internal sealed record DiagnosticInfo(string Id, SourceLocation Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] arguments) =>
        Create(descriptor, node.GetLocation(), arguments);

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location location, params string[] arguments) =>
        new(descriptor.Id, SourceLocation.From(location), EquatableArray.Of(arguments));

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SourceLocation location, params string[] arguments) =>
        new(descriptor.Id, location, EquatableArray.Of(arguments));

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location.ToLocation(), System.Linq.Enumerable.ToArray<object>(Arguments));
}
