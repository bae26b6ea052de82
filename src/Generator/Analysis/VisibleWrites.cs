using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Analysis;

/// <summary>
/// What a method writes that outlives a statement: the storage its caller sees (fields, ref parameters, array
/// elements, anything a callee may write) and the variables it assigns. Computed once per method, in one pass.
/// </summary>
internal sealed class VisibleWrites
{
    private VisibleWrites(bool hasSideEffects, HashSet<string> writtenArrays, HashSet<string> assigned)
    {
        HasSideEffects = hasSideEffects;
        WrittenArrays = writtenArrays;
        Assigned = assigned;
    }

    /// <summary>Whether the method can write anything its caller sees.</summary>
    public bool HasSideEffects { get; }

    /// <summary>Arrays whose elements the method writes, directly or through a callee.</summary>
    public IReadOnlyCollection<string> WrittenArrays { get; }

    /// <summary>Variables the method assigns as a whole.</summary>
    public IReadOnlyCollection<string> Assigned { get; }

    public static VisibleWrites Analyze(Block body, ArrayStorage storage)
    {
        bool sideEffects = false;
        var writtenObjects = new HashSet<string>();
        var assigned = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Flatten(body))
        {
            Expr? target = statement switch
            {
                Assign assign => assign.Target,
                CallStmt callStatement => callStatement.Target,
                _ => null,
            };
            switch (target)
            {
                case Element element:
                    sideEffects = true;
                    writtenObjects.UnionWith(storage.Objects(element.Array));
                    break;
                case Var variable:
                    sideEffects |= variable.IsNonLocal;
                    assigned.Add(variable.Name);
                    break;
            }

            if (statement is CallStmt { Call: var call })
            {
                sideEffects |= !call.IsStatic || call.Arguments.Any(a => a.Mode != RefMode.None || a.Value.Type.IsArray);
                for (int i = 0; i < call.Arguments.Count && i < call.Parameters.Count; i++)
                {
                    Expr argument = call.Arguments[i].Value;
                    if (call.Parameters[i].MayWrite && argument.Type.IsArray)
                    {
                        writtenObjects.UnionWith(storage.Closure(storage.Objects(argument)));
                    }
                    else if (call.Parameters[i].MayWrite && argument is Element written)
                    {
                        writtenObjects.UnionWith(storage.Objects(written.Array));
                    }
                }
            }
        }

        // A write through one variable is seen through every variable that may reach the same array.
        var writtenArrays = new HashSet<string>();
        foreach (Var variable in storage.Variables)
        {
            if (storage.Reachable(variable).Overlaps(writtenObjects))
            {
                writtenArrays.Add(variable.Name);
            }
        }

        return new VisibleWrites(sideEffects, writtenArrays, assigned);
    }
}
