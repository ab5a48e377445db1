import { Router, type Response } from 'express';
import { z } from 'zod';
import { MASTERY_LEVELS } from '../../../learning/mastery/level.js';
import type { AppContext } from '../../context.js';
import { translate } from '../../i18n/index.js';
import { COMPETENCY_ORDERS, heatMap, parseStudentOrder, sortGrid } from '../../view-models/heat-map.js';
import { levelDistribution } from '../../view-models/level-chart.js';
import { pathwayChart } from '../../view-models/pathway-chart.js';
import { progressView } from '../../view-models/progress-chart.js';
import { toCsv } from '../../view-models/teacher-csv.js';
import { pageWindow } from '../../view-models/class-list.js';
import { classGrid, explainRows, LEVEL_SYMBOL, needsAttention, pathwayOutcomes, smallGroups } from '../../view-models/teacher-dashboard.js';
import { chooseUnit, loadClass } from './class-data.js';
import { formatWhen, renderTeacher } from './page.js';
import type { TeacherQueries } from './queries.js';
import { scopeOf, teacherGuard } from './scope.js';

const filtersSchema = z.object({
  unit: z.string().max(64).optional().catch(undefined),
  level: z.enum(MASTERY_LEVELS).optional().catch(undefined),
  competency: z.string().max(64).optional().catch(undefined),
  q: z.string().max(100).optional().catch(undefined),
  days: z.coerce.number().int().min(1).max(365).default(7).catch(7),
  order: z.string().max(80).optional().catch(undefined),
  cols: z.enum(COMPETENCY_ORDERS).default('unit').catch('unit'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).catch(1),
});
type DashboardFilters = z.infer<typeof filtersSchema>;

/** Students per page of the heat map and the table beside it (as many as a page of the Class page). */
export const DASHBOARD_PAGE_SIZE = 50;

/** The dashboard's query string with the same filters and another page (the session token first). */
function pageLink(res: Response, unitId: string, f: DashboardFilters, page: number): string {
  const q = new URLSearchParams(String(res.locals.sessionQuery));
  const params = { unit: unitId, competency: f.competency, level: f.level, q: f.q, days: f.days, order: f.order, cols: f.cols, page };
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return `/teacher/dashboard?${q.toString()}`;
}

/** The class dashboard (roster × competencies, who needs attention, groups, pathways) and its CSV export. */
export function dashboardRoutes(ctx: AppContext, queries: TeacherQueries): Router {
  const router = Router();
  const guard = teacherGuard(ctx);

  router.get('/teacher/dashboard', ...guard, async (req, res) => {
    const scope = scopeOf(req);
    const f = filtersSchema.parse(req.query);
    const { units, unit } = await chooseUnit(ctx, queries, scope, f.unit);
    if (!unit) {
      renderTeacher(req, res, 'teacher-dashboard', 'teacher.dashboard.title', { nav: { dashboard: true }, noUnits: true });
      return;
    }
    const data = await loadClass(ctx, queries, scope, unit, f.days);
    const competencyId = unit.document.competencies.some((c) => c.id === f.competency) ? f.competency : undefined;
    const locale = String(res.locals.locale ?? 'en');
    const order = parseStudentOrder(
      f.order,
      unit.document.competencies.map((c) => c.id),
    );
    const sorted = sortGrid(classGrid(data, { level: f.level, competencyId, search: f.q }, locale, { explain: false }), order, f.cols, locale);
    // The heat map and its table show one page of students; the counts and charts stay the whole class's.
    const pages = Math.max(1, Math.ceil(sorted.rows.length / DASHBOARD_PAGE_SIZE));
    const page = Math.min(f.page, pages);
    const grid = { ...sorted, rows: explainRows(sorted.rows.slice((page - 1) * DASHBOARD_PAGE_SIZE, page * DASHBOARD_PAGE_SIZE), locale) };
    const from = grid.rows.length === 0 ? 0 : (page - 1) * DASHBOARD_PAGE_SIZE + 1;
    const pathways = pathwayOutcomes(data);
    const events = await queries.masteredEvents(unit.id, scope.courseId);
    const progress = progressView(
      events,
      { userIds: new Set(data.learners.map((l) => l.userId)), competencyIds: new Set(unit.document.competencies.map((c) => c.id)) },
      data.now,
      locale,
    );
    const percent = new Intl.NumberFormat(locale, { style: 'percent' });
    const everyone = classGrid(data, {}, locale, { explain: false });
    const chart = levelDistribution(everyone.competencies, everyone.rows);
    renderTeacher(
      req,
      res,
      'teacher-dashboard',
      'teacher.dashboard.title',
      {
        nav: { dashboard: true },
        unitId: unit.id,
        unitTitle: unit.document.title,
        contentLanguage: unit.document.language,
        units: units.map((u) => ({ ...u, selected: u.id === unit.id })),
        filters: { q: f.q ?? '', days: f.days },
        levels: MASTERY_LEVELS.map((l) => ({ value: l, key: `teacher.level.${l}`, symbol: LEVEL_SYMBOL[l], selected: l === f.level })),
        competencyOptions: unit.document.competencies.map((c) => ({ id: c.id, title: c.title, selected: c.id === competencyId })),
        grid,
        shownCount: sorted.rows.length,
        heat: heatMap(grid, (l) => translate(locale, `teacher.level.${l}`)),
        pager:
          pages > 1
            ? {
                page,
                pages,
                from,
                to: from + grid.rows.length - 1,
                prev: page > 1 ? pageLink(res, unit.id, f, page - 1) : null,
                next: page < pages ? pageLink(res, unit.id, f, page + 1) : null,
                numbers: pageWindow(page, pages).map((p) =>
                  p === null ? { gap: true } : { number: p, href: pageLink(res, unit.id, f, p), current: p === page },
                ),
              }
            : null,
        studentOrders: [
          { value: 'name', label: translate(locale, 'teacher.heat.order.name') },
          { value: 'most', label: translate(locale, 'teacher.heat.order.most') },
          { value: 'least', label: translate(locale, 'teacher.heat.order.least') },
          ...unit.document.competencies.map((c) => ({ value: `level:${c.id}`, label: translate(locale, 'teacher.heat.order.level', { title: c.title }) })),
        ].map((o) => ({ ...o, selected: o.value === order })),
        competencyOrders: COMPETENCY_ORDERS.map((v) => ({ value: v, key: `teacher.heat.cols.${v}`, selected: v === f.cols })),
        learnerCount: data.learners.length,
        filtered: Boolean(f.level || competencyId || f.q),
        attention: needsAttention(data, String(res.locals.locale ?? 'en')).map((a) => ({
          ...a,
          reasonKey: `teacher.attention.${a.reason}`,
          when: formatWhen(res, a.since),
        })),
        groups: smallGroups(data, String(res.locals.locale ?? 'en')),
        pathways,
        pathwaysAny: pathways.some((p) => p.any),
        pathwayChart: pathwayChart(
          pathways,
          (p) =>
            translate(locale, p.chose ? 'teacher.pathways.chartRow' : 'teacher.pathways.chartRowNone', { title: p.title, passed: p.passed, chose: p.chose }),
          (v) => percent.format(v),
        ),
        progress,
        chart: { ...chart, bars: chart.bars.map((b) => ({ ...b, rows: MASTERY_LEVELS.map((l) => ({ key: `teacher.level.${l}`, count: b.counts[l] })) })) },
      },
      { title: unit.document.title },
    );
  });

  router.get('/teacher/dashboard.csv', ...guard, async (req, res) => {
    const scope = scopeOf(req);
    const f = filtersSchema.parse(req.query);
    const { unit } = await chooseUnit(ctx, queries, scope, f.unit);
    const locale = String(res.locals.locale ?? 'en');
    const rows: unknown[][] = [];
    if (unit) {
      const grid = classGrid(await loadClass(ctx, queries, scope, unit, f.days), {}, locale);
      rows.push([translate(locale, 'teacher.csv.student'), ...grid.competencies.map((c) => c.title), translate(locale, 'teacher.csv.mastered')]);
      for (const r of grid.rows) {
        const cells = r.cells.map(
          (c) => `${translate(locale, `teacher.level.${c.level}`)}${c.overridden ? ` (${translate(locale, 'teacher.level.override')})` : ''}`,
        );
        rows.push([r.name, ...cells, `${r.mastered}/${grid.competencies.length}`]);
      }
    }
    res.type('text/csv; charset=utf-8');
    res.attachment(`${unit?.document.key ?? 'class'}-mastery.csv`);
    res.send(toCsv(rows));
  });
  return router;
}
