using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.Diagnostics;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

internal sealed partial class MethodLowering
{
    private static readonly Literal Zero = new("0", TypeRef.Int);

    private Expr FlowIs(int value) => new Binary("==", Flow, new Literal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), TypeRef.Int), TypeRef.Bool);

    /// <summary>
    /// Lowers a statement list. After a statement that may set the flow flag (break, continue, return inside it),
    /// the rest of the list runs only while the flag is clear, which is how early exits become structured code.
    /// </summary>
    private List<Stmt> LowerSequence(IEnumerable<IOperation> operations, bool isMethodLevel)
    {
        List<IOperation> list = operations.ToList();
        var output = new List<Stmt>();
        for (int i = 0; i < list.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool isLast = i == list.Count - 1;
            if (isMethodLevel && isLast && list[i] is IReturnOperation finalReturn)
            {
                LowerReturn(finalReturn, isFinal: true, output);
                break;
            }

            int first = output.Count;
            bool mayExit = LowerStatement(list[i], output);
            Site location = sites.Add(list[i].Syntax.GetLocation());
            for (int j = first; j < output.Count; j++)
            {
                output[j] = Locate(output[j], location);
            }

            if (mayExit && !isLast)
            {
                List<Stmt> rest = LowerSequence(list.Skip(i + 1), isMethodLevel);
                if (rest.Count > 0)
                {
                    output.Add(new If(FlowIs(0), new Block(rest.ToEquatableArray()), Block.Empty));
                }

                break;
            }
        }

        return output;
    }

    /// <summary>Gives the statements lowered from one user statement its location, where they have none of their own.</summary>
    private static Stmt Locate(Stmt statement, Site location)
    {
        if (statement.Site is not null)
        {
            return statement;
        }

        Stmt located = statement switch
        {
            Block block => LocateBlock(block, location),
            If conditional => new If(conditional.Condition, LocateBlock(conditional.Then, location), LocateBlock(conditional.Else, location)),
            Loop loop => new Loop(loop.Condition, LocateBlock(loop.Body, location), LocateBlock(loop.Step, location), loop.TestFirst),
            _ => statement,
        };
        return located with { Site = location };
    }

    private static Block LocateBlock(Block block, Site location) =>
        block.Statements.Count == 0 ? block : new Block(block.Statements.Select(s => Locate(s, location)).ToEquatableArray());

    private Block LowerBody(IOperation? operation)
    {
        if (operation is null)
        {
            return Block.Empty;
        }

        IEnumerable<IOperation> statements = operation is IBlockOperation block ? block.Operations : new[] { operation };
        return new Block(LowerSequence(statements, isMethodLevel: false).ToEquatableArray());
    }

    /// <summary>Lowers one statement into <paramref name="output"/>; returns whether it may set the flow flag.</summary>
    private bool LowerStatement(IOperation operation, List<Stmt> output)
    {
        switch (operation)
        {
            case IBlockOperation block:
                output.AddRange(LowerSequence(block.Operations, isMethodLevel: false));
                return MayExit(block);

            case IVariableDeclarationGroupOperation group:
                foreach (IVariableDeclarationOperation declaration in group.Declarations)
                {
                    foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
                    {
                        if (TryLowerSpanLocal(declarator, declarator.Initializer ?? declaration.Initializer, output)
                            || TryLowerRefElementLocal(declarator, declarator.Initializer ?? declaration.Initializer, output)
                            || TryLowerLayerLocal(declarator, declarator.Initializer ?? declaration.Initializer, output))
                        {
                            continue;
                        }

                        Var local = DeclareLocal(declarator.Symbol);
                        IVariableInitializerOperation? initializer = declarator.Initializer ?? declaration.Initializer;
                        if (initializer is not null && !IsViewLocal(declarator.Symbol))
                        {
                            LowerAssignment(local, initializer.Value, AssignKind.Declare, declarator, output);
                        }
                    }
                }

                return false;

            case IExpressionStatementOperation statement:
                LowerExpressionStatement(statement.Operation, statement, output);
                return false;

            case IConditionalOperation conditional:
            {
                // An if condition runs exactly once, before its branch: calls in it are hoisted like any other.
                Expr condition = LowerExpr(conditional.Condition, output);
                output.Add(new If(condition, LowerBody(conditional.WhenTrue), LowerBody(conditional.WhenFalse)));
                return MayExit(conditional);
            }

            case IForLoopOperation forLoop:
                foreach (IOperation before in forLoop.Before)
                {
                    LowerStatement(before, output);
                }

                return LowerLoop(forLoop.Condition, forLoop.Body, forLoop.AtLoopBottom, testFirst: true, output);

            case IWhileLoopOperation whileLoop:
                if (whileLoop.ConditionIsUntil)
                {
                    Unsupported(whileLoop, "an until loop", "use while");
                    return false;
                }

                return LowerLoop(whileLoop.Condition, whileLoop.Body, System.Array.Empty<IOperation>(), whileLoop.ConditionIsTop, output);

            case IForEachLoopOperation forEach:
                return LowerForEach(forEach, output);

            case IBranchOperation { BranchKind: BranchKind.Break }:
                output.Add(Break());
                return true;

            case IBranchOperation { BranchKind: BranchKind.Continue }:
                output.Add(new Assign(Flow, new Literal(FlowContinue.ToString(System.Globalization.CultureInfo.InvariantCulture), TypeRef.Int), AssignKind.Set, "continue;"));
                return true;

            case IReturnOperation returnOperation:
                LowerReturn(returnOperation, isFinal: false, output);
                return true;

            case IEmptyOperation:
                return false;

            case ILabeledOperation labeled:
                // The label itself is harmless; a goto that targets it is reported where it stands.
                return labeled.Operation is not null && LowerStatement(labeled.Operation, output);

            case ILocalFunctionOperation:
                // Its body is inlined at each call.
                return false;

            case ISwitchOperation switchOperation:
                return LowerSwitch(switchOperation, output);

            case IThrowOperation throwOperation:
                if (LowerThrow(throwOperation) is { } throwStatement)
                {
                    output.Add(throwStatement);
                }

                return false;

            case ITryOperation:
                Unsupported(operation, "try/catch/finally", "exceptions are not differentiated; validate inputs before calling");
                return false;

            case IBranchOperation:
                Unsupported(operation, "goto", "use structured loops, break and continue");
                return false;

            default:
                Unsupported(operation, ConstructNames.Describe(operation), "rewrite it with the statements listed at " + DiagnosticDescriptors.SupportedCSharp("statements"));
                return false;
        }
    }

    private void LowerExpressionStatement(IOperation operation, IOperation statement, List<Stmt> output)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                if (assignment.IsRef)
                {
                    Unsupported(assignment, "A ref assignment", "assign values, not references");
                    return;
                }

                if (assignment.Target is ILocalReferenceOperation { Local: { IsRef: false } rebound } && TypeMapping.From(rebound.Type).IsSpan && !spanViews.ContainsKey(rebound))
                {
                    DeclareLocal(rebound);   // a span local bound again: reported once, at its declaration
                    return;
                }

                LowerAssignment(LowerTarget(assignment.Target, output), assignment.Value, AssignKind.Set, statement, output);
                return;

            case ICompoundAssignmentOperation { OperatorMethod.ContainingType: var owner } compound when MathNetOperations.Owns(owner):
            {
                // h += W * x: a new vector, as h = h + W * x makes, bound to h.
                Expr target = LowerTarget(compound.Target, output);
                output.Add(new Assign(target, LowerMathNetValue(compound, output), AssignKind.Set, SourceText(statement)));
                return;
            }

            case ICompoundAssignmentOperation compound:
            {
                if (compound.OperatorMethod is not null)
                {
                    Unsupported(compound, "A user-defined operator", "use double/float arithmetic");
                    return;
                }

                Expr target = LowerTarget(compound.Target, output);
                int mark = output.Count;
                Expr value = LowerExpr(compound.Value, output);
                Expr old = ReadBefore(target, mark, compound.Target, output);
                if (!ReferenceEquals(old, target))
                {
                    // x += F(ref x): the old x was read before the call wrote it.
                    string? combined = BinarySymbol(compound.OperatorKind);
                    if (combined is null)
                    {
                        Unsupported(compound, "The compound operator " + compound.OperatorKind, "write it out as x = x op y");
                        return;
                    }

                    output.Add(new Assign(target, new Binary(combined, old, Convert(value, target.Type), TypeMapping.From(compound.Type)), AssignKind.Set, SourceText(statement)));
                    return;
                }

                switch (compound.OperatorKind)
                {
                    case BinaryOperatorKind.Add:
                        output.Add(new Assign(target, Convert(value, target.Type), AssignKind.Add, SourceText(statement)));
                        return;
                    case BinaryOperatorKind.Subtract:
                        output.Add(new Assign(target, Convert(value, target.Type), AssignKind.Subtract, SourceText(statement)));
                        return;
                    default:
                        string? symbol = BinarySymbol(compound.OperatorKind);
                        if (symbol is null)
                        {
                            Unsupported(compound, "The compound operator " + compound.OperatorKind, "write it out as x = x op y");
                            return;
                        }

                        TypeRef type = TypeMapping.From(compound.Type);
                        output.Add(new Assign(target, new Binary(symbol, target, Convert(value, target.Type), type), AssignKind.Set, SourceText(statement)));
                        return;
                }
            }

            case IIncrementOrDecrementOperation increment:
            {
                Expr target = LowerTarget(increment.Target, output);
                string one = target.Type.IsFloatingScalar ? Literals.Format(1.0, target.Type) : "1";
                AssignKind kind = increment.Kind == OperationKind.Increment ? AssignKind.Add : AssignKind.Subtract;
                output.Add(new Assign(target, new Literal(one, target.Type), kind, SourceText(statement)));
                return;
            }

            case IInvocationOperation invocation:
                LowerInvocationStatement(invocation, statement, output);
                return;

            case IDeconstructionAssignmentOperation deconstruction:
                LowerDeconstruction(deconstruction, statement, output);
                return;

            case IConditionalAccessOperation access:
                UnsupportedConditionalAccess(access);
                return;

            case IThrowOperation:
                output.Add(new Throw(SourceText(statement).TrimEnd(';') + ";"));
                return;

            default:
                Unsupported(operation, ConstructNames.Describe(operation) + " used as a statement", "assign the value to a variable");
                return;
        }
    }

    private void LowerAssignment(Expr target, IOperation value, AssignKind kind, IOperation statement, List<Stmt> output)
    {
        if (value is IInvocationOperation invocation && NeedsPullback(invocation.TargetMethod) && !IsLocalFunction(invocation.TargetMethod) && !MathNetOperations.Owns(invocation.TargetMethod.ContainingType)
            && TypeMapping.From(invocation.Type).Display == target.Type.Display)
        {
            Call? call = LowerCall(invocation, output);
            if (call is not null)
            {
                output.Add(new CallStmt(target, call, kind, SourceText(statement)));
            }

            return;
        }

        if (kind == AssignKind.Declare && target is Var { Kind: VarKind.Local, Type.IsMathNet: true } declared && IsMathNetValue(value))
        {
            // Vector<double> h = W * x: the kernel writes h itself (a fresh local, not read by its own initializer).
            LowerMathNetValue(value, output, declared);
            return;
        }

        Expr lowered = Convert(LowerExpr(value, output), target.Type);
        output.Add(new Assign(target, lowered, kind, SourceText(statement)));
    }

    private bool ContainsPullbackCall(IOperation operation)
    {
        foreach (IOperation node in operation.DescendantsAndSelf())
        {
            // Calls with pullbacks, and array copies (lowered to statements), need a statement of their own.
            if (node is IInvocationOperation invocation && (NeedsPullback(invocation.TargetMethod) || PassesFloatingStorage(invocation.TargetMethod) || IsArrayClone(invocation)))
            {
                return true;
            }

            // MathNet operators are kernel calls too.
            if (node is IBinaryOperation { OperatorMethod.ContainingType: var binaryOwner } && MathNetOperations.Owns(binaryOwner)
                || node is IUnaryOperation { OperatorMethod.ContainingType: var unaryOwner } && MathNetOperations.Owns(unaryOwner))
            {
                return true;
            }
        }

        return false;
    }

    private void LowerInvocationStatement(IInvocationOperation invocation, IOperation statement, List<Stmt> output)
    {
        IMethodSymbol target = invocation.TargetMethod;
        if (IsLocalFunction(target))
        {
            InlineLocalFunction(invocation, output);
            return;
        }

        if (TryLowerBulkElements(invocation, statement, output))
        {
            return;
        }

        if (MathNetOperations.Owns(target.ContainingType))
        {
            LowerMathNetStatement(invocation, statement, output);
            return;
        }

        if (NeedsPullback(target) || PassesFloatingStorage(target))
        {
            Call? call = LowerCall(invocation, output);
            if (call is not null)
            {
                output.Add(new CallStmt(null, call, AssignKind.Set, SourceText(statement)));
            }

            return;
        }

        // A call that cannot change any floating value (logging, assertions on integers, …): forward sweep only.
        Expr effect = LowerExpr(invocation, output);
        output.Add(new NonDifferentiableCall(effect, SourceText(statement)));
    }

    private void LowerReturn(IReturnOperation returnOperation, bool isFinal, List<Stmt> output)
    {
        if (returnOperation.ReturnedValue is not null && result is not null)
        {
            LowerAssignment(result, returnOperation.ReturnedValue, AssignKind.Set, returnOperation, output);
        }

        if (!isFinal)
        {
            output.Add(new Assign(Flow, new Literal(FlowReturn.ToString(System.Globalization.CultureInfo.InvariantCulture), TypeRef.Int), AssignKind.Set, "return"));
        }
    }

    private bool LowerLoop(IOperation? condition, IOperation? body, IEnumerable<IOperation> step, bool testFirst, List<Stmt> output)
    {
        ExitScan exits = ScanExits(body);
        var stepStatements = new List<Stmt>();
        foreach (IOperation operation in step)
        {
            LowerStatement(operation, stepStatements);
        }

        if (condition is not null && ContainsPullbackCall(condition))
        {
            // while (F(x) > 1): the calls run once per test, so the test moves into the body as `if (!test) break;`.
            var test = new List<Stmt>();
            Expr holds = LowerExpr(condition, test);
            test.Add(new If(new Unary("!", holds, TypeRef.Bool), new Block(EquatableArray.Of<Stmt>(Break())), Block.Empty));
            List<Stmt> userBody = LowerBody(body).Statements.ToList();
            var guarded = new List<Stmt>();
            if (testFirst)
            {
                guarded.AddRange(test);
                guarded.Add(new If(FlowIs(0), new Block(userBody.ToEquatableArray()), Block.Empty));
            }
            else
            {
                // In a do-while a continue goes to the test, so it is consumed before the test rather than after it.
                guarded.AddRange(userBody);
                if (exits.Continue)
                {
                    guarded.Add(ResetFlow(FlowContinue));
                }

                guarded.Add(new If(FlowIs(0), new Block(test.ToEquatableArray()), Block.Empty));
            }

            bool continueAtEnd = testFirst && exits.Continue;
            return FinishLoop(new Literal("true", TypeRef.Bool), guarded, stepStatements, new ExitScan(true, continueAtEnd, exits.Return), testFirst: true, output);
        }

        Expr loweredCondition = condition is null ? new Literal("true", TypeRef.Bool) : LowerCondition(condition, output, "a loop condition");
        var bodyStatements = new List<Stmt>(LowerBody(body).Statements);
        return FinishLoop(loweredCondition, bodyStatements, stepStatements, exits, testFirst, output);
    }

    private Stmt Break() => new Assign(Flow, new Literal(FlowBreak.ToString(System.Globalization.CultureInfo.InvariantCulture), TypeRef.Int), AssignKind.Set, "break;");

    /// <summary>
    /// Emits a loop whose body may break, continue or return: the flag joins the condition, a continue is consumed at
    /// the end of the body, a break skips the step (as in C#) and is consumed after the loop.
    /// </summary>
    private bool FinishLoop(Expr condition, List<Stmt> body, List<Stmt> step, ExitScan exits, bool testFirst, List<Stmt> output)
    {
        if (exits.Break || exits.Continue || exits.Return)
        {
            condition = new Binary("&&", FlowIs(0), condition, TypeRef.Bool);
            if (exits.Continue)
            {
                body.Add(ResetFlow(FlowContinue));
            }

            if (exits.Break && step.Count > 0)
            {
                step = new List<Stmt> { new If(FlowIs(0), new Block(step.ToEquatableArray()), Block.Empty) };
            }
        }

        output.Add(new Loop(condition, new Block(body.ToEquatableArray()), new Block(step.ToEquatableArray()), testFirst));
        if (exits.Break)
        {
            output.Add(ResetFlow(FlowBreak));
        }

        return exits.Return;
    }

    /// <summary><c>_flow = _flow == value ? 0 : _flow</c>: the loop that was waiting for this exit consumes it.</summary>
    private Stmt ResetFlow(int value) =>
        new Assign(Flow, new Conditional(FlowIs(value), Zero, Flow, TypeRef.Int), AssignKind.Set, value == FlowBreak ? "(end of break)" : "(end of continue)");

    private bool LowerForEach(IForEachLoopOperation forEach, List<Stmt> output)
    {
        IOperation collection = forEach.Collection is IConversionOperation { Conversion.IsIdentity: true } conversion ? conversion.Operand : forEach.Collection;
        while (collection is IConversionOperation { IsImplicit: true } implicitConversion)
        {
            collection = implicitConversion.Operand;
        }

        if (IsFloatingList(collection.Type) && forEach.LoopControlVariable is IVariableDeclaratorOperation listItem)
        {
            return LowerForEachOverList(forEach, collection, listItem, output);
        }

        if (TryLowerForEachOverLayers(forEach, collection, output, out bool layersMayExit))
        {
            return layersMayExit;
        }

        bool isSpan = TypeMapping.From(collection.Type).IsSpan;
        if (!(collection.Type is IArrayTypeSymbol { Rank: 1 } || isSpan) || forEach.LoopControlVariable is not IVariableDeclaratorOperation declarator)
        {
            Unsupported(forEach, "foreach over something other than a one-dimensional array", "loop over an array, or use for with an index");
            return false;
        }

        Expr array = LowerExpr(collection, output);
        if (array is not Var && isSpan)
        {
            Unsupported(forEach, "foreach over a span expression", "loop over a span parameter, or index it with for");
            return false;
        }

        // foreach evaluates its collection once: a body that rebinds the variable must not change the array iterated.
        if (array is not Var || (!isSpan && BodyRebinds(forEach.Body, collection)))
        {
            Var arrayTemp = NewTemp("array", array.Type);
            output.Add(new Assign(arrayTemp, array, AssignKind.Declare, SourceText(collection)));
            array = arrayTemp;
        }

        Var index = NewTemp("index", TypeRef.Int);
        output.Add(new Assign(index, Zero, AssignKind.Declare, "foreach"));
        Var item = DeclareLocal(declarator.Symbol);
        var prefix = new List<Stmt>
        {
            new Assign(item, Convert(new Element(array, EquatableArray.Of<Expr>(index), array.Type.ElementType), item.Type), AssignKind.Declare, item.Name + " = " + SourceText(collection) + "[…]"),
        };
        Expr condition = new Binary("<", index, Opaque.Read(array, "Length", TypeRef.Int), TypeRef.Bool);
        ExitScan exits = ScanExits(forEach.Body);
        var stepStatements = new List<Stmt> { new Assign(index, new Literal("1", TypeRef.Int), AssignKind.Add, "(next item)") };
        var bodyStatements = new List<Stmt>(prefix);
        bodyStatements.AddRange(LowerBody(forEach.Body).Statements);
        return FinishLoop(condition, bodyStatements, stepStatements, exits, testFirst: true, output);
    }

    private static bool BodyRebinds(IOperation body, IOperation collection)
    {
        ISymbol? variable = collection switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
        bool IsVariable(IOperation operation) => operation switch
        {
            ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, variable),
            IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, variable),
            _ => false,
        };
        return variable is not null && body.DescendantsAndSelf().Any(operation => operation switch
        {
            IAssignmentOperation assignment => IsVariable(assignment.Target),
            IArgumentOperation { Parameter.RefKind: not RefKind.None and not RefKind.In } argument => IsVariable(argument.Value),
            _ => false,
        });
    }

    private readonly struct ExitScan
    {
        public ExitScan(bool hasBreak, bool hasContinue, bool hasReturn)
        {
            Break = hasBreak;
            Continue = hasContinue;
            Return = hasReturn;
        }

        public bool Break { get; }

        public bool Continue { get; }

        public bool Return { get; }
    }

    /// <summary>Finds the break/continue that leave this loop (not an inner one) and any return inside it.</summary>
    private static ExitScan ScanExits(IOperation? body)
    {
        bool hasBreak = false, hasContinue = false, hasReturn = false;
        // A break inside a switch leaves the switch, not the loop; a continue there still continues the loop.
        void Visit(IOperation operation, bool inInnerLoop, bool inSwitch)
        {
            switch (operation)
            {
                case IReturnOperation:
                    hasReturn = true;
                    return;
                case IBranchOperation { BranchKind: BranchKind.Break } when !inInnerLoop && !inSwitch:
                    hasBreak = true;
                    return;
                case IBranchOperation { BranchKind: BranchKind.Continue } when !inInnerLoop:
                    hasContinue = true;
                    return;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return;
            }

            bool inner = inInnerLoop || operation is ILoopOperation;
            bool switchInside = inSwitch || operation is ISwitchOperation;
            foreach (IOperation child in operation.ChildOperations)
            {
                Visit(child, inner, switchInside);
            }
        }

        if (body is not null)
        {
            Visit(body, inInnerLoop: false, inSwitch: false);
        }

        return new ExitScan(hasBreak, hasContinue, hasReturn);
    }

    /// <summary>Whether a statement may leave the enclosing statement list early (return, or break/continue of an outer loop).</summary>
    private static bool MayExit(IOperation operation)
    {
        ExitScan exits = ScanExits(operation);
        return exits.Return || exits.Break || exits.Continue;
    }
}
