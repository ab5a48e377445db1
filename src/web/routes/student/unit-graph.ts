/** A node of the unit map drawing; state drives both the label and the pattern, never colour alone. */
export interface GraphNode {
  id: string;
  title: string;
  state: string;
  prerequisites: string[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: { id: string; x: number; y: number; w: number; h: number; label: string; state: string; textX: number; titleY: number; stateY: number }[];
  edges: { x1: number; y1: number; x2: number; y2: number }[];
}

const W = 156;
const H = 52;
const GAP_X = 16;
const GAP_Y = 40;

function truncate(s: string, max = 19): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * Lays out the prerequisite graph top to bottom: a competency sits one row below its deepest
 * prerequisite. Narrow rows keep the drawing readable at 360 px; the list beside it is the text version.
 */
export function layoutUnitGraph(nodes: readonly GraphNode[]): GraphLayout {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // units are validated acyclic; this only guards the recursion
    seen.add(id);
    const pre = byId.get(id)?.prerequisites.filter((p) => byId.has(p)) ?? [];
    const d = pre.length === 0 ? 0 : 1 + Math.max(...pre.map((p) => depthOf(p, seen)));
    depth.set(id, d);
    return d;
  };
  const rows: GraphNode[][] = [];
  for (const n of nodes) (rows[depthOf(n.id, new Set())] ??= []).push(n);
  const widest = Math.max(1, ...rows.map((r) => r?.length ?? 0));
  const width = widest * W + (widest - 1) * GAP_X + 8;
  const placed = new Map<string, { x: number; y: number }>();
  const out: GraphLayout['nodes'] = [];
  rows.forEach((row, r) => {
    const rowWidth = row.length * W + (row.length - 1) * GAP_X;
    row.forEach((n, i) => {
      const x = (width - rowWidth) / 2 + i * (W + GAP_X);
      const y = 4 + r * (H + GAP_Y);
      placed.set(n.id, { x, y });
      out.push({ id: n.id, x, y, w: W, h: H, label: truncate(n.title), state: n.state, textX: x + W / 2, titleY: y + 21, stateY: y + 40 });
    });
  });
  const edges: GraphLayout['edges'] = [];
  for (const n of nodes) {
    const to = placed.get(n.id)!;
    for (const p of n.prerequisites) {
      const from = placed.get(p);
      if (from) edges.push({ x1: from.x + W / 2, y1: from.y + H, x2: to.x + W / 2, y2: to.y - 2 });
    }
  }
  return { width, height: rows.length * (H + GAP_Y) - GAP_Y + 8, nodes: out, edges };
}
