import { Router } from 'express';
import { deliveryByPlatform } from '../../../../grades/grade-status.js';
import { usageReport } from '../../../../store/usage.js';
import type { AppContext } from '../../../context.js';
import { formatDay, formatMonthDay } from '../../../i18n/format.js';
import { barChart } from '../../../view-models/bar-chart.js';
import { renderAdmin, when } from './page.js';

/** Usage per platform, deployment and course, grade sync health, and two server-drawn SVG charts. */
export function usagePages(ctx: AppContext): Router {
  const router = Router();
  router.get('/usage', async (req, res) => {
    const scope = req.adminScope;
    const locale = String(res.locals.locale ?? 'en');
    const limit = scope?.kind === 'platform' ? scope.platformId : undefined;
    const [report, grades] = await Promise.all([usageReport(ctx.db, limit), deliveryByPlatform(ctx.db, limit)]);
    renderAdmin(res, 'usage', 'pages/admin-usage', {
      rows: report.rows,
      grades: grades.map((g) => ({ ...g, oldest: g.waitingOverAnHour ? when(res, g.oldestWaitingSince) : '' })),
      launches: report.launchesPerDay.map((d) => ({ ...d, day: formatDay(locale, d.day) })),
      mastered: report.masteredPerWeek,
      launchChart: barChart(
        report.launchesPerDay.map((d) => ({ label: formatMonthDay(locale, d.day), value: d.launches })),
        { labelEvery: 7 },
      ),
      masteryChart: barChart(
        report.masteredPerWeek.map((w) => ({ label: w.week.slice(5), value: w.mastered })),
        { labelEvery: 2 },
      ),
      totalLaunches: report.launchesPerDay.reduce((n, d) => n + d.launches, 0),
      totalMastered: report.masteredPerWeek.reduce((n, w) => n + w.mastered, 0),
    });
  });
  return router;
}
