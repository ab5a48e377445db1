import type { Queryable } from './database.js';

export interface DeploymentRow {
  id: string;
  platformId: string;
  deploymentId: string;
  status: 'active' | 'pending' | 'blocked';
  name: string | null;
  createdAt: Date;
  lastLaunchAt: Date | null;
  courses: number;
}

/** Deployments with their last launch and course count, for the console's platform list. */
export async function deploymentOverview(db: Queryable, platformId?: string): Promise<DeploymentRow[]> {
  const { rows } = await db.query<DeploymentRow>(
    `select d.id, d.platform_id as "platformId", d.deployment_id as "deploymentId", d.status, d.name, d.created_at as "createdAt",
            (select max(e.last_launch_at) from courses c join enrollments e on e.course_id = c.id where c.deployment_id = d.id) as "lastLaunchAt",
            (select count(*)::int from courses c where c.deployment_id = d.id) as courses
       from deployments d where ($1::uuid is null or d.platform_id = $1) order by d.created_at`,
    [platformId ?? null],
  );
  return rows;
}

export interface KeyRow {
  kid: string;
  createdAt: Date;
  activatesAt: Date;
  retiresAt: Date | null;
}

/** The tool's keys with their dates (never the key material). */
export async function toolKeyDates(db: Queryable): Promise<KeyRow[]> {
  const { rows } = await db.query<KeyRow>(
    `select kid, created_at as "createdAt", activates_at as "activatesAt", retires_at as "retiresAt" from tool_keys order by activates_at desc`,
  );
  return rows;
}

export interface InviteRow {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  platformName: string | null;
}

/** Registration links (only their dates and outcome: the link itself is shown once, at creation). */
export async function registrationInvites(db: Queryable): Promise<InviteRow[]> {
  const { rows } = await db.query<InviteRow>(
    `select i.id, i.created_at as "createdAt", i.expires_at as "expiresAt", i.used_at as "usedAt", coalesce(p.name, p.issuer) as "platformName"
       from registration_invites i left join platforms p on p.id = i.platform_id order by i.created_at desc limit 50`,
  );
  return rows;
}
