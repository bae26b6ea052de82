using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SourceDiff.CompilerServices;

/// <summary>
/// The value stacks generated adjoints record on: one typed stack per kind of value, so nothing is boxed and no
/// per-operation object exists. The forward sweep pushes only what the reverse sweep needs and cannot recompute
/// (overwritten values, branch decisions, loop trip counts); the reverse sweep pops in exactly the opposite order.
/// Instances are pooled per thread: <see cref="Rent"/> at the start of a gradient call, <see cref="Return"/> at its end.
/// </summary>
/// <remarks>
/// A tape belongs to the thread that created it (by <see cref="Rent"/> or the constructor) and is either rented (in use)
/// or returned (in that thread's pool). <see cref="Return"/> throws instead of pooling a tape that is not rented, or on
/// another thread, so the pool never holds one tape twice and never hands one tape to two threads. What no check can
/// catch is a <see cref="Return"/> through a stale reference after the tape was rented again: it is indistinguishable
/// from the new holder's own <see cref="Return"/>. Do not use a tape after returning it.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class Tape
{
    [ThreadStatic]
    private static Tape? cached;

    // One contiguous array per kind, so that a pop in a reverse loop is a load with no call on any path: a call there,
    // even one taken once in a million pops, makes the JIT keep the loop's adjoint accumulators in memory on every
    // iteration (measured with segmented stacks: a scalar recurrence's gradient ran 1.6x slower).
    private double[] doubles = new double[InitialLength];
    private float[] floats = new float[InitialLength];
    private int[] ints = new int[InitialLength];
    private object?[] references = new object?[InitialLength];
    private int doubleCount;
    private int floatCount;
    private int intCount;
    private int referenceCount;
    // Bytes of every scratch array and copy the tape holds, rented or pooled: kept as arrays are created and dropped,
    // so that the end of every call checks the budget without walking the pools.
    private long scratchBytes;
    private readonly System.Collections.Generic.List<double[]> rentedDoubles = new();
    private readonly System.Collections.Generic.Dictionary<int, System.Collections.Generic.Stack<double[]>> freeDoubles = new();
    private readonly System.Collections.Generic.List<Array> rentedCopies = new();
    private readonly System.Collections.Generic.Dictionary<(Type Type, int Length, int Rows), System.Collections.Generic.Stack<Array>> freeCopies = new();
    private double[] doubleSink = new double[16];
    private float[] floatSink = new float[16];

    // Rent hands out only tapes this thread created and Return pools them only here, so a tape never changes threads:
    // the owner is fixed at construction, and the flag below is only ever written by the owner thread (no interlocking).
    private readonly int ownerThread = Environment.CurrentManagedThreadId;

    // True from construction or Rent until Return. A new tape counts as rented, so `new Tape()` may be returned once.
    private bool rented = true;

    /// <summary>
    /// Takes this thread's pooled tape (or a new one when it is in use, e.g. by a nested gradient call). Allocation-free
    /// once the thread has returned a tape.
    /// </summary>
    public static Tape Rent()
    {
        Tape? tape = cached;
        if (tape is null)
        {
            return new Tape();
        }

        cached = null;
        tape.rented = true;
        return tape;
    }

    /// <summary>
    /// Empties the tape and gives it back to this thread's pool. Call it exactly once per <see cref="Rent"/>, on the
    /// thread that rented the tape, and do not touch the tape afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The tape was already returned, or this is not the thread it was rented on. The tape is left untouched: a second
    /// <see cref="Return"/> would otherwise put it in the pool while something else may hold it, and a
    /// <see cref="Return"/> on another thread would put it in two threads' pools at once.
    /// </exception>
    public void Return()
    {
        if (!rented || ownerThread != Environment.CurrentManagedThreadId)
        {
            ThrowInvalidReturn();
        }

        Array.Clear(references, 0, referenceCount);
        doubleCount = floatCount = intCount = referenceCount = 0;
        KeepWithinBudget(TapeMemory.RetainedBytesPerThread);
        rented = false;
        cached = this;
    }

    /// <summary>
    /// What the thread keeps for its next call: the stacks' segments and the pooled scratch arrays and copies, in that
    /// order, up to <paramref name="budgetBytes"/>; the rest is left to the garbage collector. The first segment of each
    /// stack always stays, so small gradients never allocate in steady state.
    /// </summary>
    private void KeepWithinBudget(long budgetBytes)
    {
        long kept = KeepWithin(ref doubles, budgetBytes);
        kept += KeepWithin(ref floats, budgetBytes - kept);
        kept += KeepWithin(ref ints, budgetBytes - kept);
        kept += KeepWithin(ref references, budgetBytes - kept);
        if (kept + scratchBytes > budgetBytes)
        {
            // Over budget (rare: a call larger than the budget): the pools are rebuilt from what fits.
            DropScratchBeyond(budgetBytes - kept);
            return;
        }

        foreach (double[] array in rentedDoubles)
        {
            Free(array);
        }

        rentedDoubles.Clear();
        foreach (Array array in rentedCopies)
        {
            Pool(array);
        }

        rentedCopies.Clear();
    }

    private void DropScratchBeyond(long budgetBytes)
    {
        var scratch = new System.Collections.Generic.List<double[]>(rentedDoubles);
        foreach (System.Collections.Generic.Stack<double[]> free in freeDoubles.Values)
        {
            scratch.AddRange(free);
        }

        var copies = new System.Collections.Generic.List<Array>(rentedCopies);
        foreach (System.Collections.Generic.Stack<Array> free in freeCopies.Values)
        {
            copies.AddRange(free);
        }

        rentedDoubles.Clear();
        rentedCopies.Clear();
        freeDoubles.Clear();
        freeCopies.Clear();
        long kept = 0;
        foreach (double[] array in scratch)
        {
            if (Fits(array))
            {
                Free(array);
            }
        }

        foreach (Array array in copies)
        {
            if (Fits(array))
            {
                Pool(array);
            }
        }

        scratchBytes = kept;

        bool Fits(Array array)
        {
            long bytes = BytesOf(array);
            if (kept + bytes > budgetBytes)
            {
                return false;
            }

            kept += bytes;
            return true;
        }
    }

    private void Pool(Array copy)
    {
        (Type, int, int) shape = ShapeOf(copy);
        if (!freeCopies.TryGetValue(shape, out var free))
        {
            freeCopies[shape] = free = new System.Collections.Generic.Stack<Array>();
        }

        free.Push(copy);
    }

    /// <summary>
    /// The bytes of an array's own elements (a jagged copy's rows are pooled, and counted, as arrays of their own).
    /// </summary>
    private static long BytesOf(Array array) =>
        array.LongLength * (array is double[] or long[] ? 8 : array is float[] or int[] ? 4 : IntPtr.Size);

    /// <summary>Bytes this tape holds now: its stacks and its scratch arrays and copies, pooled or in use.</summary>
    public long RetainedBytes => BytesOf(doubles) + BytesOf(floats) + BytesOf(ints) + BytesOf(references) + scratchBytes;

    private const int InitialLength = 256;

    /// <summary>
    /// Doubles a full stack, up to the largest array there can be; growth stays out of line, so the inlined push in a
    /// user's loop is a compare and a store. Sizes never overflow int: past the largest array the tape says so.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Grow<T>(ref T[] stack) => GrowTo(ref stack, stack.Length + 1L);

    /// <summary>Grows a stack to hold at least <paramref name="length"/> values, at least doubling it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void GrowTo<T>(ref T[] stack, long length)
    {
        if (length > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"The gradient call recorded {Array.MaxLength:N0} values of type {typeof(T).Name}, the most one tape stack holds. " +
                "Record less per loop iteration (the SD2003 note on each loop says how much it records), or split the sequence into chunks whose gradients are summed.");
        }

        Array.Resize(ref stack, (int)Math.Min(Math.Max(2L * stack.Length, length), Array.MaxLength));
    }

    /// <summary>
    /// After a call: an emptied stack larger than what is left of the budget goes back to the garbage collector and
    /// starts again from its initial length (it grows again when needed).
    /// </summary>
    /// <returns>The bytes the stack keeps.</returns>
    private static long KeepWithin<T>(ref T[] stack, long budgetBytes)
    {
        if (stack.Length > InitialLength && BytesOf(stack) > budgetBytes)
        {
            stack = new T[InitialLength];
        }

        return BytesOf(stack);
    }

    // Cold path, kept out of Return so that the message formatting costs nothing on every gradient call.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowInvalidReturn()
    {
        int current = Environment.CurrentManagedThreadId;
        throw new InvalidOperationException(ownerThread != current
            ? $"Tape.Return() was called on thread {current}, but the tape belongs to thread {ownerThread}, which rented it. " +
              "Return a tape on the thread that rented it; a tape must not cross threads (e.g. an await)."
            : "Tape.Return() was called on a tape that is not rented: it was already returned. " +
              "Call Return() exactly once per Rent(), and do not use a tape after returning it.");
    }

    /// <summary>Number of values currently recorded, of every kind (for tests and diagnostics).</summary>
    public long Count => (long)doubleCount + floatCount + intCount + referenceCount;

    /// <summary>Records a <see cref="double"/>; the reverse sweep takes it back with <see cref="PopDouble"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushDouble(double value)
    {
        if (doubleCount == doubles.Length)
        {
            Grow(ref doubles);
        }

        doubles[doubleCount++] = value;
    }

    /// <summary>Takes back the last <see cref="double"/> recorded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double PopDouble()
    {
        return doubles[--doubleCount];
    }

    /// <summary>Records a <see cref="float"/>; the reverse sweep takes it back with <see cref="PopFloat"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushFloat(float value)
    {
        if (floatCount == floats.Length)
        {
            Grow(ref floats);
        }

        floats[floatCount++] = value;
    }

    /// <summary>Takes back the last <see cref="float"/> recorded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float PopFloat()
    {
        return floats[--floatCount];
    }

    /// <summary>Records an <see cref="int"/> (a branch decision, a trip count, an index); taken back with <see cref="PopInt"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushInt(int value)
    {
        if (intCount == ints.Length)
        {
            Grow(ref ints);
        }

        ints[intCount++] = value;
    }

    /// <summary>Takes back the last <see cref="int"/> recorded (also the last half of a <see cref="long"/> or a <see cref="bool"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PopInt()
    {
        return ints[--intCount];
    }

    /// <summary>Records a <see cref="bool"/> on the <see cref="int"/> stack; taken back with <see cref="PopBool"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushBool(bool value) => PushInt(value ? 1 : 0);

    /// <summary>Takes back the last <see cref="bool"/> recorded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PopBool() => PopInt() != 0;

    /// <summary>Records a <see cref="long"/> as two <see cref="int"/>s; taken back with <see cref="PopLong"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushLong(long value)
    {
        PushInt((int)value);
        PushInt((int)(value >> 32));
    }

    /// <summary>Takes back the last <see cref="long"/> recorded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long PopLong()
    {
        long high = PopInt();
        long low = (uint)PopInt();
        return (high << 32) | low;
    }

    /// <summary>
    /// Records a whole span of <see cref="double"/>s or <see cref="float"/>s on that kind's stack, in one copy: what a
    /// vectorized operation overwrites (see <see cref="TensorKernels{T}"/>). <see cref="PopRange{T}"/> takes the span
    /// back in the same order, so a range and single values pushed around it nest like any other push and pop.
    /// </summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <see cref="double"/> nor <see cref="float"/>.</exception>
    public void PushRange<T>(ReadOnlySpan<T> values)
    {
        // The type tests fold away in each instantiation; the casts only reinterpret a span whose type they just tested
        // (MemoryMarshal.Cast would need T : struct, which TensorKernels<T> cannot promise the compiler).
        if (typeof(T) == typeof(double))
        {
            PushOnto(ref doubles, ref doubleCount, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(values)), values.Length));
        }
        else if (typeof(T) == typeof(float))
        {
            PushOnto(ref floats, ref floatCount, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(values)), values.Length));
        }
        else
        {
            ThrowUnsupportedRange(typeof(T));
        }
    }

    /// <summary>
    /// Takes back the last <c>into.Length</c> values <see cref="PushRange{T}"/> recorded, into <paramref name="into"/> in
    /// the order they were pushed: push [a, b, c], pop into a span of three, and the span holds [a, b, c].
    /// </summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <see cref="double"/> nor <see cref="float"/>.</exception>
    /// <exception cref="InvalidOperationException">The stack holds fewer values than <paramref name="into"/> asks for.</exception>
    public void PopRange<T>(Span<T> into)
    {
        if (typeof(T) == typeof(double))
        {
            PopFrom(doubles, ref doubleCount, MemoryMarshal.CreateSpan(ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(into)), into.Length));
        }
        else if (typeof(T) == typeof(float))
        {
            PopFrom(floats, ref floatCount, MemoryMarshal.CreateSpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(into)), into.Length));
        }
        else
        {
            ThrowUnsupportedRange(typeof(T));
        }
    }

    private static void PushOnto<T>(ref T[] stack, ref int count, ReadOnlySpan<T> values)
    {
        // Grown by the same doubling as single pushes (and with the same limit); the subtraction cannot overflow.
        while (values.Length > stack.Length - count)
        {
            Grow(ref stack);
        }

        values.CopyTo(stack.AsSpan(count));
        count += values.Length;
    }

    private static void PopFrom<T>(T[] stack, ref int count, Span<T> into)
    {
        if (into.Length > count)
        {
            throw new InvalidOperationException(
                $"PopRange asked for {into.Length:N0} values of type {typeof(T).Name}, but the tape holds {count:N0}: pops must mirror the pushes.");
        }

        count -= into.Length;
        stack.AsSpan(count, into.Length).CopyTo(into);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUnsupportedRange(Type type) =>
        throw new NotSupportedException($"The tape records ranges of double and float only, not of {type.Name}.");

    /// <summary>
    /// A buffer that receives adjoints nobody reads: the adjoint of data that carries no derivative (a [NoDerivative]
    /// array passed to a callee that only reads it, or chosen by <c>?:</c> beside a differentiable array). The
    /// generator rejects any code that could write a derivative into such data, so a sink is only ever added into,
    /// never read. One-dimensional sinks are shared and never cleared, so a loss over 10⁵ steps of data allocates
    /// nothing; other shapes get a fresh zero array. A user's pullback gets exactly shaped zeros instead.
    /// </summary>
    public T Sink<T>(T like)
        where T : class => like switch
    {
        double[] doubles => Unsafe.As<T>(SinkDoubles(doubles.Length)),
        float[] floats => Unsafe.As<T>(SinkSingles(floats.Length)),
        _ => Buffers.ZerosLike(like),
    };

    /// <summary>The sink of a <see cref="double"/> array (see <see cref="Sink{T}"/>): no type test, as callers in a loop pass one per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double[] Sink(double[] like) => SinkDoubles(like.Length);

    /// <summary>The sink of a <see cref="float"/> array (see <see cref="Sink{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float[] Sink(float[] like) => SinkSingles(like.Length);

    /// <summary>
    /// A zeroed array that lives until this tape is returned: the adjoint of a local scratch array the primal
    /// allocates on every call. Reused across gradient calls, so a loss over 10⁵ steps stops allocating after the first.
    /// </summary>
    public double[] ZeroDoubles(int length)
    {
        double[] array;
        if (freeDoubles.TryGetValue(length, out var free) && free.Count > 0)
        {
            array = free.Pop();
            Array.Clear(array);
        }
        else
        {
            array = new double[length];
            scratchBytes += (long)length * sizeof(double);
        }

        rentedDoubles.Add(array);
        return array;
    }

    /// <summary>
    /// Gives back, before this tape is returned, an array <see cref="ZeroDoubles"/> rented: a reverse sweep done with a
    /// scratch array's adjoint, so the next step's reverse sweep reuses it instead of one buffer per step staying alive.
    /// Sweeps rent and give back in nested order, so the array is found at once at the end of the rented list.
    /// </summary>
    public void GiveBack(double[] array)
    {
        int at = rentedDoubles.LastIndexOf(array);
        if (at < 0)
        {
            throw new InvalidOperationException("The array was not rented from this tape, or was given back already.");
        }

        rentedDoubles.RemoveAt(at);
        Free(array);
    }

    private void Free(double[] array)
    {
        if (!freeDoubles.TryGetValue(array.Length, out var free))
        {
            freeDoubles[array.Length] = free = new System.Collections.Generic.Stack<double[]>();
        }

        free.Push(array);
    }

    /// <summary>
    /// A deep copy of <paramref name="array"/> (jagged arrays row by row) that lives until this tape is returned: what a
    /// gradient call saves of the model and of its arguments to give the caller the primal's final state. Reused across
    /// calls, so a gradient call in steady state allocates nothing for it. Arrays of more than two dimensions are copied
    /// afresh.
    /// </summary>
    public T CopyOf<T>(T array)
        where T : class?
    {
        if (array is null)
        {
            return null!;
        }

        return Unsafe.As<T>(CopyOfArray((Array)(object)array));
    }

    private Array CopyOfArray(Array source)
    {
        if (source.Rank > 2)
        {
            return Buffers.Copy(source);
        }

        (Type, int, int) shape = ShapeOf(source);
        Array copy;
        if (freeCopies.TryGetValue(shape, out var free) && free.Count > 0)
        {
            copy = free.Pop();
        }
        else
        {
            copy = source.Rank == 1
                ? Array.CreateInstance(source.GetType().GetElementType()!, source.Length)
                : Array.CreateInstance(source.GetType().GetElementType()!, source.GetLength(0), source.GetLength(1));
            scratchBytes += BytesOf(copy);
        }

        rentedCopies.Add(copy);
        if (source is Array[] rows)
        {
            var copiedRows = (Array[])copy;
            for (int i = 0; i < rows.Length; i++)
            {
                copiedRows[i] = rows[i] is null ? null! : CopyOfArray(rows[i]);
            }
        }
        else
        {
            Array.Copy(source, copy, source.Length);
        }

        return copy;
    }

    private static (Type Type, int Length, int Rows) ShapeOf(Array array) =>
        (array.GetType(), array.Length, array.Rank == 1 ? -1 : array.GetLength(0));

    /// <summary>A shared sink of at least <paramref name="length"/> doubles (see <see cref="Sink{T}"/>).</summary>
    public double[] SinkDoubles(int length)
    {
        if (doubleSink.Length < length)
        {
            doubleSink = new double[Math.Max(length, doubleSink.Length * 2)];
        }

        return doubleSink;
    }

    /// <summary>A shared sink of at least <paramref name="length"/> floats (see <see cref="Sink{T}"/>).</summary>
    public float[] SinkSingles(int length)
    {
        if (floatSink.Length < length)
        {
            floatSink = new float[Math.Max(length, floatSink.Length * 2)];
        }

        return floatSink;
    }

    /// <summary>Records an array reference (a reassigned array local or field), never a value type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushReference<T>(T? value)
        where T : class
    {
        if (referenceCount == references.Length)
        {
            Grow(ref references);
        }

        references[referenceCount++] = value;
    }

    /// <summary>Takes back the last reference recorded by <see cref="PushReference{T}(T)"/>, and clears its slot so the tape holds nothing alive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T? PopReference<T>()
        where T : class
    {
        object? value = references[--referenceCount];
        references[referenceCount] = null;
        return Unsafe.As<T>(value);
    }
}
