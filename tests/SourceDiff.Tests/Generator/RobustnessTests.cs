using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>
/// Code as it looks while being typed: every prefix and many token deletions of valid sources. The generator must
/// never throw (CS8785), never report an internal error, and never add errors to code that compiles.
/// </summary>
public class RobustnessTests
{
    private const string Source = """
        using System;
        using SourceDiff;
        namespace Samples;
        public static partial class Losses
        {
            [Differentiable]
            public static double Loss(double[] w, double x, [NoDerivative] double[] ys)
            {
                double total = 0;
                for (int i = 0; i < ys.Length; i++)
                {
                    double e = Math.Tanh(w[i % w.Length] * x) - ys[i];
                    if (e > 1) continue;
                    total += e * e;
                }
                return total / ys.Length;
            }
        }
        public partial class Cell
        {
            public double[] W = new double[2];
            [State] public double H;
            [Differentiable] public double Step(double x) { H = Math.Max(W[0] * H, W[1] * x); return Losses.Loss(W, H, new[] { 1.0 }); }
        }
        """;

    public static IEnumerable<object[]> Prefixes() =>
        Enumerable.Range(1, 40).Select(i => new object[] { Source.Length * i / 41 });

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void TruncatedSource(int length) => AssertRobust(Source.Substring(0, length));

    [Fact]
    public void TokenDeletions()
    {
        SyntaxToken[] tokens = CSharpSyntaxTree.ParseText(Source).GetRoot().DescendantTokens().ToArray();
        var random = new Random(20261122);
        for (int trial = 0; trial < 120; trial++)
        {
            SyntaxToken token = tokens[random.Next(tokens.Length)];
            string variant = Source.Remove(token.SpanStart, token.Span.Length);
            AssertRobust(variant);
        }
    }

    private static void AssertRobust(string source)
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(source);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var diagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        Assert.All(run.Results, r => Assert.Null(r.Exception));
        Assert.DoesNotContain(diagnostics, d => d.Id is "CS8785" or "SD0005");
        bool userCodeCompiles = !compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        if (userCodeCompiles)
        {
            var generatedErrors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("SD", StringComparison.Ordinal)).ToList();
            Assert.True(generatedErrors.Count == 0, "Generated code broke compiling code:\n" + source + "\n" + string.Join("\n", generatedErrors));
        }
    }
}
