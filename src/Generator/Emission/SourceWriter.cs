using System.Text;

namespace SourceDiff.Generator.Emission;

/// <summary>An indented text writer over a <see cref="StringBuilder"/> (System.Text.Json's SourceWriter pattern).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder text = new();
    private int indent;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            text.Append(' ', indent * 4).Append(line);
        }

        text.Append('\n');
    }

    public void Open(string header)
    {
        Line(header);
        Line("{");
        indent++;
    }

    public void Open()
    {
        Line("{");
        indent++;
    }

    public void Close(string suffix = "")
    {
        indent--;
        Line("}" + suffix);
    }

    /// <summary>Appends another writer's text at this writer's current indentation.</summary>
    public void Append(SourceWriter other)
    {
        foreach (string line in other.text.ToString().Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            text.Append(' ', indent * 4).Append(line).Append('\n');
        }
    }

    public bool IsEmpty => text.Length == 0;

    public override string ToString() => text.ToString();
}
