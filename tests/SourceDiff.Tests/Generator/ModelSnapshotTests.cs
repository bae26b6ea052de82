using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>Generated code for property models and inlined local functions, and their caching.</summary>
public class ModelSnapshotTests
{
    private const string Source = """
        using System;
        using SourceDiff;

        namespace Samples;

        public partial class Regression
        {
            public double Gain { get; set; } = 0.8;
            public double Temperature { get; } = 1.3;
            public double[] Weights { get; set; } = { 0.4, -0.3 };
            [State] public double Last { get; set; }
            [State] public double[] Trace { get; set; } = new double[1];
            public int Inputs => Weights.Length;

            [Differentiable]
            public double Predict(double[] x)
            {
                double s = 0;
                for (int i = 0; i < Inputs; i++)
                {
                    s += Weights[i] * x[i];
                }

                Trace[0] = 0.5 * Trace[0] + s;
                Last = Gain * Math.Tanh(s / Temperature) + 0.5 * Last + 0.1 * Trace[0];
                return Last;
            }
        }

        public static partial class Ode
        {
            [Differentiable]
            public static double Midpoint(double y, double k, double dt)
            {
                static double F(double v, double rate) => -rate * v * v;
                double half = y + 0.5 * dt * F(y, k);
                return y + dt * F(half, k);
            }
        }
        """;

    private const string Unrelated = "namespace Samples; public static class Util { public static int Twice(int x) => 2 * x; }";

    [Fact]
    public void PropertyModelAndLocalFunction()
    {
        GeneratorResult result = GeneratorHarness.Run(Source);
        result.AssertCompiles();
        Snapshot.Verify("PropertyModel.Regression.Gradient", result.Generated("Samples.Regression.Gradient.g.cs"));
        Snapshot.Verify("PropertyModel.Regression.Predict", result.Generated("Samples.Regression.Predict.g.cs"));
        Snapshot.Verify("LocalFunction.Ode.Midpoint", result.Generated("Samples.Ode.Midpoint.g.cs"));
    }

    [Fact]
    public void UnrelatedEditLeavesPropertyModelsAndLocalFunctionsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Source, Unrelated);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        SyntaxTree unrelatedTree = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(unrelatedTree, CSharpSyntaxTree.ParseText(Unrelated.Replace("2 * x", "x + x"), GeneratorHarness.ParseOptions, unrelatedTree.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach ((object _, IncrementalStepRunReason reason) in GeneratorHarness.TrackedSteps.SelectMany(step => result.TrackedSteps[step]).SelectMany(run => run.Outputs))
        {
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, reason.ToString());
        }
    }
}
