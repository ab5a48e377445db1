import { AppError } from '../shared/errors.js';

/** What the rules need to know about a student's earlier attempts at one check. */
export interface AttemptSummary {
  id: string;
  status: 'open' | 'submitted' | 'expired';
  startedAt: Date;
  expiresAt: Date;
  submittedAt: Date | null;
  passed: boolean | null;
  pathwayId: string | null;
}

export interface RetryPolicy {
  coolDownMinutes: number;
  suggestOtherPathwayAfterFailures: number;
}

/** An open attempt past its deadline is abandoned. */
export function isExpired(attempt: Pick<AttemptSummary, 'status' | 'expiresAt'>, now: Date): boolean {
  return attempt.status === 'open' && attempt.expiresAt.getTime() <= now.getTime();
}

export type StartDecision = { kind: 'resume'; attempt: AttemptSummary } | { kind: 'new'; expire: string[] };

/**
 * One open attempt per student and check: an unexpired open attempt is resumed, expired ones
 * are closed, and after a failed attempt a new one waits for the cool-down.
 */
export function decideStart(history: readonly AttemptSummary[], policy: RetryPolicy, now: Date): StartDecision {
  const open = history.filter((a) => a.status === 'open');
  const live = open.find((a) => !isExpired(a, now));
  if (live) return { kind: 'resume', attempt: live };
  const last = lastSubmitted(history);
  if (last && last.passed === false && policy.coolDownMinutes > 0) {
    const retryAt = new Date(last.submittedAt!.getTime() + policy.coolDownMinutes * 60_000);
    if (retryAt > now) {
      throw new AppError('attempt_cooling_down', `The next attempt opens at ${retryAt.toISOString()}.`, {
        kind: 'conflict',
        help: 'Take the time to go back over the pathway, then try again.',
        details: { retryAt: retryAt.toISOString() },
      });
    }
  }
  return { kind: 'new', expire: open.map((a) => a.id) };
}

/** Failed submitted attempts since the last pass, newest first. */
export function consecutiveFailures(history: readonly AttemptSummary[]): number {
  let n = 0;
  for (const a of submittedNewestFirst(history)) {
    if (a.passed) break;
    n++;
  }
  return n;
}

/** After N failed attempts in a row (default two), suggest another pathway. */
export function shouldSuggestAnotherPathway(history: readonly AttemptSummary[], policy: RetryPolicy): boolean {
  return consecutiveFailures(history) >= policy.suggestOtherPathwayAfterFailures;
}

function submittedNewestFirst(history: readonly AttemptSummary[]): AttemptSummary[] {
  return history.filter((a) => a.status === 'submitted' && a.submittedAt).sort((a, b) => b.submittedAt!.getTime() - a.submittedAt!.getTime());
}

function lastSubmitted(history: readonly AttemptSummary[]): AttemptSummary | undefined {
  return submittedNewestFirst(history)[0];
}
