using System.Threading.Tasks;
using Xunit;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.AnalyzerVerifier<SourceDiff.Analyzers.Gradients.CheckpointWithoutDifferentiableAnalyzer>;

namespace SourceDiff.Analyzers.Tests.Gradients;

public class CheckpointWithoutDifferentiableTests
{
    [Fact]
    public async Task Checkpoint_on_a_method_that_is_not_differentiable_is_reported_at_the_attribute()
    {
        const string source = """
            public static partial class Losses
            {
                [[|Checkpoint(Snapshots = 8)|]]
                public static double Loss(double[] xs)
                {
                    double s = 0;
                    for (int t = 0; t < xs.Length; t++) s += xs[t] * xs[t];
                    return s;
                }
            }
            """;
        await Verify.VerifyAsync(source);

        var diagnostic = Assert.Single(await Verify.DiagnosticsAsync(source.Replace("[|", "").Replace("|]", "")));
        Assert.Equal("[Checkpoint] on 'Loss' does nothing: the method is not [Differentiable], so no gradient is generated for it", diagnostic.GetMessage());
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostic.Severity);
    }

    [Fact]
    public Task Checkpoint_with_differentiable_is_not_reported() => Verify.VerifyAsync("""
        public static partial class Losses
        {
            [Differentiable, Checkpoint]
            public static double Loss(double[] xs)
            {
                double s = 0;
                for (int t = 0; t < xs.Length; t++) s += xs[t] * xs[t];
                return s;
            }
        }
        """);
}
