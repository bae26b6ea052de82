using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace SourceDiff.Analyzers.Tests.Infrastructure;

/// <summary>An expected diagnostic: its ID and exact span in the source with the markup removed.</summary>
public readonly record struct ExpectedDiagnostic(string Id, TextSpan Span);

/// <summary>
/// Test sources mark expected diagnostics inline: <c>{|SD1001:H|}</c> names the ID, <c>[|H|]</c> uses the test's
/// default ID. Markers may nest. Parsing returns the plain source and the expected spans.
/// </summary>
public static class Markup
{
    public static (string Source, IReadOnlyList<ExpectedDiagnostic> Expected) Parse(string markup, string? defaultId)
    {
        var source = new StringBuilder(markup.Length);
        var expected = new List<ExpectedDiagnostic>();
        var open = new Stack<(string Id, int Start)>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (At(markup, i, "[|"))
            {
                open.Push((defaultId ?? throw new InvalidOperationException("[| |] markup needs a default diagnostic ID."), source.Length));
                i++;
            }
            else if (At(markup, i, "{|"))
            {
                var colon = markup.IndexOf(':', i);
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length));
                i = colon;
            }
            else if (At(markup, i, "|]") || At(markup, i, "|}"))
            {
                var (id, start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        if (open.Count != 0)
        {
            throw new InvalidOperationException("Unclosed diagnostic markup.");
        }

        return (source.ToString(), expected);
    }

    private static bool At(string text, int index, string token) =>
        string.CompareOrdinal(text, index, token, 0, token.Length) == 0;
}
