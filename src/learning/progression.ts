import type { MasteryLevel } from './mastery/level.js';
import type { UnitDocument } from './unit-schema.js';

export type CompetencyState = 'locked' | 'open' | 'mastered';

export interface CompetencyProgress {
  competencyId: string;
  state: CompetencyState;
  level: MasteryLevel;
  /** Prerequisites still to master (empty unless locked). */
  missing: string[];
  waived: boolean;
}

/**
 * Competency-based progression: a competency opens when each of its prerequisites is mastered
 * (a teacher's waiver opens it regardless). Mastered competencies stay mastered only while their
 * level is mastered — a later failure can close what depends on them again.
 */
export function competencyProgress(
  unit: UnitDocument,
  levels: ReadonlyMap<string, MasteryLevel>,
  waivers: ReadonlySet<string> = new Set(),
): CompetencyProgress[] {
  return unit.competencies.map((c) => {
    const level = levels.get(c.id) ?? 'not_started';
    const missing = c.prerequisites.filter((p) => levels.get(p) !== 'mastered');
    const waived = waivers.has(c.id);
    const state: CompetencyState = level === 'mastered' ? 'mastered' : missing.length === 0 || waived ? 'open' : 'locked';
    return { competencyId: c.id, state, level, missing: state === 'locked' ? missing : [], waived };
  });
}

export interface UnitScore {
  mastered: number;
  total: number;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: 'Initialized' | 'InProgress' | 'Completed';
  comment: string;
}

/** Points a competency earns at each level under the `level_points` policy (a four-step scale). */
export const LEVEL_POINTS: Readonly<Record<MasteryLevel, number>> = { not_started: 0, developing: 1 / 3, approaching: 2 / 3, mastered: 1 };

/**
 * The unit score sent to the gradebook, by the unit's `scorePolicy` (levels include overrides):
 *   level_points (default):  scoreGiven = mean over competencies of LEVEL_POINTS[level] × scoreMaximum
 *                            (not started 0, developing ⅓, approaching ⅔, mastered 1)
 *   mastered_only:           scoreGiven = (competencies mastered) / (competencies in the unit) × scoreMaximum
 * where scoreMaximum is the line item's maximum (documented in docs/learning.md). Level points let
 * a failed and then passed check read as progress rather than 0; mastered only reports
 * demonstrated mastery alone.
 */
export function unitScore(unit: UnitDocument, levels: ReadonlyMap<string, MasteryLevel>, scoreMaximum: number): UnitScore {
  const total = unit.competencies.length;
  const mastered = unit.competencies.filter((c) => levels.get(c.id) === 'mastered').length;
  const started = unit.competencies.some((c) => (levels.get(c.id) ?? 'not_started') !== 'not_started');
  const points =
    unit.scorePolicy === 'mastered_only' ? mastered : unit.competencies.reduce((sum, c) => sum + LEVEL_POINTS[levels.get(c.id) ?? 'not_started'], 0);
  const scoreGiven = Math.round((points / total) * scoreMaximum * 100) / 100;
  return {
    mastered,
    total,
    scoreGiven,
    scoreMaximum,
    activityProgress: mastered === total ? 'Completed' : started ? 'InProgress' : 'Initialized',
    comment: `${mastered} of ${total} competencies mastered`,
  };
}
