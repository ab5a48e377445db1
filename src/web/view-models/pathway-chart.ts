import { scaleLinear } from 'd3-scale';

/**
 * The Wilson score interval for `passed` out of `n` (95 % by default): unlike the plain
 * p ± z·√(p(1−p)/n) it stays inside 0–1 and is honest for small classes and for 0 or n passes
 * (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it for n < 40). Null when n is 0.
 */
export function wilsonInterval(passed: number, n: number, z = 1.959964): { low: number; high: number } | null {
  if (n <= 0) return null;
  const p = passed / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

interface PathwayOutcome {
  id: string;
  title: string;
  chose: number;
  passed: number;
}

const WIDTH = 400;
const MARGIN = { left: 14, right: 24 };
const ROW = 44;
const HEADING = 26;
const AXIS = 28;

/**
 * Per competency with first checks, one row per pathway: a dot at the first-attempt pass rate and
 * a bar over its 95 % Wilson interval (wide when few students took that way), with the counts in
 * words above it. The x axis is the same for every row, so rows compare at a glance.
 */
export function pathwayChart(
  groups: readonly { competencyId: string; competency: string; pathways: readonly PathwayOutcome[] }[],
  label: (p: PathwayOutcome) => string,
  percent: (v: number) => string,
) {
  const x = scaleLinear()
    .domain([0, 1])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const round = (n: number) => Math.round(n * 10) / 10;
  let y = 0;
  const headings: { text: string; y: number }[] = [];
  const rows: {
    text: string;
    textY: number;
    lineY: number;
    capTop: number;
    capBottom: number;
    dot: number | null;
    low: number;
    high: number;
    empty: boolean;
  }[] = [];
  for (const g of groups) {
    if (!g.pathways.some((p) => p.chose > 0)) continue;
    headings.push({ text: g.competency, y: y + 16 });
    y += HEADING;
    for (const p of g.pathways) {
      const ci = wilsonInterval(p.passed, p.chose);
      rows.push({
        text: label(p),
        textY: y + 14,
        lineY: y + 30,
        capTop: y + 24,
        capBottom: y + 36,
        dot: ci ? round(x(p.passed / p.chose)) : null,
        low: ci ? round(x(ci.low)) : 0,
        high: ci ? round(x(ci.high)) : 0,
        empty: !ci,
      });
      y += ROW;
    }
  }
  const top = 0;
  const bottom = y + 4;
  return {
    width: WIDTH,
    height: bottom + AXIS,
    any: rows.length > 0,
    headings,
    rows,
    axis: { y: bottom, labelY: bottom + 18, top, ticks: x.ticks(4).map((t) => ({ x: round(x(t)), label: percent(t) })) },
  };
}
