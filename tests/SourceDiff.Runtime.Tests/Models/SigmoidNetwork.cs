using System;

namespace SourceDiff.Runtime.Tests.Models;

/// <summary>Deliberate mistakes a hand-written backward pass can contain.</summary>
public enum BackpropBug
{
    None,

    /// <summary>User story 4: the hidden delta uses f'(State) = σ(a)(1 − σ(a)) instead of f'(Z) = a(1 − a).</summary>
    DerivativeOfActivation,

    /// <summary>The output bias gradient is never written (a missing term).</summary>
    MissingOutputBias,
}

/// <summary>
/// User story 3's fully connected sigmoid network, with biases: <c>a = σ(W1·x + B1)</c>, <c>o = σ(W2·a + B2)</c>,
/// loss <c>½·Σ(o − y)²</c>, with a hand-written backward pass written the way the generator will emit a model
/// (parameters through <see cref="IParameterSet"/>, a nested <see cref="Gradient"/>). Matrices are row-major.
/// </summary>
public sealed class SigmoidNetwork : IDifferentiableModel
{
    public SigmoidNetwork(int inputs, int hidden, int outputs)
    {
        Inputs = inputs;
        Hidden = hidden;
        Outputs = outputs;
        W1 = new double[hidden * inputs];
        B1 = new double[hidden];
        W2 = new double[outputs * hidden];
        B2 = new double[outputs];
    }

    public int Inputs { get; }
    public int Hidden { get; }
    public int Outputs { get; }

    public double[] W1;
    public double[] B1;
    public double[] W2;
    public double[] B2;

    public BackpropBug Bug { get; set; }

    /// <summary>Weights and biases uniform in [−scale, scale].</summary>
    public static SigmoidNetwork Random(int inputs, int hidden, int outputs, int seed, double scale = 1)
    {
        var net = new SigmoidNetwork(inputs, hidden, outputs);
        var random = new Random(seed);
        foreach (double[] buffer in new[] { net.W1, net.B1, net.W2, net.B2 })
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = scale * (2 * random.NextDouble() - 1);
            }
        }

        return net;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private (double[] Hidden, double[] Output) Forward(double[] x)
    {
        var a = new double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            double z = B1[j];
            for (int i = 0; i < Inputs; i++)
            {
                z += W1[j * Inputs + i] * x[i];
            }

            a[j] = Sigmoid(z);
        }

        var o = new double[Outputs];
        for (int k = 0; k < Outputs; k++)
        {
            double z = B2[k];
            for (int j = 0; j < Hidden; j++)
            {
                z += W2[k * Hidden + j] * a[j];
            }

            o[k] = Sigmoid(z);
        }

        return (a, o);
    }

    public double Loss(double[] x, double[] y)
    {
        double[] o = Forward(x).Output;
        double loss = 0;
        for (int k = 0; k < Outputs; k++)
        {
            loss += 0.5 * (o[k] - y[k]) * (o[k] - y[k]);
        }

        return loss;
    }

    /// <summary>Overwrites <paramref name="gradient"/> with ∂Loss/∂(W1, B1, W2, B2) and returns the loss.</summary>
    public double LossGradient(double[] x, double[] y, Gradient gradient)
    {
        gradient.Clear();
        (double[] a, double[] o) = Forward(x);
        double loss = 0;
        var deltaOut = new double[Outputs];
        for (int k = 0; k < Outputs; k++)
        {
            loss += 0.5 * (o[k] - y[k]) * (o[k] - y[k]);
            deltaOut[k] = (o[k] - y[k]) * o[k] * (1 - o[k]);
            if (Bug != BackpropBug.MissingOutputBias)
            {
                gradient.B2[k] = deltaOut[k];
            }

            for (int j = 0; j < Hidden; j++)
            {
                gradient.W2[k * Hidden + j] = deltaOut[k] * a[j];
            }
        }

        for (int j = 0; j < Hidden; j++)
        {
            double back = 0;
            for (int k = 0; k < Outputs; k++)
            {
                back += deltaOut[k] * W2[k * Hidden + j];
            }

            double slope = Bug == BackpropBug.DerivativeOfActivation
                ? Sigmoid(a[j]) * (1 - Sigmoid(a[j]))
                : a[j] * (1 - a[j]);
            double deltaHidden = back * slope;
            gradient.B1[j] = deltaHidden;
            for (int i = 0; i < Inputs; i++)
            {
                gradient.W1[j * Inputs + i] = deltaHidden * x[i];
            }
        }

        return loss;
    }

    public int ParameterCount => 4;

    public string GetParameterName(int index) => Names[index];

    public bool IsSingle(int index) => false;

    public Span<double> GetDoubles(int index) => index switch
    {
        0 => W1,
        1 => B1,
        2 => W2,
        3 => B2,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public Span<float> GetSingles(int index) => throw new InvalidOperationException("SigmoidNetwork holds doubles.");

    public object CaptureState() => Array.Empty<double>();   // no [State] fields

    public void RestoreState(object snapshot)
    {
    }

    public IGradient CreateGradient() => new Gradient(this);

    private static readonly string[] Names = ["W1", "B1", "W2", "B2"];

    public sealed class Gradient : IGradient
    {
        public Gradient(SigmoidNetwork shape)
        {
            W1 = new double[shape.W1.Length];
            B1 = new double[shape.B1.Length];
            W2 = new double[shape.W2.Length];
            B2 = new double[shape.B2.Length];
        }

        public double[] W1;
        public double[] B1;
        public double[] W2;
        public double[] B2;

        public int ParameterCount => 4;

        public string GetParameterName(int index) => Names[index];

        public bool IsSingle(int index) => false;

        public Span<double> GetDoubles(int index) => index switch
        {
            0 => W1,
            1 => B1,
            2 => W2,
            3 => B2,
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public Span<float> GetSingles(int index) => throw new InvalidOperationException("SigmoidNetwork holds doubles.");

        public void Clear()
        {
            Array.Clear(W1);
            Array.Clear(B1);
            Array.Clear(W2);
            Array.Clear(B2);
        }
    }
}
