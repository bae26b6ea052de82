using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SourceDiff.Testing;
using Xunit;

namespace SourceDiff.Tests.Testing;

/// <summary>The snapshot-testing package users get: running the generator, naming its files, comparing and diffing.</summary>
public sealed class SnapshotTestingTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "sourcediff-snapshots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private const string Overloads = """
        using SourceDiff;
        namespace Shop;
        public static partial class Prices
        {
            [Differentiable] public static double Cost(double p) => p * p;
            [Differentiable] public static double Cost(double p, double[] q) => p * q[0];
            [Differentiable] public static double Cost(ref double p, float k) { p = p * k; return p; }
        }
        """;

    private const string OverloadsReordered = """
        using SourceDiff;
        namespace Shop;
        public static partial class Prices
        {
            [Differentiable] public static double Cost(ref double p, float k) { p = p * k; return p; }
            [Differentiable] public static double Cost(double p, double[] q) => p * q[0];
            [Differentiable] public static double Cost(double p) => p * p;
            [Differentiable] public static double Total(double p) => Cost(p) + 1;
        }
        """;

    [Fact]
    public void Files_are_named_by_type_and_method_and_overloads_by_their_parameter_types()
    {
        GeneratedCode generated = SourceDiffGenerator.Run(Overloads).EnsureNoErrors();

        Assert.Equal(new[] { "Shop.Prices.Cost(double).g.cs", "Shop.Prices.Cost(double,double[]).g.cs", "Shop.Prices.Cost(ref-double,float).g.cs" }, generated.Files.Keys);
        Assert.Contains("CostGradient", generated["Shop.Prices.Cost(double)"], StringComparison.Ordinal);
    }

    [Fact]
    public void Reordering_or_adding_overloads_keeps_each_overloads_file_name_and_text()
    {
        GeneratedCode before = SourceDiffGenerator.Run(Overloads).EnsureNoErrors();
        GeneratedCode after = SourceDiffGenerator.Run(OverloadsReordered).EnsureNoErrors();

        foreach ((string hintName, string text) in before.Files)
        {
            Assert.Equal(text, after.Files[hintName]);
        }

        Assert.Contains("Shop.Prices.Total.g.cs", after.Files.Keys);
    }

    [Fact]
    public void A_name_that_was_not_generated_lists_the_names_there_are()
    {
        GeneratedCode generated = SourceDiffGenerator.Run(Overloads);

        var error = Assert.Throws<KeyNotFoundException>(() => generated["Shop.Prices.Price"]);
        Assert.Contains("Shop.Prices.Cost(double).g.cs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_of_the_generator_and_the_compilation_are_reported_on_request()
    {
        GeneratedCode generated = SourceDiffGenerator.Run("""
            using SourceDiff;
            public static partial class Tables
            {
                [Differentiable] public static double F([NoDerivative] double[] table, double x) { table[0] = x; return table[0] * x; }
            }
            """);

        Assert.Contains(generated.GeneratorDiagnostics, d => d.Id == "SD0012");
        var error = Assert.Throws<InvalidOperationException>(() => generated.EnsureNoErrors());
        Assert.Contains("SD0012", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_and_null_sources_are_argument_errors_naming_the_parameter()
    {
        Assert.Equal("paths", Assert.Throws<ArgumentException>(() => SourceDiffGenerator.RunOnFiles(new[] { Path.Combine(directory, "Missing.cs") })).ParamName);
        Assert.Equal("sources", Assert.Throws<ArgumentException>(() => SourceDiffGenerator.Run(new string[] { null! }, Array.Empty<System.Reflection.Assembly>())).ParamName);
    }

    [Fact]
    public void Files_on_disk_run_like_texts()
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "Prices.cs");
        File.WriteAllText(path, Overloads);

        Assert.Equal(SourceDiffGenerator.Run(Overloads).Files, SourceDiffGenerator.RunOnFiles(new[] { path }).Files);
    }

    [Fact]
    public void A_matching_snapshot_passes_whatever_its_line_ends()
    {
        string verified = Path.Combine(directory, "A.verified.cs");
        Directory.CreateDirectory(directory);
        File.WriteAllText(verified, "line 1\r\nline 2\r\n");

        Snapshot.Compare("line 1\nline 2\n", verified, accept: false);

        Assert.False(File.Exists(Path.Combine(directory, "A.received.cs")));
    }

    [Fact]
    public void A_mismatch_writes_the_received_text_and_shows_only_the_changed_lines_with_context()
    {
        string[] lines = Enumerable.Range(1, 40).Select(i => $"line {i}").ToArray();
        string verified = Path.Combine(directory, "A.verified.cs");
        Directory.CreateDirectory(directory);
        File.WriteAllText(verified, string.Join("\n", lines) + "\n");
        lines[19] = "line twenty";

        var mismatch = Assert.Throws<SnapshotMismatchException>(() => Snapshot.Compare(string.Join("\n", lines) + "\n", verified, accept: false));

        Assert.Equal(verified, mismatch.VerifiedPath);
        Assert.Equal(Path.Combine(directory, "A.received.cs"), mismatch.ReceivedPath);
        Assert.Equal(string.Join("\n", lines) + "\n", File.ReadAllText(mismatch.ReceivedPath));
        string diff = mismatch.Message[mismatch.Message.IndexOf("@@", StringComparison.Ordinal)..].Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal("@@ -17,7 +17,7 @@\n line 17\n line 18\n line 19\n-line 20\n+line twenty\n line 21\n line 22\n line 23\n", diff);
    }

    [Fact]
    public void A_missing_snapshot_is_a_mismatch_and_accepting_writes_it()
    {
        string verified = Path.Combine(directory, "New", "B.verified.cs");

        var mismatch = Assert.Throws<SnapshotMismatchException>(() => Snapshot.Compare("text\n", verified, accept: false));
        Assert.Contains("There is no snapshot yet", mismatch.Message, StringComparison.Ordinal);

        Snapshot.Compare("text\r\n", verified, accept: true);
        Assert.Equal("text\n", File.ReadAllText(verified));
        Assert.False(File.Exists(mismatch.ReceivedPath));
        Snapshot.Compare("text\n", verified, accept: false);
    }

    [Fact]
    public void A_snapshot_path_without_a_verified_part_is_an_argument_error()
    {
        Assert.Equal("verifiedPath", Assert.Throws<ArgumentException>(() => Snapshot.Verify("x", Path.Combine(directory, "A.cs"))).ParamName);
    }

    [Fact]
    public void Insertions_and_deletions_are_aligned_line_by_line()
    {
        string diff = LineDiff.Unified("a\nb\nc\nd\n", "a\nc\nx\nd\n").Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.Equal("@@ -1,4 +1,4 @@\n a\n-b\n c\n+x\n d\n", diff);
    }

    [Fact]
    public void Verifying_a_run_checks_every_file_and_reports_every_mismatch()
    {
        GeneratedCode generated = SourceDiffGenerator.Run(Overloads).EnsureNoErrors();

        var mismatch = Assert.Throws<SnapshotMismatchException>(() => generated.VerifySnapshots(directory, accept: false));

        Assert.StartsWith("3 generated files differ", mismatch.Message, StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(directory, "*.received.cs").Length);
        Assert.True(File.Exists(Path.Combine(directory, "Shop.Prices.Cost(double,double[]).received.cs")));
    }
}
