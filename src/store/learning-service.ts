import { notFound } from '../shared/errors.js';
import { fitBkt, type BktFit } from '../learning/mastery/bkt-fit.js';
import { fitUnitPfa, PFA_FIT_MAX_ANSWERS, PFA_UNIT_MIN_ANSWERS, pfaRefitDue } from '../learning/mastery/pfa-unit-fit.js';
import { secureRng, type Rng } from '../learning/random.js';
import { exportUnit, parseUnitImport } from '../learning/unit-import.js';
import { overrideMastery, withdrawOverride, type OverrideInput } from '../learning/use-cases/override-mastery.js';
import { refreshMastery } from '../learning/use-cases/refresh-mastery.js';
import { rescoreLearner, type GivenScore } from '../learning/use-cases/rescore-learner.js';
import { choosePathway, recommendForLearner } from '../learning/use-cases/pathway-choice.js';
import { startAttempt, type StartAttemptInput } from '../learning/use-cases/start-attempt.js';
import { submitAttempt, type SubmitAttemptInput } from '../learning/use-cases/submit-attempt.js';
import { learnerUnitMap } from '../learning/use-cases/unit-map.js';
import type { Database } from './database.js';
import { AttemptRepository } from './attempt-repository.js';
import { learningPorts, type UnitCache } from './learning-ports.js';
import { MasteryRepository } from './mastery-repository.js';
import { PfaWeightsRepository } from './pfa-weights-repository.js';
import { UnitRepository } from './unit-repository.js';

import linearEquations from '../learning/samples/linear-equations.json' with { type: 'json' };
import evaluatingSources from '../learning/samples/evaluating-sources.json' with { type: 'json' };

/** The sample units shipped with Pathwise (copies a teacher can adapt). */
export const SAMPLE_UNITS: readonly unknown[] = [linearEquations, evaluatingSources];

type Now<T> = Omit<T, 'now' | 'rng'>;

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The course an attempt was started in (null when unknown: the use case then reports it missing). */
async function courseOfAttempt(db: Database, attemptId: string): Promise<string | null> {
  if (!UUID.test(attemptId)) return null;
  const { rows } = await db.query<{ courseId: string | null }>(`select course_id as "courseId" from attempts where id = $1`, [attemptId]);
  return rows[0]?.courseId ?? null;
}

/**
 * The learning use cases with their transaction boundaries: each call runs in one database
 * transaction, so a submission saves attempt, responses, mastery, history and grade outbox
 * entry together or not at all.
 */
export function createLearningService(
  db: Database,
  options: {
    rng?: Rng;
    clock?: () => Date;
    /** Called after a change that may have queued a grade commits (the outbox worker's kick). */
    afterGradeChange?: () => void;
  } = {},
) {
  const rng = options.rng ?? secureRng;
  const clock = options.clock ?? (() => new Date());
  const unitCache: UnitCache = new Map();
  /** One transaction over the work of one course (null: outside any course). */
  const inTx = <T>(courseId: string | null, fn: (ports: ReturnType<typeof learningPorts>) => Promise<T>) =>
    db.transaction((tx) => fn(learningPorts(tx, courseId, unitCache)));
  /** A transaction that may queue a unit score: tell the outbox once it is committed. */
  const gradingTx = async <T>(courseId: string | null, fn: (ports: ReturnType<typeof learningPorts>) => Promise<T>) => {
    const result = await inTx(courseId, fn);
    options.afterGradeChange?.();
    return result;
  };

  return {
    /** Starts or resumes an attempt; returns the answer-free view for the browser. */
    async startAttempt(input: Now<StartAttemptInput>) {
      const run = () => inTx(input.courseId, (p) => startAttempt(p, { ...input, now: clock(), rng }));
      try {
        return await run();
      } catch (err) {
        // Two starts at once: the database kept one open attempt; the retry resumes it.
        if (isUniqueViolation(err)) return run();
        throw err;
      }
    },
    /** Submits an attempt (idempotent by attempt id), in the course the attempt was started in. */
    submitAttempt: async (input: Now<SubmitAttemptInput>) =>
      gradingTx(await courseOfAttempt(db, input.attemptId), (p) => submitAttempt(p, { ...input, now: clock() })),
    /** A teacher's override in their course (`courseId`): other courses placing the unit are untouched. */
    overrideMastery: (input: Now<OverrideInput> & { courseId: string | null }) =>
      gradingTx(input.courseId, (p) => overrideMastery(p, { ...input, now: clock() })),
    withdrawOverride: (input: { teacherId: string; userId: string; unitId: string; competencyId: string; courseId: string | null }) =>
      gradingTx(input.courseId, (p) => withdrawOverride(p, { ...input, now: clock() })),
    recommendPathways: (input: { userId: string; unitId: string; competencyId: string; courseId: string | null }) =>
      recommendForLearner(learningPorts(db, input.courseId, unitCache), input),
    choosePathway: (input: { userId: string; unitId: string; competencyId: string; pathwayId: string; courseId: string | null }) =>
      inTx(input.courseId, (p) => choosePathway(p, { ...input, now: clock() })),
    unitMap: (input: { userId: string; unitId: string; courseId: string | null }) => learnerUnitMap(learningPorts(db, input.courseId, unitCache), input),

    /**
     * After a teacher's edit of a unit: re-queues the unit score of every student the gradebook
     * has a score from in a course placing it, where the edited unit scores them differently
     * (see rescoreLearner). With `recompute` (the mastery method or its thresholds changed), every
     * stored mastery of the unit is first recalculated by the new method, as a 'recompute' in its
     * history, and a level that changes queues its score as a submission would. Returns how many
     * scores were queued by the rescore.
     */
    async rescoreUnit(unitId: string, edit: { recompute?: boolean } = {}): Promise<number> {
      const queued = await db.transaction(async (tx) => {
        const unit = await new UnitRepository(tx).findById(unitId);
        if (!unit) return 0;
        if (edit.recompute) {
          const ids = unit.document.competencies.map((c) => c.id);
          const { rows: held } = await tx.query<{ userId: string; courseId: string | null; competencyId: string }>(
            `select user_id as "userId", course_id as "courseId", competency_id as "competencyId" from mastery_current
             where unit_id = $1 and competency_id = any ($2::text[]) order by course_id, user_id, competency_id`,
            [unitId, ids],
          );
          for (const h of held) {
            await refreshMastery(learningPorts(tx, h.courseId, unitCache), {
              userId: h.userId,
              unit,
              competencyId: h.competencyId,
              cause: 'recompute',
              attemptId: null,
              actorId: null,
              now: clock(),
            });
          }
        }
        const { rows } = await tx.query<GivenScore & { courseId: string; userId: string }>(
          `select o.placement_id as "placementId", p.course_id as "courseId", o.user_id as "userId", o.score_given::float8 as "scoreGiven",
             o.score_maximum::float8 as "scoreMaximum", o.activity_progress as "activityProgress", o.comment
           from grade_outbox o join placements p on p.id = o.placement_id
           where p.unit_id = $1 order by p.course_id, o.user_id`,
          [unitId],
        );
        const learners = new Map<string, { courseId: string; userId: string; given: GivenScore[] }>();
        for (const r of rows) {
          const key = `${r.courseId}/${r.userId}`;
          const l = learners.get(key) ?? { courseId: r.courseId, userId: r.userId, given: [] };
          l.given.push(r);
          learners.set(key, l);
        }
        let n = 0;
        for (const l of learners.values()) n += await rescoreLearner(learningPorts(tx, l.courseId, unitCache), { userId: l.userId, unit, given: l.given });
        return n;
      });
      options.afterGradeChange?.();
      return queued;
    },
    /** Validates then imports one unit or `{units: [...]}` in one transaction: all or nothing. */
    async importUnits(json: unknown, owner: { courseId?: string | null; createdBy?: string | null } = {}) {
      const docs = parseUnitImport(json);
      return db.transaction(async (tx) => {
        const repo = new UnitRepository(tx);
        const out = [];
        for (const doc of docs) out.push(await repo.create(doc, owner));
        return out;
      });
    },
    /** The unit as a JSON file that imports again unchanged. */
    async exportUnit(unitId: string): Promise<string> {
      const unit = await new UnitRepository(db).findById(unitId);
      if (!unit) throw notFound('unit_not_found', 'This unit does not exist.');
      return exportUnit(unit.document);
    },
    /** Fits BKT parameters for a competency from the class's responses, when there are enough. */
    async fitBkt(unitId: string, competencyId: string, fitOptions?: Parameters<typeof fitBkt>[1]): Promise<BktFit> {
      // Parameters of the unit, fitted on every course's responses: no one's answers are shown.
      const fit = fitBkt(await new AttemptRepository(db, null).responseSequences(unitId, competencyId), fitOptions);
      if (fit.fitted) await new MasteryRepository(db, null).saveBktParams(unitId, competencyId, fit.params, fit);
      return fit;
    },
    /**
     * Refits the performance-factors weights of the units that gained enough answers since their
     * last fit (at most `maxUnits` per call, each on its latest `maxAnswers` answers); returns how
     * many were refitted. Runs from the housekeeping job, never while answering a request.
     */
    async refitPfaWeights(limits: { maxUnits?: number; maxAnswers?: number } = {}): Promise<number> {
      const repo = new PfaWeightsRepository(db);
      const due = (await repo.candidates(PFA_UNIT_MIN_ANSWERS)).filter((c) => pfaRefitDue(c.answers, c.fittedAt, c.complete)).slice(0, limits.maxUnits ?? 2);
      let refitted = 0;
      for (const unit of due) {
        const fit = fitUnitPfa(await repo.answerSequences(unit.unitId, limits.maxAnswers ?? PFA_FIT_MAX_ANSWERS));
        if (fit.model) {
          await repo.save(unit.unitId, unit.answers, { ...fit, model: fit.model });
          refitted++;
        }
        // Requests waiting behind a fit get their turn before the next one.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return refitted;
    },
    /** Imports the sample units into an empty library so a fresh install can be tried at once. */
    async installSampleUnits(): Promise<number> {
      if ((await new UnitRepository(db).countAll()) > 0) return 0;
      return (await this.importUnits({ units: SAMPLE_UNITS })).length;
    },
  };
}

export type LearningService = ReturnType<typeof createLearningService>;
