import type { Queryable } from './database.js';

export const CLASS_FILTERS = ['all', 'learners', 'never', 'inactive', 'attention'] as const;
export type ClassFilter = (typeof CLASS_FILTERS)[number];
export const CLASS_SORTS = ['name', '-name', 'launch', '-launch', 'role', 'status'] as const;
export type ClassSort = (typeof CLASS_SORTS)[number];

/** The role a Class page shows for a member (courseRole's title, 'other' when it has none). */
export type ClassRole = 'learner' | 'instructor' | 'teachingAssistant' | 'contentDeveloper' | 'mentor' | 'administrator' | 'other';

export interface ClassListQuery {
  courseId: string;
  search?: string;
  filter: ClassFilter;
  /** "Inactive": launched, but not in the last N days. */
  inactiveDays: number;
  sort: ClassSort;
  limit: number;
  offset: number;
  /** False when privacy.storeNames is off: search and sort use the pseudonym code instead. */
  namesShown: boolean;
  now: Date;
}

export interface ClassMember {
  userId: string;
  sub: string;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  role: ClassRole;
  status: 'Active' | 'Inactive';
  lastLaunchAt: Date | null;
  /** The pseudonym code (see privacy/pseudonym.ts), computed by the database so it can be searched. */
  code: string;
}

export interface UnitProgressRow {
  userId: string;
  unitId: string;
  competencyId: string;
}

/**
 * A regular expression for a context role `name` in any spelling a platform sends and courseRole()
 * accepts: the full membership URI (principal `membership#Name`, sub-role `membership#Name#Sub` or
 * `membership/Name#Sub`), the short name ("Learner", Moodle), or the LTI 1.1 URN.
 */
const contextRole = (name: string) => `'^(http://purl\\.imsglobal\\.org/vocab/lis/v2/membership[#/]|urn:lti:role:ims/lis/)?${name}([#/][A-Za-z]+)?$'`;
const holds = (pattern: string, extra = '') => `exists (select 1 from unnest(e.roles) r where r ~ ${pattern}${extra})`;

/**
 * The ClassRole of an enrollment `e`, in SQL so the list can filter and sort by it: the same
 * decision as courseRole() in lti/course-role.ts (Learner wins, except for an observer whose only
 * learner role is NonCreditLearner beside Mentor), checked against it in a unit test.
 */
export const ROLE_SQL = `case
  when ${holds(contextRole('Learner'), ` and r !~ 'NonCreditLearner$'`)}
    or (${holds(contextRole('Learner'))} and not ${holds(contextRole('Mentor'))}) then 'learner'
  when ${holds(contextRole('(Instructor[#/])?TeachingAssistant'))} then 'teachingAssistant'
  when ${holds(contextRole('Instructor'))} then 'instructor'
  when ${holds(contextRole('ContentDeveloper'))} then 'contentDeveloper'
  when ${holds(contextRole('Administrator'))} then 'administrator'
  when ${holds(contextRole('Mentor'))} then 'mentor'
  else 'other' end`;

/** The first six hex digits of SHA-256(user id), upper case: the same as pseudonymCode() in privacy/pseudonym.ts. */
export const PSEUDONYM_SQL = `upper(substr(encode(sha256(convert_to(u.id::text, 'UTF8')), 'hex'), 1, 6))`;

/** Sort keys for names: family name first (or the full name when the LMS sent only that), then given name. */
const NAME_KEYS = [`lower(coalesce(u.family_name, u.name, u.sub))`, `lower(coalesce(u.given_name, ''))`];
/** Staff first when sorting by role, in the order a teacher reads a course list. */
const ROLE_RANK = `array_position(array['instructor', 'teachingAssistant', 'contentDeveloper', 'mentor', 'administrator', 'other', 'learner'], (${ROLE_SQL}))`;

/** Escapes LIKE wildcards so a search for "50%" or "a_b" means those characters. */
const likeLiteral = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A learner needs attention when they asked for help and wait for an answer, or when their last
 * two checks of a competency both failed and it is not mastered (the dashboard's rule, per course).
 */
const ATTENTION_SQL = `(exists (select 1 from help_requests h where h.course_id = e.course_id and h.user_id = e.user_id and h.status = 'open')
  or exists (
    select 1 from (
      select a.unit_id, a.competency_id, a.passed,
        row_number() over (partition by a.unit_id, a.competency_id order by a.submitted_at desc, a.id desc) as n
      from attempts a where a.user_id = e.user_id and a.course_id = e.course_id and a.status = 'submitted'
    ) t
    where t.n <= 2
      and not exists (select 1 from mastery_current m where m.user_id = e.user_id and m.course_id = e.course_id and m.unit_id = t.unit_id
                      and m.competency_id = t.competency_id and m.level = 'mastered')
    group by t.unit_id, t.competency_id having count(*) = 2 and bool_and(t.passed is false)))`;

/**
 * The Class page's reads: the course's members (from NRPS and launches) searched, filtered,
 * sorted and paged in SQL so a class of thousands stays fast, and the per-unit progress of one
 * page of members. Every query names the course.
 */
export class ClassListRepository {
  constructor(private readonly db: Queryable) {}

  async list(q: ClassListQuery): Promise<{ total: number; members: ClassMember[] }> {
    const where = [`e.course_id = $1`, `e.status <> 'Deleted'`];
    const params: unknown[] = [q.courseId];
    const add = (v: unknown) => `$${params.push(v)}`;
    const search = q.search?.trim();
    if (search) {
      const p = add(likeLiteral(search));
      where.push(
        q.namesShown
          ? `(u.name ilike ${p} or u.given_name ilike ${p} or u.family_name ilike ${p} or (coalesce(u.given_name, '') || ' ' || coalesce(u.family_name, '')) ilike ${p})`
          : `${PSEUDONYM_SQL} ilike ${p}`,
      );
    }
    if (q.filter === 'learners') where.push(`(${ROLE_SQL}) = 'learner'`);
    if (q.filter === 'never') where.push(`e.last_launch_at is null`);
    if (q.filter === 'inactive') where.push(`e.last_launch_at < ${add(new Date(q.now.getTime() - q.inactiveDays * 86_400_000))}`);
    if (q.filter === 'attention') where.push(`(${ROLE_SQL}) = 'learner'`, ATTENTION_SQL);
    const keys = q.namesShown ? NAME_KEYS : [PSEUDONYM_SQL];
    const name = keys.join(', ');
    const order = {
      name,
      '-name': keys.map((k) => `${k} desc`).join(', '),
      launch: `e.last_launch_at desc nulls last, ${name}`,
      '-launch': `e.last_launch_at asc nulls first, ${name}`,
      role: `${ROLE_RANK}, ${name}`,
      status: `e.status, ${name}`,
    }[q.sort];
    const from = `from enrollments e join users u on u.id = e.user_id where ${where.join(' and ')}`;
    const filterParams = [...params];
    const [count, page] = await Promise.all([
      this.db.query<{ n: number }>(`select count(*)::int as n ${from}`, filterParams),
      this.db.query<ClassMember>(
        `select u.id as "userId", u.sub, u.name, u.given_name as "givenName", u.family_name as "familyName",
           ${ROLE_SQL} as role, e.status, e.last_launch_at as "lastLaunchAt", ${PSEUDONYM_SQL} as code
         ${from} order by ${order}, u.id limit ${add(q.limit)} offset ${add(q.offset)}`,
        params,
      ),
    ]);
    return { total: count.rows[0]?.n ?? 0, members: page.rows };
  }

  /** Which of `userIds` need attention in the course (see ATTENTION_SQL). */
  async needingAttention(courseId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const { rows } = await this.db.query<{ userId: string }>(
      `select e.user_id as "userId" from enrollments e where e.course_id = $1 and e.user_id = any($2::uuid[]) and ${ATTENTION_SQL}`,
      [courseId, userIds],
    );
    return new Set(rows.map((r) => r.userId));
  }

  /** The mastered competencies of these members in these units in this course (the caller counts those still in each unit). */
  async mastered(courseId: string, unitIds: readonly string[], userIds: readonly string[]): Promise<UnitProgressRow[]> {
    if (unitIds.length === 0 || userIds.length === 0) return [];
    const { rows } = await this.db.query<UnitProgressRow>(
      `select user_id as "userId", unit_id as "unitId", competency_id as "competencyId" from mastery_current
       where course_id = $3 and unit_id = any($1::uuid[]) and user_id = any($2::uuid[]) and level = 'mastered'`,
      [unitIds, userIds, courseId],
    );
    return rows;
  }

  /** The latest activity of each member in each unit within the course: a check, a pathway choice, a resource mark. */
  async lastActivity(courseId: string, unitIds: readonly string[], userIds: readonly string[]): Promise<{ userId: string; unitId: string; at: Date }[]> {
    if (unitIds.length === 0 || userIds.length === 0) return [];
    const { rows } = await this.db.query<{ userId: string; unitId: string; at: Date }>(
      `select user_id as "userId", unit_id as "unitId", max(at) as at from (
         select user_id, unit_id, coalesce(submitted_at, started_at) as at from attempts
           where course_id = $1 and unit_id = any($2::uuid[]) and user_id = any($3::uuid[])
         union all select user_id, unit_id, chosen_at from pathway_choices
           where course_id = $1 and unit_id = any($2::uuid[]) and user_id = any($3::uuid[])
         union all select user_id, unit_id, done_at from resource_marks
           where unit_id = any($2::uuid[]) and user_id = any($3::uuid[])
       ) activity group by user_id, unit_id`,
      [courseId, unitIds, userIds],
    );
    return rows;
  }
}
