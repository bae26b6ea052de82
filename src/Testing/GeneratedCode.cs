using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SourceDiff.Testing;

/// <summary>What one run of the SourceDiff generator produced: its files by hint name and its diagnostics.</summary>
public sealed class GeneratedCode
{
    internal GeneratedCode(SortedDictionary<string, string> files, ImmutableArray<Diagnostic> generatorDiagnostics, ImmutableArray<Diagnostic> compilationErrors)
    {
        Files = files;
        GeneratorDiagnostics = generatorDiagnostics;
        CompilationErrors = compilationErrors;
    }

    /// <summary>
    /// The generated files, by hint name in ordinal order: <c>Namespace.Type.Method.g.cs</c> per differentiable method
    /// (an overload adds its parameter types: <c>Type.Loss(double,double[]).g.cs</c>), <c>Namespace.Type.Gradient.g.cs</c>
    /// per model.
    /// </summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>The generator's own diagnostics (SD0xxx): constructs it cannot differentiate, with their locations.</summary>
    public IReadOnlyList<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>The errors of the sources compiled together with the generated files; empty when everything compiles.</summary>
    public IReadOnlyList<Diagnostic> CompilationErrors { get; }

    /// <summary>The text of the generated file with this hint name.</summary>
    /// <param name="hintName">A key of <see cref="Files"/>; the <c>.g.cs</c> ending may be left out.</param>
    /// <exception cref="KeyNotFoundException">No file has that name; the message lists the names there are.</exception>
    public string this[string hintName]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(hintName);
            if (Files.TryGetValue(hintName, out string? text) || Files.TryGetValue(hintName + ".g.cs", out text))
            {
                return text;
            }

            throw new KeyNotFoundException($"No generated file is named '{hintName}'; generated: {string.Join(", ", Files.Keys)}.");
        }
    }

    /// <summary>Throws when the generator reported an error or the sources and generated code do not compile.</summary>
    /// <exception cref="InvalidOperationException">The message lists every error with its location.</exception>
    public GeneratedCode EnsureNoErrors()
    {
        List<Diagnostic> errors = GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Concat(CompilationErrors).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The sources and their generated code have errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        return this;
    }

    /// <summary>
    /// Compares every generated file with <c>&lt;hint name without .g.cs&gt;.verified.cs</c> in
    /// <paramref name="snapshotDirectory"/> (see <see cref="Snapshot.Verify(string, string)"/>); all files are checked before the first
    /// mismatch is reported, so one run accepts or shows them all.
    /// </summary>
    /// <param name="snapshotDirectory">The folder of the committed snapshots, usually next to the test file.</param>
    /// <exception cref="SnapshotMismatchException">A file differs from its snapshot or has none; the message holds every diff.</exception>
    public void VerifySnapshots(string snapshotDirectory) => VerifySnapshots(snapshotDirectory, Snapshot.Accepting);

    internal void VerifySnapshots(string snapshotDirectory, bool accept)
    {
        ArgumentException.ThrowIfNullOrEmpty(snapshotDirectory);
        var mismatches = new List<SnapshotMismatchException>();
        foreach ((string hintName, string text) in Files)
        {
            try
            {
                Snapshot.Compare(text, Path.Combine(snapshotDirectory, SnapshotName(hintName)), accept);
            }
            catch (SnapshotMismatchException mismatch)
            {
                mismatches.Add(mismatch);
            }
        }

        if (mismatches.Count == 1)
        {
            throw mismatches[0];
        }

        if (mismatches.Count > 1)
        {
            throw new SnapshotMismatchException(
                $"{mismatches.Count} generated files differ from their snapshots:" + Environment.NewLine + string.Join(Environment.NewLine, mismatches.Select(m => m.Message)),
                mismatches[0].VerifiedPath,
                mismatches[0].ReceivedPath);
        }
    }

    /// <summary>The snapshot file name of a generated file: <c>Type.Method.g.cs</c> is kept in <c>Type.Method.verified.cs</c>.</summary>
    /// <param name="hintName">A key of <see cref="Files"/>.</param>
    public static string SnapshotName(string hintName)
    {
        ArgumentNullException.ThrowIfNull(hintName);
        string stem = hintName.EndsWith(".g.cs", StringComparison.Ordinal) ? hintName[..^".g.cs".Length] : Path.GetFileNameWithoutExtension(hintName);
        return stem + ".verified.cs";
    }
}
