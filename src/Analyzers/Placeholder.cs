namespace SourceDiff.Analyzers;

internal static class Placeholder
{
}
