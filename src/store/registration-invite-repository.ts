import { createHash, randomUUID } from 'node:crypto';
import type { Queryable } from './database.js';

export interface RegistrationInvite {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  platformId: string | null;
  failedAttempts: number;
}

const COLUMNS = `id, created_at as "createdAt", expires_at as "expiresAt", used_at as "usedAt", platform_id as "platformId", failed_attempts as "failedAttempts"`;

/** SHA-256 of an invite token, hex. Only the hash is stored, so a database dump reveals no usable link. */
export function hashInviteToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** One-time registration links (LTI Dynamic Registration). */
export class RegistrationInviteRepository {
  constructor(private readonly db: Queryable) {}

  /** Stores a new invite for `token` (hashed) that expires at `expiresAt`. */
  async create(token: string, expiresAt: Date): Promise<RegistrationInvite> {
    const { rows } = await this.db.query<RegistrationInvite>(
      `insert into registration_invites (id, token_hash, expires_at) values ($1, $2, $3) returning ${COLUMNS}`,
      [randomUUID(), hashInviteToken(token), expiresAt],
    );
    return rows[0]!;
  }

  /** The invite for a raw token, used or not; null when no such invite exists. */
  async findByToken(token: string): Promise<RegistrationInvite | null> {
    const { rows } = await this.db.query<RegistrationInvite>(`select ${COLUMNS} from registration_invites where token_hash = $1`, [hashInviteToken(token)]);
    return rows[0] ?? null;
  }

  /**
   * Claims the invite: marks it used only if it is still unused and unexpired. Returns false when
   * another request got there first. Run it first in the transaction that stores the platform:
   * the row lock makes a concurrent second use wait, then lose, and its insert is rolled back.
   */
  async claim(id: string, db: Queryable = this.db): Promise<boolean> {
    const { rowCount } = await db.query(`update registration_invites set used_at = now() where id = $1 and used_at is null and expires_at > now()`, [id]);
    return rowCount === 1;
  }

  /** Counts one failed registration attempt against the invite. */
  async recordFailure(id: string): Promise<void> {
    await this.db.query(`update registration_invites set failed_attempts = failed_attempts + 1 where id = $1`, [id]);
  }

  /** Records which platform a claimed invite registered. */
  async attachPlatform(id: string, platformId: string, db: Queryable = this.db): Promise<void> {
    await db.query(`update registration_invites set platform_id = $2 where id = $1`, [id, platformId]);
  }
}
