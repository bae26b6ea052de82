using System;
using System.IO;

namespace SourceDiff.Testing;

/// <summary>
/// Golden-file comparison of generated code. A snapshot is a committed <c>*.verified.cs</c> file; on a mismatch the
/// text received is written beside it as <c>*.received.cs</c> and a <see cref="SnapshotMismatchException"/> carries a
/// unified line diff. Set the environment variable <c>SOURCEDIFF_ACCEPT_SNAPSHOTS=1</c> to write the received text
/// over the snapshots instead (then review the change in version control).
/// </summary>
public static class Snapshot
{
    /// <summary>The environment variable that accepts received texts as the new snapshots when it is <c>1</c> or <c>true</c>.</summary>
    public const string AcceptVariable = "SOURCEDIFF_ACCEPT_SNAPSHOTS";

    /// <summary>True when <see cref="AcceptVariable"/> asks to accept received texts.</summary>
    public static bool Accepting =>
        Environment.GetEnvironmentVariable(AcceptVariable)?.Trim() is "1" || string.Equals(Environment.GetEnvironmentVariable(AcceptVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Compares <paramref name="actual"/> with the snapshot at <paramref name="verifiedPath"/>, ignoring the difference
    /// between CRLF and LF line ends. A missing snapshot is a mismatch against empty text.
    /// </summary>
    /// <param name="actual">The text produced now.</param>
    /// <param name="verifiedPath">The snapshot's path, conventionally ending in <c>.verified.cs</c>.</param>
    /// <exception cref="ArgumentException">A path is empty, or the snapshot's path has no <c>.verified.</c> part to name the received file by.</exception>
    /// <exception cref="SnapshotMismatchException">The texts differ (and accepting is off).</exception>
    public static void Verify(string actual, string verifiedPath) => Compare(actual, verifiedPath, Accepting);

    internal static void Compare(string actual, string verifiedPath, bool accept)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentException.ThrowIfNullOrEmpty(verifiedPath);
        string receivedPath = ReceivedPath(verifiedPath);
        actual = Normalize(actual);
        if (accept)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(verifiedPath))!);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        bool exists = File.Exists(verifiedPath);
        string expected = exists ? Normalize(File.ReadAllText(verifiedPath)) : string.Empty;
        if (exists && expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(receivedPath))!);
        File.WriteAllText(receivedPath, actual);
        string what = exists ? "The text received differs from the snapshot" : "There is no snapshot yet:";
        throw new SnapshotMismatchException(
            $"{what} {verifiedPath}; the text received is in {receivedPath}. Set {AcceptVariable}=1 to accept it."
                + Environment.NewLine + LineDiff.Unified(expected, actual),
            verifiedPath,
            receivedPath);
    }

    private static string ReceivedPath(string verifiedPath)
    {
        string name = Path.GetFileName(verifiedPath);
        int marker = name.LastIndexOf(".verified.", StringComparison.Ordinal);
        if (marker < 0)
        {
            throw new ArgumentException($"A snapshot path names a '.verified.' file (Name.verified.cs); got '{verifiedPath}'.", nameof(verifiedPath));
        }

        return Path.Combine(Path.GetDirectoryName(verifiedPath) ?? string.Empty, name[..marker] + ".received." + name[(marker + ".verified.".Length)..]);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
