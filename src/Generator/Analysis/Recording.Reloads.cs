using System.Collections.Generic;
using System.Linq;
using SourceDiff.Generator.IR;

namespace SourceDiff.Generator.Analysis;

// Element writes the reverse sweep undoes by reloading the old element from an equal array (EqualArrays) instead of
// the tape. Reading that array there is a reverse read like any other, so it may make later writes to it recorded: a
// reload is kept only where it adds no recording elsewhere, so it never costs more than the push it replaces.
internal sealed partial class Recording
{
    private readonly Dictionary<Stmt, Element> reloads = new(ReferenceComparer.Instance);

    /// <summary>The element a recorded write's old value is reloaded from by the reverse sweep, or null if it is popped.</summary>
    public Element? ReloadSourceOf(Stmt write) => reloads.TryGetValue(write, out Element? source) ? source : null;

    /// <summary>
    /// <see cref="FindPushes"/> over the body, reloading each recorded candidate write from the first of its sources
    /// whose reading adds no push; returns what FindPushes returns for the body with the reloads kept.
    /// </summary>
    private HashSet<string> FindPushesReloading(Block body, Dictionary<Stmt, List<Element>> candidates)
    {
        HashSet<string> live = FindAllPushes(body);
        foreach (Stmt write in IrWalk.Flatten(body).Where(candidates.ContainsKey))
        {
            if (!elementPushes.Contains(write))
            {
                continue;
            }

            var pushedBefore = new HashSet<object>(elementPushes.Concat<object>(scalarPushes), ReferenceComparer.Instance);
            var restoredBefore = new HashSet<string>(restored);
            var contentsBefore = new HashSet<string>(contentsRead);
            var readsBefore = statementReads.TryGetValue(write, out HashSet<string>? reads) ? new HashSet<string>(reads) : new HashSet<string>();
            var statementContentsBefore = statementContents.TryGetValue(write, out HashSet<string>? contents) ? new HashSet<string>(contents) : new HashSet<string>();
            bool kept = false;
            foreach (Element source in candidates[write])
            {
                HashSet<string> sourceReads = IrWalk.AllVars(source);
                AddReads(write, sourceReads, new HashSet<string>(sourceReads));
                reloads[write] = source;
                HashSet<string> trial = FindAllPushes(body);
                if (elementPushes.Concat<object>(scalarPushes).All(pushedBefore.Contains))
                {
                    live = trial;
                    kept = true;
                    break;
                }

                reloads.Remove(write);
                restored.Clear();
                restored.UnionWith(restoredBefore);
                contentsRead.Clear();
                contentsRead.UnionWith(contentsBefore);
                statementReads[write] = new HashSet<string>(readsBefore);
                statementContents[write] = new HashSet<string>(statementContentsBefore);
            }

            if (!kept)
            {
                // The pushes as they were before the trials.
                live = FindAllPushes(body);
            }
        }

        return live;
    }

    private HashSet<string> FindAllPushes(Block body)
    {
        scalarPushes.Clear();
        elementPushes.Clear();
        return FindPushes(body, new HashSet<string>());
    }
}
