import type { SkillSequence } from '../learning/mastery/pfa-fit.js';
import { parseStoredPfaModel, type UnitPfaFit } from '../learning/mastery/pfa-unit-fit.js';
import { PFA_TERMS, type PfaModel } from '../learning/mastery/pfa.js';
import type { Queryable } from './database.js';

export interface PfaRefitCandidate {
  unitId: string;
  /** Submitted answers of the unit now (all courses). */
  answers: number;
  /** The same count at its last fit, null when never fitted. */
  fittedAt: number | null;
  /** Whether the stored model has a weight for every term of the estimator (true when never fitted). */
  complete: boolean;
}

/**
 * The performance-factors weights each unit fitted from its own history. Weights are aggregates
 * over every course that uses the unit; the sequences they are fitted on are read here and never
 * leave the fit.
 */
export class PfaWeightsRepository {
  constructor(private readonly db: Queryable) {}

  /** The unit's fitted model, or null (never fitted, or too little history: the shared weights apply). */
  async find(unitId: string): Promise<PfaModel | null> {
    const { rows } = await this.db.query<{ model: unknown }>(`select model from pfa_weights where unit_id = $1`, [unitId]);
    return rows[0] ? parseStoredPfaModel(rows[0].model) : null;
  }

  async save(unitId: string, unitAnswers: number, fit: UnitPfaFit & { model: PfaModel }): Promise<void> {
    await this.db.query(
      `insert into pfa_weights (unit_id, model, unit_answers, answers, students) values ($1, $2::jsonb, $3, $4, $5)
       on conflict (unit_id) do update set model = excluded.model, unit_answers = excluded.unit_answers,
         answers = excluded.answers, students = excluded.students, fitted_at = now()`,
      [unitId, JSON.stringify(fit.model), unitAnswers, fit.answers, fit.students],
    );
  }

  /** Units with at least `minAnswers` submitted answers, with their count now and at their last fit. */
  async candidates(minAnswers: number): Promise<PfaRefitCandidate[]> {
    // Counted from the attempts' drawn items (one answer each), without reading the responses.
    const { rows } = await this.db.query<PfaRefitCandidate>(
      `with counts as (
         select unit_id, sum(cardinality(item_ids))::int as answers from attempts
         where status = 'submitted' group by unit_id having sum(cardinality(item_ids)) >= $1)
       select c.unit_id as "unitId", c.answers, w.unit_answers as "fittedAt",
         coalesce(w.model->'weights' ?& $2::text[], true) as complete
       from counts c left join pfa_weights w on w.unit_id = c.unit_id
       order by c.unit_id`,
      [minAnswers, PFA_TERMS],
    );
    return rows;
  }

  /**
   * The unit's latest `maxAnswers` submitted answers (whole attempts), as one sequence per student
   * and course in submission order: a student's answers in two courses are two students here.
   */
  async answerSequences(unitId: string, maxAnswers: number): Promise<SkillSequence[]> {
    const { rows } = await this.db.query<{ key: string; competencyId: string; responses: boolean[] | null }>(
      `with latest as (
         select a.id, a.user_id, a.course_id, a.competency_id, a.submitted_at,
           sum(cardinality(a.item_ids)) over (order by a.submitted_at desc, a.id desc) as upto
         from attempts a where a.unit_id = $1 and a.status = 'submitted')
       select l.user_id::text || '/' || coalesce(l.course_id::text, '') as key, l.competency_id as "competencyId",
         (select array_agg(r.correct order by r.position) from responses r where r.attempt_id = l.id) as responses
       from latest l where l.upto <= $2
       order by l.submitted_at, l.id`,
      [unitId, maxAnswers],
    );
    const byStudent = new Map<string, { skills: string[]; correct: boolean[] }>();
    for (const r of rows) {
      let s = byStudent.get(r.key);
      if (!s) byStudent.set(r.key, (s = { skills: [], correct: [] }));
      for (const c of r.responses ?? []) {
        s.skills.push(r.competencyId);
        s.correct.push(c);
      }
    }
    return [...byStudent.values()];
  }
}
