using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Package.Tests;

/// <summary>
/// The SourceDiff package as a new user gets it: one package with the runtime for net8.0 and net10.0 and the generator,
/// analyzers and code fixes; a consumer under TreatWarningsAsErrors, Nullable, AnalysisLevel latest-all and
/// GenerateDocumentationFile builds with no diagnostic from generated code, runs, and passes the gradient check.
/// </summary>
public sealed class PackageTests(PackedConsumer packed, ITestOutputHelper output) : IClassFixture<PackedConsumer>
{
    [Fact]
    public void Pack_succeeds_without_warnings()
    {
        output.WriteLine($"pack and consumer build: {packed.Elapsed.TotalSeconds:F0} s");
        Assert.True(packed.Pack.ExitCode == 0, packed.Pack.ToString());
        Assert.True(File.Exists(packed.PackagePath), packed.Pack.ToString());
        Assert.Empty(PackedConsumer.Diagnostics(packed.Pack));
    }

    [Fact]
    public void Package_holds_the_runtime_for_both_frameworks_and_the_analyzers_in_one_package()
    {
        using ZipArchive package = ZipFile.OpenRead(packed.PackagePath);
        var files = package.Entries.Select(e => e.FullName).Where(name => !IsPackagingPart(name)).Order(System.StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "README.md",
                "analyzers/dotnet/cs/SourceDiff.Analyzers.CodeFixes.dll",
                "analyzers/dotnet/cs/SourceDiff.Analyzers.dll",
                "analyzers/dotnet/cs/SourceDiff.Generator.dll",
                "build/SourceDiff.targets",
                "buildTransitive/SourceDiff.targets",
                "lib/net10.0/SourceDiff.Runtime.dll",
                "lib/net10.0/SourceDiff.Runtime.xml",
                "lib/net8.0/SourceDiff.Runtime.dll",
                "lib/net8.0/SourceDiff.Runtime.xml",
            ],
            files);
    }

    [Fact]
    public void Package_metadata_is_real_and_depends_only_on_the_vector_libraries_its_kernels_call()
    {
        using ZipArchive package = ZipFile.OpenRead(packed.PackagePath);
        using Stream stream = package.GetEntry("SourceDiff.nuspec")!.Open();
        XElement metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal("SourceDiff", Field("id"));
        Assert.Equal(packed.Version, Field("version"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.DoesNotContain("Package Description", Field("description"));
        Assert.Contains("source-generator", Field("tags"));
        XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("https://github.com/sourcediff/sourcediff", (string?)repository.Attribute("url"));

        // One group per framework, with only the libraries the runtime's kernels call (TensorPrimitives, MathNet.Numerics):
        // nothing else (Roslyn, test packages) comes along with the runtime.
        var groups = metadata.Elements().Single(e => e.Name.LocalName == "dependencies").Elements().ToList();
        Assert.Equal(["net10.0", "net8.0"], groups.Select(g => (string?)g.Attribute("targetFramework")).Order());
        Assert.All(groups, group => Assert.Equal(
            ["MathNet.Numerics 5.0.0", "System.Numerics.Tensors 10.0.0"],
            group.Elements().Select(d => (string?)d.Attribute("id") + " " + (string?)d.Attribute("version")).Order()));
    }

    [Fact]
    public void Strict_consumer_builds_for_net8_and_net10_with_no_diagnostic_but_the_expected_SD1001()
    {
        CommandResult build = BuildOrFail();
        IReadOnlyList<Diagnostic> diagnostics = PackedConsumer.Diagnostics(build);

        // Every diagnostic is the deliberate SD1001 in GlobalState.cs; in particular none is in a generated file.
        Assert.All(diagnostics, d => Assert.True(d.Code == "SD1001" && Path.GetFileName(d.File).StartsWith("GlobalState.cs(", System.StringComparison.Ordinal), build.ToString()));
        Assert.DoesNotContain(diagnostics, d => d.File.Contains(".g.cs", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Static_mutable_field_read_in_a_differentiable_method_gives_SD1001_for_each_framework()
    {
        CommandResult build = BuildOrFail();
        var frameworks = PackedConsumer.Diagnostics(build)
            .Where(d => d.Code == "SD1001" && d.Severity == "warning")
            .Select(d => d.Message.Contains("TargetFramework=net8.0", System.StringComparison.Ordinal) ? "net8.0" : "net10.0")
            .Distinct()
            .Order();
        Assert.Equal(["net10.0", "net8.0"], frameworks);
    }

    [Theory]
    [InlineData("net8.0")]
    [InlineData("net10.0")]
    public void Consumer_runs_and_its_gradients_pass_the_gradient_check(string framework)
    {
        BuildOrFail();
        // Only the .NET 10 runtime may be installed: a net8.0 program runs on it by rolling forward, as users may.
        var environment = new Dictionary<string, string> { ["DOTNET_ROLL_FORWARD"] = "Major" };
        CommandResult run = DotNet.Run(packed.ConsumerDirectory, environment, packed.ConsumerAssembly(framework));
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Gradient check of function passed", run.Output);
        Assert.Contains("Gradient check of TinyRnn passed", run.Output);
    }

    [Fact]
    public void Compiler_older_than_Roslyn_4_8_gets_a_build_warning_instead_of_CS0117()
    {
        BuildOrFail();
        CommandResult old = CheckCompiler("roslyn4.4");
        Assert.Contains(PackedConsumer.Diagnostics(old), d => d.Code == "SD9001" && d.Message.Contains("'roslyn4.4'", System.StringComparison.Ordinal));

        CommandResult supported = CheckCompiler("roslyn4.8");
        Assert.True(supported.ExitCode == 0, supported.ToString());
        Assert.DoesNotContain(PackedConsumer.Diagnostics(supported), d => d.Code == "SD9001");
    }

    /// <summary>Runs only the package's check, with the compiler version the compiler's own targets would set overridden.</summary>
    private CommandResult CheckCompiler(string compilerApiVersion) => DotNet.Run(packed.ConsumerDirectory, null,
        "msbuild", "-t:SourceDiffCheckCompilerVersion", "-p:TargetFramework=net10.0", "-p:CompilerApiVersion=" + compilerApiVersion,
        "-nodeReuse:false", "-clp:NoSummary");

    private CommandResult BuildOrFail()
    {
        Assert.True(packed.Pack.ExitCode == 0, packed.Pack.ToString());
        Assert.NotNull(packed.Build);
        Assert.True(packed.Build.ExitCode == 0, packed.Build.ToString());
        return packed.Build;
    }

    private static bool IsPackagingPart(string name) =>
        name.StartsWith("_rels/", System.StringComparison.Ordinal)
        || name.StartsWith("package/", System.StringComparison.Ordinal)
        || name == "[Content_Types].xml"
        || name.EndsWith(".nuspec", System.StringComparison.Ordinal);
}
