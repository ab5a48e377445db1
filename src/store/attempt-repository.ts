import type { AttemptSummary } from '../learning/attempt-rules.js';
import type { AttemptEvidence } from '../learning/mastery/evidence.js';
import type { ClassCheck } from '../learning/mastery/method-fit.js';
import type { AttemptRecord, AttemptStore, NewAttempt, StoredResponse } from '../learning/ports.js';
import type { FirstAttempt } from '../learning/first-attempts.js';
import type { ModalityOutcome } from '../learning/recommendation.js';
import type { SubmissionResult } from '../learning/use-cases/submission-result.js';
import type { Queryable } from './database.js';

const SUMMARY = `id, status, started_at as "startedAt", expires_at as "expiresAt", submitted_at as "submittedAt",
  passed, pathway_id as "pathwayId"`;
const RECORD = `${SUMMARY}, user_id as "userId", unit_id as "unitId", competency_id as "competencyId",
  course_id as "courseId", pathway_modalities as "pathwayModalities", items, score, result`;

/**
 * Attempts at mastery checks and their responses. A student's history and evidence are read
 * within one course (`courseId`; null for attempts made outside any course).
 */
export class AttemptRepository implements AttemptStore {
  constructor(
    private readonly db: Queryable,
    private readonly courseId: string | null,
  ) {}

  async history(userId: string, unitId: string, competencyId: string): Promise<AttemptSummary[]> {
    const { rows } = await this.db.query<AttemptSummary>(
      `select ${SUMMARY} from attempts where user_id = $1 and unit_id = $2 and competency_id = $3
         and course_id is not distinct from $4::uuid order by started_at`,
      [userId, unitId, competencyId, this.courseId],
    );
    return rows;
  }

  async findForUpdate(attemptId: string): Promise<AttemptRecord | null> {
    const { rows } = await this.db.query<AttemptRecord>(`select ${RECORD} from attempts where id = $1 for update`, [attemptId]);
    return rows[0] ?? null;
  }

  async create(a: NewAttempt): Promise<void> {
    await this.db.query(
      `insert into attempts (id, user_id, unit_id, competency_id, course_id, pathway_id, pathway_modalities, item_ids, items,
         status, started_at, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11)`,
      [
        a.id,
        a.userId,
        a.unitId,
        a.competencyId,
        a.courseId,
        a.pathwayId,
        a.pathwayModalities,
        a.items.map((i) => i.id),
        JSON.stringify(a.items),
        a.startedAt,
        a.expiresAt,
      ],
    );
  }

  async expire(attemptIds: string[]): Promise<void> {
    if (attemptIds.length === 0) return;
    await this.db.query(`update attempts set status = 'expired' where id = any($1::uuid[]) and status = 'open'`, [attemptIds]);
  }

  async saveSubmission(attemptId: string, s: { submittedAt: Date; score: number; passed: boolean; responses: StoredResponse[] }): Promise<void> {
    await this.db.query(`update attempts set status = 'submitted', submitted_at = $2, score = $3, passed = $4 where id = $1`, [
      attemptId,
      s.submittedAt,
      s.score,
      s.passed,
    ]);
    if (s.responses.length === 0) return;
    // One statement for all responses keeps submission fast.
    await this.db.query(
      `insert into responses (attempt_id, position, item_id, answer, credit, correct)
       select $1, r.position, r.item_id, r.answer, r.credit, r.correct
       from jsonb_to_recordset($2::jsonb) as r(position int, item_id text, answer jsonb, credit double precision, correct boolean)`,
      [
        attemptId,
        JSON.stringify(s.responses.map((r) => ({ position: r.position, item_id: r.itemId, answer: r.answer ?? null, credit: r.credit, correct: r.correct }))),
      ],
    );
  }

  async saveResult(attemptId: string, result: SubmissionResult): Promise<void> {
    await this.db.query(`update attempts set result = $2 where id = $1`, [attemptId, JSON.stringify(result)]);
  }

  async evidence(userId: string, unitId: string, competencyId: string): Promise<AttemptEvidence[]> {
    const { rows } = await this.db.query<{ attemptId: string; score: number; submittedAt: Date; responses: boolean[] | null }>(
      `select a.id as "attemptId", a.score, a.submitted_at as "submittedAt",
         (select array_agg(r.correct order by r.position) from responses r where r.attempt_id = a.id) as responses
       from attempts a
       where a.user_id = $1 and a.unit_id = $2 and a.competency_id = $3 and a.status = 'submitted'
         and a.course_id is not distinct from $4::uuid
       order by a.submitted_at`,
      [userId, unitId, competencyId, this.courseId],
    );
    return rows.map((r) => ({ ...r, responses: r.responses ?? [] }));
  }

  async unitEvidence(userId: string, unitId: string): Promise<Map<string, AttemptEvidence[]>> {
    const { rows } = await this.db.query<{ competencyId: string; attemptId: string; score: number; submittedAt: Date; responses: boolean[] | null }>(
      `select a.competency_id as "competencyId", a.id as "attemptId", a.score, a.submitted_at as "submittedAt",
         (select array_agg(r.correct order by r.position) from responses r where r.attempt_id = a.id) as responses
       from attempts a
       where a.user_id = $1 and a.unit_id = $2 and a.status = 'submitted' and a.course_id is not distinct from $3::uuid
       order by a.submitted_at`,
      [userId, unitId, this.courseId],
    );
    const out = new Map<string, AttemptEvidence[]>();
    for (const { competencyId, responses, ...r } of rows) {
      const list = out.get(competencyId) ?? [];
      list.push({ ...r, responses: responses ?? [] });
      out.set(competencyId, list);
    }
    return out;
  }

  /** The course's submitted checks of a unit with their answers, for the method-fit panel. */
  async classChecks(unitId: string): Promise<ClassCheck[]> {
    const { rows } = await this.db.query<ClassCheck & { responses: boolean[] | null }>(
      `select a.user_id as "userId", a.competency_id as "competencyId", a.id as "attemptId", a.score, a.passed,
         a.submitted_at as "submittedAt",
         (select array_agg(r.correct order by r.position) from responses r where r.attempt_id = a.id) as responses
       from attempts a
       where a.unit_id = $1 and a.status = 'submitted' and a.course_id is not distinct from $2::uuid
       order by a.submitted_at, a.id`,
      [unitId, this.courseId],
    );
    return rows.map((r) => ({ ...r, responses: r.responses ?? [] }));
  }

  /**
   * Every student's first submitted attempt on each competency of the unit that followed a
   * pathway: the pathway and its modalities, whether it passed, and the student's prior mastery
   * band then — their share of right answers in the unit before that attempt (none: new; ≥ 70 %:
   * high; else low), as masteryBand() defines.
   */
  async firstAttempts(unitId: string, courseId: string | null): Promise<FirstAttempt[]> {
    const { rows } = await this.db.query<FirstAttempt>(
      `select f.user_id as "userId", f.competency_id as "competencyId", f.pathway_id as "pathwayId",
         f.pathway_modalities as modalities, f.passed, b.band
       from (select distinct on (user_id, competency_id) user_id, competency_id, pathway_id, pathway_modalities, passed, submitted_at
             from attempts
             where unit_id = $1 and status = 'submitted' and ($2::uuid is null or course_id = $2)
             order by user_id, competency_id, submitted_at) f
       cross join lateral (
         select case when count(r.correct) = 0 then 'new'
                     when count(*) filter (where r.correct) >= 0.7 * count(r.correct) then 'high' else 'low' end as band
         from attempts p join responses r on r.attempt_id = p.id
         where p.user_id = f.user_id and p.unit_id = $1 and p.status = 'submitted' and p.submitted_at < f.submitted_at) b
       where f.pathway_id is not null`,
      [unitId, courseId],
    );
    return rows;
  }

  /** This student's recent submitted attempts with the modalities of the pathway they were on. */
  async modalityHistory(userId: string): Promise<ModalityOutcome[]> {
    const { rows } = await this.db.query<ModalityOutcome>(
      `select pathway_modalities as modalities, passed from attempts
       where user_id = $1 and status = 'submitted' and cardinality(pathway_modalities) > 0
       order by submitted_at desc limit 200`,
      [userId],
    );
    return rows;
  }

  /** Responses of a submitted attempt, in the order shown. */
  async responses(attemptId: string): Promise<StoredResponse[]> {
    const { rows } = await this.db.query<StoredResponse>(
      `select position, item_id as "itemId", answer, credit, correct from responses where attempt_id = $1 order by position`,
      [attemptId],
    );
    return rows;
  }

  /** Each student's ordered full-credit flags on a competency, for fitting BKT. */
  async responseSequences(unitId: string, competencyId: string): Promise<boolean[][]> {
    const { rows } = await this.db.query<{ seq: boolean[] }>(
      `select array_agg(r.correct order by a.submitted_at, r.position) as seq
       from attempts a join responses r on r.attempt_id = a.id
       where a.unit_id = $1 and a.competency_id = $2 and a.status = 'submitted'
       group by a.user_id`,
      [unitId, competencyId],
    );
    return rows.map((r) => r.seq);
  }
}
