import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../src/store/database.js';

/** A platform, deployment and course, for learning persistence tests. */
export async function createCourse(db: Queryable): Promise<{ platformId: string; courseId: string }> {
  const platformId = randomUUID();
  const deploymentId = randomUUID();
  const courseId = randomUUID();
  await db.query(
    `insert into platforms (id, issuer, client_id, auth_login_url, auth_token_url, jwks_url)
     values ($1, $2, 'client', 'https://lms.test/auth', 'https://lms.test/token', 'https://lms.test/jwks')`,
    [platformId, `https://lms-${platformId}.test`],
  );
  await db.query(`insert into deployments (id, platform_id, deployment_id, status) values ($1, $2, 'd1', 'active')`, [deploymentId, platformId]);
  await db.query(`insert into courses (id, deployment_id, context_id, title) values ($1, $2, $3, 'Algebra')`, [courseId, deploymentId, randomUUID()]);
  return { platformId, courseId };
}

/** A user enrolled in the course with the given role. */
export async function createLearner(db: Queryable, course: { platformId: string; courseId: string }, role = 'Learner'): Promise<string> {
  const id = randomUUID();
  await db.query(`insert into users (id, platform_id, sub, name) values ($1, $2, $3, 'Student')`, [id, course.platformId, randomUUID()]);
  await db.query(`insert into enrollments (course_id, user_id, roles) values ($1, $2, $3)`, [course.courseId, id, [role]]);
  return id;
}

/** A placement of the unit in the course (a resource link), optionally with a line item maximum. */
export async function placeUnit(db: Queryable, courseId: string, unitId: string, scoreMaximum?: number): Promise<string> {
  const id = randomUUID();
  await db.query(`insert into placements (id, course_id, resource_link_id, title, unit_id, custom) values ($1, $2, $3, 'Unit', $4, $5)`, [
    id,
    courseId,
    randomUUID(),
    unitId,
    JSON.stringify(scoreMaximum === undefined ? {} : { score_maximum: String(scoreMaximum) }),
  ]);
  return id;
}

/** Counts rows of a table matching a where clause (test assertions only). */
export async function count(db: Queryable, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`, params);
  return rows[0]!.n;
}
