import type { MethodFitReport } from '../../learning/mastery/method-fit.js';

/** The method-fit panel of the unit settings page: numbers for the catalog's number formats. */
export function methodFitView(report: MethodFitReport, current: string) {
  return {
    enough: report.enough,
    predictions: report.predictions,
    passed: report.passed,
    minPredictions: report.minPredictions,
    rows: report.rows.map((r) => ({
      key: `teacher.method.${r.method}`,
      accuracy: r.accuracy,
      auc: r.auc,
      hasAuc: r.auc !== null,
      best: r.method === report.best,
      current: r.method === current,
    })),
  };
}
