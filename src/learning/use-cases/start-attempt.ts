import { forbidden } from '../../shared/errors.js';
import { decideStart } from '../attempt-rules.js';
import { toItemView, type ItemView } from '../items/item-view.js';
import { drawItems } from '../mastery-check.js';
import { findPathway } from '../pathway.js';
import type { LearningPorts } from '../ports.js';
import { competencyProgress } from '../progression.js';
import type { Rng } from '../random.js';
import { loadCompetency } from './load-unit.js';

export interface StartAttemptInput {
  userId: string;
  unitId: string;
  competencyId: string;
  courseId: string | null;
  now: Date;
  rng: Rng;
}

/** An open attempt as the browser may see it: no answer keys, no feedback. */
export interface AttemptView {
  attemptId: string;
  competencyId: string;
  startedAt: string;
  expiresAt: string;
  resumed: boolean;
  items: ItemView[];
}

/**
 * Starts (or resumes) the student's attempt at a competency's mastery check. The server draws
 * the items and keeps their keys; the competency must be open; one open attempt per student
 * and check; a cool-down after a failed attempt is respected.
 */
export async function startAttempt(ports: LearningPorts, input: StartAttemptInput): Promise<AttemptView> {
  const { unit, competency } = await loadCompetency(ports, input.unitId, input.competencyId);
  const [levels, waivers, history] = await Promise.all([
    ports.mastery.levels(input.userId, unit.id),
    ports.mastery.waivers(input.userId, unit.id),
    ports.attempts.history(input.userId, unit.id, competency.id),
  ]);
  const progress = competencyProgress(unit.document, levels, waivers).find((p) => p.competencyId === competency.id)!;
  if (progress.state === 'locked') {
    throw forbidden('competency_locked', `Master ${progress.missing.join(', ')} first.`, 'Work on the open competencies of the unit map.');
  }
  const decision = decideStart(history, competency.check, input.now);
  if (decision.kind === 'resume') {
    const open = await ports.attempts.findForUpdate(decision.attempt.id);
    return view(open!.id, competency.id, open!.startedAt, open!.expiresAt, true, open!.items.map(toItemView));
  }
  if (decision.expire.length > 0) await ports.attempts.expire(decision.expire);
  const pathwayId = await ports.choices.latest(input.userId, unit.id, competency.id);
  const pathway = pathwayId ? findPathway(competency, pathwayId) : undefined;
  const items = drawItems(competency.check.items, competency.check.itemsPerAttempt, input.rng);
  const id = globalThis.crypto.randomUUID();
  const expiresAt = new Date(input.now.getTime() + competency.check.expiresAfterMinutes * 60_000);
  await ports.attempts.create({
    id,
    userId: input.userId,
    unitId: unit.id,
    competencyId: competency.id,
    courseId: input.courseId,
    pathwayId: pathway?.id ?? null,
    pathwayModalities: pathway ? [...pathway.modalities] : [],
    items,
    startedAt: input.now,
    expiresAt,
  });
  return view(id, competency.id, input.now, expiresAt, false, items.map(toItemView));
}

function view(attemptId: string, competencyId: string, startedAt: Date, expiresAt: Date, resumed: boolean, items: ItemView[]): AttemptView {
  return { attemptId, competencyId, startedAt: startedAt.toISOString(), expiresAt: expiresAt.toISOString(), resumed, items };
}
