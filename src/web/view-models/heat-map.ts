import { MASTERY_LEVELS, type MasteryLevel } from '../../learning/mastery/level.js';

/** How the heat map (and the grid table beside it) orders students: by name, by progress, or by the level in one competency. */
export type StudentOrder = 'name' | 'most' | 'least' | `level:${string}`;
/** How it orders competencies: as the unit lists them, or by how many students mastered each. */
export const COMPETENCY_ORDERS = ['unit', 'most', 'least'] as const;
export type CompetencyOrder = (typeof COMPETENCY_ORDERS)[number];

interface GridCell {
  competencyId: string;
  level: MasteryLevel;
}
interface GridRow<C extends GridCell> {
  name: string;
  mastered: number;
  cells: C[];
}
interface Grid<C extends GridCell, R extends GridRow<C>> {
  competencies: { id: string; title: string }[];
  rows: R[];
}

const RANK = Object.fromEntries(MASTERY_LEVELS.map((l, i) => [l, i])) as Record<MasteryLevel, number>;

/** The student order asked for, when it names a competency of the grid; else by name. */
export function parseStudentOrder(value: unknown, competencyIds: readonly string[]): StudentOrder {
  if (value === 'most' || value === 'least') return value;
  if (typeof value === 'string' && value.startsWith('level:') && competencyIds.includes(value.slice(6))) return value as StudentOrder;
  return 'name';
}

/**
 * The grid with its rows and columns in the order the teacher chose. Ties keep the name order
 * (locale-aware), so the order is stable from one request to the next.
 */
export function sortGrid<C extends GridCell, R extends GridRow<C>, G extends Grid<C, R>>(
  grid: G,
  students: StudentOrder,
  competencies: CompetencyOrder,
  locale = 'en',
): G {
  const masteredIn = new Map(grid.competencies.map((c) => [c.id, 0]));
  for (const r of grid.rows) for (const c of r.cells) if (c.level === 'mastered') masteredIn.set(c.competencyId, (masteredIn.get(c.competencyId) ?? 0) + 1);
  const position = new Map(grid.competencies.map((c, i) => [c.id, i]));
  const cols = [...grid.competencies].sort((a, b) => {
    if (competencies === 'unit') return position.get(a.id)! - position.get(b.id)!;
    const d = masteredIn.get(a.id)! - masteredIn.get(b.id)!;
    return (competencies === 'most' ? -d : d) || position.get(a.id)! - position.get(b.id)!;
  });
  const colOrder = new Map(cols.map((c, i) => [c.id, i]));
  const byName = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const levelIn = students.startsWith('level:') ? students.slice(6) : null;
  const rankIn = (r: R) => RANK[r.cells.find((c) => c.competencyId === levelIn)?.level ?? 'not_started'];
  const rows = [...grid.rows]
    .sort((a, b) => {
      const d = levelIn ? rankIn(b) - rankIn(a) : students === 'most' ? b.mastered - a.mastered : students === 'least' ? a.mastered - b.mastered : 0;
      return d || byName.compare(a.name, b.name);
    })
    .map((r) => ({ ...r, cells: [...r.cells].sort((a, b) => colOrder.get(a.competencyId)! - colOrder.get(b.competencyId)!) }));
  return { ...grid, competencies: cols, rows };
}

const CELL = 20;
const LABEL_WIDTH = 150;
const HEADER_HEIGHT = 150;
/** Room right of the last column for its slanted title. */
const RIGHT_ROOM = 90;
const NAME_CHARS = 22;
const TITLE_CHARS = 24;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Geometry of the class × competency heat map: one square per student and competency, filled with
 * the level's pattern (colour and texture, so it reads in grey scale). Cells keep a fixed size, so
 * a wide unit or a long class scrolls in its region instead of shrinking out of sight; names and
 * titles too long for the picture are shortened there and kept whole in each cell's tooltip and
 * in the table beside it.
 */
export function heatMap<C extends GridCell, R extends GridRow<C> & { userId: string }>(grid: Grid<C, R>, levelLabel: (l: MasteryLevel) => string) {
  const titles = new Map(grid.competencies.map((c) => [c.id, c.title]));
  return {
    width: LABEL_WIDTH + grid.competencies.length * CELL + RIGHT_ROOM,
    height: HEADER_HEIGHT + grid.rows.length * CELL + 4,
    cell: CELL,
    columns: grid.competencies.map((c, i) => {
      const x = LABEL_WIDTH + i * CELL + CELL / 2;
      return { title: c.title, label: cut(c.title, TITLE_CHARS), x, y: HEADER_HEIGHT - 6 };
    }),
    rows: grid.rows.map((r, j) => {
      const y = HEADER_HEIGHT + j * CELL;
      return {
        userId: r.userId,
        label: cut(r.name, NAME_CHARS),
        textX: LABEL_WIDTH - 6,
        textY: y + CELL * 0.7,
        cells: r.cells.map((c, i) => ({
          x: LABEL_WIDTH + i * CELL,
          y,
          level: c.level,
          tip: `${r.name} · ${titles.get(c.competencyId) ?? c.competencyId}: ${levelLabel(c.level)}`,
        })),
      };
    }),
  };
}
