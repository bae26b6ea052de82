using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace SourceDiff.Package.Tests;

/// <summary>
/// Packs SourceDiff once and builds the consumer project (Consumer/) from it, for every test of the class.
/// </summary>
/// <remarks>
/// The package gets a version no other build has (<c>0.1.0-preview.1.t…</c>), so no SourceDiff already in the NuGet
/// cache can stand in for it, and the consumer's nuget.config maps SourceDiff to the local folder alone: the only other
/// packages it may restore are the framework's own (the net8.0 reference pack) and the package's two dependencies,
/// System.Numerics.Tensors and MathNet.Numerics, from nuget.org. Everything is built in
/// a temporary folder outside the repository (no Directory.Build.props applies), and the package is removed from the
/// NuGet cache at the end.
/// </remarks>
public sealed partial class PackedConsumer : IDisposable
{
    public PackedConsumer()
    {
        var total = Stopwatch.StartNew();
        RepositoryRoot = FindRepositoryRoot();
        Root = Directory.CreateTempSubdirectory("sourcediff-package-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        ConsumerDirectory = Directory.CreateDirectory(Path.Combine(Root, "consumer")).FullName;
        VersionSuffix = "preview.1.t" + Guid.NewGuid().ToString("N")[..12];
        Version = "0.1.0-" + VersionSuffix;

        // A build of its own (artifacts outside the repository), so the repository's bin/ and obj/ are never touched
        // while other test projects use them.
        Pack = DotNet.Run(RepositoryRoot, null,
            "pack", Path.Combine("src", "Runtime", "SourceDiff.Runtime.csproj"),
            "-c", "Release", "-o", Feed, "--artifacts-path", Path.Combine(Root, "artifacts"),
            "-p:VersionSuffix=" + VersionSuffix, "-nodeReuse:false");
        PackagePath = Path.Combine(Feed, $"SourceDiff.{Version}.nupkg");
        if (Pack.ExitCode != 0 || !File.Exists(PackagePath))
        {
            return;
        }

        WriteConsumer();
        Build = DotNet.Run(ConsumerDirectory, null, "build", "-c", "Release", "-nodeReuse:false", "-clp:NoSummary");
        Elapsed = total.Elapsed;
    }

    public string RepositoryRoot { get; }

    /// <summary>The temporary folder everything is built in.</summary>
    public string Root { get; }

    /// <summary>The local package source: the package just packed, and nothing else.</summary>
    public string Feed { get; }

    public string ConsumerDirectory { get; }

    public string VersionSuffix { get; }

    public string Version { get; }

    public string PackagePath { get; }

    public CommandResult Pack { get; }

    /// <summary>The consumer's build, for net8.0 and net10.0; null when the pack failed.</summary>
    public CommandResult? Build { get; }

    public TimeSpan Elapsed { get; }

    public string ConsumerAssembly(string framework) => Path.Combine(ConsumerDirectory, "bin", "Release", framework, "Consumer.dll");

    /// <summary>Every distinct warning and error a command printed: (file or project, code, message).</summary>
    public static IReadOnlyList<Diagnostic> Diagnostics(CommandResult result) =>
        DiagnosticLine().Matches(result.Output)
            .Select(m => new Diagnostic(m.Groups["file"].Value.Trim(), m.Groups["severity"].Value, m.Groups["code"].Value, m.Groups["message"].Value.Trim()))
            .Distinct()
            .ToList();

    public void Dispose()
    {
        // The package this run made, out of the machine's NuGet cache (its version is this run's alone).
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string packageFolder = Path.Combine(cache, "sourcediff");
        TryDelete(Path.Combine(packageFolder, Version.ToLowerInvariant()));
        if (Directory.Exists(packageFolder) && !Directory.EnumerateFileSystemEntries(packageFolder).Any())
        {
            TryDelete(packageFolder);
        }

        TryDelete(Root);
    }

    private void WriteConsumer()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Consumer");
        foreach (string file in Directory.GetFiles(source))
        {
            string text = File.ReadAllText(file).Replace("$(SourceDiffVersion)", Version, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(ConsumerDirectory, Path.GetFileName(file)), text);
        }

        File.WriteAllText(Path.Combine(ConsumerDirectory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
              </fallbackPackageFolders>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="SourceDiff" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="Microsoft.NETCore.App.*" />
                  <package pattern="System.Numerics.Tensors" />
                  <package pattern="MathNet.Numerics" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SourceDiff.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SourceDiff.sln not found above " + AppContext.BaseDirectory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; a failed cleanup must not fail the tests.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // "path(line,col): warning CA1234: message [project]" or "project : error NU1100: message".
    [GeneratedRegex(@"^(?<file>[^\r\n]*?)\s*:\s*(?<severity>warning|error)\s+(?<code>[A-Z]+[0-9]+)\s*:\s*(?<message>[^\r\n]*)$", RegexOptions.Multiline)]
    private static partial Regex DiagnosticLine();
}

/// <summary>A warning or error a build printed.</summary>
public sealed record Diagnostic(string File, string Severity, string Code, string Message)
{
    public override string ToString() => $"{File}: {Severity} {Code}: {Message}";
}
