using System.Linq;
using System.Threading.Tasks;
using SourceDiff.Analyzers.Tests.Infrastructure;
using Xunit;

namespace SourceDiff.Analyzers.Tests.State;

/// <summary>
/// Code around differentiable methods (tests, training loops) uses lambdas the ordinary way: kept in a local and
/// called in place, they run when the code says, so no state or ordering rule has anything to say about them.
/// </summary>
public class OrdinaryCodeTests
{
    [Fact]
    public async Task Finite_difference_test_helper_gets_no_warnings()
    {
        const string source = TestCompilation.Prelude + """
            public partial class TinyRnn
            {
                public double Wx = 0.5, Wh = 0.001, B = 0.85;
                [State] public double H;

                [Differentiable] public double Step(double x) { H = Wx * x + Wh * H + B; return H; }

                [Differentiable]
                public double Loss([NoDerivative] double[] xs)
                {
                    H = 0;
                    double loss = 0;
                    for (int t = 0; t < xs.Length; t++) { double e = Step(xs[t]); loss += e * e; }
                    return loss;
                }
            }

            public static class Fd
            {
                public static double Central(Func<double> f, ref double x, double h = 1e-6)
                {
                    double saved = x;
                    x = saved + h;
                    double plus = f();
                    x = saved - h;
                    double minus = f();
                    x = saved;
                    return (plus - minus) / (2 * h);
                }

                public static double[] Gradient(TinyRnn m, double[] xs)
                {
                    var grad = new double[3];
                    double loss = 0;
                    Func<double> f = () => m.Loss(xs);
                    Func<double> tracked = () => { loss = m.Loss(xs); return loss; };
                    grad[0] = Central(f, ref m.Wx);
                    grad[1] = Central(() => m.Loss(xs), ref m.Wh);
                    grad[2] = Central(tracked, ref m.B);

                    double step = 1e-6;
                    for (int i = 0; i < xs.Length; i++)
                    {
                        double saved = xs[i];
                        xs[i] = saved + step;
                        double plus = f();
                        xs[i] = saved - step;
                        double minus = f();
                        xs[i] = saved;
                        step = Math.Abs(plus - minus) > 1 ? 1e-7 : 1e-6;
                        Func<double> scaled = () => step * m.Loss(xs) + loss;
                        loss += scaled();
                    }

                    double Probe(double x) { m.H = 0; return m.Step(x) * step; }
                    loss += Probe(1.0) + Probe(2.0);
                    return grad;
                }
            }
            """;
        var compilation = TestCompilation.Create(new[] { source });
        AnalyzerRunner.AssertCompiles(compilation);
        var diagnostics = await AnalyzerRunner.RunAsync(compilation, AllAnalyzers.Create().ToArray());
        Assert.Empty(diagnostics.Where(d => d.Id.StartsWith("SD1", System.StringComparison.Ordinal)));
    }
}
