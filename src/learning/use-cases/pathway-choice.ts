import { notFound } from '../../shared/errors.js';
import { groupFirstAttempts } from '../first-attempts.js';
import { ownWeight } from '../pathway-kinds.js';
import { findPathway } from '../pathway.js';
import type { LearningPorts } from '../ports.js';
import { seededRng, type Rng } from '../random.js';
import { masteryBand, recommendPathways, type PathwayRecommendation } from '../recommendation.js';
import { loadCompetency } from './load-unit.js';

/**
 * Ranked pathways for a student and a competency, each with its reasons (the student chooses):
 * the bandit reads the class's first attempts on the unit per prior mastery band, the student's
 * band, and the student's own first attempts on the unit's other competencies.
 */
export async function recommendForLearner(
  ports: LearningPorts,
  input: { userId: string; unitId: string; competencyId: string; courseId: string | null; rng?: Rng },
): Promise<PathwayRecommendation[]> {
  const { unit, competency } = await loadCompetency(ports, input.unitId, input.competencyId);
  const [profile, evidence, firsts] = await Promise.all([
    ports.profiles.get(input.userId),
    ports.attempts.unitEvidence(input.userId, unit.id),
    ports.attempts.firstAttempts(unit.id, input.courseId),
  ]);
  const { course, unit: kinds, own, students } = groupFirstAttempts(firsts, input.userId, competency.id);
  let right = 0;
  let answered = 0;
  for (const list of evidence.values()) {
    for (const e of list) {
      answered += e.responses.length;
      right += e.responses.filter(Boolean).length;
    }
  }
  // One draw per student and state of the evidence: the recommendation does not change on every
  // reload, only when the class's results (or the student's band) do.
  const seen = firsts.length;
  const band = masteryBand(right, answered);
  const rng = input.rng ?? seededRng(hash(`${input.userId}|${competency.id}|${seen}|${band}`));
  return recommendPathways({
    competency,
    preferredModalities: profile.preferredModalities,
    band,
    course,
    unit: kinds,
    own,
    ownWeight: ownWeight(students, kinds),
    rng,
  });
}

/** FNV-1a, 32 bits: a seed from a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Records the student's choice of pathway; their next attempt is attributed to it. */
export async function choosePathway(
  ports: LearningPorts,
  input: { userId: string; unitId: string; competencyId: string; pathwayId: string; courseId: string | null; now: Date },
): Promise<void> {
  const { unit, competency } = await loadCompetency(ports, input.unitId, input.competencyId);
  if (!findPathway(competency, input.pathwayId)) throw notFound('pathway_not_found', 'This pathway is not part of the competency.');
  await ports.choices.record({
    userId: input.userId,
    unitId: unit.id,
    competencyId: competency.id,
    pathwayId: input.pathwayId,
    courseId: input.courseId,
    chosenAt: input.now,
  });
}
