using System;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Sdk;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.AnalyzerVerifier<SourceDiff.Analyzers.State.StaticMutableStateAnalyzer>;

namespace SourceDiff.Analyzers.Tests.Infrastructure;

/// <summary>The harness must be able to fail: these tests feed it wrong expectations and check that it says so.</summary>
public class HarnessTests
{
    private const string Hazard = """
        public static class M
        {
            public static double H;
            [Differentiable] public static double F(double x) => x * H;
        }
        """;

    [Fact]
    public void Markup_yields_plain_source_and_exact_spans()
    {
        var (source, expected) = Markup.Parse("a [|bc|] {|SD9:d{|SD8:e|}|}", "SD1");

        Assert.Equal("a bc de", source);
        Assert.Equal(
            new[] { new ExpectedDiagnostic("SD1", new TextSpan(2, 2)), new ExpectedDiagnostic("SD8", new TextSpan(6, 1)), new ExpectedDiagnostic("SD9", new TextSpan(5, 2)) },
            expected);
    }

    [Fact]
    public async Task Missing_diagnostic_fails()
    {
        var failure = await Assert.ThrowsAsync<XunitException>(() => Verify.VerifyAsync(Hazard));
        Assert.Contains("Reported but not expected: SD1001", failure.Message);
    }

    [Fact]
    public async Task Wrong_span_fails()
    {
        var failure = await Assert.ThrowsAsync<XunitException>(() => Verify.VerifyAsync(Hazard.Replace("x * H", "[|x * H|]")));
        Assert.Contains("Expected but not reported: SD1001", failure.Message);
    }

    [Fact]
    public Task Right_span_passes() => Verify.VerifyAsync(Hazard.Replace("x * H", "x * [|H|]"));

    [Fact]
    public async Task Source_that_does_not_compile_fails()
    {
        var failure = await Assert.ThrowsAsync<XunitException>(() => Verify.VerifyAsync("class C { void M() { undefined(); } }"));
        Assert.Contains("does not compile", failure.Message);
    }

    [Fact]
    public async Task Analyzer_exception_fails()
    {
        var compilation = TestCompilation.Create(new[] { "class C { }" });
        await Assert.ThrowsAsync<InvalidOperationException>(() => AnalyzerRunner.RunAsync(compilation, new ThrowingAnalyzer()));
    }

    [Fact]
    public async Task Code_fix_with_a_different_result_fails()
    {
        const string before = "using SourceDiff;\npublic partial class M\n{\n    public double H;\n    [Differentiable] public double F(double x) { [|H|] = x; return x; }\n}\n";
        await Assert.ThrowsAsync<Xunit.Sdk.EqualException>(() =>
            CodeFixVerifier<SourceDiff.Analyzers.State.UnmarkedStateFieldAnalyzer, SourceDiff.Analyzers.CodeFixes.AddStateAttributeCodeFix>
                .VerifyAsync(before, before.Replace("[|H|]", "H")));
    }

    // A test double, run directly and never discovered by a host, so it has no [DiagnosticAnalyzer] attribute (which
    // would make the meta-analyzers treat the test project as an analyzer project) and reuses a shipped descriptor.
#pragma warning disable RS1001 // Missing DiagnosticAnalyzer attribute: deliberate, see above.
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1001
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DiagnosticDescriptors.GradStop);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(_ => throw new NotSupportedException("boom"), SymbolKind.NamedType);
        }
    }
}
