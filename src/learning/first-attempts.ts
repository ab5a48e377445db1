import type { KindOutcome, OwnFirstAttempt } from './pathway-kinds.js';
import type { MasteryBand, PathwayOutcome } from './recommendation.js';
import type { Modality } from './unit-schema.js';

/** One student's first submitted attempt on one competency of a unit, after a pathway. */
export interface FirstAttempt {
  userId: string;
  competencyId: string;
  pathwayId: string;
  modalities: Modality[];
  passed: boolean;
  /** The student's prior mastery band in the unit just before it. */
  band: MasteryBand;
}

/**
 * The recommender's evidence from a unit's first attempts: this competency's per pathway and
 * band, the unit's per competency, kind and band, this student's own, and every student's own
 * (for how much students differ, ownWeight).
 */
export function groupFirstAttempts(
  rows: readonly FirstAttempt[],
  userId: string,
  competencyId: string,
): { course: PathwayOutcome[]; unit: KindOutcome[]; own: OwnFirstAttempt[]; students: OwnFirstAttempt[][] } {
  const course = new Map<string, PathwayOutcome>();
  const unit = new Map<string, KindOutcome>();
  const students = new Map<string, OwnFirstAttempt[]>();
  for (const r of rows) {
    if (r.competencyId === competencyId) {
      const key = `${r.pathwayId}|${r.band}`;
      const row = course.get(key) ?? { pathwayId: r.pathwayId, band: r.band, chose: 0, passedFirst: 0 };
      row.chose++;
      if (r.passed) row.passedFirst++;
      course.set(key, row);
    }
    const modalities = [...r.modalities].sort();
    const key = `${r.competencyId}|${modalities.join(',')}|${r.band}`;
    const kind = unit.get(key) ?? { competencyId: r.competencyId, modalities, band: r.band, chose: 0, passedFirst: 0 };
    kind.chose++;
    if (r.passed) kind.passedFirst++;
    unit.set(key, kind);
    const list = students.get(r.userId) ?? [];
    list.push({ competencyId: r.competencyId, modalities, band: r.band, passed: r.passed });
    students.set(r.userId, list);
  }
  return { course: [...course.values()], unit: [...unit.values()], own: students.get(userId) ?? [], students: [...students.values()] };
}
