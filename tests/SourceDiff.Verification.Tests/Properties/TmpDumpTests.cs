using System;
using System.IO;
using CsCheck;
using SourceDiff.Verification.Tests.Programs;
using Xunit;

namespace SourceDiff.Verification.Tests.Properties;

public sealed class TmpDumpTests
{
    [Fact]
    public void TmpDump()
    {
        var features = ProgramGenerator.ParseFeatures(Environment.GetEnvironmentVariable("DUMP_FEATURES"));
        int count = int.Parse(Environment.GetEnvironmentVariable("DUMP_COUNT") ?? "20");
        var gen = features == ProgramFeatures.None ? ProgramGenerator.Instance : new ProgramGenerator(features);
        using var writer = new StreamWriter(Environment.GetEnvironmentVariable("DUMP_FILE") ?? "/tmp/tdump/out.txt");
        for (int i = 0; i < count; i++)
        {
            var spec = gen.Generate(new PCG((uint)i, 20_260_501UL), null, out _);
            writer.WriteLine(Environment.GetEnvironmentVariable("DUMP_SPEC") == "1" ? SpecCode.Of(spec) : ProgramPrinter.Print(spec, i));
            writer.WriteLine("// ----");
        }
    }
}
