import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../../shared/logger.js';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
  }
}

const CHILD = Symbol('request logger');
type WithChild = Request & { [CHILD]?: Logger };

/**
 * Gives each request an id (echoed in X-Request-Id) and a child logger; logs one line per request,
 * without query strings, when the level lets info lines through. The child logger is made on first
 * use of `req.log`: pino serialises (and redacts) its bindings when it is made, and most requests
 * never log. `req.log` is an accessor of the app's request prototype, defined once, so each
 * request object keeps the shape Express gives it.
 */
export function requestContext(logger: Logger): RequestHandler {
  let installed: object | undefined;
  return (req, res, next) => {
    const proto = Object.getPrototypeOf(req) as object;
    if (installed !== proto) {
      installed = proto;
      Object.defineProperty(proto, 'log', {
        configurable: true,
        get(this: WithChild) {
          return (this[CHILD] ??= logger.child({ requestId: this.id }));
        },
        set(this: WithChild, value: Logger) {
          this[CHILD] = value;
        },
      });
    }
    req.id = randomUUID();
    res.setHeader('X-Request-Id', req.id);
    if (logger.isLevelEnabled('info')) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        req.log.info({ method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
      });
    }
    next();
  };
}
