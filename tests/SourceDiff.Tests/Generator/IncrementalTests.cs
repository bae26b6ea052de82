using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>The pipeline caches by value: unrelated edits re-run nothing, and no symbol or syntax leaks into its models.</summary>
public class IncrementalTests
{
    private const string Model = """
        using System;
        using SourceDiff;
        namespace Samples;
        public partial class Rnn
        {
            public double W = 0.5;
            [State] public double H;
            [Differentiable] public double Step(double x) { H = Math.Tanh(W * H + x); return H; }
        }
        public static partial class Losses
        {
            [Differentiable] public static double Square(double x) => x * x;
        }
        """;

    private const string Unrelated = "namespace Samples; public static class Util { public static int Twice(int x) => 2 * x; }";

    private static readonly string[] TrackedSteps = GeneratorHarness.TrackedSteps;

    [Fact]
    public void UnrelatedEditLeavesEveryOutputCached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Model, Unrelated);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);

        SyntaxTree unrelatedTree = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(unrelatedTree, CSharpSyntaxTree.ParseText(Unrelated.Replace("2 * x", "x + x"), GeneratorHarness.ParseOptions, unrelatedTree.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}");
                }
            }
        }

        foreach ((object _, IncrementalStepRunReason reason) in result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs))
        {
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {reason}");
        }
    }

    [Fact]
    public void MovingCodeReEmitsNothingAndItsDiagnosticsMoveWithIt()
    {
        const string source = """
            using System;
            using SourceDiff;
            namespace Samples;
            public static partial class Losses
            {
                [Differentiable] public static double Square(double x) => x * x;
                [Differentiable] public static double Broken(double x, [NoDerivative] double[] s) { s[0] = x * x; return s[0]; }
            }
            """;
        CSharpCompilation compilation = GeneratorHarness.Compile(source);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Diagnostic before = Assert.Single(driver.GetRunResult().Diagnostics);

        SyntaxTree tree = compilation.SyntaxTrees.First();
        SyntaxTree moved = CSharpSyntaxTree.ParseText("\n\n" + tree.GetText(), GeneratorHarness.ParseOptions, tree.FilePath);
        GeneratorDriverRunResult run = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, moved)).GetRunResult();
        GeneratorRunResult result = run.Results.Single();

        foreach (string step in new[] { "Methods", "MethodOutputs" })
        {
            foreach ((object _, IncrementalStepRunReason reason) in result.TrackedSteps[step].SelectMany(stepRun => stepRun.Outputs))
            {
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}");
            }
        }

        Diagnostic after = Assert.Single(run.Diagnostics);
        Assert.Equal("SD0012", after.Id);
        Assert.Same(moved, after.Location.SourceTree);
        Assert.Equal(before.Location.SourceSpan.Start + 2, after.Location.SourceSpan.Start);
    }

    [Fact]
    public void BodyEditModifiesOnlyThatMethod()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Model, Unrelated);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        SyntaxTree modelTree = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(modelTree, CSharpSyntaxTree.ParseText(Model.Replace("x * x", "x * x * x"), GeneratorHarness.ParseOptions, modelTree.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var outputs = result.TrackedSteps["MethodOutputs"].SelectMany(run => run.Outputs).ToList();
        Assert.Contains(outputs, output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(outputs, output => output.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void ModelsHoldNoSymbolsSyntaxOrCompilations()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Model, Unrelated);
        GeneratorRunResult result = GeneratorHarness.Driver().RunGenerators(compilation).GetRunResult().Results.Single();
        foreach (string step in TrackedSteps)
        {
            foreach ((object value, IncrementalStepRunReason _) in result.TrackedSteps[step].SelectMany(run => run.Outputs))
            {
                AssertPlainData(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void AssertPlainData(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or Location or SyntaxTree, $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                AssertPlainData(item, $"{path}[{i++}]", seen);
            }

            return;
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertPlainData(field.GetValue(value), path + "." + field.Name, seen);
        }
    }
}
