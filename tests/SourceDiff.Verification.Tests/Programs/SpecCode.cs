using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;

namespace SourceDiff.Verification.Tests.Programs;

/// <summary>
/// Prints a spec (a program or model AST, made of positional records, immutable arrays and scalars) as the C# that
/// constructs it: <c>new Bin('+', new Ref("x"), new Num(1.5))</c>. A shrunk failure printed this way pastes straight
/// into RegressionTests. Trailing optional arguments at their default are left out.
/// </summary>
public static class SpecCode
{
    public static string Of(object? value)
    {
        var text = new StringBuilder();
        Write(text, value, typeof(object), 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value, Type declared, int indent)
    {
        switch (value)
        {
            case null:
                text.Append(declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(ImmutableArray<>) ? "default" : "null");
                return;
            case string s:
                text.Append('"').Append(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                return;
            case char c:
                text.Append('\'').Append(c).Append('\'');
                return;
            case bool b:
                text.Append(b ? "true" : "false");
                return;
            case double d:
                text.Append(ProgramPrinter.Literal(d, single: false));
                return;
            case int i:
                text.Append(i.ToString(CultureInfo.InvariantCulture));
                return;
            case Enum e:
                text.Append(e.GetType().Name).Append('.').Append(e.ToString().Replace(", ", " | " + e.GetType().Name + ".", StringComparison.Ordinal));
                return;
        }

        Type type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            Type element = type.GetGenericArguments()[0];
            if ((bool)type.GetProperty("IsDefault")!.GetValue(value)!)
            {
                text.Append("default");
                return;
            }

            var items = ((IEnumerable)value).Cast<object?>().ToList();
            if (items.Count == 0)
            {
                text.Append("ImmutableArray<").Append(TypeName(element)).Append(">.Empty");
                return;
            }

            text.Append("ImmutableArray.Create<").Append(TypeName(element)).Append(">(");
            bool simple = items.All(item => item is double or int or string or bool);
            for (int i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                if (simple)
                {
                    text.Append(i > 0 ? " " : "");
                }
                else
                {
                    text.AppendLine().Append(' ', 4 * (indent + 1));
                }

                Write(text, items[i], element, indent + 1);
            }

            text.Append(')');
            return;
        }

        // A positional record: its widest constructor, arguments read back from the properties of the same name.
        ConstructorInfo constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        ParameterInfo[] parameters = constructor.GetParameters();
        var arguments = parameters.Select(p => type.GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance)!.GetValue(value)).ToList();
        int count = parameters.Length;
        while (count > 0 && parameters[count - 1].HasDefaultValue && IsDefault(arguments[count - 1], parameters[count - 1]))
        {
            count--;
        }

        text.Append("new ").Append(type.Name).Append('(');
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            Write(text, arguments[i], parameters[i].ParameterType, indent);
        }

        text.Append(')');
    }

    private static bool IsDefault(object? value, ParameterInfo parameter)
    {
        if (value is null)
        {
            return true;
        }

        Type type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            return (bool)type.GetProperty("IsDefault")!.GetValue(value)!;
        }

        return Equals(value, parameter.DefaultValue);
    }

    private static string TypeName(Type type) => type switch
    {
        _ when type == typeof(double) => "double",
        _ when type == typeof(int) => "int",
        _ when type == typeof(string) => "string",
        _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>) => "ImmutableArray<" + TypeName(type.GetGenericArguments()[0]) + ">",
        _ => type.Name,
    };
}
