import { describe, expect, it } from 'vitest';
import { heatMap, parseStudentOrder, sortGrid } from '../../../../src/web/view-models/heat-map.js';
import { pathwayChart, wilsonInterval } from '../../../../src/web/view-models/pathway-chart.js';
import { weeklyChart, weeklyMastered } from '../../../../src/web/view-models/progress-chart.js';

describe('wilsonInterval', () => {
  it('matches published 95 % Wilson intervals and stays inside 0–1', () => {
    // Newcombe (1998), table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611.
    const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 3);
    const a = wilsonInterval(81, 263)!;
    close(a.low, 0.2553);
    close(a.high, 0.3662);
    const b = wilsonInterval(15, 148)!;
    close(b.low, 0.0624);
    close(b.high, 0.1605);
    const c = wilsonInterval(0, 20)!;
    expect(c.low).toBe(0);
    close(c.high, 0.1611);
    const d = wilsonInterval(1, 1)!;
    expect(d.high).toBe(1);
    close(d.low, 0.2065);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
  it('narrows as the count grows', () => {
    const w = (n: number) => {
      const ci = wilsonInterval(n / 2, n)!;
      return ci.high - ci.low;
    };
    expect(w(4)).toBeGreaterThan(w(40));
    expect(w(40)).toBeGreaterThan(w(400));
  });
});

describe('weeklyMastered', () => {
  const now = new Date('2026-12-05T10:00:00Z'); // a Saturday; its week starts Monday 30 November
  const at = (iso: string) => ({ userId: 'u', competencyId: 'c', at: new Date(iso) });
  it('counts first masteries per Monday-to-Sunday week (UTC), with a running total, at least four weeks', () => {
    const weeks = weeklyMastered([at('2026-11-30T00:00:00Z'), at('2026-11-29T23:59:59Z'), at('2026-12-04T12:00:00Z')], now);
    expect(weeks.map((w) => [w.start.toISOString().slice(0, 10), w.count, w.total])).toEqual([
      ['2026-11-09', 0, 0],
      ['2026-11-16', 0, 0],
      ['2026-11-23', 1, 1],
      ['2026-11-30', 2, 3],
    ]);
  });
  it('shows at most maxWeeks, counting earlier masteries in the total; nothing before the first', () => {
    const weeks = weeklyMastered([at('2025-01-01T00:00:00Z'), at('2026-12-01T00:00:00Z')], now, 12);
    expect(weeks).toHaveLength(12);
    expect(weeks[0]!.total).toBe(1);
    expect(weeks.at(-1)!.total).toBe(2);
    expect(weeklyMastered([], now)).toEqual([]);
  });
  it('lays out bars on a nice integer axis, labels thinned to fit', () => {
    const weeks = weeklyMastered(
      Array.from({ length: 7 }, () => at('2026-12-01T00:00:00Z')),
      now,
      12,
    );
    const chart = weeklyChart(weeks, (d) => d.toISOString().slice(5, 10));
    expect(chart.ticks.map((t) => t.value)).toEqual([0, 2, 4, 6, 8]);
    expect(chart.bars.at(-1)!.height).toBeGreaterThan(0);
    expect(chart.bars.filter((b) => b.showLabel).length).toBeLessThanOrEqual(8);
    for (const b of chart.bars) expect(b.x + b.width).toBeLessThanOrEqual(chart.right);
  });
});

describe('heat map order', () => {
  const grid = {
    competencies: [
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B' },
    ],
    rows: [
      {
        userId: '1',
        name: 'zed',
        mastered: 0,
        cells: [
          { competencyId: 'a', level: 'developing' as const },
          { competencyId: 'b', level: 'not_started' as const },
        ],
      },
      {
        userId: '2',
        name: 'Amy',
        mastered: 1,
        cells: [
          { competencyId: 'a', level: 'approaching' as const },
          { competencyId: 'b', level: 'mastered' as const },
        ],
      },
      {
        userId: '3',
        name: 'bo',
        mastered: 1,
        cells: [
          { competencyId: 'a', level: 'mastered' as const },
          { competencyId: 'b', level: 'not_started' as const },
        ],
      },
    ],
  };
  it('orders students by name (case-blind), progress or level in one competency, and keeps cells under their column', () => {
    expect(sortGrid(grid, 'name', 'unit').rows.map((r) => r.name)).toEqual(['Amy', 'bo', 'zed']);
    expect(sortGrid(grid, 'least', 'unit').rows.map((r) => r.name)).toEqual(['zed', 'Amy', 'bo']);
    expect(sortGrid(grid, 'level:a', 'unit').rows.map((r) => r.name)).toEqual(['bo', 'Amy', 'zed']);
    const byCols = sortGrid(grid, 'name', 'least');
    expect(byCols.competencies.map((c) => c.id)).toEqual(['a', 'b']);
    const most = sortGrid({ ...grid, rows: [...grid.rows, { ...grid.rows[1]!, userId: '4', name: 'Cy' }] }, 'name', 'most');
    expect(most.competencies.map((c) => c.id)).toEqual(['b', 'a']);
    expect(most.rows[0]!.cells.map((c) => c.competencyId)).toEqual(['b', 'a']);
  });
  it('accepts only the orders it knows', () => {
    expect(parseStudentOrder('level:a', ['a'])).toBe('level:a');
    expect(parseStudentOrder('level:x', ['a'])).toBe('name');
    expect(parseStudentOrder(['most'], ['a'])).toBe('name');
  });
  it('draws one square per cell and shortens long names in the picture only', () => {
    const long = { ...grid, rows: [{ ...grid.rows[0]!, name: 'A very long student name indeed' }] };
    const map = heatMap(long, (l) => l);
    expect(map.rows[0]!.label).toHaveLength(22);
    expect(map.rows[0]!.cells[0]!.tip).toBe('A very long student name indeed · A: developing');
    expect(map.width).toBe(150 + 2 * 20 + 90);
  });
});

describe('pathwayChart', () => {
  it('puts the dot at the pass rate between the interval ends, and skips competencies with no first checks', () => {
    const chart = pathwayChart(
      [
        {
          competencyId: 'c',
          competency: 'C',
          pathways: [
            { id: 'p', title: 'P', chose: 4, passed: 3 },
            { id: 'q', title: 'Q', chose: 0, passed: 0 },
          ],
        },
        { competencyId: 'd', competency: 'D', pathways: [{ id: 'r', title: 'R', chose: 0, passed: 0 }] },
      ],
      (p) => p.title,
      (v) => `${v * 100} %`,
    );
    expect(chart.headings.map((h) => h.text)).toEqual(['C']);
    const [p, q] = chart.rows;
    expect(p!.low).toBeLessThan(p!.dot!);
    expect(p!.dot!).toBeLessThan(p!.high);
    expect(q!.empty).toBe(true);
    expect(chart.axis.ticks.map((t) => t.label)).toEqual(['0 %', '20 %', '40 %', '60 %', '80 %', '100 %']);
  });
});
