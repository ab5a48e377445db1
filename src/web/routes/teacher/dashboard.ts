import { Router } from 'express';
import { z } from 'zod';
import { MASTERY_LEVELS } from '../../../learning/mastery/level.js';
import type { AppContext } from '../../context.js';
import { translate } from '../../i18n/index.js';
import { COMPETENCY_ORDERS, heatMap, parseStudentOrder, sortGrid } from '../../view-models/heat-map.js';
import { levelDistribution } from '../../view-models/level-chart.js';
import { pathwayChart } from '../../view-models/pathway-chart.js';
import { progressView } from '../../view-models/progress-chart.js';
import { toCsv } from '../../view-models/teacher-csv.js';
import { classGrid, LEVEL_SYMBOL, needsAttention, pathwayOutcomes, smallGroups } from '../../view-models/teacher-dashboard.js';
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
});

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
    const grid = sortGrid(classGrid(data, { level: f.level, competencyId, search: f.q }, locale), order, f.cols, locale);
    const pathways = pathwayOutcomes(data);
    const events = await queries.masteredEvents(unit.id, scope.courseId);
    const progress = progressView(
      events,
      { userIds: new Set(data.learners.map((l) => l.userId)), competencyIds: new Set(unit.document.competencies.map((c) => c.id)) },
      data.now,
      locale,
    );
    const percent = new Intl.NumberFormat(locale, { style: 'percent' });
    const everyone = classGrid(data, {}, locale);
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
        units: units.map((u) => ({ ...u, selected: u.id === unit.id })),
        filters: { q: f.q ?? '', days: f.days },
        levels: MASTERY_LEVELS.map((l) => ({ value: l, key: `teacher.level.${l}`, symbol: LEVEL_SYMBOL[l], selected: l === f.level })),
        competencyOptions: unit.document.competencies.map((c) => ({ id: c.id, title: c.title, selected: c.id === competencyId })),
        grid,
        heat: heatMap(grid, (l) => translate(locale, `teacher.level.${l}`)),
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
