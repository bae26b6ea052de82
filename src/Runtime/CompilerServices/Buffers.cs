using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SourceDiff.CompilerServices;

/// <summary>Array helpers used by generated adjoints: clearing gradient buffers and allocating scratch adjoints.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class Buffers
{
    /// <summary>Sets every element to zero, descending into the rows of jagged arrays.</summary>
    public static void Clear(Array? array)
    {
        if (array is null)
        {
            return;
        }

        if (array is Array[] rows)
        {
            foreach (Array row in rows)
            {
                Clear(row);
            }

            return;
        }

        Array.Clear(array);
    }

    /// <summary>A new zero array of the same shape (jagged arrays row by row).</summary>
    public static T ZerosLike<T>(T array)
        where T : class?
    {
        if (array is null)
        {
            return null!;
        }

        return (T)(object)ZerosLikeArray((Array)(object)array);
    }

    private static Array ZerosLikeArray(Array array)
    {
        Type elementType = array.GetType().GetElementType()!;
        if (array is Array[] rows)
        {
            var copy = (Array[])Array.CreateInstance(elementType, rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                copy[i] = rows[i] is null ? null! : ZerosLikeArray(rows[i]);
            }

            return copy;
        }

        int[] lengths = new int[array.Rank];
        for (int d = 0; d < lengths.Length; d++)
        {
            lengths[d] = array.GetLength(d);
        }

        return Array.CreateInstance(elementType, lengths);
    }

    /// <summary>A deep copy (jagged arrays row by row).</summary>
    public static T Copy<T>(T array)
        where T : class?
    {
        if (array is null)
        {
            return null!;
        }

        var source = (Array)(object)array;
        var copy = (Array)source.Clone();
        if (copy is Array[] rows)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                rows[i] = rows[i] is null ? null! : Copy(rows[i]);
            }
        }

        return (T)(object)copy;
    }

    /// <summary>Copies the contents of <paramref name="source"/> into <paramref name="target"/> (same shape), deeply.</summary>
    public static void CopyInto(Array? source, Array? target)
    {
        if (source is null || target is null)
        {
            return;
        }

        if (source is Array[] sourceRows && target is Array[] targetRows)
        {
            for (int i = 0; i < sourceRows.Length; i++)
            {
                CopyInto(sourceRows[i], targetRows[i]);
            }

            return;
        }

        Array.Copy(source, target, source.Length);
    }

    /// <summary>
    /// Puts a saved copy back into a field: into the existing array when the shapes match (so references the caller
    /// holds stay valid), otherwise as a fresh copy.
    /// </summary>
    public static void RestoreInto<T>(ref T? field, T? saved)
        where T : class
    {
        if (field is Array target && saved is Array source && SameShape(target, source))
        {
            CopyInto(source, target);
            return;
        }

        field = saved is null ? null : Copy(saved);
    }

    private static bool SameShape(Array a, Array b)
    {
        if (a.Rank != b.Rank || a.Length != b.Length)
        {
            return false;
        }

        for (int d = 0; d < a.Rank; d++)
        {
            if (a.GetLength(d) != b.GetLength(d))
            {
                return false;
            }
        }

        if (a is Array[] rowsA && b is Array[] rowsB)
        {
            for (int i = 0; i < rowsA.Length; i++)
            {
                if (rowsA[i] is null || rowsB[i] is null ? !ReferenceEquals(rowsA[i], rowsB[i]) : !SameShape(rowsA[i], rowsB[i]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A span over all elements of a multi-dimensional array, in row-major order.</summary>
    public static Span<T> AsSpan<T>(Array array)
        where T : struct
    {
        ref byte data = ref MemoryMarshal.GetArrayDataReference(array);
        return MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref data), array.Length);
    }
}
