using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>
/// Golden-file checks of generated code. Each snapshot is a committed <c>Snapshots/Name.verified.cs</c> (a sweep plan
/// dump: <c>.verified.txt</c>); on a mismatch the actual text is written beside it as <c>Name.received.cs</c> and the
/// test fails with a line diff.
/// Set <c>SOURCEDIFF_ACCEPT_SNAPSHOTS=1</c> to accept the received text as the new snapshot (then read the diff).
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "SOURCEDIFF_ACCEPT_SNAPSHOTS";

    public static void Verify(string name, string actual, string extension = ".cs", [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(callerPath))!, "Snapshots");
        string verifiedPath = Path.Combine(directory, name + ".verified" + extension);
        string receivedPath = Path.Combine(directory, name + ".received" + extension);
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(verifiedPath)!);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        string expected = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n") : string.Empty;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        Assert.Fail($"Snapshot {name} differs from {verifiedPath} (received text written to {receivedPath}; set {AcceptVariable}=1 to accept):\n" + Diff(expected, actual));
    }

    /// <summary>A compact line diff: the first differing region with a few lines of context.</summary>
    private static string Diff(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        int start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
        {
            start++;
        }

        int endA = a.Length - 1, endB = b.Length - 1;
        while (endA >= start && endB >= start && a[endA] == b[endB])
        {
            endA--;
            endB--;
        }

        var text = new StringBuilder();
        for (int i = Math.Max(0, start - 3); i < start; i++)
        {
            text.Append("  ").Append(i + 1).Append(": ").AppendLine(a[i]);
        }

        for (int i = start; i <= endA && i < start + 40; i++)
        {
            text.Append("- ").Append(i + 1).Append(": ").AppendLine(a[i]);
        }

        for (int i = start; i <= endB && i < start + 40; i++)
        {
            text.Append("+ ").Append(i + 1).Append(": ").AppendLine(b[i]);
        }

        return text.ToString();
    }
}
