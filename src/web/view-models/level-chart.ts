import { MASTERY_LEVELS, type MasteryLevel } from '../../learning/mastery/level.js';

/** Bar geometry of the "how the class is spread over the four levels" chart, one bar per competency. */
export interface LevelBar {
  competencyId: string;
  title: string;
  y: number;
  counts: Record<MasteryLevel, number>;
  segments: { level: MasteryLevel; x: number; width: number; count: number }[];
}

const WIDTH = 100; // percent of the plot: the SVG scales with its box, so no axis library is needed
const BAR = 22;
const GAP = 10;

/**
 * Per competency, how many students are at each level, as stacked horizontal bars of equal total
 * length (shares of the class). Plain rectangles: drawing them needs no scale or shape library.
 * Colour is never the only cue: each level has its own fill pattern, and a table carries the numbers.
 */
export function levelDistribution(competencies: { id: string; title: string }[], rows: { cells: { competencyId: string; level: MasteryLevel }[] }[]) {
  const bars: LevelBar[] = competencies.map((c, i) => {
    const counts = Object.fromEntries(MASTERY_LEVELS.map((l) => [l, 0])) as Record<MasteryLevel, number>;
    for (const r of rows) {
      const cell = r.cells.find((x) => x.competencyId === c.id);
      if (cell) counts[cell.level] += 1;
    }
    const total = rows.length || 1;
    let x = 0;
    const segments = MASTERY_LEVELS.map((level) => {
      const width = (counts[level] / total) * WIDTH;
      const seg = { level, x, width, count: counts[level] };
      x += width;
      return seg;
    }).filter((s) => s.count > 0);
    return { competencyId: c.id, title: c.title, y: i * (BAR + GAP), counts, segments };
  });
  return { bars, barHeight: BAR, height: Math.max(1, competencies.length) * (BAR + GAP) - GAP, learners: rows.length };
}
