using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.ComponentModel;

namespace SourceDiff.CompilerServices;

/// <summary>
/// The aliasing check a generated <c>…Gradient</c> or <c>…Pullback</c> runs, before it writes anything, when its arrays
/// are more than a few flat ones (jagged arrays, or a model's fields): every array it reads as a differentiable input,
/// every buffer it writes an adjoint into, and every parameter, state and data array of the model (its layers' too) is
/// registered under its name, rows of jagged arrays one by one, and a second registration of one array where that would
/// make a gradient wrong throws, naming both places. One instance per thread, reused: no allocation once warm, O(number
/// of arrays and rows) per call.
/// </summary>
/// <remarks>
/// Read-only arrays (non-differentiable inputs, the model's data) can conflict only with a gradient buffer, and they are
/// often the largest part of a call (a training set of 10⁵ rows passed to every gradient call): they are not hashed but
/// kept aside and compared with the few buffers by <see cref="End"/>, so checking them costs a reference comparison per
/// row and buffer.
/// </remarks>
/// <remarks>
/// What may not be shared: a gradient buffer with anything (its adjoint would be written over the data, or summed with
/// another adjoint); two differentiable inputs, or a differentiable input and a model parameter or state array (each
/// would receive part of the derivative and neither the total). Non-differentiable inputs and the model's
/// <c>[NoDerivative]</c> data may be shared with inputs: they are only read. Between two of the model's own fields the
/// error is an <see cref="InvalidOperationException"/> (tied weights: the model, not an argument, is wrong); otherwise an
/// <see cref="ArgumentException"/> for the argument.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class AliasCheck
{
    /// <summary>The parent of a method's own arguments (and of the roots <c>this</c> and <c>gradient</c>).</summary>
    public const int Arguments = -1;

    [ThreadStatic]
    private static AliasCheck? current;

    /// <summary>Buffers at most this many are compared one by one with each read-only row; more are looked up in <see cref="seen"/>.</summary>
    private const int LinearBufferScan = 8;

    private readonly Dictionary<object, int> seen = new(ReferenceEqualityComparer.Instance);
    private readonly List<Entry> entries = new();
    private readonly List<(object Value, int Entry)> buffers = new();
    private readonly List<(Array Value, int Entry)> readOnly = new();

    private AliasCheck()
    {
    }

    private enum Role : byte
    {
        Place,
        Input,
        ReadOnly,
        Buffer,
        ModelParameter,
        ModelData,
    }

    /// <summary>This thread's check, emptied.</summary>
    public static AliasCheck Begin()
    {
        AliasCheck check = current ??= new AliasCheck();
        check.Reset();
        return check;
    }

    /// <summary>
    /// Compares the read-only arrays with the buffers, then forgets every registration, so no reference to the caller's
    /// arrays outlives the call.
    /// </summary>
    public void End()
    {
        if (buffers.Count > 0)
        {
            foreach ((Array value, int entry) in readOnly)
            {
                CheckAgainstBuffers(value, entry);
            }
        }

        Reset();
    }

    /// <summary>A named place that holds no array of its own: <c>this</c>, <c>gradient</c>.</summary>
    public int Place(int parent, string name) => Add(null, Role.Place, parent, name, -1, null);

    /// <summary>A differentiable array argument.</summary>
    public void Input(Array? array, string name) => Add(array, Role.Input, Arguments, name, -1, name);

    /// <summary>A non-differentiable floating array argument: it may share arrays with inputs, not with buffers.</summary>
    public void ReadOnly(Array? array, string name) => Add(array, Role.ReadOnly, Arguments, name, -1, name);

    /// <summary>A gradient buffer argument.</summary>
    public void Buffer(Array? array, string name) => Add(array, Role.Buffer, Arguments, name, -1, name);

    /// <summary>A parameter or [State] array of the model (or of a layer), under <paramref name="owner"/>.</summary>
    public void Parameter(Array? array, int owner, string name) => Add(array, Role.ModelParameter, owner, name, -1, null);

    /// <summary>A [NoDerivative] (or other non-differentiable) floating array of the model: only read.</summary>
    public void Data(Array? array, int owner, string name) => Add(array, Role.ModelData, owner, name, -1, null);

    /// <summary>A layer object held by the model (<paramref name="index"/> ≥ 0 for an element of an array of layers); returns its place.</summary>
    public int Layer(object layer, int owner, string name, int index = -1) => Add(layer, Role.ModelParameter, owner, name, index, null);

    /// <summary>A buffer of the gradient object passed as <paramref name="parameterName"/>.</summary>
    public void GradientBuffer(Array? array, int owner, string name, string parameterName) => Add(array, Role.Buffer, owner, name, -1, parameterName);

    /// <summary>A layer's gradient inside the gradient object; returns its place.</summary>
    public int GradientLayer(object layer, int owner, string name, int index, string parameterName) => Add(layer, Role.Buffer, owner, name, index, parameterName);

    private int Add(object? value, Role role, int parent, string? name, int index, string? parameterName)
    {
        int entry = entries.Count;
        entries.Add(new Entry(parent, name, index, role, parameterName));
        if (value is null)
        {
            return entry;
        }

        if (role is Role.ReadOnly or Role.ModelData && value is Array readOnlyArray)
        {
            // Checked against the buffers at End, rows included.
            readOnly.Add((readOnlyArray, entry));
            return entry;
        }

        if (role == Role.Buffer)
        {
            buffers.Add((value, entry));
        }

        if (seen.TryGetValue(value, out int earlier))
        {
            if (Conflicts(entries[earlier].Role, role))
            {
                Fail(earlier, entry, value is Array);
            }
        }
        else
        {
            seen.Add(value, entry);
        }

        if (value is Array[] rows)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i] is { } row)
                {
                    Add(row, role, entry, null, i, parameterName);
                }
            }
        }

        return entry;
    }

    /// <summary>Throws when <paramref name="value"/>, or one of its rows at any depth, is a registered buffer.</summary>
    private void CheckAgainstBuffers(Array value, int entry)
    {
        if (BufferEntry(value) is int buffer and >= 0)
        {
            FailInOrder(buffer, entry, isArray: true);
        }

        if (value is not Array[] rows)
        {
            return;
        }

        bool rowsHaveRows = Validate.RowsMayHaveRows(rows);
        for (int i = 0; i < rows.Length; i++)
        {
            Array? row = rows[i];
            if (row is null)
            {
                continue;
            }

            if (rowsHaveRows)
            {
                CheckAgainstBuffers(row, RowEntry(entry, i));
            }
            else if (BufferEntry(row) is int rowBuffer and >= 0)
            {
                FailInOrder(rowBuffer, RowEntry(entry, i), isArray: true);
            }
        }
    }

    /// <summary>The entry under which <paramref name="value"/> was registered as a buffer; -1 if it was not.</summary>
    private int BufferEntry(object value)
    {
        ReadOnlySpan<(object Value, int Entry)> candidates = CollectionsMarshal.AsSpan(buffers);
        if (candidates.Length <= LinearBufferScan)
        {
            for (int i = 0; i < candidates.Length; i++)
            {
                if (ReferenceEquals(candidates[i].Value, value))
                {
                    return candidates[i].Entry;
                }
            }

            return -1;
        }

        return seen.TryGetValue(value, out int found) && entries[found].Role == Role.Buffer ? found : -1;
    }

    /// <summary>The entry naming row <paramref name="index"/> of a read-only array (made for a message or a deeper walk only).</summary>
    private int RowEntry(int parent, int index)
    {
        Entry owner = entries[parent];
        entries.Add(new Entry(parent, null, index, owner.Role, owner.ParameterName));
        return entries.Count - 1;
    }

    /// <summary>Fails naming the place registered first as the earlier one, as a conflict found at registration would.</summary>
    private void FailInOrder(int buffer, int readOnlyEntry, bool isArray)
    {
        int root = readOnlyEntry;
        while (entries[root].Name is null)
        {
            root = entries[root].Parent;
        }

        if (root < buffer)
        {
            Fail(readOnlyEntry, buffer, isArray);
        }
        else
        {
            Fail(buffer, readOnlyEntry, isArray);
        }
    }

    private static bool Conflicts(Role earlier, Role later) =>
        earlier == Role.Buffer || later == Role.Buffer || (IsDifferentiated(earlier) && IsDifferentiated(later));

    private static bool IsDifferentiated(Role role) => role is Role.Input or Role.ModelParameter;

    private void Fail(int earlier, int later, bool isArray)
    {
        Entry first = entries[earlier];
        Entry second = entries[later];
        string why = first.Role == Role.Buffer || second.Role == Role.Buffer
            ? "a gradient buffer must be an array of its own, or its adjoint is written over the data or summed with another adjoint"
            : first.Role == Role.ModelParameter && second.Role == Role.ModelParameter
                ? "one array in two of the model's fields (tied weights) would receive each field's part of the derivative and neither the total; keep it in one field and read that field wherever it is used"
                : "each would receive its own part of the derivative and neither the total; pass distinct arrays";
        string message = $"{Path(later)} is the same {(isArray ? "array" : "object")} as {Path(earlier)}: {why}.";
        string? parameterName = second.ParameterName ?? first.ParameterName;
        Reset();
        if (parameterName is null)
        {
            throw new InvalidOperationException(message);
        }

        throw new ArgumentException(message, parameterName);
    }

    /// <summary><c>this.Out.W[3]</c>: the place's name, built only for a message.</summary>
    private string Path(int entry)
    {
        Entry e = entries[entry];
        string path = e.Parent >= 0 ? Path(e.Parent) : string.Empty;
        if (e.Name is not null)
        {
            path = path.Length == 0 ? e.Name : path + "." + e.Name;
        }

        return e.Index >= 0 ? path + "[" + e.Index + "]" : path;
    }

    private void Reset()
    {
        seen.Clear();
        entries.Clear();
        buffers.Clear();
        readOnly.Clear();
    }

    private readonly record struct Entry(int Parent, string? Name, int Index, Role Role, string? ParameterName);
}
