import { randomUUID } from 'node:crypto';
import type { Queryable } from './database.js';
import { UNIT_COLUMNS, type PlacementUnit } from './placement-repository.js';

/** What a launch tells us about the course, the person and the placement, already read from the claims. */
export interface LaunchFacts {
  platformId: string;
  /** deployments.id (our row), not the platform's deployment_id string. */
  deploymentRowId: string;
  user: { sub: string; name?: string; givenName?: string; familyName?: string; email?: string; locale?: string };
  roles: string[];
  /** Whom the launch counts as in the usage report. */
  audience?: 'teacher' | 'student';
  /** `nrpsUrl`: the course's context_memberships_url from the NRPS claim, remembered for roster sync. */
  context?: { id: string; title?: string; label?: string; nrpsUrl?: string };
  resourceLink?: { id: string; title?: string; custom?: Record<string, unknown>; lineitemUrl?: string };
}

export interface LaunchRecords {
  userId: string;
  courseId: string | null;
  placementId: string | null;
}

/** Courses, users, enrollments and placements, kept up to date from each launch. */
export class ContextRepository {
  constructor(private readonly db: Queryable) {}

  /** Upserts everything a launch names. Pass a transaction to make it atomic with the session. */
  async upsertFromLaunch(facts: LaunchFacts, db: Queryable = this.db): Promise<LaunchRecords> {
    const u = facts.user;
    const user = await db.query<{ id: string }>(
      `insert into users (id, platform_id, sub, name, given_name, family_name, email, locale)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (platform_id, sub) do update set name = coalesce(excluded.name, users.name),
         given_name = coalesce(excluded.given_name, users.given_name),
         family_name = coalesce(excluded.family_name, users.family_name),
         email = coalesce(excluded.email, users.email), locale = coalesce(excluded.locale, users.locale), updated_at = now()
       returning id`,
      [randomUUID(), facts.platformId, u.sub, u.name ?? null, u.givenName ?? null, u.familyName ?? null, u.email ?? null, u.locale ?? null],
    );
    const userId = user.rows[0]!.id;
    if (!facts.context) return { userId, courseId: null, placementId: null };

    const course = await db.query<{ id: string }>(
      `insert into courses (id, deployment_id, context_id, title, label) values ($1, $2, $3, $4, $5)
       on conflict (deployment_id, context_id) do update set title = coalesce(excluded.title, courses.title),
         label = coalesce(excluded.label, courses.label), updated_at = now()
       returning id`,
      [randomUUID(), facts.deploymentRowId, facts.context.id, facts.context.title ?? null, facts.context.label ?? null],
    );
    const courseId = course.rows[0]!.id;
    // The enrolment and, in the same statement, the day's launch count for the admin's usage report
    // (a count per course and audience, no person in it).
    await db.query(
      `with enrolled as (
         insert into enrollments (course_id, user_id, roles, last_launch_at) values ($1, $2, $3, now())
         on conflict (course_id, user_id) do update set roles = excluded.roles, status = 'Active', last_launch_at = now()
         returning 1)
       insert into usage_daily (day, deployment_id, course_id, audience, launches) values (current_date, $4, $1, $5, 1)
       on conflict (day, deployment_id, course_id, audience) do update set launches = usage_daily.launches + 1`,
      [courseId, userId, facts.roles, facts.deploymentRowId, facts.audience ?? 'student'],
    );
    if (!facts.resourceLink) return { userId, courseId, placementId: null };

    const link = facts.resourceLink;
    const placement = await db.query<{ id: string }>(
      `insert into placements (id, course_id, resource_link_id, title, custom, lineitem_url) values ($1, $2, $3, $4, $5, $6)
       on conflict (course_id, resource_link_id) do update set title = coalesce(excluded.title, placements.title),
         custom = excluded.custom, lineitem_url = coalesce(excluded.lineitem_url, placements.lineitem_url), updated_at = now()
       returning id`,
      [randomUUID(), courseId, link.id, link.title ?? null, JSON.stringify(link.custom ?? {}), link.lineitemUrl ?? null],
    );
    return { userId, courseId, placementId: placement.rows[0]!.id };
  }

  /**
   * What the landing pages show: course title/label, placement title and the unit the placement
   * points at (null when none, or when it is gone), in one statement.
   */
  async describe(records: { courseId: string | null; placementId: string | null; userId: string }): Promise<{
    course: { title: string | null; label: string | null } | null;
    placement: { title: string | null; resourceLinkId: string; unit: PlacementUnit | null } | null;
    user: { name: string | null; givenName: string | null };
  }> {
    const { rows } = await this.db.query<{
      name: string | null;
      givenName: string | null;
      courseFound: boolean;
      courseTitle: string | null;
      courseLabel: string | null;
      placementTitle: string | null;
      resourceLinkId: string | null;
      unit: PlacementUnit | null;
    }>(
      `select u.name, u.given_name as "givenName", c.id is not null as "courseFound", c.title as "courseTitle",
         c.label as "courseLabel", p.title as "placementTitle", p.resource_link_id as "resourceLinkId",
         case when pu.id is null then null else to_jsonb(pu) end as unit
       from (select 1) as one
       left join users u on u.id = $1::uuid
       left join courses c on c.id = $2::uuid
       left join placements p on p.id = $3::uuid
       left join lateral (select ${UNIT_COLUMNS} from units u where u.id = p.unit_id) pu on true`,
      [records.userId, records.courseId, records.placementId],
      { prepare: true },
    );
    const r = rows[0]!;
    return {
      user: { name: r.name ?? null, givenName: r.givenName ?? null },
      course: r.courseFound ? { title: r.courseTitle, label: r.courseLabel } : null,
      placement: r.resourceLinkId !== null ? { title: r.placementTitle, resourceLinkId: r.resourceLinkId, unit: r.unit ?? null } : null,
    };
  }
}
