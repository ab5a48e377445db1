import type { Queryable } from './database.js';

export interface FailureCount {
  /** Failures counted in the current window, this one included. */
  failures: number;
  /** When the current window ends (the count starts over). */
  resetAt: Date;
}

/**
 * Counts failed requests per (bucket, key) in fixed windows, shared by every instance: one atomic
 * upsert per failure, nothing for a request that succeeds.
 */
export class RateLimitRepository {
  constructor(private readonly db: Queryable) {}

  /** Counts one failure; a window older than `windowSeconds` starts over at 1. */
  async recordFailure(bucket: string, key: string, windowSeconds: number): Promise<FailureCount> {
    const { rows } = await this.db.query<FailureCount>(
      `insert into rate_limit_failures as r (bucket, key, window_start, failures) values ($1, $2, now(), 1)
       on conflict (bucket, key) do update set
         failures = case when r.window_start <= now() - make_interval(secs => $3) then 1 else r.failures + 1 end,
         window_start = case when r.window_start <= now() - make_interval(secs => $3) then now() else r.window_start end
       returning failures, window_start + make_interval(secs => $3) as "resetAt"`,
      [bucket, key, windowSeconds],
    );
    const row = rows[0]!;
    return { failures: Number(row.failures), resetAt: new Date(row.resetAt) };
  }

  /** Deletes windows that ended (housekeeping); returns how many went. */
  async purgeExpired(windowSeconds: number): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `with gone as (delete from rate_limit_failures where window_start <= now() - make_interval(secs => $1) returning 1)
       select count(*)::int as n from gone`,
      [windowSeconds],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
