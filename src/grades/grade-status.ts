import type { Queryable } from '../store/database.js';
import { notFound } from '../shared/errors.js';

/** What a teacher sees per student: 'sending' is shown as waiting. */
export type GradeSyncState = 'sent' | 'waiting' | 'failed';

export interface GradeStatusRow {
  outboxId: string;
  placementId: string;
  placementTitle: string | null;
  userId: string;
  studentName: string | null;
  state: GradeSyncState;
  scoreGiven: number;
  scoreMaximum: number;
  scoreTimestamp: Date;
  attempts: number;
  /** Why the last attempt failed (failed: why it was given up; waiting: why it is being retried). */
  lastError: string | null;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
}

/**
 * Grade sync status per student for one placement or for every placement of a course, so the
 * teacher sees which grades reached the gradebook, which wait and which failed (with reason).
 */
export async function gradeStatus(db: Queryable, scope: { placementId: string } | { courseId: string }): Promise<GradeStatusRow[]> {
  const [where, id] = 'placementId' in scope ? ['p.id = $1', scope.placementId] : ['p.course_id = $1', scope.courseId];
  const { rows } = await db.query<GradeStatusRow & { status: string }>(
    `select g.id as "outboxId", p.id as "placementId", p.title as "placementTitle", u.id as "userId",
       coalesce(u.name, nullif(trim(concat_ws(' ', u.given_name, u.family_name)), '')) as "studentName",
       g.status, g.score_given as "scoreGiven", g.score_maximum as "scoreMaximum", g.score_timestamp as "scoreTimestamp",
       g.attempts, g.last_error as "lastError", g.sent_at as "sentAt",
       case when g.status = 'waiting' then g.next_attempt_at end as "nextAttemptAt"
     from grade_outbox g join placements p on p.id = g.placement_id join users u on u.id = g.user_id
     where ${where}
     order by p.title nulls last, p.id, "studentName" nulls last, u.id`,
    [id],
  );
  return rows.map(({ status, ...r }) => ({ ...r, state: status === 'sent' ? 'sent' : status === 'failed' ? 'failed' : 'waiting' }));
}

/**
 * Sends a failed score again (the teacher's "retry"): a fresh retry budget, due now. `courseId`
 * limits the retry to the teacher's course. Throws `grade_not_found` when there is no such failed
 * score; a score that is waiting or sent is left as it is (returns false).
 */
export async function retryScore(db: Queryable, outboxId: string, options: { courseId?: string } = {}): Promise<boolean> {
  const found = await db.query<{ status: string }>(
    `select g.status from grade_outbox g join placements p on p.id = g.placement_id
     where g.id = $1 and ($2::uuid is null or p.course_id = $2::uuid)`,
    [outboxId, options.courseId ?? null],
  );
  if (!found.rows[0]) throw notFound('grade_not_found', 'There is no such grade to send again.');
  const res = await db.query(
    `update grade_outbox set status = 'waiting', attempts = 0, next_attempt_at = now(), last_error = null, updated_at = now()
     where id = $1 and status = 'failed'`,
    [outboxId],
  );
  return res.rowCount > 0;
}
