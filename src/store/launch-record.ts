import { randomUUID } from 'node:crypto';
import type { AgsEndpointClaim } from './ags-endpoints.js';
import type { LaunchFacts } from './context-repository.js';
import type { Queryable } from './database.js';
import { SESSION_COLUMNS, hashSessionToken, newSessionToken, type NewSession, type SessionRecord } from './session-repository.js';

/** The session fields a launch decides itself; user, course and placement come from the upserts. */
export type LaunchSession = Omit<NewSession, 'userId' | 'courseId' | 'placementId' | 'deploymentId'>;

/** The course's roster facts after the launch (its NRPS URL, when the roster was last read). */
export interface CourseRoster {
  nrpsUrl: string | null;
  rosterSyncedAt: Date | null;
}

export interface LaunchRecorded {
  token: string;
  session: SessionRecord;
  /** null when the launch names no course. */
  course: CourseRoster | null;
}

/** Collects positional parameters with their casts (an `insert … select` cannot infer them). */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/**
 * Records everything a launch names and opens its session in ONE statement: the user, the course,
 * the enrolment with the day's launch count, the placement, its AGS endpoint and the session, as
 * data-modifying common table expressions (with the course's NRPS URL and roster freshness back) (https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-MODIFYING).
 * One statement is atomic on its own, so no transaction (BEGIN/COMMIT) is needed; the foreign
 * keys between the new rows are checked at the end of the statement. The parts a launch does not
 * name (no context, no resource link, no AGS claim) are left out of the statement.
 */
export async function recordLaunch(
  db: Queryable,
  facts: LaunchFacts,
  ags: AgsEndpointClaim | null,
  session: LaunchSession,
  ttlMinutes: number,
): Promise<LaunchRecorded> {
  const p = new Params();
  const u = facts.user;
  const ctes = [
    `u as (insert into users (id, platform_id, sub, name, given_name, family_name, email, locale)
       values (${p.add(randomUUID(), 'uuid')}, ${p.add(facts.platformId, 'uuid')}, ${p.add(u.sub, 'text')}, ${p.add(u.name ?? null, 'text')},
         ${p.add(u.givenName ?? null, 'text')}, ${p.add(u.familyName ?? null, 'text')}, ${p.add(u.email ?? null, 'text')}, ${p.add(u.locale ?? null, 'text')})
       on conflict (platform_id, sub) do update set name = coalesce(excluded.name, users.name),
         given_name = coalesce(excluded.given_name, users.given_name),
         family_name = coalesce(excluded.family_name, users.family_name),
         email = coalesce(excluded.email, users.email), locale = coalesce(excluded.locale, users.locale), updated_at = now()
       returning id)`,
  ];
  let course = 'null::uuid';
  let placement = 'null::uuid';
  const from = ['u'];
  const deployment = p.add(facts.deploymentRowId, 'uuid');
  if (facts.context) {
    const c = facts.context;
    ctes.push(
      `c as (insert into courses (id, deployment_id, context_id, title, label, nrps_url)
         values (${p.add(randomUUID(), 'uuid')}, ${deployment}, ${p.add(c.id, 'text')}, ${p.add(c.title ?? null, 'text')}, ${p.add(c.label ?? null, 'text')},
           ${p.add(c.nrpsUrl ?? null, 'text')})
         on conflict (deployment_id, context_id) do update set title = coalesce(excluded.title, courses.title),
           label = coalesce(excluded.label, courses.label), nrps_url = coalesce(excluded.nrps_url, courses.nrps_url), updated_at = now()
         returning id, nrps_url, roster_synced_at)`,
      `e as (insert into enrollments (course_id, user_id, roles, last_launch_at) select c.id, u.id, ${p.add(facts.roles, 'text[]')}, now() from c, u
         on conflict (course_id, user_id) do update set roles = excluded.roles, status = 'Active', last_launch_at = now())`,
      // The day's launch count for the admin's usage report (a count per course and audience, no person in it).
      `d as (insert into usage_daily (day, deployment_id, course_id, audience, launches)
         select current_date, ${deployment}, c.id, ${p.add(facts.audience ?? 'student', 'text')}, 1 from c
         on conflict (day, deployment_id, course_id, audience) do update set launches = usage_daily.launches + 1)`,
    );
    from.push('c');
    course = 'c.id';
    if (facts.resourceLink) {
      const l = facts.resourceLink;
      ctes.push(
        `p as (insert into placements (id, course_id, resource_link_id, title, custom, lineitem_url)
           select ${p.add(randomUUID(), 'uuid')}, c.id, ${p.add(l.id, 'text')}, ${p.add(l.title ?? null, 'text')}, ${p.add(JSON.stringify(l.custom ?? {}), 'jsonb')},
             ${p.add(l.lineitemUrl ?? null, 'text')} from c
           on conflict (course_id, resource_link_id) do update set title = coalesce(excluded.title, placements.title),
             custom = excluded.custom, lineitem_url = coalesce(excluded.lineitem_url, placements.lineitem_url), updated_at = now()
           returning id)`,
      );
      from.push('p');
      placement = 'p.id';
      if (ags) {
        // Where this placement's grades go, for the grade outbox; a claim without `lineitem` keeps
        // the line item found or created earlier (see rememberAgsEndpoint).
        ctes.push(
          `a as (insert into ags_endpoints (placement_id, lineitems_url, lineitem_url, scopes)
             select p.id, ${p.add(ags.lineitems ?? null, 'text')}, ${p.add(ags.lineitem ?? null, 'text')}, ${p.add(ags.scope, 'text[]')} from p
             on conflict (placement_id) do update set lineitems_url = coalesce(excluded.lineitems_url, ags_endpoints.lineitems_url),
               lineitem_url = coalesce(excluded.lineitem_url, ags_endpoints.lineitem_url), scopes = excluded.scopes, updated_at = now())`,
        );
      }
    }
  }
  const token = newSessionToken();
  ctes.push(`s as (insert into sessions (id, user_id, course_id, placement_id, platform_id, deployment_id, message_type, roles, locale, launch, expires_at)
    select ${p.add(hashSessionToken(token), 'text')}, u.id, ${course}, ${placement}, ${p.add(session.platformId, 'uuid')}, ${deployment},
      ${p.add(session.messageType, 'text')}, ${p.add(session.roles, 'text[]')}, ${p.add(session.locale, 'text')}, ${p.add(JSON.stringify(session.launch), 'jsonb')},
      now() + make_interval(mins => ${p.add(ttlMinutes, 'int')})
    from ${from.join(', ')}
    returning ${SESSION_COLUMNS})`);
  const roster = facts.context
    ? 'c.nrps_url as "nrpsUrl", c.roster_synced_at as "rosterSyncedAt"'
    : 'null::text as "nrpsUrl", null::timestamptz as "rosterSyncedAt"';
  const sql = `with ${ctes.join(',\n')}
    select s.*, ${roster} from ${facts.context ? 's, c' : 's'}`;
  // A handful of variants (context, placement, AGS claim present or not): prepared per connection.
  const { rows } = await db.query<SessionRecord & CourseRoster>(sql, p.values, { prepare: true });
  const { nrpsUrl, rosterSyncedAt, ...row } = rows[0]!;
  return { token, session: row, course: facts.context ? { nrpsUrl, rosterSyncedAt } : null };
}
