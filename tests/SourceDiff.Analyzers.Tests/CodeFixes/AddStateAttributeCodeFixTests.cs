using System.Threading.Tasks;
using SourceDiff.Analyzers.CodeFixes;
using SourceDiff.Analyzers.State;
using Xunit;
using Verify = SourceDiff.Analyzers.Tests.Infrastructure.CodeFixVerifier<SourceDiff.Analyzers.State.UnmarkedStateFieldAnalyzer, SourceDiff.Analyzers.CodeFixes.AddStateAttributeCodeFix>;

namespace SourceDiff.Analyzers.Tests.CodeFixes;

public class AddStateAttributeCodeFixTests
{
    [Fact]
    public Task Single_field_gets_the_attribute_on_its_line() => Verify.VerifyAsync(
        """
        using SourceDiff;

        public partial class TinyRnn
        {
            public double Wx = 0.5;
            // Hidden state, overwritten by Step.
            public double H;

            [Differentiable]
            public double Step(double x) { [|H|] = Wx * x + H; return H; }
        }
        """,
        """
        using SourceDiff;

        public partial class TinyRnn
        {
            public double Wx = 0.5;
            // Hidden state, overwritten by Step.
            [State] public double H;

            [Differentiable]
            public double Step(double x) { H = Wx * x + H; return H; }
        }
        """);

    [Fact]
    public Task Field_declared_with_parameters_is_split_out() => Verify.VerifyAsync(
        """
        using SourceDiff;

        public partial class TinyRnn
        {
            public double Wx = 0.5, H, B = 0.85;

            [Differentiable]
            public double Step(double x) { [|H|] = Wx * x + H + B; return H; }
        }
        """,
        """
        using SourceDiff;

        public partial class TinyRnn
        {
            public double Wx = 0.5, B = 0.85;
            [State] public double H;

            [Differentiable]
            public double Step(double x) { H = Wx * x + H + B; return H; }
        }
        """);

    [Fact]
    public Task Existing_attributes_are_kept_and_the_using_is_added_when_missing() => Verify.VerifyAsync(
        """
        namespace Models
        {
            public partial class Counter
            {
                [SourceDiff.NoDerivative] public int Calls;

                [SourceDiff.Differentiable]
                public double Step(double x) { [|Calls|]++; return x; }
            }
        }
        """,
        """
        using SourceDiff;

        namespace Models
        {
            public partial class Counter
            {
                [State] [SourceDiff.NoDerivative] public int Calls;

                [SourceDiff.Differentiable]
                public double Step(double x) { Calls++; return x; }
            }
        }
        """);

    [Fact]
    public Task Array_field_written_element_wise_is_fixed() => Verify.VerifyAsync(
        """
        using SourceDiff;

        public partial class Layer
        {
            private double[] _cells = new double[4];

            [Differentiable]
            public double Forward(double x) { [|_cells|][0] = x; return _cells[0] * x; }
        }
        """,
        """
        using SourceDiff;

        public partial class Layer
        {
            [State] private double[] _cells = new double[4];

            [Differentiable]
            public double Forward(double x) { _cells[0] = x; return _cells[0] * x; }
        }
        """);

    [Fact]
    public Task Fix_all_marks_every_written_field_once_even_when_written_twice() => Verify.VerifyFixAllAsync(
        """
        using SourceDiff;

        public partial class Lstm
        {
            public double Wx = 0.5, H, C;

            [Differentiable]
            public double Step(double x) { [|C|] = Wx * x + C; [|H|] = C * Wx; return H; }

            [Differentiable]
            public double Restart(double x) { [|H|] = x; return H; }
        }
        """,
        """
        using SourceDiff;

        public partial class Lstm
        {
            public double Wx = 0.5;
            [State] public double H;
            [State] public double C;

            [Differentiable]
            public double Step(double x) { C = Wx * x + C; H = C * Wx; return H; }

            [Differentiable]
            public double Restart(double x) { H = x; return H; }
        }
        """);
}
