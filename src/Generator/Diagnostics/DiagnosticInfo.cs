using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Diagnostics;

/// <summary>
/// Where a diagnostic or a statement points: an index into the locations the parse that produced it recorded. Models
/// hold sites, not positions, so an edit that only moves code (a blank line above a method) leaves them equal and
/// re-emits nothing; the locations themselves travel beside the model (<see cref="Parsed{T}"/>) to the diagnostics.
/// </summary>
internal readonly record struct Site(int Index);

/// <summary>
/// A diagnostic as plain data: its descriptor, its message arguments and its <see cref="Site"/>, turned into a
/// <see cref="Diagnostic"/> at a real source location (navigable, and suppressible by <c>#pragma</c> and
/// .editorconfig) when it is reported.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, Site Site, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Site site, params string[] arguments) =>
        new(descriptor, site, EquatableArray.Of(arguments));

    public Diagnostic ToDiagnostic(IReadOnlyList<Location> sites) =>
        Diagnostic.Create(Descriptor, Site.Index < sites.Count ? sites[Site.Index] : Location.None, Arguments.Cast<object>().ToArray());
}

/// <summary>The locations one parse refers to, in the order its sites were taken.</summary>
internal sealed class SiteTable
{
    private readonly List<Location> locations = new();

    public Site Add(Location location)
    {
        locations.Add(location);
        return new Site(locations.Count - 1);
    }

    public DiagnosticInfo Diagnostic(DiagnosticDescriptor descriptor, Location location, params string[] arguments) =>
        DiagnosticInfo.Create(descriptor, Add(location), arguments);

    public ImmutableArray<Location> ToArray() => locations.ToImmutableArray();
}

/// <summary>
/// A model with the locations its sites index. Only the model flows on to emission; the locations go to the
/// diagnostics alone, so positions never make two models unequal.
/// </summary>
internal sealed record Parsed<T>(T Model, ImmutableArray<Location> Sites)
{
    // Locations compare by tree and span, so an edit elsewhere leaves a parse equal and its diagnostics cached.
    public bool Equals(Parsed<T>? other) =>
        other is not null && EqualityComparer<T>.Default.Equals(Model, other.Model) && Sites.SequenceEqual(other.Sites);

    public override int GetHashCode() => EqualityComparer<T>.Default.GetHashCode(Model);
}
