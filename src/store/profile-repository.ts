import { randomUUID } from 'node:crypto';
import type { Goal, GoalInput, LearnerProfile, ProfileUpdate, Reflection, ReflectionInput } from '../learning/learner-profile.js';
import { emptyProfile } from '../learning/learner-profile.js';
import type { ProfileReader } from '../learning/ports.js';
import type { Queryable } from './database.js';

const GOAL = `id, user_id as "userId", text, to_char(target_date, 'YYYY-MM-DD') as "targetDate", status,
  created_at as "createdAt", updated_at as "updatedAt"`;
const REFLECTION = `id, user_id as "userId", unit_id as "unitId", competency_id as "competencyId", attempt_id as "attemptId",
  what_helped as "whatHelped", confidence, created_at as "createdAt"`;

/** Learner profiles, goals and reflections. Access rules: learning/learner-profile.ts canViewLearnerData. */
export class ProfileRepository implements ProfileReader {
  constructor(private readonly db: Queryable) {}

  async get(userId: string): Promise<LearnerProfile> {
    const { rows } = await this.db.query<LearnerProfile>(
      `select user_id as "userId", interests, preferred_modalities as "preferredModalities", updated_at as "updatedAt"
       from learner_profiles where user_id = $1`,
      [userId],
    );
    return rows[0] ?? emptyProfile(userId);
  }

  async update(userId: string, p: ProfileUpdate): Promise<LearnerProfile> {
    await this.db.query(
      `insert into learner_profiles (user_id, interests, preferred_modalities) values ($1, $2, $3)
       on conflict (user_id) do update set interests = excluded.interests,
         preferred_modalities = excluded.preferred_modalities, updated_at = now()`,
      [userId, p.interests, p.preferredModalities],
    );
    return this.get(userId);
  }

  /**
   * A student's goals: all of them (the student's own view), or, with `courseId`, only those set
   * in that course (what its teachers may read).
   */
  async goals(userId: string, courseId?: string): Promise<Goal[]> {
    const { rows } = await this.db.query<Goal>(
      `select ${GOAL} from learner_goals where user_id = $1 ${courseId === undefined ? '' : 'and course_id = $2'} order by created_at, id`,
      courseId === undefined ? [userId] : [userId, courseId],
    );
    return rows;
  }

  /** A goal set from a launch of `courseId` (null outside any course). */
  async addGoal(userId: string, g: GoalInput, courseId: string | null = null): Promise<Goal> {
    const { rows } = await this.db.query<Goal>(
      `insert into learner_goals (id, user_id, text, target_date, status, course_id) values ($1, $2, $3, $4, $5, $6) returning ${GOAL}`,
      [randomUUID(), userId, g.text, g.targetDate, g.status, courseId],
    );
    return rows[0]!;
  }

  /** Updates a goal of this student; null when the student has no such goal. */
  async updateGoal(userId: string, goalId: string, g: GoalInput): Promise<Goal | null> {
    const { rows } = await this.db.query<Goal>(
      `update learner_goals set text = $3, target_date = $4, status = $5, updated_at = now()
       where id = $1 and user_id = $2 returning ${GOAL}`,
      [goalId, userId, g.text, g.targetDate, g.status],
    );
    return rows[0] ?? null;
  }

  /** A reflection written in `courseId` (null outside any course). */
  async addReflection(userId: string, r: ReflectionInput, courseId: string | null = null): Promise<Reflection> {
    const { rows } = await this.db.query<Reflection>(
      `insert into reflections (id, user_id, unit_id, competency_id, attempt_id, what_helped, confidence, course_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${REFLECTION}`,
      [randomUUID(), userId, r.unitId, r.competencyId, r.attemptId, r.whatHelped, r.confidence, courseId],
    );
    return rows[0]!;
  }

  /** A student's reflections, optionally on one unit and, with `courseId`, only those written in that course. */
  async reflections(userId: string, unitId?: string, courseId?: string): Promise<Reflection[]> {
    const { rows } = await this.db.query<Reflection>(
      `select ${REFLECTION} from reflections where user_id = $1 and ($2::uuid is null or unit_id = $2)
         ${courseId === undefined ? '' : 'and course_id = $3'} order by created_at, id`,
      courseId === undefined ? [userId, unitId ?? null] : [userId, unitId ?? null, courseId],
    );
    return rows;
  }
}
