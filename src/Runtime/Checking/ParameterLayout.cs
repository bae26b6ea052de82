using System;

namespace SourceDiff.Checking;

/// <summary>
/// The shape of an <see cref="IParameterSet"/>: buffer names, precisions and lengths, in order. A gradient belongs to a
/// model only when the two layouts are equal; comparing them up front turns a mismatched pair into an
/// <see cref="ArgumentException"/> instead of a silently wrong update or check.
/// </summary>
internal sealed class ParameterLayout
{
    private readonly string[] names;
    private readonly bool[] singles;
    private readonly int[] lengths;

    private ParameterLayout(string[] names, bool[] singles, int[] lengths)
    {
        this.names = names;
        this.singles = singles;
        this.lengths = lengths;
    }

    public int Count => names.Length;

    public string Name(int buffer) => names[buffer];

    public bool IsSingle(int buffer) => singles[buffer];

    public int Length(int buffer) => lengths[buffer];

    /// <summary>Reads the layout of <paramref name="set"/>.</summary>
    public static ParameterLayout Of(IParameterSet set)
    {
        int count = set.ParameterCount;
        var names = new string[count];
        var singles = new bool[count];
        var lengths = new int[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = set.GetParameterName(i);
            singles[i] = set.IsSingle(i);
            lengths[i] = singles[i] ? set.GetSingles(i).Length : set.GetDoubles(i).Length;
        }

        return new ParameterLayout(names, singles, lengths);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="parameterName"/> unless <paramref name="other"/> has
    /// exactly this layout. <paramref name="otherRole"/> and <paramref name="ownerRole"/> word the message
    /// ("the gradient", "the model").
    /// </summary>
    public void EnsureMatches(IParameterSet other, string parameterName, string otherRole, string ownerRole)
    {
        if (other.ParameterCount != Count)
        {
            throw new ArgumentException(
                $"{otherRole} has {other.ParameterCount} parameter buffers; {ownerRole} has {Count}.", parameterName);
        }

        for (int i = 0; i < Count; i++)
        {
            string name = other.GetParameterName(i);
            if (!string.Equals(name, names[i], StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"{otherRole}'s buffer {i} is '{name}'; {ownerRole}'s buffer {i} is '{names[i]}'.", parameterName);
            }

            bool single = other.IsSingle(i);
            if (single != singles[i])
            {
                throw new ArgumentException(
                    $"{otherRole}'s buffer '{name}' holds {Precision(single)}; {ownerRole}'s holds {Precision(singles[i])}.",
                    parameterName);
            }

            int length = single ? other.GetSingles(i).Length : other.GetDoubles(i).Length;
            if (length != lengths[i])
            {
                throw new ArgumentException(
                    $"{otherRole}'s buffer '{name}' has length {length}; {ownerRole}'s has {lengths[i]}.", parameterName);
            }
        }
    }

    private static string Precision(bool single) => single ? "float" : "double";
}
