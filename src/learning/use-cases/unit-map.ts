import { notFound } from '../../shared/errors.js';
import { NOT_STARTED, type StoredExplanation } from '../mastery/explanation.js';
import type { MasteryLevel } from '../mastery/level.js';
import { pathwaySummary } from '../pathway.js';
import type { LearningPorts } from '../ports.js';
import { competencyProgress, unitScore, type CompetencyState } from '../progression.js';

export interface UnitMapEntry {
  competencyId: string;
  title: string;
  state: CompetencyState;
  level: MasteryLevel;
  explanation: StoredExplanation;
  missing: string[];
  chosenPathwayId: string | null;
  pathways: ReturnType<typeof pathwaySummary>[];
}

/** A student's map of a unit: each competency locked / open / mastered, with level and explanation. */
export async function learnerUnitMap(ports: LearningPorts, input: { userId: string; unitId: string }) {
  const unit = await ports.units.findById(input.unitId);
  if (!unit) throw notFound('unit_not_found', 'This unit does not exist.');
  const levels = await ports.mastery.levels(input.userId, unit.id);
  const waivers = await ports.mastery.waivers(input.userId, unit.id);
  const progress = competencyProgress(unit.document, levels, waivers);
  const entries: UnitMapEntry[] = [];
  for (const [i, c] of unit.document.competencies.entries()) {
    const current = await ports.mastery.current(input.userId, unit.id, c.id);
    entries.push({
      competencyId: c.id,
      title: c.title,
      state: progress[i]!.state,
      level: progress[i]!.level,
      explanation: current?.explanation ?? NOT_STARTED,
      missing: progress[i]!.missing,
      chosenPathwayId: await ports.choices.latest(input.userId, unit.id, c.id),
      pathways: c.pathways.map(pathwaySummary),
    });
  }
  return { unitId: unit.id, title: unit.document.title, competencies: entries, score: unitScore(unit.document, levels, unit.document.scoreMaximum) };
}
