import { randomUUID } from 'node:crypto';
import type { DeliveryFailureKind } from '../lti/ags/failure-kind.js';
import type { Queryable } from './database.js';

export interface ScoreToSend {
  placementId: string;
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  comment?: string;
}

/**
 * Queues a score for the LMS gradebook. Call it with the transaction that made the change, so
 * the score is saved exactly when the change is. Keeps only the newest score per placement and
 * student, and gives it a timestamp (millisecond precision, as sent) strictly after the one queued
 * before (AGS requires increasing timestamps — https://www.imsglobal.org/spec/lti-ags/v2p0/#timestamp).
 * A row being sent right now stays 'sending': its worker sees the newer timestamp when it finishes
 * and puts the row back to 'waiting', so the older score never overtakes the newer one.
 */
export async function enqueueScore(tx: Queryable, score: ScoreToSend): Promise<void> {
  await tx.query(
    `insert into grade_outbox (id, placement_id, user_id, score_given, score_maximum, activity_progress,
       grading_progress, comment, score_timestamp, pending_since)
     values ($1, $2, $3, $4, $5, $6, $7, $8, date_trunc('milliseconds', clock_timestamp()), now())
     on conflict (placement_id, user_id) do update set
       score_given = excluded.score_given,
       score_maximum = excluded.score_maximum,
       activity_progress = excluded.activity_progress,
       grading_progress = excluded.grading_progress,
       comment = excluded.comment,
       score_timestamp = greatest(excluded.score_timestamp, grade_outbox.score_timestamp + interval '1 millisecond'),
       status = case when grade_outbox.status = 'sending' then 'sending' else 'waiting' end,
       pending_since = case when grade_outbox.status in ('waiting', 'sending') then coalesce(grade_outbox.pending_since, now()) else now() end,
       attempts = 0,
       next_attempt_at = now(),
       last_error = null,
       last_error_kind = null,
       gave_up = false,
       updated_at = now()`,
    [randomUUID(), score.placementId, score.userId, score.scoreGiven, score.scoreMaximum, score.activityProgress, score.gradingProgress, score.comment ?? null],
  );
}

/**
 * True for an outbox row (aliased grade_outbox) whose student is not active in the placement's
 * course: NRPS status Inactive, or Deleted (gone from a complete roster sync). Such a score is held,
 * not sent and not deleted; when a later sync or a launch makes the student Active again, the row
 * (always the newest score) is due at once. NRPS gives each member a status, Active or Inactive
 * (https://www.imsglobal.org/spec/lti-nrps/v2p0/#membership-status); AGS has no rule for scores of
 * inactive members (https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service), so we send
 * only what the course's current members would see.
 */
export const HELD_SQL = `exists (select 1 from placements hp join enrollments he on he.course_id = hp.course_id
    and he.user_id = grade_outbox.user_id where hp.id = grade_outbox.placement_id and he.status <> 'Active')`;

/** A row a worker holds: it alone may complete it, and only for the timestamp it read. */
export interface ClaimedScore extends ScoreToSend {
  id: string;
  claimId: string;
  scoreTimestamp: Date;
  /** This delivery's attempt number (1 for the first). */
  attempts: number;
  /** When a score for this placement and student last reached the LMS. */
  sentAt: Date | null;
  /** How long (ms, by the database clock) the gradebook has been waiting for this student's score. */
  waitingMs: number;
}

/**
 * Claims up to `limit` due rows (waiting and due, or left 'sending' past the lease by a crashed
 * worker), leaving out held ones (HELD_SQL). SKIP LOCKED lets several workers and instances claim at once without taking the same row.
 */
export async function claimDueScores(db: Queryable, limit: number, leaseMs: number): Promise<ClaimedScore[]> {
  const { rows } = await db.query<ClaimedScore>(
    `update grade_outbox set status = 'sending', claim_id = $1, claimed_at = now(), attempts = attempts + 1, updated_at = now()
     where id in (
       select id from grade_outbox
       where ((status = 'waiting' and next_attempt_at <= now())
          or (status = 'sending' and claimed_at < now() - $3 * interval '1 millisecond'))
         and not (${HELD_SQL})
       order by next_attempt_at
       limit $2
       for update skip locked)
     returning id, claim_id as "claimId", placement_id as "placementId", user_id as "userId",
       score_given as "scoreGiven", score_maximum as "scoreMaximum", activity_progress as "activityProgress",
       grading_progress as "gradingProgress", comment, score_timestamp as "scoreTimestamp", attempts, sent_at as "sentAt",
       (extract(epoch from now() - coalesce(pending_since, created_at)) * 1000)::float8 as "waitingMs"`,
    [randomUUID(), limit, leaseMs],
  );
  return rows.map((r) => ({ ...r, comment: r.comment ?? undefined }));
}

export type DeliveryOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; delayMs: number; reason: string; failure: DeliveryFailureKind }
  /** `gaveUp`: a temporary failure that lasted past grades.retryForHours. */
  | { kind: 'failed'; reason: string; failure: DeliveryFailureKind; gaveUp?: boolean }
  /** Shutting down before the request went out: give the row back without counting the attempt. */
  | { kind: 'released' };

/**
 * Completes claimed rows in one statement per outcome kind. When a newer score was queued
 * meanwhile (timestamp changed), the row goes back to 'waiting', due now, whatever happened to the
 * older one. Only the claim holder completes a row: returns how many claims were still held
 * (a row taken over after the lease is left to its new holder).
 */
export async function completeClaims(db: Queryable, done: Array<{ row: ClaimedScore; outcome: DeliveryOutcome }>): Promise<number> {
  const same = `score_timestamp = x.ts`;
  const sets: Record<DeliveryOutcome['kind'], string> = {
    sent: `status = case when ${same} then 'sent' else 'waiting' end, sent_at = now(), sent_score_timestamp = x.ts,
      pending_since = case when ${same} then null else pending_since end,
      attempts = case when ${same} then attempts else 0 end, next_attempt_at = now(), last_error = null, last_error_kind = null, gave_up = false`,
    retry: `status = 'waiting', last_error = case when ${same} then x.reason end, last_error_kind = case when ${same} then x.failure end,
      gave_up = false, attempts = case when ${same} then attempts else 0 end,
      next_attempt_at = case when ${same} then now() + x.delay_ms * interval '1 millisecond' else now() end`,
    failed: `status = case when ${same} then 'failed' else 'waiting' end, last_error = case when ${same} then x.reason end,
      last_error_kind = case when ${same} then x.failure end, gave_up = ${same} and x.gave_up,
      attempts = case when ${same} then attempts else 0 end, next_attempt_at = now()`,
    released: `status = 'waiting', attempts = case when ${same} then greatest(attempts - 1, 0) else 0 end, next_attempt_at = now()`,
  };
  let held = 0;
  for (const kind of Object.keys(sets) as Array<DeliveryOutcome['kind']>) {
    const items = done.filter((d) => d.outcome.kind === kind);
    if (items.length === 0) continue;
    const res = await db.query(
      `update grade_outbox set ${sets[kind]}, claim_id = null, claimed_at = null, updated_at = now()
       from unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::float8[], $6::text[], $7::bool[])
         as x(id, claim_id, ts, reason, delay_ms, failure, gave_up)
       where grade_outbox.id = x.id and grade_outbox.claim_id = x.claim_id`,
      [
        items.map((d) => d.row.id),
        items.map((d) => d.row.claimId),
        items.map((d) => d.row.scoreTimestamp.toISOString()),
        items.map((d) => ('reason' in d.outcome ? d.outcome.reason : null)),
        items.map((d) => (d.outcome.kind === 'retry' ? d.outcome.delayMs : 0)),
        items.map((d) => ('failure' in d.outcome ? d.outcome.failure : null)),
        items.map((d) => d.outcome.kind === 'failed' && d.outcome.gaveUp === true),
      ],
    );
    held += res.rowCount;
  }
  return held;
}

/** Completes one claimed row (see completeClaims); false when the claim was lost. */
export async function completeClaim(db: Queryable, row: ClaimedScore, outcome: DeliveryOutcome): Promise<boolean> {
  return (await completeClaims(db, [{ row, outcome }])) > 0;
}
