using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using SourceDiff.Testing;
using Xunit;

namespace SourceDiff.Samples.SnapshotTests;

/// <summary>
/// The adjoints generated for the sample models are committed under Snapshots/; a change to a model or to the generator
/// that changes them fails here with a line diff. Accept a reviewed change with SOURCEDIFF_ACCEPT_SNAPSHOTS=1.
/// </summary>
public class GeneratedAdjointTests
{
    private static string TestDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static readonly string SnapshotDirectory = Path.Combine(TestDirectory(), "Snapshots");

    /// <summary>The model sources, generated together because models use each other as layers.</summary>
    private static GeneratedCode Generated { get; } = SourceDiffGenerator
        .RunOnFiles(Directory.GetFiles(Path.Combine(TestDirectory(), "..", "SourceDiff.Samples", "Models"), "*.cs"))
        .EnsureNoErrors();

    public static IEnumerable<object[]> GeneratedFiles() => Generated.Files.Keys.Select(hintName => new object[] { hintName });

    [Theory]
    [MemberData(nameof(GeneratedFiles))]
    public void Generated_file_matches_its_snapshot(string hintName) =>
        Snapshot.Verify(Generated[hintName], Path.Combine(SnapshotDirectory, GeneratedCode.SnapshotName(hintName)));

    [Fact]
    public void Every_snapshot_still_has_a_generated_file()
    {
        var expected = Generated.Files.Keys.Select(GeneratedCode.SnapshotName).ToHashSet();
        string[] stale = Directory.GetFiles(SnapshotDirectory, "*.verified.cs").Select(Path.GetFileName).Where(name => !expected.Contains(name!)).ToArray()!;

        Assert.True(stale.Length == 0, "Snapshots of files the generator no longer writes (delete them): " + string.Join(", ", stale));
    }
}
