import { deliveryFailureKind, type DeliveryFailureKind } from '../lti/ags/failure-kind.js';
import type { Queryable } from '../store/database.js';
import { HELD_SQL } from '../store/grade-outbox.js';

/** HELD_SQL for the outbox aliased `g`. */
const HELD = HELD_SQL.replaceAll('grade_outbox.', 'g.');
import { notFound } from '../shared/errors.js';

/**
 * What a teacher sees per student: 'sending' is shown as waiting; 'held' is a waiting score of a
 * student not active in the course (sent when they are active again).
 */
export type GradeSyncState = 'sent' | 'waiting' | 'held' | 'failed';

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
  /** Why the last attempt failed (failed: why it was given up; waiting: why it is being retried), raw. */
  lastError: string | null;
  /** The kind of that failure, for a summary in the reader's language (null when nothing failed). */
  failureKind: DeliveryFailureKind | null;
  /** A failed score whose temporary failure lasted past grades.retryForHours. */
  gaveUp: boolean;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  /** Waiting scores: since when the gradebook has been waiting for this student's score. */
  pendingSince: Date | null;
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
       case when g.status in ('waiting', 'sending') and ${HELD} then 'held' else g.status end as status,
       g.score_given as "scoreGiven", g.score_maximum as "scoreMaximum", g.score_timestamp as "scoreTimestamp",
       g.attempts, g.last_error as "lastError", g.last_error_kind as "failureKind", g.gave_up as "gaveUp", g.sent_at as "sentAt",
       case when g.status = 'waiting' then g.next_attempt_at end as "nextAttemptAt",
       case when g.status in ('waiting', 'sending') then coalesce(g.pending_since, g.created_at) end as "pendingSince"
     from grade_outbox g join placements p on p.id = g.placement_id join users u on u.id = g.user_id
     where ${where}
     order by p.title nulls last, p.id, "studentName" nulls last, u.id`,
    [id],
  );
  return rows.map(({ status, ...r }) => ({
    ...r,
    failureKind: r.lastError === null && r.failureKind === null ? null : deliveryFailureKind(r.failureKind),
    state: status === 'sent' || status === 'failed' || status === 'held' ? status : 'waiting',
  }));
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
    `update grade_outbox set status = 'waiting', attempts = 0, next_attempt_at = now(), last_error = null, last_error_kind = null, gave_up = false, pending_since = now(), updated_at = now()
     where id = $1 and status = 'failed'`,
    [outboxId],
  );
  return res.rowCount > 0;
}

/**
 * Sends every failed score of a course again (the teacher's "send all failed again"): each gets a
 * fresh waiting period, due now. Returns how many were queued again.
 */
export async function retryFailedScores(db: Queryable, courseId: string): Promise<number> {
  const res = await db.query(
    `update grade_outbox g set status = 'waiting', attempts = 0, next_attempt_at = now(), last_error = null, last_error_kind = null, gave_up = false, pending_since = now(), updated_at = now()
     from placements p where p.id = g.placement_id and p.course_id = $1 and g.status = 'failed'`,
    [courseId],
  );
  return res.rowCount;
}

/**
 * Grade sync health of one platform: scores sent, waiting (with those waiting for over an hour —
 * its LMS is probably refusing them — and since when the oldest has waited), and failed.
 */
export interface PlatformDeliveryFigure {
  platformId: string;
  platformName: string;
  sent: number;
  waiting: number;
  /** Waiting scores of students not active in their course (not sent until they are). */
  held: number;
  waitingOverAnHour: number;
  oldestWaitingSince: Date | null;
  failed: number;
}

/**
 * Grade sync health per platform (platforms with at least one score), by name. A score waits from
 * when it was last queued (pending_since), so a new score for a student whose earlier one was sent
 * long ago is not counted as overdue. The admin API and the console's usage page both read this.
 * `platformId` limits it to one platform.
 */
export async function deliveryByPlatform(db: Queryable, platformId?: string): Promise<PlatformDeliveryFigure[]> {
  const { rows } = await db.query<PlatformDeliveryFigure>(
    `select d.platform_id as "platformId", coalesce(pl.name, pl.issuer) as "platformName",
       (count(*) filter (where g.status = 'sent'))::int as "sent",
       (count(*) filter (where g.status in ('waiting', 'sending') and not ${HELD}))::int as "waiting",
       (count(*) filter (where g.status in ('waiting', 'sending') and ${HELD}))::int as "held",
       (count(*) filter (where g.status in ('waiting', 'sending') and not ${HELD} and coalesce(g.pending_since, g.created_at) < now() - interval '1 hour'))::int as "waitingOverAnHour",
       min(coalesce(g.pending_since, g.created_at)) filter (where g.status in ('waiting', 'sending') and not ${HELD}) as "oldestWaitingSince",
       (count(*) filter (where g.status = 'failed'))::int as "failed"
     from grade_outbox g join placements p on p.id = g.placement_id join courses c on c.id = p.course_id
       join deployments d on d.id = c.deployment_id join platforms pl on pl.id = d.platform_id
     where ($1::uuid is null or d.platform_id = $1)
     group by d.platform_id, pl.name, pl.issuer order by 2, 1`,
    [platformId ?? null],
  );
  return rows;
}
