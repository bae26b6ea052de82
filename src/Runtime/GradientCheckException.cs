using System;

namespace SourceDiff;

/// <summary>Thrown by <see cref="GradientCheckReport.ThrowIfFailed"/>; the message is the whole report.</summary>
public sealed class GradientCheckException : Exception
{
    /// <summary>Creates the exception with a generic message and no report.</summary>
    public GradientCheckException()
        : base("The gradient check failed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and no report.</summary>
    public GradientCheckException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>, caused by <paramref name="innerException"/>, and no report.</summary>
    public GradientCheckException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a failed report.</summary>
    public GradientCheckException(GradientCheckReport report)
        : base((report ?? throw new ArgumentNullException(nameof(report))).ToString())
    {
        Report = report;
    }

    /// <summary>The failed report, when the exception was created for one; null otherwise.</summary>
    public GradientCheckReport? Report { get; }
}
