using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static SourceDiff.Tests.Generator.DiagnosticTests;

namespace SourceDiff.Tests.Generator;

/// <summary>
/// Plain (not [Differentiable]) methods of the model or a layer that write floating fields: their writes would be
/// neither differentiated nor undone, so the call is one error at the call (a new-user trial found a helper clearing
/// [State] silently wrong). Helpers that write counters stay allowed.
/// </summary>
public class HelperCallDiagnosticTests
{
    [Fact]
    public void AHelperClearingStateIsOneErrorAtTheCall()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public partial class M
            {
                public double W = 0.8;
                [State] public double[] H = new double[2];
                public void ResetState() { Array.Clear(H); }

                [Differentiable]
                public double Loss(double[] xs)
                {
                    double total = 0;
                    for (int t = 0; t < xs.Length; t++)
                    {
                        if (t == 2) [|ResetState()|];
                        H[0] = Math.Tanh(W * H[0] + xs[t]);
                        total += H[0];
                    }

                    return total;
                }
            }
            """);
        Assert.Contains("'ResetState'", diagnostic.GetMessage());
        Assert.Contains("floating field 'H'", diagnostic.GetMessage());
        Assert.Contains("mark 'ResetState' [Differentiable]", diagnostic.GetMessage());
    }

    [Fact]
    public void AHelperRebindingAParameterIsOneErrorAtTheCall()
    {
        AssertDiagnostic("SD0001", """
            public partial class M
            {
                public double[] W = new double[2];
                public void Grow() { W = new double[W.Length * 2]; }

                [Differentiable]
                public double Loss(double x)
                {
                    [|this.Grow()|];
                    return W[0] * x;
                }
            }
            """);
    }

    [Fact]
    public void ALayersHelperWritingItsWeightsIsOneErrorAtTheCall()
    {
        Diagnostic diagnostic = AssertDiagnostic("SD0001", """
            public partial class Dense
            {
                public double[] V = { 0.5, 0.25 };
                public void Nudge() { V[0] += 0.1; }

                [Differentiable]
                public double Apply(double x) => V[0] * x + V[1];
            }

            public partial class M
            {
                public Dense Layer = new();

                [Differentiable]
                public double Loss(double x)
                {
                    [|Layer.Nudge()|];
                    return Layer.Apply(x) * x;
                }
            }
            """);
        Assert.Contains("floating field 'V'", diagnostic.GetMessage());
    }

    [Fact]
    public void HelpersWritingCountersStayAllowed()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using SourceDiff;
            namespace Samples;
            public partial class M
            {
                public double W = 0.8;
                public int Steps;
                public void Tick() { Steps++; }

                [Differentiable]
                public double Loss(double[] xs)
                {
                    double total = 0;
                    for (int t = 0; t < xs.Length; t++)
                    {
                        Tick();
                        total += Math.Tanh(W * xs[t]);
                    }

                    return total;
                }
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        result.AssertCompiles();
    }
}
