import { notFound } from '../../shared/errors.js';
import { findPathway } from '../pathway.js';
import type { LearningPorts } from '../ports.js';
import { recommendPathways, type PathwayRecommendation } from '../recommendation.js';
import { loadCompetency } from './load-unit.js';

/** Ranked pathways for a student and a competency, each with its reason (the student chooses). */
export async function recommendForLearner(
  ports: LearningPorts,
  input: { userId: string; unitId: string; competencyId: string; courseId: string | null },
): Promise<PathwayRecommendation[]> {
  const { unit, competency } = await loadCompetency(ports, input.unitId, input.competencyId);
  const [profile, history, course] = await Promise.all([
    ports.profiles.get(input.userId),
    ports.attempts.modalityHistory(input.userId),
    ports.attempts.pathwayOutcomes(unit.id, competency.id, input.courseId),
  ]);
  return recommendPathways({ competency, preferredModalities: profile.preferredModalities, history, course });
}

/** Records the student's choice of pathway; their next attempt is attributed to it. */
export async function choosePathway(
  ports: LearningPorts,
  input: { userId: string; unitId: string; competencyId: string; pathwayId: string; courseId: string | null; now: Date },
): Promise<void> {
  const { unit, competency } = await loadCompetency(ports, input.unitId, input.competencyId);
  if (!findPathway(competency, input.pathwayId)) throw notFound('pathway_not_found', 'This pathway is not part of the competency.');
  await ports.choices.record({ userId: input.userId, unitId: unit.id, competencyId: competency.id, pathwayId: input.pathwayId, courseId: input.courseId, chosenAt: input.now });
}
