using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.Diagnostics;
using SourceDiff.Analyzers.Tests.Infrastructure;
using Xunit;

namespace SourceDiff.Analyzers.Tests.Robustness;

/// <summary>A sum of thousands of terms (generated code, unrolled kernels) must not overflow the compiler's stack in an analyzer.</summary>
public class LongExpressionTests
{
    [Theory]
    [InlineData(1_100)]
    [InlineData(12_000)]
    public void AnalyzersHandleLongSumsOnASmallStack(int terms)
    {
        var body = new System.Text.StringBuilder("x[0]");
        for (int i = 1; i < terms; i++)
        {
            body.Append(i % 2 == 0 ? " + x[" : " - 0.5 * x[").Append(i % 7).Append(']');
        }

        string source = TestCompilation.Prelude + "public static class C { [SourceDiff.Differentiable] public static double F(double[] x) { return " + body + "; } }";
        System.Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    var compilation = TestCompilation.Create(new[] { source });
                    AnalyzerRunner.AssertCompiles(compilation);
                    var diagnostics = AnalyzerRunner.RunAsync(compilation, AllAnalyzers.Create().ToArray()).GetAwaiter().GetResult();
                    Assert.DoesNotContain(diagnostics, d => d.Id.StartsWith("SD1", System.StringComparison.Ordinal));
                }
                catch (System.Exception exception)
                {
                    failure = exception;
                }
            },
            maxStackSize: 1 << 20);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
    }
}
