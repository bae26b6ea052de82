using System;
using System.Collections.Generic;
using System.Text;

namespace SourceDiff.Testing;

/// <summary>A unified line diff (longest common subsequence of lines), for reading a snapshot mismatch in a test log.</summary>
public static class LineDiff
{
    private const int ContextLines = 3;
    private const int MaxOutputLines = 200;

    /// <summary>Larger changed regions are shown as one replacement rather than aligned line by line.</summary>
    private const long MaxAlignedCells = 16_000_000;

    /// <summary>The diff from <paramref name="expected"/> to <paramref name="actual"/>: hunks of <c>-</c>, <c>+</c> and context lines.</summary>
    /// <param name="expected">The old text.</param>
    /// <param name="actual">The new text.</param>
    public static string Unified(string expected, string actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        string[] a = SplitLines(expected);
        string[] b = SplitLines(actual);
        List<Edit> edits = Align(a, b);
        var text = new StringBuilder();
        int written = 0;
        int i = 0;
        while (i < edits.Count && written < MaxOutputLines)
        {
            if (edits[i].Kind == ' ')
            {
                i++;
                continue;
            }

            // A hunk: changes closer than twice the context apart share one.
            int start = Math.Max(0, i - ContextLines);
            int end = i;
            int lastChange = i;
            while (end < edits.Count && end - lastChange <= 2 * ContextLines)
            {
                if (edits[end].Kind != ' ')
                {
                    lastChange = end;
                }

                end++;
            }

            end = Math.Min(edits.Count, lastChange + 1 + ContextLines);
            int oldCount = 0, newCount = 0;
            for (int k = start; k < end; k++)
            {
                oldCount += edits[k].Kind != '+' ? 1 : 0;
                newCount += edits[k].Kind != '-' ? 1 : 0;
            }

            text.Append("@@ -").Append(edits[start].OldLine).Append(',').Append(oldCount)
                .Append(" +").Append(edits[start].NewLine).Append(',').Append(newCount).AppendLine(" @@");
            for (int k = start; k < end && written < MaxOutputLines; k++, written++)
            {
                text.Append(edits[k].Kind).AppendLine(edits[k].Kind == '+' ? b[edits[k].NewLine - 1] : a[edits[k].OldLine - 1]);
            }

            i = end;
        }

        if (written >= MaxOutputLines)
        {
            text.AppendLine($"… (diff cut at {MaxOutputLines} lines; compare the files)");
        }

        return text.ToString();
    }

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? Array.Empty<string>() : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    /// <summary>One line of the diff: kind ' ', '-' or '+', and its 1-based line numbers in the old and new text.</summary>
    private readonly record struct Edit(char Kind, int OldLine, int NewLine);

    private static List<Edit> Align(string[] a, string[] b)
    {
        int prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        int suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix])
        {
            suffix++;
        }

        var edits = new List<Edit>();
        for (int k = 0; k < prefix; k++)
        {
            edits.Add(new Edit(' ', k + 1, k + 1));
        }

        int n = a.Length - prefix - suffix, m = b.Length - prefix - suffix;
        if ((long)n * m > MaxAlignedCells)
        {
            for (int k = 0; k < n; k++)
            {
                edits.Add(new Edit('-', prefix + k + 1, prefix + 1));
            }

            for (int k = 0; k < m; k++)
            {
                edits.Add(new Edit('+', prefix + n + 1, prefix + k + 1));
            }
        }
        else
        {
            AlignMiddle(a, b, prefix, n, m, edits);
        }

        for (int k = 0; k < suffix; k++)
        {
            edits.Add(new Edit(' ', prefix + n + k + 1, prefix + m + k + 1));
        }

        return edits;
    }

    /// <summary>Longest common subsequence of the changed middle, walked forward into deletions, insertions and kept lines.</summary>
    private static void AlignMiddle(string[] a, string[] b, int offset, int n, int m, List<Edit> edits)
    {
        // common[i, j]: length of the LCS of a[offset + i ..] and b[offset + j ..] within the middle.
        int[,] common = new int[n + 1, m + 1];
        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = m - 1; j >= 0; j--)
            {
                common[i, j] = a[offset + i] == b[offset + j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[offset + x] == b[offset + y])
            {
                edits.Add(new Edit(' ', offset + x + 1, offset + y + 1));
                x++;
                y++;
            }
            else if (y == m || (x < n && common[x + 1, y] >= common[x, y + 1]))
            {
                edits.Add(new Edit('-', offset + x + 1, offset + y + 1));
                x++;
            }
            else
            {
                edits.Add(new Edit('+', offset + x + 1, offset + y + 1));
                y++;
            }
        }
    }
}
