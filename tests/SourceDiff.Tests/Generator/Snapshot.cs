using System.IO;
using System.Runtime.CompilerServices;

namespace SourceDiff.Tests.Generator;

/// <summary>
/// Golden files of generated code and sweep plans, kept in <c>Snapshots/</c> beside the test folders and compared by the
/// same <see cref="SourceDiff.Testing.Snapshot"/> users get (<c>SOURCEDIFF_ACCEPT_SNAPSHOTS=1</c> accepts).
/// </summary>
internal static class Snapshot
{
    public static void Verify(string name, string actual, string extension = ".cs", [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(callerPath))!, "Snapshots");
        SourceDiff.Testing.Snapshot.Verify(actual, Path.Combine(directory, name + ".verified" + extension));
    }
}
