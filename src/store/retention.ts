import type { Queryable } from './database.js';

export interface RetentionCourse {
  courseId: string;
  title: string | null;
  platformId: string;
  platformName: string | null;
  lastActivityAt: Date;
  people: number;
}

export interface RetentionReport {
  retentionDays: number;
  cutoff: Date;
  courses: RetentionCourse[];
  /** People enrolled only in these courses: they are deleted with them. */
  people: number;
}

/**
 * Courses with no activity (launch, roster change, submitted check) since `cutoff`, and the people
 * who belong to no other course. Pass `platformId` to limit it to one platform.
 */
async function expired(db: Queryable, cutoff: Date, platformId?: string): Promise<{ courses: RetentionCourse[]; userIds: string[] }> {
  const { rows: courses } = await db.query<RetentionCourse>(
    `select c.id as "courseId", c.title, d.platform_id as "platformId", p.name as "platformName",
            greatest(c.updated_at, (select max(e.last_launch_at) from enrollments e where e.course_id = c.id),
                     (select max(a.submitted_at) from attempts a where a.course_id = c.id)) as "lastActivityAt",
            (select count(*)::int from enrollments e where e.course_id = c.id) as people
       from courses c join deployments d on d.id = c.deployment_id join platforms p on p.id = d.platform_id
      where ($2::uuid is null or d.platform_id = $2)
        and greatest(c.updated_at, (select max(e.last_launch_at) from enrollments e where e.course_id = c.id),
                     (select max(a.submitted_at) from attempts a where a.course_id = c.id)) < $1
      order by 4`,
    [cutoff, platformId ?? null],
  );
  const ids = courses.map((c) => c.courseId);
  if (ids.length === 0) return { courses, userIds: [] };
  const { rows: users } = await db.query<{ id: string }>(
    `select distinct e.user_id as id from enrollments e
      where e.course_id = any ($1::uuid[])
        and not exists (select 1 from enrollments o where o.user_id = e.user_id and not (o.course_id = any ($1::uuid[])))`,
    [ids],
  );
  return { courses, userIds: users.map((u) => u.id) };
}

const cutoffFor = (days: number, now: Date) => new Date(now.getTime() - days * 86_400_000);

/** What a retention run would delete now, without deleting anything. */
export async function retentionDryRun(db: Queryable, retentionDays: number, options: { now?: Date; platformId?: string } = {}): Promise<RetentionReport> {
  const cutoff = cutoffFor(retentionDays, options.now ?? new Date());
  const { courses, userIds } = await expired(db, cutoff, options.platformId);
  return { retentionDays, cutoff, courses, people: userIds.length };
}

/**
 * Deletes the courses of the dry run (with their placements, units, enrolments, help requests and
 * scores) and the people who belonged to no other course (with everything of theirs). Run it in a
 * transaction; it returns what it deleted, as the dry run would have reported it.
 */
export async function runRetention(tx: Queryable, retentionDays: number, options: { now?: Date; platformId?: string } = {}): Promise<RetentionReport> {
  const cutoff = cutoffFor(retentionDays, options.now ?? new Date());
  const { courses, userIds } = await expired(tx, cutoff, options.platformId);
  const ids = courses.map((c) => c.courseId);
  if (ids.length) {
    await tx.query(`delete from grade_outbox where placement_id in (select id from placements where course_id = any ($1::uuid[]))`, [ids]);
    await tx.query(`delete from courses where id = any ($1::uuid[])`, [ids]);
  }
  if (userIds.length) {
    await tx.query(`update mastery_overrides set created_by_name = null where created_by = any ($1::uuid[])`, [userIds]);
    await tx.query(`delete from grade_outbox where user_id = any ($1::uuid[])`, [userIds]);
    await tx.query(`delete from users where id = any ($1::uuid[])`, [userIds]);
  }
  return { retentionDays, cutoff, courses, people: userIds.length };
}
