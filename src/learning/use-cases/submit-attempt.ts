import { conflict, notFound } from '../../shared/errors.js';
import { isExpired, shouldSuggestAnotherPathway } from '../attempt-rules.js';
import { scoreCheck } from '../mastery-check.js';
import type { LearningPorts } from '../ports.js';
import { loadCompetency } from './load-unit.js';
import { refreshMastery } from './refresh-mastery.js';
import type { SubmissionResult } from './submission-result.js';

export interface SubmitAttemptInput {
  attemptId: string;
  userId: string;
  /** Answers keyed by item id; answers to items not drawn for this attempt are ignored. */
  answers: Readonly<Record<string, unknown>>;
  now: Date;
}

/**
 * Submits an attempt: scores it, stores the responses, recalculates mastery (with history) and
 * queues the unit score — all with the caller's transaction, so either all of it is saved or
 * none. Idempotent by attempt id: submitting again returns the stored result unchanged.
 */
export async function submitAttempt(ports: LearningPorts, input: SubmitAttemptInput): Promise<SubmissionResult> {
  const attempt = await ports.attempts.findForUpdate(input.attemptId);
  // Someone else's attempt is reported as missing, so ids cannot be probed.
  if (!attempt || attempt.userId !== input.userId) throw notFound('attempt_not_found', 'This attempt does not exist.');
  if (attempt.status === 'submitted' && attempt.result) return attempt.result;
  if (attempt.status === 'expired' || isExpired(attempt, input.now)) {
    throw conflict('attempt_expired', 'This attempt expired before it was submitted.', 'Start a new attempt when you are ready.');
  }
  const { unit, competency } = await loadCompetency(ports, attempt.unitId, attempt.competencyId);
  const checked = scoreCheck(competency.check, attempt.items, input.answers);
  const responses = attempt.items.map((item, position) => ({
    position,
    itemId: item.id,
    answer: Object.hasOwn(input.answers, item.id) ? input.answers[item.id] : null,
    credit: checked.items[position]!.credit,
    correct: checked.items[position]!.correct,
  }));
  // Save the scored attempt first so the mastery calculation sees it as evidence.
  await ports.attempts.saveSubmission(attempt.id, { submittedAt: input.now, score: checked.score, passed: checked.passed, responses });
  const refreshed = await refreshMastery(ports, {
    userId: attempt.userId,
    unit,
    competencyId: competency.id,
    cause: 'attempt',
    attemptId: attempt.id,
    actorId: attempt.userId,
    now: input.now,
  });
  const history = await ports.attempts.history(attempt.userId, unit.id, competency.id);
  const result = buildResult(attempt.id, competency.id, input.now, checked, refreshed.mastery, shouldSuggestAnotherPathway(history, competency.check), {
    mastered: refreshed.unitScore.mastered,
    total: refreshed.unitScore.total,
  });
  await ports.attempts.saveResult(attempt.id, result);
  return result;
}

function buildResult(
  attemptId: string,
  competencyId: string,
  now: Date,
  checked: ReturnType<typeof scoreCheck>,
  mastery: SubmissionResult['mastery'],
  suggestAnotherPathway: boolean,
  unitProgress: SubmissionResult['unitProgress'],
): SubmissionResult {
  return {
    attemptId,
    competencyId,
    score: checked.score,
    passed: checked.passed,
    submittedAt: now.toISOString(),
    items: checked.items,
    mastery: { level: mastery.level, estimate: mastery.estimate, explanation: mastery.explanation, overridden: mastery.overridden },
    suggestAnotherPathway,
    unitProgress,
  };
}
