using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SourceDiff.Analyzers.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Analyzers.Tests.Performance;

/// <summary>
/// Measures what the analyzers cost on thousands of lines of model code and prints it (run with
/// <c>dotnet test --filter Category=Measurement --logger "console;verbosity=detailed"</c>). Time is reported, not
/// asserted: a timed pass/fail would be flaky. What is asserted is that the analyzers found exactly the hazards planted,
/// so the figure is for analyzers that really ran.
/// </summary>
public class AnalyzerCostMeasurement
{
    private const int Models = 250;
    private const int HazardEvery = 10;
    private const int WarmRuns = 5;
    private readonly ITestOutputHelper _output;

    public AnalyzerCostMeasurement(ITestOutputHelper output) => _output = output;

    [Fact]
    [Trait("Category", "Measurement")]
    public async Task Analyzers_on_a_large_model_file()
    {
        var source = TestCompilation.Prelude + LargeModelSource();
        var lines = source.Count(c => c == '\n') + 1;

        // The first run pays for JIT-compiling the compiler and the analyzers; later ones are what a warm IDE pays.
        // The machine is shared, so warm runs are repeated and summarised by their median and minimum.
        var report = new StringBuilder($"{lines} lines, {Models} model classes\n");
        var cold = await MeasureAsync(source);
        report.Append("cold run\n").Append(cold.Report);
        var warm = new List<Measurement>();
        for (var run = 0; run < WarmRuns; run++)
        {
            warm.Add(await MeasureAsync(source));
        }

        var median = warm.OrderBy(m => m.AnalyzerTime).ElementAt(WarmRuns / 2);
        report.Append($"warm runs ({WarmRuns}): analyzer execution time summed over analyzers, median {median.AnalyzerTime.TotalMilliseconds:F1} ms, "
            + $"min {warm.Min(m => m.AnalyzerTime).TotalMilliseconds:F1} ms; compiler binding, median {warm.OrderBy(m => m.CompileTime).ElementAt(WarmRuns / 2).CompileTime.TotalMilliseconds:F0} ms\n");
        report.Append("median warm run\n").Append(median.Report);
        _output.WriteLine(report.ToString());
    }

    private sealed record Measurement(TimeSpan AnalyzerTime, TimeSpan CompileTime, string Report);

    private static async Task<Measurement> MeasureAsync(string source)
    {
        var compilation = TestCompilation.Create(new[] { source });
        var compileClock = Stopwatch.StartNew();
        AnalyzerRunner.AssertCompiles(compilation);
        compileClock.Stop();

        var analyzers = AllAnalyzers.Create();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => throw exception,
            // Sequential callbacks: on a shared two-core machine, concurrent ones bill preemption and lock waits to
            // whichever analyzer happens to be running, which says nothing about its own cost. The first analyzer to
            // ask for a method's attributes or operations also pays for binding them in this fresh compilation.
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var analysisClock = Stopwatch.StartNew();
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        analysisClock.Stop();

        var hazards = Models / HazardEvery;
        Assert.Equal(hazards, diagnostics.Count(d => d.Id == "SD1001"));
        Assert.Equal(hazards, diagnostics.Count(d => d.Id == "SD1003"));
        Assert.Equal(hazards, diagnostics.Count(d => d.Id == "SD1005"));
        Assert.Equal(2 * Models, diagnostics.Count(d => d.Id == "SD2002"));
        Assert.Equal(0, diagnostics.Count(d => d.Id is "SD1002" or "SD1004" or "SD2001"));

        var report = new StringBuilder($"  {diagnostics.Length} diagnostics\n");
        report.AppendLine($"  compiler diagnostics (binds the whole file): {compileClock.Elapsed.TotalMilliseconds:F0} ms");
        report.AppendLine($"  GetAnalyzerDiagnosticsAsync, wall clock (binds the file again, then runs the analyzers): {analysisClock.Elapsed.TotalMilliseconds:F0} ms");
        var total = TimeSpan.Zero;
        foreach (var analyzer in analyzers)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            total += telemetry.ExecutionTime;
            report.AppendLine($"    {analyzer.GetType().Name}: {telemetry.ExecutionTime.TotalMilliseconds:F1} ms");
        }

        report.AppendLine($"  analyzer execution time, summed over analyzers: {total.TotalMilliseconds:F1} ms");
        return new Measurement(total, compileClock.Elapsed, report.ToString());
    }

    /// <summary>Model code as users write it: layers with parameters and state, losses, training helpers; every tenth model has hazards.</summary>
    private static string LargeModelSource()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Models; i++)
        {
            var hazardous = i % HazardEvery == 0;
            text.Append($$"""
                public partial class Layer{{i}}
                {
                    public double[] W = new double[16];
                    public double B = 0.1;
                    [State] public double[] H = new double[16];
                    private readonly int _size = 16;
                    {{(hazardous ? "public static double Scale = 1.0;" : "private const double Scale = 1.0;")}}

                    [Differentiable]
                    public double Step(double[] x)
                    {
                        double sum = B * Scale;
                        for (int j = 0; j < _size; j++)
                        {
                            double a = W[j] * x[j] + 0.5 * H[j];
                            H[j] = Math.Tanh(a);
                            sum += H[j] * H[j] + Math.Exp(-a * a);
                        }

                        return {{(hazardous ? "(int)sum" : "sum")}};
                    }

                    [Differentiable]
                    public double Loss([NoDerivative] double[][] xs, [NoDerivative] double[] ys)
                    {
                        for (int j = 0; j < H.Length; j++) H[j] = 0;
                        double loss = 0;
                        for (int t = 0; t < xs.Length; t++)
                        {
                            double e = Step(xs[t]) - ys[t];
                            loss += e > 0 ? e * e : -e;
                        }

                        return loss / xs.Length;
                    }

                    public double[] Predict(double[][] xs)
                    {
                        {{(hazardous ? "return xs.Select(x => Step(x)).ToArray();" : "var ys = new double[xs.Length]; for (int t = 0; t < xs.Length; t++) ys[t] = Step(xs[t]); return ys;")}}
                    }

                    public void Update(double[] gradient, double rate)
                    {
                        for (int j = 0; j < W.Length; j++) W[j] -= rate * gradient[j];
                        var norms = gradient.Select(g => g * g).Where(g => g > 1e-12).ToList();
                        B -= rate * norms.Sum();
                    }
                }


                """);
        }

        return text.ToString();
    }
}
