import { createHash } from 'node:crypto';
import type { Queryable } from './database.js';

export type ActorKind = 'operator' | 'lms_admin' | 'teacher' | 'system';

/** Who did something: the operator, an LMS administrator or teacher (by reference), or a job. */
export interface Actor {
  kind: ActorKind;
  /** personRef(users.id) for LMS users; absent for the operator and jobs. */
  ref?: string | null;
  ip?: string | null;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actorKind: ActorKind;
  actorRef: string | null;
  platformId: string | null;
  action: string;
  target: string | null;
  subjectRef: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export interface NewAuditEntry {
  actor: Actor;
  action: string;
  platformId?: string | null;
  target?: string | null;
  subjectRef?: string | null;
  /** Counts, ids and settings only: never a name, email or answer. */
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  platformId?: string;
  action?: string;
  actorKind?: ActorKind;
  from?: Date;
  to?: Date;
  limit?: number;
}

/** Every action the audit log records; the console filters by these. */
export const AUDIT_ACTIONS = [
  'admin.sign_in',
  'admin.sign_in_failed',
  'admin.locked_out',
  'admin.sign_out',
  'registration.invite_created',
  'registration.dynamic',
  'registration.manual',
  'deployment.approved',
  'deployment.blocked',
  'platform.disabled',
  'platform.enabled',
  'keys.rotated',
  'student.exported',
  'student.deleted',
  'retention.run',
  'mastery.override',
  'mastery.override_withdrawn',
] as const;

/**
 * A reference to a person that is not personal data on its own: a one-way hash of Pathwise's
 * random internal user id. While the user exists, the console can match it; once the user is
 * deleted, nothing links it back to anyone.
 */
export function personRef(userId: string): string {
  return createHash('sha256').update(`pathwise-person:${userId}`).digest('hex').slice(0, 16);
}

const COLUMNS = `id::text as id, at, actor_kind as "actorKind", actor_ref as "actorRef", platform_id as "platformId",
  action, target, subject_ref as "subjectRef", details, ip`;

/**
 * The append-only audit log. This class only INSERTs and SELECTs; the table refuses UPDATE and
 * DELETE (migration 020), so nothing written here can be changed or removed later.
 */
export class AuditLog {
  constructor(private readonly db: Queryable) {}

  /** Appends one entry. Pass a transaction as `db` to make it atomic with the action it records. */
  async record(entry: NewAuditEntry, db: Queryable = this.db): Promise<void> {
    await db.query(
      `insert into audit_log (actor_kind, actor_ref, platform_id, action, target, subject_ref, details, ip)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        entry.actor.kind,
        entry.actor.ref ?? null,
        entry.platformId ?? null,
        entry.action,
        entry.target ?? null,
        entry.subjectRef ?? null,
        JSON.stringify(entry.details ?? {}),
        entry.actor.ip ?? null,
      ],
    );
  }

  /** Newest first, filtered; `limit` defaults to 500 (the console pages through by date). */
  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.platformId) add('platform_id = ?', filter.platformId);
    if (filter.action) add('action = ?', filter.action);
    if (filter.actorKind) add('actor_kind = ?', filter.actorKind);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    params.push(Math.min(Math.max(filter.limit ?? 500, 1), 10_000));
    const { rows } = await this.db.query<AuditEntry>(
      `select ${COLUMNS} from audit_log ${where.length ? `where ${where.join(' and ')}` : ''}
       order by at desc, id desc limit $${params.length}`,
      params,
    );
    return rows;
  }
}

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Quote always; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** The entries as CSV (RFC 4180), with a header row. */
export function auditCsv(entries: AuditEntry[]): string {
  const header = ['at', 'actor_kind', 'actor_ref', 'ip', 'platform_id', 'action', 'target', 'subject_ref', 'details'];
  const lines = entries.map((e) => [e.at, e.actorKind, e.actorRef, e.ip, e.platformId, e.action, e.target, e.subjectRef, e.details].map(csvCell).join(','));
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
