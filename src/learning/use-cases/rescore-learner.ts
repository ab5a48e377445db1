import type { LearningPorts, StoredUnit } from '../ports.js';
import { unitScore } from '../progression.js';

/** A score the gradebook was last given for one placement (what the outbox holds). */
export interface GivenScore {
  placementId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: string;
  comment: string | null;
}

/**
 * Re-queues one student's unit score after the unit itself changed (a competency added or
 * removed, the score policy or maximum changed): mastery is unchanged, so refreshMastery never
 * runs, yet the unit score is no longer the one the gradebook holds ("2 of 5 mastered" when the
 * unit now has 3). Only placements the gradebook already has a score for are re-sent, and only
 * when the score differs. Returns how many scores were queued.
 */
export async function rescoreLearner(ports: LearningPorts, input: { userId: string; unit: StoredUnit; given: readonly GivenScore[] }): Promise<number> {
  const { userId, unit } = input;
  const levels = await ports.mastery.levels(userId, unit.id);
  let queued = 0;
  for (const target of await ports.grades.targets(userId, unit.id)) {
    const before = input.given.find((g) => g.placementId === target.placementId);
    if (!before) continue;
    const s = unitScore(unit.document, levels, target.scoreMaximum ?? unit.document.scoreMaximum);
    const same =
      s.scoreGiven === before.scoreGiven &&
      s.scoreMaximum === before.scoreMaximum &&
      s.activityProgress === before.activityProgress &&
      s.comment === before.comment;
    if (same) continue;
    await ports.grades.enqueue({ placementId: target.placementId, userId, ...s });
    queued++;
  }
  return queued;
}
