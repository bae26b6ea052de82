using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace SourceDiff.Tests.Generator;

/// <summary>
/// The generator's stages import only the stages before them (docs/architecture.md), so data flows one way:
/// Lowering → Derivatives → Analysis → Plan → Adjoint → Emission, over the shared records of IR, Model and Diagnostics.
/// </summary>
public class LayeringTests
{
    private static readonly string[] Records = { "IR", "Model", "Diagnostics" };

    private static readonly Dictionary<string, string[]> MayImport = new()
    {
        ["Lowering"] = Records,
        ["Derivatives"] = Records,
        ["Analysis"] = Records.Append("Derivatives").ToArray(),
        ["Plan"] = Records.Append("Derivatives").Append("Analysis").ToArray(),
        ["Adjoint"] = Records.Append("Derivatives").Append("Analysis").Append("Plan").ToArray(),
        ["Emission"] = Records.Append("Derivatives").Append("Analysis").Append("Plan").Append("Adjoint").ToArray(),
    };

    // A stage named in code: in a using or namespace (SourceDiff.Generator.Plan) or qualifying a type (Plan.SweepPlan).
    private static readonly Regex StageReference = new(@"SourceDiff\.Generator\.(?<stage>\w+)\b|(?<![\w.])(?<stage>Lowering|Derivatives|Analysis|Plan|Adjoint|Emission)\.[A-Z]", RegexOptions.CultureInvariant);

    [Fact]
    public void EachStageImportsOnlyTheStagesBeforeIt()
    {
        string generator = Path.Combine(RepositoryRoot(), "src", "Generator");
        var violations = new List<string>();
        foreach ((string stage, string[] allowed) in MayImport)
        {
            foreach (string file in Directory.GetFiles(Path.Combine(generator, stage), "*.cs"))
            {
                IEnumerable<string> code = File.ReadLines(file).Where(line => !line.TrimStart().StartsWith("//", System.StringComparison.Ordinal));
                foreach (Match reference in code.SelectMany(line => StageReference.Matches(line)))
                {
                    string imported = reference.Groups["stage"].Value;
                    if (imported != stage && MayImport.ContainsKey(imported) && !allowed.Contains(imported))
                    {
                        violations.Add(stage + "/" + Path.GetFileName(file) + " uses " + imported);
                    }
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations.Distinct()));
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));
}
