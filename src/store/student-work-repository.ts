import { randomUUID } from 'node:crypto';
import type { Item } from '../learning/items/item-schema.js';
import type { SubmissionResult } from '../learning/use-cases/submission-result.js';
import type { Queryable } from './database.js';

/** An attempt as its own student may see it; the items carry keys, so they stay on the server. */
export interface LearnerAttempt {
  id: string;
  competencyId: string;
  status: 'open' | 'submitted' | 'expired';
  startedAt: Date;
  expiresAt: Date;
  items: Item[];
  result: SubmissionResult | null;
}

export interface HelpRequest {
  id: string;
  competencyId: string;
  message: string;
  status: 'open' | 'resolved';
  createdAt: Date;
}

/**
 * What a student does around the learning engine: help requests, resource "done" marks, saved
 * answers of an open check. Every read and write names the student, so one student's ids never
 * reach another student's rows.
 */
export class StudentWorkRepository {
  constructor(private readonly db: Queryable) {}

  /** The student's own attempt in this unit; null for anyone else's (so ids cannot be probed). */
  async attempt(attemptId: string, userId: string, unitId: string): Promise<LearnerAttempt | null> {
    const { rows } = await this.db.query<LearnerAttempt>(
      `select id, competency_id as "competencyId", status, started_at as "startedAt", expires_at as "expiresAt", items, result
       from attempts where id = $1 and user_id = $2 and unit_id = $3`,
      [attemptId, userId, unitId],
    );
    return rows[0] ?? null;
  }

  /** The answers a submitted attempt recorded, by item id. */
  async answers(attemptId: string): Promise<Map<string, unknown>> {
    const { rows } = await this.db.query<{ itemId: string; answer: unknown }>(`select item_id as "itemId", answer from responses where attempt_id = $1`, [
      attemptId,
    ]);
    return new Map(rows.map((r) => [r.itemId, r.answer]));
  }

  /**
   * The student's check in progress in this unit (open, not expired), the latest if several; null
   * when none. Only checks of a competency the unit still has: one the teacher has since removed
   * can no longer be submitted.
   */
  async openAttempt(userId: string, unitId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ id: string }>(
      `select a.id from attempts a where a.user_id = $1 and a.unit_id = $2 and a.status = 'open' and a.expires_at > now()
         and exists (select 1 from units u, jsonb_array_elements(u.document->'competencies') c
                     where u.id = a.unit_id and c->>'id' = a.competency_id)
       order by a.started_at desc, a.id limit 1`,
      [userId, unitId],
    );
    return rows[0]?.id ?? null;
  }

  /** Per competency of the unit: submitted and open attempts of this student. */
  /** Per competency, the student's submitted and open attempts in this course. */
  async attemptCounts(userId: string, unitId: string, courseId: string | null): Promise<Map<string, { submitted: number; open: number }>> {
    const { rows } = await this.db.query<{ competencyId: string; submitted: number; open: number }>(
      `select competency_id as "competencyId", count(*) filter (where status = 'submitted')::int as submitted,
         count(*) filter (where status = 'open' and expires_at > now())::int as open
       from attempts where user_id = $1 and unit_id = $2 and course_id is not distinct from $3::uuid group by competency_id`,
      [userId, unitId, courseId],
    );
    return new Map(rows.map((r) => [r.competencyId, { submitted: r.submitted, open: r.open }]));
  }

  async saveDraft(attemptId: string, userId: string, answers: Record<string, unknown>): Promise<void> {
    await this.db.query(
      `insert into attempt_drafts (attempt_id, user_id, answers) values ($1, $2, $3)
       on conflict (attempt_id) do update set answers = excluded.answers, updated_at = now()
       where attempt_drafts.user_id = excluded.user_id`,
      [attemptId, userId, JSON.stringify(answers)],
    );
  }

  async draft(attemptId: string, userId: string): Promise<Record<string, unknown>> {
    const { rows } = await this.db.query<{ answers: Record<string, unknown> }>(`select answers from attempt_drafts where attempt_id = $1 and user_id = $2`, [
      attemptId,
      userId,
    ]);
    return rows[0]?.answers ?? {};
  }

  async marks(userId: string, unitId: string, competencyId: string, pathwayId: string): Promise<Set<number>> {
    const { rows } = await this.db.query<{ i: number }>(
      `select resource_index as i from resource_marks where user_id = $1 and unit_id = $2 and competency_id = $3 and pathway_id = $4`,
      [userId, unitId, competencyId, pathwayId],
    );
    return new Set(rows.map((r) => r.i));
  }

  async setMark(m: { userId: string; unitId: string; competencyId: string; pathwayId: string; index: number }, done: boolean): Promise<void> {
    const args = [m.userId, m.unitId, m.competencyId, m.pathwayId, m.index];
    if (done) {
      await this.db.query(
        `insert into resource_marks (user_id, unit_id, competency_id, pathway_id, resource_index) values ($1, $2, $3, $4, $5)
         on conflict do nothing`,
        args,
      );
    } else {
      await this.db.query(
        `delete from resource_marks where user_id = $1 and unit_id = $2 and competency_id = $3 and pathway_id = $4 and resource_index = $5`,
        args,
      );
    }
  }

  /** Asks the teacher for help; asking again while a request is open updates its message. */
  async askForHelp(r: { userId: string; courseId: string; unitId: string; competencyId: string; message: string }): Promise<void> {
    await this.db.query(
      `insert into help_requests (id, user_id, course_id, unit_id, competency_id, message) values ($1, $2, $3, $4, $5, $6)
       on conflict (user_id, course_id, unit_id, competency_id) where status = 'open'
       do update set message = case when excluded.message = '' then help_requests.message else excluded.message end`,
      [randomUUID(), r.userId, r.courseId, r.unitId, r.competencyId, r.message],
    );
  }

  async helpRequests(userId: string, unitId: string): Promise<HelpRequest[]> {
    const { rows } = await this.db.query<HelpRequest>(
      `select id, competency_id as "competencyId", message, status, created_at as "createdAt"
       from help_requests where user_id = $1 and unit_id = $2 order by created_at desc, id`,
      [userId, unitId],
    );
    return rows;
  }
}
