using System.Threading.Tasks;
using Xunit;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.AnalyzerVerifier<SourceDiff.Analyzers.Gradients.GradStopAnalyzer>;

namespace SourceDiff.Analyzers.Tests.Gradients;

public class GradStopTests
{
    [Fact]
    public async Task Truncated_bptt_is_reported_with_the_stopped_value()
    {
        const string source = """
            public partial class Rnn
            {
                public double W = 0.5;
                [State] public double H;

                [Differentiable]
                public double Step(double x, int t)
                {
                    if (t % 10 == 0) H = [|Grad.Stop(H)|];
                    H = Math.Tanh(W * H + x);
                    return H;
                }
            }
            """;
        await Verify.VerifyAsync(source);

        var diagnostic = Assert.Single(await Verify.DiagnosticsAsync(source.Replace("[|", "").Replace("|]", "")));
        Assert.Equal("Grad.Stop truncates the gradient of 'H': no derivative flows through this value", diagnostic.GetMessage());
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Info, diagnostic.Severity);
    }

    [Fact]
    public Task Float_overload_is_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable] public static float F(float x) => x * [|Grad.Stop(x * 2f)|];
        }
        """);

    [Fact]
    public Task Every_use_is_reported_even_nested() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable] public static double F(double x) => [|Grad.Stop([|Grad.Stop(x)|] + 1)|] + x;
        }
        """);

    [Fact]
    public Task Fully_qualified_call_is_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable] public static double F(double[] x) => x[0] * [|global::SourceDiff.Grad.Stop(x[1])|];
        }
        """);

    [Fact]
    public Task Use_outside_differentiable_code_is_reported_too() => Verify.VerifyAsync("""
        public static class Helpers
        {
            public static double Detach(double x) => [|Grad.Stop(x)|];
        }
        """);

    [Fact]
    public Task A_method_of_another_type_named_Stop_is_not_reported() => Verify.VerifyAsync("""
        public static class Timer { public static double Stop(double x) => x; }

        public static class Model
        {
            [Differentiable] public static double F(double x) => Timer.Stop(x) * x;
        }
        """);

    [Fact]
    public Task Differentiable_code_without_Stop_is_not_reported() => Verify.VerifyAsync("""
        public static class Model
        {
            [Differentiable] public static double F(double x) => Math.Exp(x) * x;
        }
        """);

    [Fact]
    public Task Method_group_of_another_Stop_is_not_reported() => Verify.VerifyAsync("""
        public sealed class Watch { public void Stop() { } }

        public static class Use
        {
            public static void Run(Watch w) { Action a = w.Stop; a(); w.Stop(); }
        }
        """);

    [Fact]
    public Task Local_named_Grad_is_not_SourceDiff_Grad() => Verify.VerifyAsync("""
        namespace Other
        {
            public static class Grad { public static double Stop(double x) => x; }

            public static class Model
            {
                [SourceDiff.Differentiable] public static double F(double x) => Grad.Stop(x) * x;
            }
        }
        """);

    [Fact]
    public Task Compilation_without_the_runtime_is_skipped() => Verify.VerifyAsync("""
        public static class Grad { public static double Stop(double x) => x; }
        public static class Model { public static double F(double x) => Grad.Stop(x); }
        """, referenceRuntime: false);
}
