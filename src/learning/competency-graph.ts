/** A competency as a node of the prerequisite graph. */
export interface GraphNode {
  id: string;
  prerequisites: readonly string[];
}

/**
 * Finds one cycle in the prerequisite graph, or null. The cycle is returned as the ids along
 * it, ending where it started (["a", "b", "a"]), so the error can name it. Unknown
 * prerequisite ids are ignored here (the schema reports them).
 */
export function findCycle(nodes: readonly GraphNode[]): string[] | null {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  const visit = (id: string): string[] | null => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of byId.get(id)?.prerequisites ?? []) {
      if (!byId.has(next)) continue;
      const s = state.get(next);
      if (s === 'visiting') return [...stack.slice(stack.indexOf(next)), next];
      if (s === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };

  for (const n of nodes) {
    if (state.has(n.id)) continue;
    const found = visit(n.id);
    if (found) return found;
  }
  return null;
}

/**
 * Orders competencies so every prerequisite comes before what needs it (ties keep the
 * author's order). Throws when the graph has a cycle — validate units first.
 */
export function topologicalOrder(nodes: readonly GraphNode[]): string[] {
  const cycle = findCycle(nodes);
  if (cycle) throw new Error(`prerequisites form a cycle: ${cycle.join(' → ')}`);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: string[] = [];
  const seen = new Set<string>();
  const place = (id: string) => {
    if (seen.has(id) || !byId.has(id)) return;
    seen.add(id);
    for (const p of byId.get(id)!.prerequisites) place(p);
    out.push(id);
  };
  for (const n of nodes) place(n.id);
  return out;
}
