import type { Queryable } from './database.js';

export interface UsageRow {
  platformId: string;
  platformName: string;
  deploymentId: string;
  courseId: string | null;
  courseTitle: string | null;
  students7: number;
  students30: number;
  teachers7: number;
  teachers30: number;
  launches30: number;
  checks30: number;
  mastered30: number;
}

export interface UsageReport {
  rows: UsageRow[];
  /** Launches per day, the last 30 days (oldest first), zeros included. */
  launchesPerDay: Array<{ day: string; launches: number }>;
  /** Competencies newly mastered per ISO week, the last 12 weeks (oldest first). */
  masteredPerWeek: Array<{ week: string; mastered: number }>;
}

const TEACHER = `exists (select 1 from unnest(e.roles) r where r ~ '(Instructor|TeachingAssistant|ContentDeveloper|Mentor)')`;
const LEARNER = `exists (select 1 from unnest(e.roles) r where r ~ 'Learner')`;

/**
 * Usage per platform, deployment and course: active students and teachers (7/30 days), launches,
 * checks taken and competencies mastered in 30 days, and the series behind the two charts (grade
 * sync health is deliveryByPlatform in grades/grade-status.ts, shared with the admin API). `platformId` limits it to one platform.
 */
export async function usageReport(db: Queryable, platformId?: string): Promise<UsageReport> {
  const p = [platformId ?? null];
  const { rows } = await db.query<UsageRow>(
    `select pl.id as "platformId", coalesce(pl.name, pl.issuer) as "platformName", d.deployment_id as "deploymentId",
            c.id as "courseId", coalesce(c.title, c.context_id) as "courseTitle",
            (select count(*)::int from enrollments e where e.course_id = c.id and ${LEARNER} and not ${TEACHER} and e.last_launch_at > now() - interval '7 days') as "students7",
            (select count(*)::int from enrollments e where e.course_id = c.id and ${LEARNER} and not ${TEACHER} and e.last_launch_at > now() - interval '30 days') as "students30",
            (select count(*)::int from enrollments e where e.course_id = c.id and ${TEACHER} and e.last_launch_at > now() - interval '7 days') as "teachers7",
            (select count(*)::int from enrollments e where e.course_id = c.id and ${TEACHER} and e.last_launch_at > now() - interval '30 days') as "teachers30",
            (select coalesce(sum(u.launches), 0)::int from usage_daily u where u.course_id = c.id and u.day > current_date - 30) as "launches30",
            (select count(*)::int from attempts a where a.course_id = c.id and a.status = 'submitted' and a.submitted_at > now() - interval '30 days') as "checks30",
            (select count(distinct (h.user_id, h.unit_id, h.competency_id))::int from mastery_history h
              where h.course_id = c.id and h.level = 'mastered' and h.created_at > now() - interval '30 days') as "mastered30"
       from platforms pl join deployments d on d.platform_id = pl.id join courses c on c.deployment_id = d.id
      where ($1::uuid is null or pl.id = $1)
      order by 2, 3, 5`,
    p,
  );
  const { rows: launchesPerDay } = await db.query<{ day: string; launches: number }>(
    `select to_char(s.day, 'YYYY-MM-DD') as day, coalesce(sum(u.launches), 0)::int as launches
       from generate_series(current_date - 29, current_date, interval '1 day') as s(day)
       left join usage_daily u on u.day = s.day::date
         and ($1::uuid is null or u.deployment_id in (select id from deployments where platform_id = $1))
      group by s.day order by s.day`,
    p,
  );
  const { rows: masteredPerWeek } = await db.query<{ week: string; mastered: number }>(
    `select to_char(w.week, 'IYYY-"W"IW') as week, (count(distinct (h.user_id, h.unit_id, h.competency_id)) filter (where h.id is not null))::int as mastered
       from generate_series(date_trunc('week', now()) - interval '11 weeks', date_trunc('week', now()), interval '1 week') as w(week)
       left join mastery_history h on date_trunc('week', h.created_at) = w.week and h.level = 'mastered'
         and ($1::uuid is null or h.user_id in (select id from users where platform_id = $1))
      group by w.week order by w.week`,
    p,
  );
  return { rows, launchesPerDay, masteredPerWeek };
}
