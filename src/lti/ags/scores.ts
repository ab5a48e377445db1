import { MEDIA_TYPE, SCOPE } from '../claims.js';
import type { PlatformRecord } from '../../store/platform-repository.js';
import type { ClaimedScore } from '../../store/grade-outbox.js';
import { AppError } from '../../shared/errors.js';
import { serviceError, type ServiceFetch } from './retry-policy.js';

/** Canvas's score extension, https://canvas.instructure.com/doc/api/score.html */
export const CANVAS_SUBMISSION_EXTENSION = 'https://canvas.instructure.com/lti/submission';

/** True for Canvas (by registered product family, else by the instructure.com issuer). */
export function isCanvas(platform: Pick<PlatformRecord, 'productFamily' | 'issuer'>): boolean {
  return platform.productFamily?.toLowerCase() === 'canvas' || /instructure/i.test(platform.issuer);
}

/**
 * The scores endpoint: the line item URL with `/scores` appended to its path, query kept,
 * https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service
 */
export function scoresUrl(lineitemUrl: string): string {
  const u = new URL(lineitemUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/scores`;
  return u.toString();
}

/** The score body, https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service */
export function buildScore(row: ClaimedScore, userSub: string, platform: Pick<PlatformRecord, 'productFamily' | 'issuer'>): Record<string, unknown> {
  const score: Record<string, unknown> = {
    userId: userSub,
    scoreGiven: row.scoreGiven,
    scoreMaximum: row.scoreMaximum,
    activityProgress: row.activityProgress,
    gradingProgress: row.gradingProgress,
    // ISO 8601 with milliseconds; strictly increasing per line item and user (enqueueScore).
    timestamp: row.scoreTimestamp.toISOString(),
  };
  if (row.comment) score.comment = row.comment.slice(0, 1000);
  if (isCanvas(platform)) {
    // A grade the teacher changed in Canvas wins over ours; only the first delivery is a new submission.
    score[CANVAS_SUBMISSION_EXTENSION] = {
      new_submission: row.sentAt === null && row.attempts <= 1,
      prioritize_non_tool_grade: true,
    };
  }
  return score;
}

/** POSTs one score; throws an AppError (kind 'unavailable' = worth retrying) when the LMS refuses it. */
export async function postScore(
  http: ServiceFetch,
  platform: PlatformRecord,
  scopes: readonly string[],
  lineitemUrl: string,
  body: Record<string, unknown>,
): Promise<void> {
  if (!scopes.includes(SCOPE.agsScore)) {
    throw new AppError('ags_score_not_allowed', 'The LMS does not allow Pathwise to send scores for this activity.', {
      kind: 'invalid',
      help: 'Enable the "score" scope of the grades service (AGS) for Pathwise in the LMS, then retry.',
    });
  }
  const res = await http.fetch(platform, scopes, scoresUrl(lineitemUrl), {
    method: 'POST',
    headers: { 'Content-Type': MEDIA_TYPE.score, Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await serviceError(res, 'Sending the score failed');
  // Read the (small) body to the end so the connection goes back to the keep-alive pool.
  await res.arrayBuffer().catch(() => undefined);
}
