using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

internal sealed partial class MethodLowering
{
    /// <summary>
    /// <c>new double[,] { { a, b }, { c, d } }</c>: a fresh array of the initializer's shape, filled element by element in
    /// the order C# evaluates the values, so each element's adjoint flows back as for any assignment.
    /// </summary>
    private Expr LowerRectangularInitializer(IArrayCreationOperation creation, TypeRef type, List<Stmt> output)
    {
        Var array = NewTemp("array", type);
        EquatableArray<Expr> lengths = creation.DimensionSizes.Select(size => LowerExpr(size, output)).ToEquatableArray();
        output.Add(new Assign(array, new NewArray(lengths, type), AssignKind.Declare, SourceText(creation)));
        FillRows(array, creation.Initializer!, new List<Expr>(), type.ElementType, output);
        return array;
    }

    private void FillRows(Var array, IArrayInitializerOperation initializer, List<Expr> indices, TypeRef element, List<Stmt> output)
    {
        for (int i = 0; i < initializer.ElementValues.Length; i++)
        {
            IOperation value = initializer.ElementValues[i];
            indices.Add(new Literal(i.ToString(CultureInfo.InvariantCulture), TypeRef.Int));
            if (value is IArrayInitializerOperation row)
            {
                FillRows(array, row, indices, element, output);
            }
            else
            {
                output.Add(new Assign(new Element(array, indices.ToEquatableArray(), element), Convert(LowerExpr(value, output), element), AssignKind.Set, SourceText(value)));
            }

            indices.RemoveAt(indices.Count - 1);
        }
    }
}
