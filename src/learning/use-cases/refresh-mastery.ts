import { applyOverride, type EffectiveMastery } from '../mastery/override.js';
import { estimateMastery } from '../mastery/estimate.js';
import type { LearningPorts, MasteryCause, StoredUnit } from '../ports.js';
import { unitScore, type UnitScore } from '../progression.js';

export interface RefreshInput {
  userId: string;
  unit: StoredUnit;
  competencyId: string;
  cause: MasteryCause;
  attemptId: string | null;
  actorId: string | null;
  now: Date;
}

export interface RefreshOutcome {
  mastery: EffectiveMastery;
  levelChanged: boolean;
  unitScore: UnitScore;
}

/**
 * Recalculates one student's mastery of one competency, saves it with a history row, and — when
 * the level changed — queues the new unit score for each placement of the unit the student has,
 * all through the caller's transaction.
 */
export async function refreshMastery(ports: LearningPorts, input: RefreshInput): Promise<RefreshOutcome> {
  const { userId, unit, competencyId } = input;
  const method = unit.document.mastery;
  const [evidence, others, fitted, pfaModel, override, before] = await Promise.all([
    ports.attempts.evidence(userId, unit.id, competencyId),
    method.method === 'pfa' ? ports.attempts.unitEvidence(userId, unit.id) : Promise.resolve(undefined),
    method.method === 'bkt' ? ports.mastery.bktParams(unit.id, competencyId) : Promise.resolve(null),
    // The weights are the unit's (fitted in the background from every course's answers); the answers are this course's.
    method.method === 'pfa' ? ports.mastery.pfaModel(unit.id) : Promise.resolve(null),
    ports.mastery.activeOverride(userId, unit.id, competencyId),
    ports.mastery.current(userId, unit.id, competencyId),
  ]);
  others?.delete(competencyId);
  const mastery = applyOverride(estimateMastery(method, evidence, fitted ?? undefined, { competencyId, others, pfaModel: pfaModel ?? undefined }), override);
  await ports.mastery.save(
    {
      userId,
      unitId: unit.id,
      competencyId,
      level: mastery.level,
      calculatedLevel: mastery.calculatedLevel,
      estimate: mastery.estimate,
      explanation: mastery.explanation,
      evidenceCount: mastery.evidenceCount,
      method: method.method,
      overridden: mastery.overridden,
      updatedAt: input.now,
    },
    { cause: input.cause, attemptId: input.attemptId, actorId: input.actorId },
  );
  const levels = await ports.mastery.levels(userId, unit.id);
  levels.set(competencyId, mastery.level);
  const levelChanged = (before?.level ?? 'not_started') !== mastery.level;
  const score = unitScore(unit.document, levels, unit.document.scoreMaximum);
  if (levelChanged) {
    for (const target of await ports.grades.targets(userId, unit.id)) {
      const max = target.scoreMaximum ?? unit.document.scoreMaximum;
      const s = max === score.scoreMaximum ? score : unitScore(unit.document, levels, max);
      await ports.grades.enqueue({
        placementId: target.placementId,
        userId,
        scoreGiven: s.scoreGiven,
        scoreMaximum: s.scoreMaximum,
        activityProgress: s.activityProgress,
        comment: s.comment,
      });
    }
  }
  return { mastery, levelChanged, unitScore: score };
}
