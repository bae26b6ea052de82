using System;

namespace SourceDiff.Testing;

/// <summary>A generated file differs from its committed snapshot, or has none yet.</summary>
public sealed class SnapshotMismatchException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public SnapshotMismatchException()
        : this("The text differs from its snapshot.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What differs, with the diff.</param>
    public SnapshotMismatchException(string message)
        : this(message, string.Empty, string.Empty)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What differs, with the diff.</param>
    /// <param name="innerException">The cause.</param>
    public SnapshotMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        VerifiedPath = string.Empty;
        ReceivedPath = string.Empty;
    }

    /// <summary>Creates the exception for one snapshot.</summary>
    /// <param name="message">What differs, with the diff.</param>
    /// <param name="verifiedPath">The committed snapshot's path.</param>
    /// <param name="receivedPath">Where the text that was received has been written.</param>
    public SnapshotMismatchException(string message, string verifiedPath, string receivedPath)
        : base(message)
    {
        VerifiedPath = verifiedPath;
        ReceivedPath = receivedPath;
    }

    /// <summary>The committed snapshot's path (<c>*.verified.cs</c>).</summary>
    public string VerifiedPath { get; }

    /// <summary>The path of the text that was received instead (<c>*.received.cs</c>), to diff or copy over the snapshot.</summary>
    public string ReceivedPath { get; }
}
