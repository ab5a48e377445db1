import { randomUUID } from 'node:crypto';
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
 * student, and gives it a timestamp strictly after the one queued before (AGS requires
 * increasing timestamps — https://www.imsglobal.org/spec/lti-ags/v2p0/#timestamp).
 */
export async function enqueueScore(tx: Queryable, score: ScoreToSend): Promise<void> {
  await tx.query(
    `insert into grade_outbox (id, placement_id, user_id, score_given, score_maximum, activity_progress,
       grading_progress, comment, score_timestamp)
     values ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())
     on conflict (placement_id, user_id) do update set
       score_given = excluded.score_given,
       score_maximum = excluded.score_maximum,
       activity_progress = excluded.activity_progress,
       grading_progress = excluded.grading_progress,
       comment = excluded.comment,
       score_timestamp = greatest(excluded.score_timestamp, grade_outbox.score_timestamp + interval '1 millisecond'),
       status = 'waiting',
       attempts = 0,
       next_attempt_at = now(),
       last_error = null,
       updated_at = now()`,
    [
      randomUUID(),
      score.placementId,
      score.userId,
      score.scoreGiven,
      score.scoreMaximum,
      score.activityProgress,
      score.gradingProgress,
      score.comment ?? null,
    ],
  );
}
