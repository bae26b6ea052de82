using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SourceDiff.Analyzers.CodeFixes;
using SourceDiff.Analyzers.State;
using SourceDiff.Analyzers.Tests.Infrastructure;
using SourceDiff.Generator;
using Xunit;

namespace SourceDiff.Analyzers.Tests.State;

/// <summary>
/// Story 1 from warning to gradient: the global-state code warns, the code fix turns the global into a ref parameter,
/// and the fixed code — compiled with the SourceDiff generator — has dL/dWx = x1 + x2 + Wh·x1 = 2.8003, which the
/// global version's Zygote counterpart got wrong (2.8025).
/// </summary>
public class Story1EndToEndTests
{
    private const string GlobalVersion = """
        using SourceDiff;

        public partial class GlobalRnn
        {
            public double Wx = 0.5, Wh = 0.001, B = 0.85;
            public static double H;   // hidden state in a global, reset by hand

            [Differentiable]
            public double Step(double x) { [|H|] = Wx * x + Wh * H + B; return H; }

            [Differentiable]
            public double Loss([NoDerivative] double[] xs, [NoDerivative] double[] ys)
            {
                H = 0;
                double loss = 0;
                for (int t = 0; t < xs.Length; t++) loss += Step(xs[t]) - ys[t];
                return loss;
            }
        }
        """;

    [Fact]
    public async Task Fixed_code_compiles_clean_and_its_generated_gradient_is_2_8003()
    {
        string fixedSource = await CodeFixVerifier<StaticMutableStateAnalyzer, StaticStateToInstanceFieldCodeFix>.ApplyAsync(GlobalVersion);
        Assert.Contains("[State] public double H;", fixedSource);

        CSharpCompilation compilation = TestCompilation.Create(new[] { fixedSource });
        var analyzerDiagnostics = await AnalyzerRunner.RunAsync(compilation, AllAnalyzers.Create().ToArray());
        Assert.DoesNotContain(analyzerDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);

        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: TestCompilation.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation withAdjoints, out var generatorDiagnostics);
        Assert.DoesNotContain(generatorDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        using var image = new MemoryStream();
        var emitted = withAdjoints.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var context = new AssemblyLoadContext("story1", isCollectible: true);
        try
        {
            image.Position = 0;
            Type rnn = context.LoadFromStream(image).GetType("GlobalRnn")!;
            object model = Activator.CreateInstance(rnn)!;
            object gradient = Activator.CreateInstance(rnn.GetNestedType("Gradient")!, model)!;
            double[] xs = { 0.3, 2.5 };
            double[] ys = { 0.5, 1.0 };
            rnn.GetMethod("LossGradient")!.Invoke(model, new[] { xs, ys, gradient });
            double dWx = (double)gradient.GetType().GetField("Wx")!.GetValue(gradient)!;
            Assert.Equal(xs[0] + xs[1] + 0.001 * xs[0], dWx, 12);
            Assert.Equal(2.8003, dWx, 12);
        }
        finally
        {
            context.Unload();
        }
    }
}
