using System.Threading.Tasks;
using Xunit;
using ToInstance = SourceDiff.Analyzers.Tests.Infrastructure.CodeFixVerifier<SourceDiff.Analyzers.State.StaticMutableStateAnalyzer, SourceDiff.Analyzers.CodeFixes.StaticStateToInstanceFieldCodeFix>;
using ToRef = SourceDiff.Analyzers.Tests.Infrastructure.CodeFixVerifier<SourceDiff.Analyzers.State.StaticMutableStateAnalyzer, SourceDiff.Analyzers.CodeFixes.StaticStateToRefParameterCodeFix>;

namespace SourceDiff.Analyzers.Tests.CodeFixes;

public class StaticStateCodeFixTests
{
    [Fact]
    public Task Static_hidden_state_of_a_model_becomes_an_instance_State_field() => ToInstance.VerifyAsync(
        """
        using SourceDiff;

        public partial class TinyRnn
        {
            public double Wx = 0.5, Wh = 0.001, B = 0.85;
            // Shared by every TinyRnn: a bug waiting to happen.
            public static double H;

            [Differentiable]
            public double Step(double x) { [|H|] = Wx * x + Wh * TinyRnn.H + B; return H; }

            public void Reset() => TinyRnn.H = 0;
        }
        """,
        """
        using SourceDiff;

        public partial class TinyRnn
        {
            public double Wx = 0.5, Wh = 0.001, B = 0.85;
            // Shared by every TinyRnn: a bug waiting to happen.
            [State] public double H;

            [Differentiable]
            public double Step(double x) { H = Wx * x + Wh * H + B; return H; }

            public void Reset() => H = 0;
        }
        """);

    [Fact]
    public Task Split_declaration_and_missing_using() => ToInstance.VerifyAsync(
        """
        public partial class Counter
        {
            private static int _calls, _limit = 10;

            [SourceDiff.Differentiable]
            public double Step(double x) { [|_calls|]++; return _calls < _limit ? x : 0; }
        }
        """,
        """
        using SourceDiff;

        public partial class Counter
        {
            private static int _limit = 10;
            [State] private int _calls;

            [SourceDiff.Differentiable]
            public double Step(double x) { _calls++; return _calls < _limit ? x : 0; }
        }
        """);

    [Fact]
    public Task No_instance_fix_when_a_static_method_uses_the_field() => ToInstance.VerifyNoFixAsync("""
        using SourceDiff;

        public static class GlobalRnn
        {
            public static double H;

            [Differentiable]
            public static double Step(double x) { [|H|] = 0.5 * x + H; return H; }
        }
        """);

    [Fact]
    public Task No_instance_fix_when_another_type_uses_the_field() => ToInstance.VerifyNoFixAsync("""
        using SourceDiff;

        public partial class Model
        {
            public static double H;

            [Differentiable]
            public double Step(double x) { [|H|] = x; return x; }
        }

        public sealed class Trainer
        {
            public void Reset() => Model.H = 0;
        }
        """);

    [Fact]
    public Task Story1_global_becomes_a_ref_parameter_and_callers_pass_the_global() => ToRef.VerifyAsync(
        """
        using System.Linq;
        using SourceDiff;

        public static class GlobalRnn
        {
            public const double Wx = 0.5, Wh = 0.001, B = 0.85;
            public static double H;

            [Differentiable]
            public static double Step(double x)
            {
                [|H|] = Wx * x + Wh * GlobalRnn.H + B;
                return H;
            }

            public static double Loss(double[] xs, double[] ys)
            {
                H = 0;
                double loss = 0;
                for (int t = 0; t < xs.Length; t++) loss += Step(xs[t]) - ys[t];
                return loss;
            }
        }

        public static class Elsewhere
        {
            public static double Once(double x) => GlobalRnn.Step(x);
        }
        """,
        """
        using System.Linq;
        using SourceDiff;

        public static class GlobalRnn
        {
            public const double Wx = 0.5, Wh = 0.001, B = 0.85;
            public static double H;

            [Differentiable]
            public static double Step(double x, ref double h)
            {
                h = Wx * x + Wh * h + B;
                return h;
            }

            public static double Loss(double[] xs, double[] ys)
            {
                H = 0;
                double loss = 0;
                for (int t = 0; t < xs.Length; t++) loss += Step(xs[t], ref H) - ys[t];
                return loss;
            }
        }

        public static class Elsewhere
        {
            public static double Once(double x) => GlobalRnn.Step(x, ref GlobalRnn.H);
        }
        """);

    [Fact]
    public Task Readonly_table_written_element_wise_is_passed_by_value() => ToRef.VerifyAsync(
        """
        using SourceDiff;

        public static class Model
        {
            private static readonly double[] Cache = new double[2];

            [Differentiable]
            public static double Remember(double x) { [|Cache|][0] = x; return x * x; }

            public static double Use() => Remember(3);
        }
        """,
        """
        using SourceDiff;

        public static class Model
        {
            private static readonly double[] Cache = new double[2];

            [Differentiable]
            public static double Remember(double x, double[] cache) { cache[0] = x; return x * x; }

            public static double Use() => Remember(3, Cache);
        }
        """);

    [Fact]
    public Task No_ref_fix_when_the_method_is_used_as_a_delegate() => ToRef.VerifyNoFixAsync("""
        using System;
        using SourceDiff;

        public static class GlobalRnn
        {
            public static double H;

            [Differentiable]
            public static double Step(double x) { [|H|] = x; return x; }

            public static Func<double, double> AsDelegate() => Step;
        }
        """);

    [Fact]
    public Task Fix_all_makes_every_static_state_field_an_instance_State_field() => ToInstance.VerifyFixAllAsync(
        """
        using SourceDiff;

        public partial class TwoLayerRnn
        {
            public double W = 0.5;
            public static double H1, H2;

            [Differentiable]
            public double Step(double x) { [|H1|] = W * x + [|H1|]; [|H2|] = W * [|H1|] + [|TwoLayerRnn.H2|]; return [|H2|]; }
        }
        """,
        """
        using SourceDiff;

        public partial class TwoLayerRnn
        {
            public double W = 0.5;
            [State] public double H2;
            [State] public double H1;

            [Differentiable]
            public double Step(double x) { H1 = W * x + H1; H2 = W * H1 + H2; return H2; }
        }
        """);

    [Fact]
    public Task Fix_all_passes_every_global_as_a_ref_parameter_and_callers_pass_each() => ToRef.VerifyFixAllAsync(
        """
        using SourceDiff;

        public static partial class Globals
        {
            public static double H, C;

            [Differentiable]
            public static double Step(double x) { [|C|] = x + [|C|]; [|H|] = [|C|] * x; return [|H|]; }

            public static double Run(double x) => Step(x) + Step(2 * x);
        }
        """,
        """
        using SourceDiff;

        public static partial class Globals
        {
            public static double H, C;

            [Differentiable]
            public static double Step(double x, ref double c, ref double h) { c = x + c; h = c * x; return h; }

            public static double Run(double x) => Step(x, ref C, ref H) + Step(2 * x, ref C, ref H);
        }
        """);
}
