import { randomBytes } from 'node:crypto';
import type { Queryable } from './database.js';
import { hashSessionToken } from './session-repository.js';

export interface AdminSession {
  id: string;
  /** Null for the operator; an LMS administrator's session is limited to this platform. */
  platformId: string | null;
  userId: string | null;
  locale: string | null;
}

export interface AdminSessionOptions {
  idleTimeoutMinutes: number;
  maxFailures: number;
  lockoutMinutes: number;
}

/**
 * Admin console sessions (only the SHA-256 of the token is stored; idle ones end after
 * idleTimeoutMinutes) and the operator sign-in lock-out per address, both in the database so
 * every instance sees them.
 */
export class AdminSessions {
  constructor(
    private readonly db: Queryable,
    private readonly options: AdminSessionOptions,
  ) {}

  /** When the address is locked out until, or null. */
  async lockedUntil(ip: string): Promise<Date | null> {
    const { rows } = await this.db.query<{ until: Date }>(`select locked_until as until from admin_sign_in_failures where ip = $1 and locked_until > now()`, [
      ip,
    ]);
    return rows[0]?.until ?? null;
  }

  /**
   * Counts a wrong token from `ip`. Failures older than the lock-out period start over; the
   * maxFailures-th locks the address for lockoutMinutes. Returns the lock's end when it locks.
   */
  async recordFailure(ip: string): Promise<{ failures: number; lockedUntil: Date | null }> {
    const { rows } = await this.db.query<{ failures: number; lockedUntil: Date | null }>(
      `insert into admin_sign_in_failures as f (ip, failures, first_at) values ($1, 1, now())
       on conflict (ip) do update set
         failures = case when f.first_at < now() - make_interval(mins => $2) then 1 else f.failures + 1 end,
         first_at = case when f.first_at < now() - make_interval(mins => $2) then now() else f.first_at end,
         locked_until = null
       returning failures, locked_until as "lockedUntil"`,
      [ip, this.options.lockoutMinutes],
    );
    const failures = rows[0]!.failures;
    if (failures < this.options.maxFailures) return { failures, lockedUntil: null };
    const locked = await this.db.query<{ until: Date }>(
      `update admin_sign_in_failures set locked_until = now() + make_interval(mins => $2), failures = 0, first_at = now()
       where ip = $1 returning locked_until as until`,
      [ip, this.options.lockoutMinutes],
    );
    return { failures, lockedUntil: locked.rows[0]!.until };
  }

  async clearFailures(ip: string): Promise<void> {
    await this.db.query(`delete from admin_sign_in_failures where ip = $1 and (locked_until is null or locked_until <= now())`, [ip]);
  }

  /** Opens a session; the token is returned once and never stored. */
  async create(input: { platformId?: string | null; userId?: string | null; locale?: string | null }): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.query(`insert into admin_sessions (id, platform_id, user_id, locale) values ($1, $2, $3, $4)`, [
      hashSessionToken(token),
      input.platformId ?? null,
      input.userId ?? null,
      input.locale ?? null,
    ]);
    // Idle sessions of anyone are cleared as new ones open (there are few admins).
    await this.db.query(`delete from admin_sessions where last_seen_at < now() - make_interval(mins => $1)`, [this.options.idleTimeoutMinutes]);
    return token;
  }

  /** The live session of a token, touched (the idle timeout starts again), or null. */
  async touch(token: string): Promise<AdminSession | null> {
    const { rows } = await this.db.query<AdminSession>(
      `update admin_sessions set last_seen_at = now()
        where id = $1 and last_seen_at >= now() - make_interval(mins => $2)
        returning id, platform_id as "platformId", user_id as "userId", locale`,
      [hashSessionToken(token), this.options.idleTimeoutMinutes],
    );
    return rows[0] ?? null;
  }

  async destroy(token: string): Promise<void> {
    await this.db.query(`delete from admin_sessions where id = $1`, [hashSessionToken(token)]);
  }

  /** A one-minute, one-time ticket that opens a console session limited to `platformId`. */
  async createTicket(input: { platformId: string; userId: string | null; locale: string | null }): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.query(`delete from admin_tickets where expires_at < now()`);
    await this.db.query(`insert into admin_tickets (id, platform_id, user_id, locale, expires_at) values ($1, $2, $3, $4, now() + interval '60 seconds')`, [
      hashSessionToken(token),
      input.platformId,
      input.userId,
      input.locale,
    ]);
    return token;
  }

  /** Uses a ticket once: its session's token, or null when it is unknown, used or expired. */
  /**
   * Deletes what has run out: sessions idle past the timeout, unused tickets past their minute,
   * and wrong-token counts (with the address) once their lock-out period is over. Returns how many rows went.
   */
  async purgeExpired(): Promise<number> {
    const sessions = await this.db.query(`delete from admin_sessions where last_seen_at < now() - make_interval(mins => $1)`, [
      this.options.idleTimeoutMinutes,
    ]);
    const tickets = await this.db.query(`delete from admin_tickets where expires_at < now()`);
    const failures = await this.db.query(
      `delete from admin_sign_in_failures where first_at < now() - make_interval(mins => $1) and (locked_until is null or locked_until <= now())`,
      [this.options.lockoutMinutes],
    );
    return sessions.rowCount + tickets.rowCount + failures.rowCount;
  }

  async redeemTicket(ticket: string): Promise<{ token: string; locale: string | null; platformId: string; userId: string | null } | null> {
    const { rows } = await this.db.query<{ platformId: string; userId: string | null; locale: string | null }>(
      `delete from admin_tickets where id = $1 and expires_at >= now()
       returning platform_id as "platformId", user_id as "userId", locale`,
      [hashSessionToken(ticket)],
    );
    const t = rows[0];
    if (!t) return null;
    return { token: await this.create(t), ...t };
  }
}
