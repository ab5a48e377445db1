import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from './database.js';

/** What the roster sync needs to know about a course. */
export interface CourseRosterInfo {
  courseId: string;
  platformId: string;
  nrpsUrl: string | null;
  rosterSyncedAt: Date | null;
}

/** A member to store, already normalised (see lti/nrps/membership.ts). */
export interface RosterWrite {
  userId: string;
  roles: string[];
  status: 'Active' | 'Inactive' | 'Deleted';
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
}

/** One row of the class roster as teacher views show it. */
export interface RosterEntry {
  userId: string;
  sub: string;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  roles: string[];
  status: 'Active' | 'Inactive' | 'Deleted';
  /** False for members known only from the roster: teacher views show them as "not started". */
  launched: boolean;
  lastLaunchAt: Date | null;
}

export interface PrivacySettings {
  storeNames: boolean;
  storeEmails: boolean;
}

const CHUNK = 1000;

/** True when the course was never synced or its roster is older than maxAgeMinutes. */
export function isRosterStale(course: { rosterSyncedAt: Date | null }, maxAgeMinutes: number, now = Date.now()): boolean {
  return !course.rosterSyncedAt || now - course.rosterSyncedAt.getTime() >= maxAgeMinutes * 60_000;
}

/** Course rosters read through NRPS, merged with the users and enrollments launches create. */
export class RosterRepository {
  constructor(private readonly db: Database) {}

  /**
   * Remembers the context_memberships_url a launch carried in the NRPS claim
   * (https://www.imsglobal.org/spec/lti-nrps/v2p0/#lti-1-3-integration). Pass the launch's transaction as `db`.
   */
  async rememberService(courseId: string, contextMembershipsUrl: string, db: Queryable = this.db): Promise<void> {
    await db.query(`update courses set nrps_url = $2 where id = $1 and nrps_url is distinct from $2`, [courseId, contextMembershipsUrl]);
  }

  async findCourse(courseId: string): Promise<CourseRosterInfo | null> {
    const { rows } = await this.db.query<CourseRosterInfo>(
      `select c.id as "courseId", d.platform_id as "platformId", c.nrps_url as "nrpsUrl", c.roster_synced_at as "rosterSyncedAt"
       from courses c join deployments d on d.id = c.deployment_id where c.id = $1`,
      [courseId],
    );
    return rows[0] ?? null;
  }

  /**
   * Stores one sync in one transaction: upserts users and enrollments, and — when the sync read
   * every page — marks enrolled people the platform no longer lists as Deleted (their work stays).
   * Unchanged rows are left as they are.
   * People who launched after `startedAt` are left alone: the LMS may not list them yet.
   * Names and emails are written only when `privacy` allows; nothing stored is erased here.
   */
  async applySync(
    course: { courseId: string; platformId: string },
    members: readonly RosterWrite[],
    options: { complete: boolean; startedAt: Date; privacy: PrivacySettings },
  ): Promise<{ upserted: number; markedDeleted: number }> {
    const { storeNames, storeEmails } = options.privacy;
    return this.db.transaction(async (tx) => {
      for (let i = 0; i < members.length; i += CHUNK) {
        const chunk = members.slice(i, i + CHUNK);
        const subs = chunk.map((m) => m.userId);
        // Rows that would not change are not rewritten: a routine re-sync then writes almost nothing.
        await tx.query(
          `insert into users (id, platform_id, sub, name, given_name, family_name, email)
           select u.id, $1::uuid, u.sub, u.name, u.given, u.family, u.email
           from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) as u(id, sub, name, given, family, email)
           on conflict (platform_id, sub) do update set name = coalesce(excluded.name, users.name),
             given_name = coalesce(excluded.given_name, users.given_name),
             family_name = coalesce(excluded.family_name, users.family_name),
             email = coalesce(excluded.email, users.email), updated_at = now()
           where (users.name, users.given_name, users.family_name, users.email) is distinct from
             (coalesce(excluded.name, users.name), coalesce(excluded.given_name, users.given_name),
              coalesce(excluded.family_name, users.family_name), coalesce(excluded.email, users.email))`,
          [
            course.platformId,
            chunk.map(() => randomUUID()),
            subs,
            chunk.map((m) => (storeNames ? (m.name ?? null) : null)),
            chunk.map((m) => (storeNames ? (m.givenName ?? null) : null)),
            chunk.map((m) => (storeNames ? (m.familyName ?? null) : null)),
            chunk.map((m) => (storeEmails ? (m.email ?? null) : null)),
          ],
        );
        // Role URIs contain no spaces (they are URIs), so a space-joined list round-trips.
        await tx.query(
          `insert into enrollments (course_id, user_id, roles, status, roster_seen_at)
           select $1::uuid, u.id, string_to_array(e.roles, ' '), e.status, $6::timestamptz
           from unnest($3::text[], $4::text[], $5::text[]) as e(sub, roles, status)
           join users u on u.platform_id = $2::uuid and u.sub = e.sub
           on conflict (course_id, user_id) do update set roles = excluded.roles, status = excluded.status,
             roster_seen_at = excluded.roster_seen_at
           where (enrollments.roles, enrollments.status) is distinct from (excluded.roles, excluded.status)`,
          [course.courseId, course.platformId, subs, chunk.map((m) => m.roles.join(' ')), chunk.map((m) => m.status), options.startedAt],
        );
      }
      let markedDeleted = 0;
      if (options.complete) {
        const gone = await tx.query(
          `update enrollments set status = 'Deleted', roster_seen_at = $3
           where course_id = $1 and status <> 'Deleted' and (last_launch_at is null or last_launch_at < $3)
             and user_id not in (select u.id from users u join unnest($2::text[]) as s(sub) on u.platform_id = $4 and u.sub = s.sub)`,
          [course.courseId, members.map((m) => m.userId), options.startedAt, course.platformId],
        );
        markedDeleted = gone.rowCount;
      }
      await tx.query(`update courses set roster_synced_at = now() where id = $1`, [course.courseId]);
      return { upserted: members.length, markedDeleted };
    });
  }

  /**
   * The class roster: everyone enrolled (from launches or NRPS), with status and whether they
   * ever launched. `includeDeleted` adds people the LMS no longer lists.
   */
  async listRoster(courseId: string, options: { includeDeleted?: boolean } = {}): Promise<RosterEntry[]> {
    const { rows } = await this.db.query<RosterEntry>(
      `select u.id as "userId", u.sub, u.name, u.given_name as "givenName", u.family_name as "familyName", u.email,
         e.roles, e.status, e.last_launch_at is not null as launched, e.last_launch_at as "lastLaunchAt"
       from enrollments e join users u on u.id = e.user_id
       where e.course_id = $1 and ($2 or e.status <> 'Deleted')
       order by lower(coalesce(u.family_name, u.name, u.sub)), lower(coalesce(u.given_name, '')), u.sub`,
      [courseId, options.includeDeleted ?? false],
    );
    return rows;
  }
}
