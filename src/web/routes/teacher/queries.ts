import type { Queryable } from '../../../store/database.js';

/** A placement of the course with its unit (null while the link has none). */
export interface CoursePlacement {
  id: string;
  title: string | null;
  resourceLinkId: string;
  unitId: string | null;
  unitTitle: string | null;
  unitShared: boolean;
  competencyCount: number | null;
}

/** One attempt as the class dashboard reads it (no items, no answers). */
export interface ClassAttempt {
  id: string;
  userId: string;
  competencyId: string;
  pathwayId: string | null;
  status: 'open' | 'submitted' | 'expired';
  passed: boolean | null;
  score: number | null;
  startedAt: Date;
  submittedAt: Date | null;
}

/**
 * What the dashboard needs from a class's checks, aggregated in the database instead of read
 * attempt by attempt (a class of 3,000 has tens of thousands).
 */
export interface ClassChecks {
  /** A learner's competency whose last two submitted checks both failed, and when the last was submitted. */
  failedTwice: { userId: string; competencyId: string; since: Date }[];
  /** Each learner and competency with at least one failed check, in the order of the first failure. */
  failedOnce: { userId: string; competencyId: string }[];
  /** Per competency and pathway: learners whose first submitted check followed it, and how many of them passed it. */
  firstChecks: { competencyId: string; pathwayId: string | null; chose: number; passed: number }[];
}

export interface OpenHelpRequest {
  id: string;
  userId: string;
  competencyId: string;
  message: string;
  createdAt: Date;
}

/**
 * The read-only class queries teacher pages need beyond the repositories. Every query names the
 * course, so a teacher's page never reads another course's rows.
 */
export class TeacherQueries {
  constructor(private readonly db: Queryable) {}

  async placements(courseId: string): Promise<CoursePlacement[]> {
    const { rows } = await this.db.query<CoursePlacement>(
      `select p.id, p.title, p.resource_link_id as "resourceLinkId", p.unit_id as "unitId", u.title as "unitTitle",
         (u.id is not null and u.course_id is null) as "unitShared",
         jsonb_array_length(u.document->'competencies') as "competencyCount"
       from placements p left join units u on u.id = p.unit_id
       where p.course_id = $1 order by p.title nulls last, p.created_at, p.id`,
      [courseId],
    );
    return rows;
  }

  /** Units the course works with: its own and those its links point at. */
  async courseUnits(courseId: string): Promise<{ id: string; title: string; shared: boolean }[]> {
    const { rows } = await this.db.query<{ id: string; title: string; shared: boolean }>(
      `select u.id, u.title, u.course_id is null as shared from units u
       where u.course_id = $1 or u.id in (select unit_id from placements where course_id = $1 and unit_id is not null)
       order by u.title, u.id`,
      [courseId],
    );
    return rows;
  }

  async isEnrolled(courseId: string, userId: string): Promise<boolean> {
    const { rows } = await this.db.query(`select 1 from enrollments where course_id = $1 and user_id = $2`, [courseId, userId]);
    return rows.length > 0;
  }

  async attempts(unitId: string, courseId: string, userId?: string): Promise<ClassAttempt[]> {
    const { rows } = await this.db.query<ClassAttempt>(
      `select id, user_id as "userId", competency_id as "competencyId", pathway_id as "pathwayId", status, passed, score,
         started_at as "startedAt", submitted_at as "submittedAt"
       from attempts where unit_id = $1 and course_id = $2 and ($3::uuid is null or user_id = $3)
       order by coalesce(submitted_at, started_at), id`,
      [unitId, courseId, userId ?? null],
    );
    return rows;
  }

  /**
   * The class's checks of a unit in this course, aggregated (see ClassChecks); the first checks only
   * of the given learners (the course's active learners).
   */
  async classChecks(unitId: string, courseId: string, learnerIds: string[]): Promise<ClassChecks> {
    const [failedTwice, failedOnce, firstChecks] = await Promise.all([
      this.db.query<ClassChecks['failedTwice'][number]>(
        `select user_id as "userId", competency_id as "competencyId", max(submitted_at) filter (where n = 1) as since
         from (select user_id, competency_id, passed, submitted_at,
                 row_number() over (partition by user_id, competency_id order by coalesce(submitted_at, started_at) desc, id desc) as n
               from attempts where unit_id = $1 and course_id = $2 and status = 'submitted') recent
         where n <= 2 group by user_id, competency_id having count(*) = 2 and bool_and(passed is false)`,
        [unitId, courseId],
      ),
      this.db.query<ClassChecks['failedOnce'][number]>(
        `select "userId", "competencyId" from (
           select distinct on (competency_id, user_id) user_id as "userId", competency_id as "competencyId",
             coalesce(submitted_at, started_at) as at, id
           from attempts where unit_id = $1 and course_id = $2 and passed is false
           order by competency_id, user_id, coalesce(submitted_at, started_at), id) first_failure
         order by at, id`,
        [unitId, courseId],
      ),
      this.db.query<ClassChecks['firstChecks'][number]>(
        `select competency_id as "competencyId", pathway_id as "pathwayId", count(*)::int as chose, (count(*) filter (where passed))::int as passed
         from (select distinct on (competency_id, user_id) competency_id, pathway_id, passed
               from attempts where unit_id = $1 and course_id = $2 and status = 'submitted' and user_id = any($3::uuid[])
               order by competency_id, user_id, coalesce(submitted_at, started_at), id) first_check
         group by competency_id, pathway_id`,
        [unitId, courseId, learnerIds],
      ),
    ]);
    return { failedTwice: failedTwice.rows, failedOnce: failedOnce.rows, firstChecks: firstChecks.rows };
  }

  async openHelpRequests(unitId: string, courseId: string): Promise<OpenHelpRequest[]> {
    const { rows } = await this.db.query<OpenHelpRequest>(
      `select id, user_id as "userId", competency_id as "competencyId", message, created_at as "createdAt"
       from help_requests where unit_id = $1 and course_id = $2 and status = 'open' order by created_at, id`,
      [unitId, courseId],
    );
    return rows;
  }

  /** Marks a help request of this course answered. */
  async resolveHelpRequest(id: string, courseId: string, by: string): Promise<boolean> {
    const r = await this.db.query(
      `update help_requests set status = 'resolved', resolved_at = now(), resolved_by = $3
       where id = $1 and course_id = $2 and status = 'open'`,
      [id, courseId, by],
    );
    return r.rowCount > 0;
  }

  /**
   * The first time each student reached "mastered" on each competency of the unit in this course
   * (a teacher's override counts too), oldest first: the "mastered per week" charts.
   */
  async masteredEvents(unitId: string, courseId: string, userId?: string): Promise<{ userId: string; competencyId: string; at: Date }[]> {
    const { rows } = await this.db.query<{ userId: string; competencyId: string; at: Date }>(
      `select user_id as "userId", competency_id as "competencyId", min(created_at) as at from mastery_history
       where course_id = $2 and unit_id = $1 and level = 'mastered' and ($3::uuid is null or user_id = $3)
       group by user_id, competency_id order by at, user_id, competency_id`,
      [unitId, courseId, userId ?? null],
    );
    return rows;
  }

  /** The latest time each student did something in the unit (chose a pathway, marked a resource, tried a check). */
  async lastActivity(unitId: string, courseId: string): Promise<Map<string, Date>> {
    const { rows } = await this.db.query<{ userId: string; at: Date }>(
      `select user_id as "userId", max(at) as at from (
         select user_id, coalesce(submitted_at, started_at) as at from attempts where unit_id = $1 and course_id = $2
         union all select user_id, chosen_at from pathway_choices where unit_id = $1 and course_id = $2
         union all select m.user_id, m.done_at from resource_marks m
           join enrollments e on e.user_id = m.user_id and e.course_id = $2 where m.unit_id = $1
       ) activity group by user_id`,
      [unitId, courseId],
    );
    return new Map(rows.map((r) => [r.userId, r.at]));
  }
}
