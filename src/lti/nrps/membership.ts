import { z } from 'zod';
import { normaliseRoles } from './roles.js';

export type MemberStatus = 'Active' | 'Inactive' | 'Deleted';

/** One member as Pathwise keeps it; optional fields are only there when the platform sent them. */
export interface RosterMember {
  userId: string;
  roles: string[];
  status: MemberStatus;
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
}

const text = z.string().trim().min(1).max(1000).optional().catch(undefined);
/** https://www.imsglobal.org/spec/lti-nrps/v2p0/#membership-container-media-type */
const memberSchema = z.object({
  user_id: z.string().min(1).max(255),
  roles: z.array(z.string()).catch([]).default([]),
  // status is optional and defaults to Active, https://www.imsglobal.org/spec/lti-nrps/v2p0/#member-status
  status: z.enum(['Active', 'Inactive', 'Deleted']).catch('Active').default('Active'),
  name: text,
  given_name: text,
  family_name: text,
  email: text,
});
const containerSchema = z.object({
  id: z.string().optional(),
  context: z.object({ id: z.string().optional(), title: z.string().optional(), label: z.string().optional() }).loose().optional(),
  members: z.array(z.unknown()),
});

export interface MembershipPage {
  members: RosterMember[];
  /** Members that could not be read (no user_id …); skipped, counted for the log. */
  skipped: number;
}

/** Reads one page of a membership container; returns null when the body is not one. */
export function parseMembershipPage(body: unknown): MembershipPage | null {
  const container = containerSchema.safeParse(body);
  if (!container.success) return null;
  const members: RosterMember[] = [];
  let skipped = 0;
  for (const raw of container.data.members) {
    const m = memberSchema.safeParse(raw);
    if (!m.success) {
      skipped += 1;
      continue;
    }
    const d = m.data;
    members.push({
      userId: d.user_id,
      roles: normaliseRoles(d.roles),
      status: d.status,
      ...(d.name && { name: d.name }),
      ...(d.given_name && { givenName: d.given_name }),
      ...(d.family_name && { familyName: d.family_name }),
      ...(d.email && { email: d.email }),
    });
  }
  return { members, skipped };
}

/**
 * The rel="next" target of an RFC 8288 Link header, resolved against the page URL. NRPS pages
 * with it, https://www.imsglobal.org/spec/lti-nrps/v2p0/#limit-query-parameter
 */
export function nextLink(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!m) continue;
    const rel = /(?:^|;)\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2]!)?.[1];
    if (rel?.split(/\s+/).some((r) => r.toLowerCase() === 'next')) {
      try {
        return new URL(m[1]!, base).href;
      } catch {
        return null;
      }
    }
  }
  return null;
}
