using System;
using SourceDiff.CompilerServices;
using Xunit;

namespace SourceDiff.Runtime.Tests;

/// <summary>
/// The alias check generated entry points run: read-only data is compared with the buffers when the check ends, with a
/// linear scan for a few buffers and a lookup for many; both must name the row and the buffer.
/// </summary>
public class AliasCheckTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void AReadOnlyRowThatIsABufferThrowsNamingBoth(int bufferCount)
    {
        double[][] buffers = NewRows(bufferCount);
        double[][][] data = { NewRows(3), NewRows(4) };
        data[1][3] = buffers[bufferCount - 1];
        var check = AliasCheck.Begin();
        for (int i = 0; i < bufferCount; i++)
        {
            check.Buffer(buffers[i], "d" + i);
        }

        check.ReadOnly(data, "data");
        var e = Assert.Throws<ArgumentException>(() => check.End());
        Assert.Equal("data", e.ParamName);
        Assert.Contains($"data[1][3] is the same array as d{bufferCount - 1}", e.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(12)]
    public void ABufferRegisteredAfterTheDataIsNamedSecond(int bufferCount)
    {
        double[][] data = NewRows(5);
        double[][] buffers = NewRows(bufferCount);
        buffers[0] = data[4];
        var check = AliasCheck.Begin();
        check.ReadOnly(data, "data");
        for (int i = 0; i < bufferCount; i++)
        {
            check.Buffer(buffers[i], "d" + i);
        }

        var e = Assert.Throws<ArgumentException>(() => check.End());
        Assert.Contains("d0 is the same array as data[4]", e.Message);
    }

    [Fact]
    public void ReadOnlyDataMayShareArraysWithInputsAndItselfAndTheCheckIsReusable()
    {
        double[][] data = NewRows(4);
        data[2] = data[0];
        var check = AliasCheck.Begin();
        check.Input(data[1], "x");
        check.ReadOnly(data, "data");
        check.ReadOnly(data[3], "y");
        check.Buffer(new double[2], "dX");
        check.End();

        // A failed check leaves nothing behind: the next call on this thread starts empty.
        double[] buffer = new double[2];
        check = AliasCheck.Begin();
        check.Buffer(buffer, "dX");
        check.ReadOnly(new[] { buffer }, "data");
        Assert.Throws<ArgumentException>(() => check.End());
        check = AliasCheck.Begin();
        check.ReadOnly(new[] { buffer }, "data");
        check.End();
    }

    [Fact]
    public void NullRowsOfReadOnlyDataAreSkipped()
    {
        double[][][] data = { null!, new double[][] { null!, new double[2] } };
        var check = AliasCheck.Begin();
        check.Buffer(new double[2], "dX");
        check.ReadOnly(data, "data");
        check.End();
    }

    private static double[][] NewRows(int count)
    {
        var rows = new double[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new double[2];
        }

        return rows;
    }
}
