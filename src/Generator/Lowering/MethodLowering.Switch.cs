using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SourceDiff.Generator.IR;
using SourceDiff.Generator.Model;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// <c>switch</c> statements and expressions become if/else chains over their labels' patterns, so the reverse sweep
/// follows the recorded branch exactly as it does for if/else.
/// </summary>
internal sealed partial class MethodLowering
{
    /// <summary>
    /// Sections are tested in order and the one holding <c>default</c> comes last, as C# picks it only when no label
    /// matches. The <c>break</c> that ends a section is dropped; one earlier in a section leaves through the flow flag,
    /// consumed right after the switch.
    /// </summary>
    private bool LowerSwitch(ISwitchOperation switchOperation, List<Stmt> output)
    {
        Expr value = LowerPatternSubject(switchOperation.Value, switchOperation, output);
        ISwitchCaseOperation? defaultSection = null;
        var tested = new List<(Expr Test, Block Body)>();
        foreach (ISwitchCaseOperation section in switchOperation.Cases)
        {
            if (section.Clauses.Any(clause => clause is IDefaultCaseClauseOperation))
            {
                defaultSection = section;
                continue;
            }

            Expr? test = null;
            foreach (ICaseClauseOperation clause in section.Clauses)
            {
                Expr? label = CaseLabelTest(value, clause, output);
                if (label is null)
                {
                    return false;
                }

                test = test is null ? label : new Binary("||", test, label, TypeRef.Bool);
            }

            tested.Add((test ?? new Literal("false", TypeRef.Bool), LowerSwitchSection(section, switchOperation.ExitLabel)));
        }

        Block chain = defaultSection is null ? Block.Empty : LowerSwitchSection(defaultSection, switchOperation.ExitLabel);
        for (int i = tested.Count - 1; i >= 0; i--)
        {
            chain = new Block(EquatableArray.Of<Stmt>(new If(tested[i].Test, tested[i].Body, chain)));
        }

        output.AddRange(chain.Statements);
        if (switchOperation.Descendants().Any(node => IsBreakOf(node, switchOperation.ExitLabel)))
        {
            output.Add(ResetFlow(FlowBreak));
        }

        return MayExit(switchOperation);
    }

    private Expr? CaseLabelTest(Expr value, ICaseClauseOperation clause, List<Stmt> output)
    {
        switch (clause)
        {
            case ISingleValueCaseClauseOperation single:
                return ConstantTest(value, single.Value, single);

            case IPatternCaseClauseOperation patternClause:
            {
                Expr? test = PatternTest(value, patternClause.Pattern);
                if (test is null || patternClause.Guard is null)
                {
                    return test;
                }

                // The guard runs only after its pattern matched, so it may not hide calls with pullbacks.
                return new Binary("&&", test, LowerCondition(patternClause.Guard, output, "a case guard"), TypeRef.Bool);
            }

            default:
                Unsupported(clause, "This case label", "use constants and relational patterns");
                return null;
        }
    }

    private Block LowerSwitchSection(ISwitchCaseOperation section, ILabelSymbol exit)
    {
        IEnumerable<IOperation> body = section.Body;
        if (section.Body.Length > 0 && IsBreakOf(section.Body[section.Body.Length - 1], exit))
        {
            body = section.Body.Take(section.Body.Length - 1);
        }

        return new Block(LowerSequence(body, isMethodLevel: false).ToEquatableArray());
    }

    private static bool IsBreakOf(IOperation operation, ILabelSymbol exit) =>
        operation is IBranchOperation { BranchKind: BranchKind.Break } branch && SymbolEqualityComparer.Default.Equals(branch.Target, exit);

    /// <summary>
    /// A switch expression: its value comes from an if/else chain into a local, so each arm (and any call in it) runs
    /// only when chosen; with no arm that matches everything, the chain ends in the exception C# throws. Where no
    /// statement can be inserted (a condition, a branch of ?:), arms ending in <c>_</c> become nested <c>?:</c>.
    /// </summary>
    private Expr LowerSwitchExpression(ISwitchExpressionOperation switchExpression, List<Stmt> output)
    {
        TypeRef type = TypeMapping.From(switchExpression.Type);
        Expr value = LowerPatternSubject(switchExpression.Value, switchExpression, output);
        if (hoistBlocker is not null)
        {
            return LowerSwitchExpressionInPlace(switchExpression, value, type, output);
        }

        Var chosen = NewTemp("switch", type);
        Block chain = new(EquatableArray.Of<Stmt>(new Throw("throw new global::System.Runtime.CompilerServices.SwitchExpressionException();")));
        foreach (ISwitchExpressionArmOperation arm in switchExpression.Arms.Reverse())
        {
            var guardStatements = new List<Stmt>();
            Expr? test = ArmTest(value, arm, guardStatements);
            if (test is null)
            {
                return Fallback(switchExpression);
            }

            var body = new List<Stmt>();
            if (IsThrow(arm.Value))
            {
                // _ => throw new ArgumentOutOfRangeException(nameof(kind)): the arm ends the forward sweep.
                if (LowerThrow(AsThrow(arm.Value)) is { } throwStatement)
                {
                    body.Add(throwStatement);
                }
            }
            else
            {
                LowerAssignment(chosen, arm.Value, AssignKind.Set, arm, body);
            }

            chain = test is Literal { Text: "true" }
                ? new Block(body.ToEquatableArray())
                : new Block(EquatableArray.Of<Stmt>(new If(test, new Block(body.ToEquatableArray()), chain)));
        }

        output.AddRange(chain.Statements);
        return chosen;
    }

    private Expr LowerSwitchExpressionInPlace(ISwitchExpressionOperation switchExpression, Expr value, TypeRef type, List<Stmt> output)
    {
        ISwitchExpressionArmOperation last = switchExpression.Arms.Last();
        if (last.Pattern is not IDiscardPatternOperation || last.Guard is not null)
        {
            Unsupported(switchExpression, "A switch expression without a final '_' arm in " + hoistBlocker, "add a '_' arm, or compute it into a local first");
            return Fallback(switchExpression);
        }

        Expr result = Convert(LowerExpr(last.Value, output), type);
        foreach (ISwitchExpressionArmOperation arm in switchExpression.Arms.Reverse().Skip(1))
        {
            Expr? test = ArmTest(value, arm, output);
            if (test is null)
            {
                return Fallback(switchExpression);
            }

            result = new Conditional(test, Convert(LowerExpr(arm.Value, output), type), result, type);
        }

        return result;
    }

    private Expr? ArmTest(Expr value, ISwitchExpressionArmOperation arm, List<Stmt> output)
    {
        Expr? test = PatternTest(value, arm.Pattern);
        if (test is null || arm.Guard is null)
        {
            return test;
        }

        Expr guard = LowerCondition(arm.Guard, output, "a switch arm's guard");
        return test is Literal { Text: "true" } ? guard : new Binary("&&", test, guard, TypeRef.Bool);
    }
}
