using System;

namespace SourceDiff;

/// <summary>Gradient clipping by global norm (Pascanu et al., 2013), the usual guard against exploding RNN gradients.</summary>
public static class GradientClipping
{
    /// <summary>The Euclidean norm over every entry of every buffer, accumulated in double.</summary>
    public static double GlobalNorm(IParameterSet gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);

        // Scaled accumulation (as in BLAS dnrm2): squares of large entries would overflow, of tiny ones underflow.
        double scale = 0;
        double sum = 1;
        for (int b = 0; b < gradient.ParameterCount; b++)
        {
            if (gradient.IsSingle(b))
            {
                foreach (float value in gradient.GetSingles(b))
                {
                    Accumulate(value, ref scale, ref sum);
                }
            }
            else
            {
                foreach (double value in gradient.GetDoubles(b))
                {
                    Accumulate(value, ref scale, ref sum);
                }
            }
        }

        return scale * Math.Sqrt(sum);
    }

    /// <summary>
    /// Scales <paramref name="gradient"/> in place so that its global norm is at most <paramref name="maxNorm"/>, and
    /// returns the norm it had before. A non-finite norm is returned and the gradient left unchanged, so the caller can
    /// see the overflow rather than train on a gradient scaled to zero or NaN.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not finite and positive.</exception>
    public static double ClipByGlobalNorm(IGradient gradient, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (!(maxNorm > 0 && double.IsFinite(maxNorm)))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be finite and positive.");
        }

        double norm = GlobalNorm(gradient);
        if (norm <= maxNorm || !double.IsFinite(norm))
        {
            return norm;
        }

        double factor = maxNorm / norm;
        for (int b = 0; b < gradient.ParameterCount; b++)
        {
            if (gradient.IsSingle(b))
            {
                foreach (ref float value in gradient.GetSingles(b))
                {
                    value = (float)(value * factor);
                }
            }
            else
            {
                foreach (ref double value in gradient.GetDoubles(b))
                {
                    value *= factor;
                }
            }
        }

        return norm;
    }

    private static void Accumulate(double value, ref double scale, ref double sum)
    {
        double magnitude = Math.Abs(value);
        if (magnitude == 0 || double.IsNaN(scale))
        {
            return;                 // zeros add nothing; a NaN norm stays NaN
        }

        if (!double.IsFinite(magnitude) || double.IsInfinity(scale))
        {
            scale = double.IsInfinity(scale) && !double.IsNaN(magnitude) ? scale : magnitude;
            sum = 1;
            return;
        }

        if (scale < magnitude)
        {
            sum = 1 + sum * (scale / magnitude) * (scale / magnitude);
            scale = magnitude;
        }
        else
        {
            sum += (magnitude / scale) * (magnitude / scale);
        }
    }
}
