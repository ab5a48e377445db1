import type { Database } from '../../store/database.js';
import type { Logger } from '../../shared/logger.js';
import { claimDueScores, completeClaims, type ClaimedScore, type DeliveryOutcome } from '../../store/grade-outbox.js';
import { loadDeliveryTargets, saveResolvedLineItem, targetKey, type DeliveryTarget } from '../../store/ags-endpoints.js';
import { agsScopes, LineItems } from './line-items.js';
import { buildScore, postScore } from './scores.js';
import { classifyDeliveryFailure } from './failure-kind.js';
import { isRetryableError, retryAfterOf, retryDelay, type ServiceFetch } from './retry-policy.js';

type Done = { row: ClaimedScore; outcome: DeliveryOutcome };

export interface OutboxWorkerOptions {
  /** How often to look for due scores when nobody kicks (grades.pollIntervalMs). */
  pollIntervalMs: number;
  /** A score refused only temporarily keeps waiting until it is this old (grades.retryForHours, default 72). */
  retryForHours: number;
  /** Deliveries in flight at once (grades.concurrency). */
  concurrency: number;
  /** Rows claimed per round trip (grades.batchSize). */
  batchSize: number;
  /** A row left 'sending' this long is taken over: its worker died (grades.leaseMs). */
  leaseMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  logger?: Logger;
  random?: () => number;
}

/** Counters since start, for benchmarks and logs. */
export interface OutboxStats {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Delivers the grade outbox to the platforms' AGS score endpoints. Any number of workers (in one
 * process or many) may run against one database: rows are claimed with SKIP LOCKED and a lease.
 * Temporary failures (network, timeout, 408, 429, 5xx, the token endpoint down) are retried with
 * exponential backoff and full jitter capped at `maxDelayMs` (about 15 min, so a score arrives within
 * one step of the LMS's recovery), honouring Retry-After, until the score is `retryForHours` old:
 * an LMS outage of a weekend loses nothing. Permanent refusals (400, 401/403 after a fresh token,
 * 404) fail the score at once with the platform's reason. https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service
 */
export class OutboxWorker {
  readonly stats: OutboxStats = { sent: 0, retried: 0, failed: 0 };
  private readonly lineItems: LineItems;
  private running: Promise<void> | undefined;
  private closed = false;
  private kicked = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly db: Database,
    private readonly http: ServiceFetch,
    private readonly options: OutboxWorkerOptions,
  ) {
    this.lineItems = new LineItems(http, (placementId, url) => saveResolvedLineItem(db, placementId, url));
  }

  /** Starts polling. Idempotent. */
  start(): void {
    if (this.running || this.closed) return;
    this.running = this.loop();
  }

  /** Looks for due scores now instead of at the next poll (call after committing an enqueue). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /**
   * Stops claiming, lets deliveries in flight finish (each is bounded by the service call
   * timeout) and gives unstarted claimed rows back. Call before closing the database.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.running;
  }

  /**
   * Delivers everything due now and resolves when nothing is due. A pipeline: up to
   * `concurrency` deliveries run at once, more rows are claimed (`batchSize` at a time) as slots
   * free up, so one slow LMS does not hold back the others; outcomes are recorded a batch at a time.
   */
  async drain(): Promise<number> {
    const queue: ClaimedScore[] = [];
    const targets = new Map<string, DeliveryTarget>();
    const lanes = new Set<Promise<void>>();
    const done: Done[] = [];
    let handled = 0;
    let oldestDone = 0;
    let exhausted = false;
    for (;;) {
      if (!this.closed && !exhausted && queue.length < this.options.concurrency) {
        const rows = await claimDueScores(this.db, this.options.batchSize, this.options.leaseMs);
        if (rows.length < this.options.batchSize) exhausted = true;
        if (rows.length > 0) {
          try {
            for (const [k, t] of await loadDeliveryTargets(this.db, rows)) targets.set(k, t);
            queue.push(...rows);
          } catch (err) {
            this.options.logger?.error({ err }, 'grade outbox: could not load delivery targets');
            for (const row of rows) done.push({ row, outcome: { kind: 'released' } });
            exhausted = true;
          }
        }
      }
      if (this.closed) for (const row of queue.splice(0)) done.push({ row, outcome: { kind: 'released' } });
      while (lanes.size < this.options.concurrency && queue.length > 0) {
        const row = queue.shift()!;
        const lane = this.deliver(row, targets.get(targetKey(row.placementId, row.userId))).then((outcome) => {
          if (done.length === 0) oldestDone = Date.now();
          done.push({ row, outcome });
          lanes.delete(lane);
        });
        lanes.add(lane);
      }
      if (lanes.size > 0) await Promise.race(lanes);
      const idle = lanes.size === 0 && (queue.length === 0 || this.closed);
      if (done.length >= this.options.batchSize || (done.length > 0 && (idle || Date.now() - oldestDone > 250))) {
        handled += await this.record(done.splice(0));
      }
      if (idle && (exhausted || this.closed)) return handled;
    }
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      this.kicked = false;
      try {
        await this.drain();
      } catch (err) {
        this.options.logger?.error({ err }, 'grade outbox: could not claim scores');
      }
      if (this.closed) break;
      if (!this.kicked) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      this.wake = done;
    });
  }

  /** Records outcomes in one statement per outcome kind; returns how many were delivered or settled. */
  private async record(done: Done[]): Promise<number> {
    try {
      const held = await completeClaims(this.db, done);
      if (held < done.length) this.options.logger?.warn({ lost: done.length - held }, 'grade outbox: leases lost before completion');
    } catch (err) {
      // The rows stay 'sending' and are taken over after the lease: delayed, never lost.
      this.options.logger?.error({ err }, 'grade outbox: could not record delivery outcomes');
      return 0;
    }
    for (const { outcome } of done) {
      if (outcome.kind === 'sent') this.stats.sent += 1;
      else if (outcome.kind === 'retry') this.stats.retried += 1;
      else if (outcome.kind === 'failed') this.stats.failed += 1;
    }
    return done.length;
  }

  private async deliver(row: ClaimedScore, target: DeliveryTarget | undefined): Promise<DeliveryOutcome> {
    try {
      if (!target) return { kind: 'failed', reason: 'The activity or the student no longer exists in Pathwise.', failure: 'removed' };
      const lineitemUrl = await this.lineItems.resolve(target, row.scoreMaximum);
      await postScore(this.http, target.platform, agsScopes(target.scopes), lineitemUrl, buildScore(row, target.userSub, target.platform));
      return { kind: 'sent' };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const failure = classifyDeliveryFailure(err);
      if (!isRetryableError(err)) return { kind: 'failed', reason, failure };
      if (row.waitingMs >= this.options.retryForHours * 3_600_000) {
        const hours = Math.round(row.waitingMs / 3_600_000);
        return { kind: 'failed', reason: `Gave up after ${hours} hours and ${row.attempts} attempts. Last error: ${reason}`, failure, gaveUp: true };
      }
      const delayMs = retryDelay(row.attempts, { ...this.options, retryAfterMs: retryAfterOf(err) });
      this.options.logger?.info({ outboxId: row.id, attempt: row.attempts, delayMs, reason }, 'grade outbox: will retry');
      return { kind: 'retry', delayMs, reason, failure };
    }
  }
}
