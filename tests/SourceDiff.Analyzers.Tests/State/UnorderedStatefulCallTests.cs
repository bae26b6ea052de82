using System.Threading.Tasks;
using Xunit;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.AnalyzerVerifier<SourceDiff.Analyzers.State.UnorderedStatefulCallAnalyzer>;

namespace SourceDiff.Analyzers.Tests.State;

public class UnorderedStatefulCallTests
{
    private const string TinyRnn = """
        public partial class TinyRnn
        {
            public double Wx = 0.5, Wh = 0.001, B = 0.85;
            [State] public double H;

            [Differentiable] public double Step(double x) { H = Wx * x + Wh * H + B; return H; }

            [Differentiable] public double Predict(double x) => Wx * x + B;

            [Differentiable] public double Twice(double x) => Step(x) + Step(x);
        }

        """;

    [Fact]
    public async Task Story1_broadcast_of_a_global_state_step_is_reported()
    {
        const string story = """
            public static class GlobalRnn
            {
                public static double Wx = 0.5, Wh = 0.001, B = 0.85;
                public static double H;

                [Differentiable]
                public static double Step(double x) { H = Wx * x + Wh * H + B; return H; }

                public static double Loss(double[] xs, double[] ys)
                {
                    H = 0;
                    return xs.Select(x => [|Step(x)|]).Zip(ys, (y, t) => y - t).Sum();
                }
            }
            """;
        await Verify.VerifyAsync(story);

        var diagnostic = Assert.Single(await Verify.DiagnosticsAsync(story.Replace("[|", "").Replace("|]", "")));
        Assert.Equal(
            "'Step' writes state 'H' and is called through a lambda passed to 'Select'; the order of its calls is not fixed by the code, so its state and gradients can disagree with a sequential evaluation",
            diagnostic.GetMessage());
    }

    [Fact]
    public Task Losses_passed_to_the_gradient_checker_are_not_reported() => Verify.VerifyAsync(TinyRnn + """
        public static class Use
        {
            public static void Run(TinyRnn model, double[] w, double[] dW)
            {
                GradientCheck.Check(() => model.Step(w[0]), GradientCheck.Input(w, dW)).ThrowIfFailed();
            }
        }
        """);

    [Fact]
    public Task Method_group_passed_to_Select_is_reported() => Verify.VerifyAsync(TinyRnn + """
        public static class Use
        {
            public static double[] Run(TinyRnn model, double[] xs) => xs.Select([|model.Step|]).ToArray();
        }
        """);

    [Fact]
    public Task Parallel_For_and_Task_Run_are_reported() => Verify.VerifyAsync(TinyRnn + """
        public static class Use
        {
            public static void Run(TinyRnn model, double[] xs, double[] ys)
            {
                Parallel.For(0, xs.Length, i => ys[i] = [|model.Step(xs[i])|]);
                Task.Run(() => [|model.Step(1.0)|]).Wait();
            }
        }
        """);

    [Fact]
    public Task Aggregate_is_reported_and_an_anonymous_method_called_in_place_is_not() => Verify.VerifyAsync(TinyRnn + """
        public static class Use
        {
            public static double Run(TinyRnn model, double[] xs)
            {
                Func<double, double> step = delegate (double x) { return model.Step(x); };
                return xs.Aggregate(0.0, (sum, x) => sum + [|model.Step(x)|]) + step(1);
            }
        }
        """);

    [Fact]
    public Task State_written_through_a_callee_is_reported_and_a_delegate_variable_called_in_place_is_not() => Verify.VerifyAsync(TinyRnn + """
        public static class Use
        {
            public static double Run(TinyRnn model, double[] xs)
            {
                Func<double, double> f = model.Step;
                return f(xs[0]) + xs.Sum(x => [|model.Twice(x)|]);
            }
        }
        """);

    [Fact]
    public Task Ref_hidden_state_written_through_a_lambda_is_reported() => Verify.VerifyAsync("""
        public static class Rnn
        {
            [Differentiable]
            public static double Step(double x, ref double h) { h = 0.5 * x + 0.001 * h; return h; }

            public static double[] Run(double[] xs)
            {
                double h = 0;
                return xs.Select(x => [|Step(x, ref h)|]).ToArray();
            }
        }
        """);

    [Fact]
    public Task Lambda_passed_to_a_differentiable_method_and_lambdas_nested_in_a_Select_are_reported() => Verify.VerifyAsync(TinyRnn + """
        public static partial class Use
        {
            [Differentiable] public static double Apply(double x, [NoDerivative] Func<double, double> f) => x * f(x);

            public static double Run(TinyRnn model, double[] xs) =>
                Apply(2.0, x => [|model.Step(x)|])
                + xs.Select(x => { Func<double> next = () => [|model.Step(x)|]; return next(); }).Sum();
        }
        """);

    [Fact]
    public Task Stateful_call_in_a_for_loop_is_not_reported() => Verify.VerifyAsync(TinyRnn + """
        public static class Use
        {
            public static double[] Run(TinyRnn model, double[] xs)
            {
                var ys = new double[xs.Length];
                for (int i = 0; i < xs.Length; i++) ys[i] = model.Step(xs[i]);
                foreach (var x in xs) model.Step(x);
                return ys;
            }
        }
        """);

    [Fact]
    public Task Pure_differentiable_methods_in_lambdas_and_delegates_are_not_reported() => Verify.VerifyAsync(TinyRnn + """
        public static class Use
        {
            [Differentiable] public static double Square(double x) => x * x;

            public static double Run(TinyRnn model, double[] xs)
            {
                Func<double, double> f = Square;
                return xs.Select(x => model.Predict(x)).Sum() + xs.Select(Square).Sum() + f(2);
            }
        }
        """);

    [Fact]
    public Task Stateful_methods_that_are_not_differentiable_are_not_reported() => Verify.VerifyAsync("""
        public static class Use
        {
            private static int _count;
            private static double Count(double x) { _count++; return x; }

            public static double Run(double[] xs) => xs.Select(x => Count(x)).Sum();
        }
        """);

    [Fact]
    public Task Local_function_called_in_order_is_not_reported() => Verify.VerifyAsync(TinyRnn + """
        public static class Use
        {
            public static double Run(TinyRnn model, double[] xs)
            {
                double total = 0;
                double Next(double x) => model.Step(x);
                for (int i = 0; i < xs.Length; i++) total += Next(xs[i]);
                return total;
            }
        }
        """);

    [Fact]
    public Task Array_outputs_written_in_place_do_not_make_a_method_stateful() => Verify.VerifyAsync("""
        public static class Layers
        {
            [Differentiable]
            public static void Softmax(double[] x, double[] y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i]);
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum;
            }

            public static double[][] Run(double[][] xs) =>
                xs.Select(x => { var y = new double[x.Length]; Softmax(x, y); return y; }).ToArray();
        }
        """);
}
