import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Config } from '../../config/schema.js';
import { AppError, type ErrorKind } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { RateLimitRepository } from '../../store/rate-limit-repository.js';
import { toAppError } from './errors.js';

export type RateBucket = 'login' | 'launch' | 'registration' | 'adminApi';

declare module 'express-serve-static-core' {
  interface Request {
    rateBucket?: RateBucket;
  }
}

/**
 * Which refusals count as failures. The admin API counts only a missing or wrong token, so a
 * script's mistyped request body never locks its operator out; the LTI doors count every refusal
 * a client could cause (unknown issuer, bad token, lost state, used registration link).
 */
const COUNTED: Record<RateBucket, readonly ErrorKind[]> = {
  login: ['invalid', 'unauthenticated', 'forbidden', 'not_found', 'too_large'],
  launch: ['invalid', 'unauthenticated', 'forbidden', 'not_found', 'too_large'],
  registration: ['invalid', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'too_large'],
  adminApi: ['unauthenticated'],
};

/** The most addresses an instance remembers as refused; beyond it the oldest are forgotten. */
const MAX_REMEMBERED = 10_000;

/**
 * Rate limits on failures per address, shared by every instance through the database. A request
 * costs no statement until it fails; each failure is one upsert whose count says whether the
 * address is over its limit. From then on this instance refuses the address's requests at that
 * door (429, Retry-After, `rate_limited`) without any work until the window ends; another
 * instance joins in at the address's next failure there.
 */
export class FailureLimiter {
  private readonly refused = new Map<string, number>();

  constructor(
    private readonly repo: RateLimitRepository,
    private readonly settings: Config['rateLimits'],
    private readonly logger: Logger,
  ) {}

  /** Marks requests for `bucket` and refuses an address this instance knows to be over its limit. */
  gate(bucket: RateBucket): RequestHandler {
    return (req, res, next) => {
      if (!this.settings.enabled) return next();
      req.rateBucket = bucket;
      const until = this.refused.get(refusalKey(bucket, addressOf(req)));
      if (until !== undefined && until > Date.now()) return next(tooMany(res, until));
      next();
    };
  }

  /** Error middleware, before the error handler: counts a failure and turns it into 429 when over the limit. */
  readonly countFailures: ErrorRequestHandler = (err, req, res, next) => {
    const bucket = req.rateBucket;
    if (!bucket || res.headersSent) return next(err);
    const appErr = toAppError(err);
    if (!COUNTED[bucket].includes(appErr.kind)) return next(err);
    const ip = addressOf(req);
    this.repo.recordFailure(bucket, ip, this.settings.windowSeconds).then(
      ({ failures, resetAt }) => {
        if (failures <= this.settings[bucket]) return next(err);
        this.remember(refusalKey(bucket, ip), resetAt.getTime());
        req.log?.warn({ bucket, ip, failures, code: appErr.code }, 'rate limited: too many failed requests from this address');
        next(tooMany(res, resetAt.getTime()));
      },
      (dbErr: unknown) => {
        // Counting must never hide the request's own answer (e.g. during a database outage).
        this.logger.warn({ err: dbErr, bucket }, 'rate limit failure not counted');
        next(err);
      },
    );
  };

  private remember(key: string, until: number): void {
    if (this.refused.size >= MAX_REMEMBERED) {
      const now = Date.now();
      for (const [k, t] of this.refused) if (t <= now) this.refused.delete(k);
      if (this.refused.size >= MAX_REMEMBERED) this.refused.delete(this.refused.keys().next().value!);
    }
    this.refused.set(key, until);
  }
}

const refusalKey = (bucket: RateBucket, ip: string) => `${bucket} ${ip}`;
const addressOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** 429 with Retry-After in seconds (RFC 6585 §4, RFC 9110 §10.2.3). */
function tooMany(res: Response, until: number): AppError {
  const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
  res.setHeader('Retry-After', String(seconds));
  return new AppError('rate_limited', 'Too many failed requests from this address.', {
    kind: 'rate_limited',
    help: `Wait ${seconds} seconds, then try again.`,
    details: { retryAfterSeconds: seconds },
  });
}
