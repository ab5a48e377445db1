import { hash } from 'node:crypto';
import { randomToken } from '../shared/random.js';
import type { Queryable } from './database.js';

export interface SessionRecord {
  id: string;
  userId: string;
  courseId: string | null;
  placementId: string | null;
  platformId: string;
  deploymentId: string;
  messageType: string;
  roles: string[];
  locale: string | null;
  /** Launch data later steps need (deep linking settings, service endpoints, names). */
  launch: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
}

export type NewSession = Omit<SessionRecord, 'id' | 'createdAt' | 'expiresAt'>;

/** The columns of a SessionRecord, for statements that return one. */
export const SESSION_COLUMNS = `id, user_id as "userId", course_id as "courseId", placement_id as "placementId",
  platform_id as "platformId", deployment_id as "deploymentId", message_type as "messageType", roles, locale,
  launch, created_at as "createdAt", expires_at as "expiresAt"`;

/** A new session token: 32 random bytes, base64url. */
export const newSessionToken = (): string => randomToken(32);

/** The SHA-256 of a session token: the only form in which a token is stored. */
export function hashSessionToken(token: string): string {
  // One-shot hash: the same hex as createHash().update().digest(), without the Hash object
  // (1.2 -> 0.35 µs); a launch's landing page hashes its token twice (creation, lookup).
  return hash('sha256', token, 'hex');
}

/**
 * Sessions opened by a launch. The token (32 random bytes, base64url) is returned once and never
 * stored; rows are keyed by its SHA-256 so a database leak does not leak live sessions.
 */
export class SessionRepository {
  constructor(private readonly db: Queryable) {}

  /** Opens a session; pass a transaction as `db` to combine it with the launch's upserts. */
  async create(input: NewSession, ttlMinutes: number, db: Queryable = this.db): Promise<{ token: string; session: SessionRecord }> {
    const token = newSessionToken();
    const { rows } = await db.query<SessionRecord>(
      `insert into sessions (id, user_id, course_id, placement_id, platform_id, deployment_id, message_type, roles,
         locale, launch, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(mins => $11)) returning ${SESSION_COLUMNS}`,
      [
        hashSessionToken(token),
        input.userId,
        input.courseId,
        input.placementId,
        input.platformId,
        input.deploymentId,
        input.messageType,
        input.roles,
        input.locale,
        JSON.stringify(input.launch),
        ttlMinutes,
      ],
    );
    return { token, session: rows[0]! };
  }

  /** The live session for a token, or null when unknown or expired. */
  async findByToken(token: string): Promise<SessionRecord | null> {
    const { rows } = await this.db.query<SessionRecord>(
      `select ${SESSION_COLUMNS} from sessions where id = $1 and expires_at > now()`,
      [hashSessionToken(token)],
      { prepare: true },
    );
    return rows[0] ?? null;
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('select count(*)::int as n from sessions');
    return rows[0]?.n ?? 0;
  }

  async purgeExpired(): Promise<number> {
    const { rowCount } = await this.db.query('delete from sessions where expires_at < now()');
    return rowCount;
  }
}
