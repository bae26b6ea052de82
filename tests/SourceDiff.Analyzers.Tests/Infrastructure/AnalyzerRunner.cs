using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SourceDiff.Analyzers.Tests.Infrastructure;

/// <summary>Runs analyzers over a compilation the way the IDE does, failing on any analyzer exception (AD0001).</summary>
public static class AnalyzerRunner
{
    public static async Task<ImmutableArray<Diagnostic>> RunAsync(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
    {
        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => exceptions.Enqueue(exception),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation
            .WithAnalyzers(analyzers.ToImmutableArray(), options)
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        if (!exceptions.IsEmpty || diagnostics.Any(d => d.Id == "AD0001"))
        {
            throw new InvalidOperationException(
                "An analyzer threw:\n" + string.Join("\n", exceptions) + string.Join("\n", diagnostics.Where(d => d.Id == "AD0001")));
        }

        return diagnostics;
    }

    /// <summary>Fails with the errors listed when the test source itself does not compile.</summary>
    public static void AssertCompiles(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new Xunit.Sdk.XunitException("The test source does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        }
    }
}
