using System.Threading.Tasks;
using Xunit;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.AnalyzerVerifier<SourceDiff.Analyzers.State.CapturedMutableVariableAnalyzer>;

namespace SourceDiff.Analyzers.Tests.State;

public class CapturedMutableVariableTests
{
    private const string Library = """
        public static class Lib
        {
            [Differentiable] public static double Square(double x) => x * x;
            [Differentiable] public static double Step(double x, double h) => 0.5 * x + 0.001 * h + 0.85;
            [Differentiable] public static double Apply(double x, [NoDerivative] Func<double, double> f) => x * f(x);
        }

        """;

    [Fact]
    public async Task Lambda_inside_a_differentiable_method_capturing_a_reassigned_local_is_reported()
    {
        const string source = Library + """
            public static class Model
            {
                [Differentiable]
                public static double F(double x)
                {
                    double scale = 1;
                    Func<double, double> g = v => v * [|scale|];
                    scale = x;
                    return g(x);
                }
            }
            """;
        await Verify.VerifyAsync(source);

        var diagnostic = Assert.Single(await Verify.DiagnosticsAsync(source.Replace("[|", "").Replace("|]", "")));
        Assert.Equal(
            "The lambda captures 'scale', which is reassigned, and is used in differentiable method 'F'; the value it sees depends on when it runs, and no derivative flows through the capture",
            diagnostic.GetMessage());
    }

    [Fact]
    public Task Hidden_state_threaded_through_a_Select_lambda_is_reported_once() => Verify.VerifyAsync(Library + """
        public static class Use
        {
            public static double[] Run(double[] xs)
            {
                double h = 0;
                return xs.Select(x => [|h|] = Lib.Step(x, h)).ToArray();
            }
        }
        """);

    [Fact]
    public Task Local_function_called_in_place_in_ordinary_code_is_not_reported() => Verify.VerifyAsync(Library + """
        public static class Use
        {
            public static double Run(double[] xs)
            {
                double total = 0;
                for (int i = 0; i < xs.Length; i++)
                {
                    double Term() => Lib.Square(xs[i]);
                    total += Term();
                }

                return total;
            }
        }
        """);

    [Fact]
    public async Task Anonymous_method_handed_to_a_task_capturing_a_reassigned_parameter_is_reported()
    {
        const string source = Library + """
            public static class Use
            {
                public static double Run(double x)
                {
                    var task = Task.Run(delegate { return Lib.Square([|x|]); });
                    x = 2;
                    return task.Result;
                }
            }
            """;
        await Verify.VerifyAsync(source);

        var diagnostic = Assert.Single(await Verify.DiagnosticsAsync(source.Replace("[|", "").Replace("|]", "")));
        Assert.StartsWith("The anonymous method captures 'x', which is reassigned, and calls differentiable method 'Square' and is passed to 'Run'", diagnostic.GetMessage());
    }

    [Fact]
    public Task Anonymous_method_called_in_place_in_ordinary_code_is_not_reported() => Verify.VerifyAsync(Library + """
        public static class Use
        {
            public static double Run(double x)
            {
                Func<double> f = delegate { return Lib.Square(x); };
                x = 2;
                return f();
            }
        }
        """);

    [Fact]
    public Task Lambda_passed_to_a_differentiable_method_is_reported() => Verify.VerifyAsync(Library + """
        public static class Use
        {
            public static double Run()
            {
                double k = 1;
                k++;
                return Lib.Apply(2.0, v => v * [|k|]);
            }
        }
        """);

    [Fact]
    public Task Locals_never_reassigned_are_not_reported() => Verify.VerifyAsync(Library + """
        public static class Use
        {
            public static double Run(double[] xs, double scale)
            {
                double offset = 2;
                return xs.Select(x => Lib.Square(x) * scale + offset).Sum();
            }
        }
        """);

    [Fact]
    public Task Lambdas_unrelated_to_differentiable_code_are_not_reported() => Verify.VerifyAsync(Library + """
        public static class Use
        {
            public static double Run(double[] xs)
            {
                double total = 0;
                Array.ForEach(xs, x => total += x);
                return total;
            }
        }
        """);

    [Fact]
    public Task Foreach_variables_and_the_lambdas_own_locals_are_not_reported() => Verify.VerifyAsync(Library + """
        public static class Use
        {
            public static double Run(double[][] rows)
            {
                double sum = 0;
                foreach (var row in rows)
                {
                    Func<double> f = () =>
                    {
                        double acc = 0;
                        for (int i = 0; i < row.Length; i++) acc += Lib.Square(row[i]);
                        return acc;
                    };
                    sum += f();
                }

                return sum;
            }
        }
        """);

    [Fact]
    public Task Captured_fields_are_not_variables() => Verify.VerifyAsync(Library + """
        public partial class Use
        {
            private double _scale = 1;

            public double Run(double[] xs)
            {
                _scale = 2;
                return xs.Select(x => Lib.Square(x) * _scale).Sum();
            }
        }
        """);

    [Fact]
    public Task Static_lambdas_and_method_groups_capture_nothing() => Verify.VerifyAsync(Library + """
        public static class Use
        {
            public static double Run(double[] xs)
            {
                double unused = 0;
                unused += 1;
                return xs.Select(static x => Lib.Square(x)).Sum() + xs.Select(Lib.Square).Sum() + unused;
            }
        }
        """);

    [Fact]
    public Task Local_function_of_a_differentiable_method_called_in_place_is_not_reported() => Verify.VerifyAsync(Library + """
        public static class Model
        {
            [Differentiable]
            public static double F(double[] xs, double a)
            {
                double total = 0;
                void Accumulate(double v) { double s = Math.Tanh(a * v); total += s * s; }
                for (int i = 0; i < xs.Length; i++) Accumulate(xs[i]);
                return total;
            }
        }
        """);

    [Fact]
    public Task Local_function_of_a_differentiable_method_made_into_a_delegate_is_reported() => Verify.VerifyAsync(Library + """
        public static class Model
        {
            [Differentiable]
            public static double F(double x)
            {
                double scale = 1;
                double Scaled(double v) => v * [|scale|];
                Func<double, double> g = Scaled;
                scale = x;
                return g(x);
            }
        }
        """);
}
