import { randomUUID } from 'node:crypto';
import type { StoredExplanation } from '../learning/mastery/explanation.js';
import type { MasteryLevel } from '../learning/mastery/level.js';
import type { BktParams } from '../learning/mastery/method-config.js';
import type { MasteryCause, MasteryRecord, MasteryStore, OverrideRecord } from '../learning/ports.js';
import type { PfaModel } from '../learning/mastery/pfa.js';
import type { Queryable } from './database.js';
import { PfaWeightsRepository } from './pfa-weights-repository.js';

/** Structured explanations (060); rows saved before keep their English words, read as a JSON string. */
const EXPLANATION = `coalesce(explanation_data, to_jsonb(explanation)) as explanation`;
const CURRENT = `user_id as "userId", unit_id as "unitId", competency_id as "competencyId", level,
  calculated_level as "calculatedLevel", estimate, ${EXPLANATION}, evidence_count as "evidenceCount", method, overridden,
  updated_at as "updatedAt"`;
const OVERRIDE = `id, user_id as "userId", unit_id as "unitId", competency_id as "competencyId", level, reason,
  created_by as "createdBy", created_by_name as "createdByName", created_at as "createdAt", level_before as "levelBefore",
  level_after as "levelAfter", withdrawn_by as "withdrawnBy", withdrawn_at as "withdrawnAt",
  level_after_withdrawal as "levelAfterWithdrawal"`;

export interface MasteryHistoryEntry {
  level: MasteryLevel;
  calculatedLevel: MasteryLevel;
  estimate: number | null;
  explanation: StoredExplanation;
  cause: MasteryCause;
  attemptId: string | null;
  actorId: string | null;
  createdAt: Date;
}

/** Rows of one course only: `course_id` is null for work done outside any course. */
const IN_COURSE = (n: number) => `course_id is not distinct from $${n}::uuid`;

/**
 * Mastery per student × competency in one course (current and history), overrides with their
 * audit, waivers, and BKT fits (per unit). A library unit placed in two courses keeps two
 * separate records: nothing done in one course shows in, or is graded in, the other.
 */
export class MasteryRepository implements MasteryStore {
  constructor(
    private readonly db: Queryable,
    private readonly courseId: string | null,
  ) {}

  async levels(userId: string, unitId: string): Promise<Map<string, MasteryLevel>> {
    const { rows } = await this.db.query<{ competencyId: string; level: MasteryLevel }>(
      `select competency_id as "competencyId", level from mastery_current where user_id = $1 and unit_id = $2 and ${IN_COURSE(3)}`,
      [userId, unitId, this.courseId],
    );
    return new Map(rows.map((r) => [r.competencyId, r.level]));
  }

  async current(userId: string, unitId: string, competencyId: string): Promise<MasteryRecord | null> {
    const { rows } = await this.db.query<MasteryRecord>(
      `select ${CURRENT} from mastery_current where user_id = $1 and unit_id = $2 and competency_id = $3 and ${IN_COURSE(4)}`,
      [userId, unitId, competencyId, this.courseId],
    );
    return rows[0] ?? null;
  }

  /** A class's current mastery for one unit in this course (the teacher dashboard: roster × competencies). */
  async forUnit(unitId: string): Promise<MasteryRecord[]> {
    const { rows } = await this.db.query<MasteryRecord>(`select ${CURRENT} from mastery_current where unit_id = $1 and ${IN_COURSE(2)}`, [
      unitId,
      this.courseId,
    ]);
    return rows;
  }

  async save(r: MasteryRecord, change: { cause: MasteryCause; attemptId: string | null; actorId: string | null }): Promise<void> {
    await this.db.query(
      `insert into mastery_current (user_id, unit_id, competency_id, level, calculated_level, estimate, explanation_data,
         evidence_count, method, overridden, updated_at, course_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       on conflict (user_id, course_id, unit_id, competency_id) do update set level = excluded.level,
         calculated_level = excluded.calculated_level, estimate = excluded.estimate, explanation_data = excluded.explanation_data, explanation = null,
         evidence_count = excluded.evidence_count, method = excluded.method, overridden = excluded.overridden,
         updated_at = excluded.updated_at`,
      [
        r.userId,
        r.unitId,
        r.competencyId,
        r.level,
        r.calculatedLevel,
        r.estimate,
        JSON.stringify(r.explanation),
        r.evidenceCount,
        r.method,
        r.overridden,
        r.updatedAt,
        this.courseId,
      ],
    );
    await this.db.query(
      `insert into mastery_history (id, user_id, unit_id, competency_id, level, calculated_level, estimate, explanation_data,
         cause, attempt_id, actor_id, created_at, course_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        randomUUID(),
        r.userId,
        r.unitId,
        r.competencyId,
        r.level,
        r.calculatedLevel,
        r.estimate,
        JSON.stringify(r.explanation),
        change.cause,
        change.attemptId,
        change.actorId,
        r.updatedAt,
        this.courseId,
      ],
    );
  }

  async history(userId: string, unitId: string, competencyId: string): Promise<MasteryHistoryEntry[]> {
    const { rows } = await this.db.query<MasteryHistoryEntry>(
      `select level, calculated_level as "calculatedLevel", estimate, ${EXPLANATION}, cause, attempt_id as "attemptId",
         actor_id as "actorId", created_at as "createdAt"
       from mastery_history where user_id = $1 and unit_id = $2 and competency_id = $3 and ${IN_COURSE(4)} order by created_at, id`,
      [userId, unitId, competencyId, this.courseId],
    );
    return rows;
  }

  async activeOverride(userId: string, unitId: string, competencyId: string): Promise<OverrideRecord | null> {
    const { rows } = await this.db.query<OverrideRecord>(
      `select ${OVERRIDE} from mastery_overrides
       where user_id = $1 and unit_id = $2 and competency_id = $3 and ${IN_COURSE(4)} and withdrawn_at is null`,
      [userId, unitId, competencyId, this.courseId],
    );
    return rows[0] ?? null;
  }

  /** The whole audit trail of overrides for one student and competency, oldest first. */
  async overrides(userId: string, unitId: string, competencyId: string): Promise<OverrideRecord[]> {
    const { rows } = await this.db.query<OverrideRecord>(
      `select ${OVERRIDE} from mastery_overrides where user_id = $1 and unit_id = $2 and competency_id = $3 and ${IN_COURSE(4)}
       order by created_at, id`,
      [userId, unitId, competencyId, this.courseId],
    );
    return rows;
  }

  async addOverride(o: Omit<OverrideRecord, 'id' | 'withdrawnBy' | 'withdrawnAt' | 'levelAfterWithdrawal'>): Promise<OverrideRecord> {
    const { rows } = await this.db.query<OverrideRecord>(
      `insert into mastery_overrides (id, user_id, unit_id, competency_id, level, reason, created_by, created_by_name,
         created_at, level_before, level_after, course_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning ${OVERRIDE}`,
      [
        randomUUID(),
        o.userId,
        o.unitId,
        o.competencyId,
        o.level,
        o.reason,
        o.createdBy,
        o.createdByName ?? null,
        o.createdAt,
        o.levelBefore,
        o.levelAfter,
        this.courseId,
      ],
    );
    return rows[0]!;
  }

  async withdrawOverride(id: string, by: string, at: Date, levelAfter: MasteryLevel): Promise<void> {
    await this.db.query(
      `update mastery_overrides set withdrawn_by = $2, withdrawn_at = $3, level_after_withdrawal = $4
       where id = $1 and withdrawn_at is null and ${IN_COURSE(5)}`,
      [id, by, at, levelAfter, this.courseId],
    );
  }

  async waivers(userId: string, unitId: string): Promise<Set<string>> {
    const { rows } = await this.db.query<{ competencyId: string }>(
      `select competency_id as "competencyId" from competency_waivers where user_id = $1 and unit_id = $2 and ${IN_COURSE(3)}`,
      [userId, unitId, this.courseId],
    );
    return new Set(rows.map((r) => r.competencyId));
  }

  /** A teacher opens a competency for a student regardless of its prerequisites. */
  async addWaiver(w: { userId: string; unitId: string; competencyId: string; reason: string; createdBy: string }): Promise<void> {
    await this.db.query(
      `insert into competency_waivers (user_id, unit_id, competency_id, reason, created_by, course_id) values ($1, $2, $3, $4, $5, $6)
       on conflict (user_id, course_id, unit_id, competency_id) do update set reason = excluded.reason, created_by = excluded.created_by,
         created_at = now()`,
      [w.userId, w.unitId, w.competencyId, w.reason, w.createdBy, this.courseId],
    );
  }

  async removeWaiver(userId: string, unitId: string, competencyId: string): Promise<void> {
    await this.db.query(`delete from competency_waivers where user_id = $1 and unit_id = $2 and competency_id = $3 and ${IN_COURSE(4)}`, [
      userId,
      unitId,
      competencyId,
      this.courseId,
    ]);
  }

  async bktParams(unitId: string, competencyId: string): Promise<BktParams | null> {
    const { rows } = await this.db.query<BktParams>(
      `select p_init as "pInit", p_learn as "pLearn", p_slip as "pSlip", p_guess as "pGuess", 0::float8 as "pForget"
       from bkt_parameters where unit_id = $1 and competency_id = $2`,
      [unitId, competencyId],
    );
    return rows[0] ?? null;
  }

  /** The unit's fitted performance-factors weights (shared by every course that uses it). */
  pfaModel(unitId: string): Promise<PfaModel | null> {
    return new PfaWeightsRepository(this.db).find(unitId);
  }

  /** The fitted BKT parameters of every competency of a unit that has them. */
  async bktParamsForUnit(unitId: string): Promise<Map<string, BktParams>> {
    const { rows } = await this.db.query<BktParams & { competencyId: string }>(
      `select competency_id as "competencyId", p_init as "pInit", p_learn as "pLearn", p_slip as "pSlip", p_guess as "pGuess", 0::float8 as "pForget"
       from bkt_parameters where unit_id = $1`,
      [unitId],
    );
    return new Map(rows.map(({ competencyId, ...p }) => [competencyId, p]));
  }

  async saveBktParams(unitId: string, competencyId: string, p: BktParams, data: { students: number; responses: number }): Promise<void> {
    await this.db.query(
      `insert into bkt_parameters (unit_id, competency_id, p_init, p_learn, p_slip, p_guess, students, responses)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (unit_id, competency_id) do update set p_init = excluded.p_init, p_learn = excluded.p_learn,
         p_slip = excluded.p_slip, p_guess = excluded.p_guess, students = excluded.students, responses = excluded.responses,
         fitted_at = now()`,
      [unitId, competencyId, p.pInit, p.pLearn, p.pSlip, p.pGuess, data.students, data.responses],
    );
  }
}
