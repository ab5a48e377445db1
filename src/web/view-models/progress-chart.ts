import { scaleBand, scaleLinear } from 'd3-scale';
import { utcMonday } from 'd3-time';

/** The first time one student reached "mastered" on one competency. */
export interface MasteredEvent {
  userId: string;
  competencyId: string;
  at: Date;
}

export interface WeekRow {
  start: Date;
  /** Competencies mastered for the first time in this week. */
  count: number;
  /** All mastered so far, at the end of the week. */
  total: number;
}

/**
 * Competencies mastered per week (weeks start on Monday, UTC), from the first week with one up to
 * this week, at most `maxWeeks` (earlier ones count in the running total). Empty when none yet.
 */
export function weeklyMastered(events: readonly MasteredEvent[], now: Date, maxWeeks = 12): WeekRow[] {
  if (events.length === 0) return [];
  const last = utcMonday.floor(now);
  const earliest = utcMonday.floor(new Date(Math.min(...events.map((e) => e.at.getTime()))));
  const windowStart = utcMonday.offset(last, -(maxWeeks - 1));
  // At least four weeks, so one busy week reads as a bar among others rather than as the whole chart.
  const start = new Date(Math.min(Math.max(earliest.getTime(), windowStart.getTime()), utcMonday.offset(last, -3).getTime()));
  const weeks = utcMonday.range(start, utcMonday.offset(last, 1));
  let total = events.filter((e) => e.at < start).length;
  return weeks.map((w) => {
    const end = utcMonday.offset(w, 1);
    const count = events.filter((e) => e.at >= w && e.at < end).length;
    total += count;
    return { start: w, count, total };
  });
}

const WIDTH = 400;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 8, bottom: 34, left: 34 };

/**
 * Bars of the weekly counts, laid out for an inline SVG. d3-scale does the part worth a library:
 * a y axis whose ticks are round whole numbers for any maximum (1, 2, 5 × 10ⁿ steps, a "nice"
 * top) and evenly padded bands for the weeks.
 */
export function weeklyChart(weeks: readonly WeekRow[], weekLabel: (d: Date) => string) {
  const x = scaleBand<number>()
    .domain(weeks.map((_, i) => i))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .paddingInner(0.25)
    .paddingOuter(0.15);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...weeks.map((w) => w.count))])
    .nice(4)
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const ticks = y.ticks(4).filter((t) => Number.isInteger(t));
  // Labels on every week while they fit, else on every second or third (and always the last).
  const every = Math.ceil(weeks.length / 8);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    width: WIDTH,
    height: HEIGHT,
    left: MARGIN.left,
    right: WIDTH - MARGIN.right,
    baseline: round(y(0)),
    ticks: ticks.map((t) => ({ value: t, y: round(y(t)) })),
    bars: weeks.map((w, i) => {
      const top = round(y(w.count));
      return {
        x: round(x(i)!),
        y: top,
        width: round(x.bandwidth()),
        height: round(y(0) - top),
        count: w.count,
        center: round(x(i)! + x.bandwidth() / 2),
        label: weekLabel(w.start),
        showLabel: i % every === 0 || i === weeks.length - 1,
      };
    }),
  };
}

/**
 * The "mastered per week" chart and its table for a page: only the students and competencies
 * given (the course's active learners, the unit's competencies now). Null before the first one.
 */
export function progressView(
  events: readonly MasteredEvent[],
  keep: { userIds: ReadonlySet<string>; competencyIds: ReadonlySet<string> },
  now: Date,
  locale: string,
) {
  const weeks = weeklyMastered(
    events.filter((e) => keep.userIds.has(e.userId) && keep.competencyIds.has(e.competencyId)),
    now,
  );
  if (weeks.length === 0) return null;
  const short = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    chart: weeklyChart(weeks, (d) => short.format(d)),
    rows: weeks.map((w) => ({ week: long.format(w.start), count: w.count, total: w.total })),
  };
}
