using System;

namespace SourceDiff;

/// <summary>Thrown by <see cref="GradientCheckReport.ThrowIfFailed"/>; the message is the whole report.</summary>
public sealed class GradientCheckException : Exception
{
    /// <summary>Creates the exception for a failed report.</summary>
    public GradientCheckException(GradientCheckReport report)
        : base((report ?? throw new ArgumentNullException(nameof(report))).ToString())
    {
        Report = report;
    }

    /// <summary>The failed report.</summary>
    public GradientCheckReport Report { get; }
}
