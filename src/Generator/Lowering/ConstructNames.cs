using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SourceDiff.Generator.Lowering;

/// <summary>
/// The English name of a construct the generator does not differentiate, as SD0001 messages show it: a noun phrase
/// with its article ("an interpolated string", "a call to Debug.Assert") and the code it stands for. One place, so
/// every message names constructs the same way and none reads "A none" or "A literal" for something else.
/// </summary>
internal static class ConstructNames
{
    /// <summary>"An interpolated string ($"{x}")": starts a sentence.</summary>
    public static string Describe(IOperation operation) => Capitalize(DescribeInSentence(operation));

    /// <summary>"an interpolated string ($"{x}")": goes after a verb ("Assigning to …").</summary>
    public static string DescribeInSentence(IOperation operation) => Name(operation) + " (" + Excerpt(operation.Syntax) + ")";

    /// <summary>The noun phrase alone, with its article: "a stackalloc expression".</summary>
    public static string Name(IOperation operation)
    {
        // The syntax names some constructs better than the operation does: a call the compiler drops
        // ([Conditional] methods such as Debug.Assert) or a construct Roslyn has no operation for (kind None).
        switch (operation.Syntax)
        {
            case InvocationExpressionSyntax invocation:
                return "a call to " + Excerpt(invocation.Expression);
            case StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax:
                return "a stackalloc expression";
        }

        return operation.Kind == OperationKind.None ? NameOfSyntax(operation.Syntax) : Name(operation.Kind);
    }

    /// <summary>The noun phrase for an operation kind; kinds newer than the Roslyn this is built against read from their name.</summary>
    public static string Name(OperationKind kind) => kind switch
    {
        OperationKind.None => "a construct",
        OperationKind.Invalid => "code that does not compile",
        OperationKind.Block => "a block",
        OperationKind.VariableDeclarationGroup => "a variable declaration",
        OperationKind.Switch => "a switch statement",
        OperationKind.Loop => "a loop",
        OperationKind.Labeled => "a labeled statement",
        OperationKind.Branch => "a jump (goto, break or continue)",
        OperationKind.Empty => "an empty statement",
        OperationKind.Return => "a return statement",
        OperationKind.YieldBreak => "a yield break statement",
        OperationKind.Lock => "a lock statement",
        OperationKind.Try => "a try statement",
        OperationKind.Using => "a using statement",
        OperationKind.YieldReturn => "a yield return statement",
        OperationKind.ExpressionStatement => "an expression statement",
        OperationKind.LocalFunction => "a local function",
        OperationKind.Stop => "a Stop statement",
        OperationKind.End => "an End statement",
        OperationKind.RaiseEvent => "raising an event",
        OperationKind.Literal => "a literal",
        OperationKind.Conversion => "a conversion",
        OperationKind.Invocation => "a method call",
        OperationKind.ArrayElementReference => "an array element",
        OperationKind.LocalReference => "a local variable",
        OperationKind.ParameterReference => "a parameter",
        OperationKind.FieldReference => "a field",
        OperationKind.MethodReference => "a method group",
        OperationKind.PropertyReference => "a property or indexer",
        OperationKind.EventReference => "an event",
        OperationKind.Unary => "a unary operator",
        OperationKind.Binary => "a binary operator",
        OperationKind.Conditional => "a conditional expression",
        OperationKind.Coalesce => "a ?? expression",
        OperationKind.AnonymousFunction => "a lambda or anonymous method",
        OperationKind.ObjectCreation => "an object creation",
        OperationKind.TypeParameterObjectCreation => "a new T() of a type parameter",
        OperationKind.ArrayCreation => "an array creation",
        OperationKind.InstanceReference => "'this'",
        OperationKind.IsType => "an 'is' type test",
        OperationKind.Await => "an await expression",
        OperationKind.SimpleAssignment => "an assignment",
        OperationKind.CompoundAssignment => "a compound assignment",
        OperationKind.Parenthesized => "a parenthesized expression",
        OperationKind.EventAssignment => "an event subscription",
        OperationKind.ConditionalAccess => "a null-conditional access (?.)",
        OperationKind.ConditionalAccessInstance => "the receiver of a null-conditional access",
        OperationKind.InterpolatedString => "an interpolated string",
        OperationKind.AnonymousObjectCreation => "an anonymous object",
        OperationKind.ObjectOrCollectionInitializer => "an object or collection initializer",
        OperationKind.MemberInitializer => "a member initializer",
        OperationKind.NameOf => "a nameof expression",
        OperationKind.Tuple => "a tuple",
        OperationKind.DynamicObjectCreation => "a dynamic object creation",
        OperationKind.DynamicMemberReference => "a dynamic member access",
        OperationKind.DynamicInvocation => "a dynamic call",
        OperationKind.DynamicIndexerAccess => "a dynamic indexer access",
        OperationKind.TranslatedQuery => "a LINQ query expression",
        OperationKind.DelegateCreation => "a delegate creation",
        OperationKind.DefaultValue => "a default value",
        OperationKind.TypeOf => "a typeof expression",
        OperationKind.SizeOf => "a sizeof expression",
        OperationKind.AddressOf => "an address-of expression (&)",
        OperationKind.IsPattern => "an 'is' pattern",
        OperationKind.Increment => "an increment (++)",
        OperationKind.Throw => "a throw",
        OperationKind.Decrement => "a decrement (--)",
        OperationKind.DeconstructionAssignment => "a deconstruction",
        OperationKind.DeclarationExpression => "a declaration expression",
        OperationKind.OmittedArgument => "an omitted argument",
        OperationKind.FieldInitializer => "a field initializer",
        OperationKind.VariableInitializer => "a variable initializer",
        OperationKind.PropertyInitializer => "a property initializer",
        OperationKind.ParameterInitializer => "a default parameter value",
        OperationKind.ArrayInitializer => "an array initializer",
        OperationKind.VariableDeclarator => "a variable declarator",
        OperationKind.VariableDeclaration => "a variable declaration",
        OperationKind.Argument => "an argument",
        OperationKind.CatchClause => "a catch clause",
        OperationKind.SwitchCase => "a switch section",
        OperationKind.CaseClause => "a case label",
        OperationKind.InterpolatedStringText => "the text of an interpolated string",
        OperationKind.Interpolation => "an interpolation hole",
        OperationKind.ConstantPattern => "a constant pattern",
        OperationKind.DeclarationPattern => "a declaration pattern",
        OperationKind.TupleBinary => "a tuple comparison",
        OperationKind.MethodBody => "a method body",
        OperationKind.ConstructorBody => "a constructor body",
        OperationKind.Discard => "a discard",
        OperationKind.FlowCapture => "a compiler-captured value",
        OperationKind.FlowCaptureReference => "a compiler-captured value",
        OperationKind.IsNull => "a null test",
        OperationKind.CaughtException => "a caught exception",
        OperationKind.StaticLocalInitializationSemaphore => "a static local initialization",
        OperationKind.FlowAnonymousFunction => "a lambda or anonymous method",
        OperationKind.CoalesceAssignment => "a ??= assignment",
        OperationKind.Range => "a range (..)",
        OperationKind.ReDim => "a ReDim statement",
        OperationKind.ReDimClause => "a ReDim clause",
        OperationKind.RecursivePattern => "a recursive pattern",
        OperationKind.DiscardPattern => "a discard pattern",
        OperationKind.SwitchExpression => "a switch expression",
        OperationKind.SwitchExpressionArm => "a switch expression arm",
        OperationKind.PropertySubpattern => "a property pattern",
        OperationKind.UsingDeclaration => "a using declaration",
        OperationKind.NegatedPattern => "a 'not' pattern",
        OperationKind.BinaryPattern => "an 'and'/'or' pattern",
        OperationKind.TypePattern => "a type pattern",
        OperationKind.RelationalPattern => "a relational pattern",
        OperationKind.With => "a with expression",
        OperationKind.InterpolatedStringHandlerCreation => "an interpolated string",
        OperationKind.InterpolatedStringAddition => "an interpolated string",
        OperationKind.InterpolatedStringAppendLiteral => "an interpolated string",
        OperationKind.InterpolatedStringAppendFormatted => "an interpolated string",
        OperationKind.InterpolatedStringAppendInvalid => "an interpolated string",
        OperationKind.InterpolatedStringHandlerArgumentPlaceholder => "an interpolated string",
        OperationKind.FunctionPointerInvocation => "a function pointer call",
        OperationKind.ListPattern => "a list pattern",
        OperationKind.SlicePattern => "a slice pattern (..)",
        OperationKind.ImplicitIndexerReference => "an index or range access",
        OperationKind.Utf8String => "a UTF-8 string literal",
        OperationKind.Attribute => "an attribute",
        OperationKind.InlineArrayAccess => "an inline array element",
        _ => WithArticle(Words(kind.ToString())),
    };

    /// <summary>For code Roslyn gives no operation of its own: the syntax kind, in words ("a ref expression").</summary>
    private static string NameOfSyntax(SyntaxNode syntax)
    {
        string kind = syntax.Kind().ToString();
        return WithArticle(Words(kind.EndsWith("Expression", System.StringComparison.Ordinal) || kind.EndsWith("Statement", System.StringComparison.Ordinal) ? kind : kind + "Expression"));
    }

    /// <summary>The code itself, on one line and short enough for a message.</summary>
    public static string Excerpt(SyntaxNode syntax)
    {
        // An out/ref/in argument reads best with its keyword: "out var m", not "var m".
        SyntaxNode shown = syntax is DeclarationExpressionSyntax { Parent: ArgumentSyntax argument } ? argument : syntax;
        string text = shown.ToString().Replace('\r', ' ').Replace('\n', ' ');
        return text.Length <= 40 ? text : text.Substring(0, 37) + "...";
    }

    private static string Words(string pascalCase)
    {
        var words = new StringBuilder();
        foreach (char c in pascalCase)
        {
            if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append(' ');
            }

            words.Append(char.ToLowerInvariant(c));
        }

        return words.ToString();
    }

    private static string WithArticle(string noun) => ("aeiou".IndexOf(noun[0]) >= 0 ? "an " : "a ") + noun;

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);
}
