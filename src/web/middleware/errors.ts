import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, isAppError, type ErrorKind } from '../../shared/errors.js';
import { isDatabaseUnavailable } from '../../store/database-errors.js';
import { localizeError } from '../i18n/errors.js';
import { browserLocale, translate } from '../i18n/index.js';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** Seconds a client is asked to wait after a 503. */
export const RETRY_AFTER_SECONDS = 10;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** API clients get JSON; people get a page. */
export function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/admin/api') || req.path.startsWith('/api/')) return true;
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Normalises whatever was thrown (body-parser errors included) into an AppError. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = err as { type?: string; status?: number; expose?: boolean };
  if (e?.type === 'entity.too.large') {
    return new AppError('request_too_large', 'The request body is too large.', { kind: 'too_large' });
  }
  // Any other refusal of the body parsers (a charset or content encoding it cannot read: 415), and a
  // path the router cannot percent-decode (a URIError it marks 400), are the client's: both were 500s.
  const clientStatus = typeof e?.status === 'number' && e.status >= 400 && e.status < 500;
  if (e?.type === 'entity.parse.failed' || (clientStatus && (e?.expose || err instanceof URIError))) {
    return new AppError('malformed_request', 'The request body could not be read.', { kind: 'invalid' });
  }
  if (isDatabaseUnavailable(err)) {
    return new AppError('database_unavailable', 'Pathwise cannot reach its database right now.', {
      kind: 'unavailable',
      help: 'Nothing you saved before is lost. Try again in a minute.',
      cause: err,
    });
  }
  return new AppError('internal_error', 'Internal error', { kind: 'internal', expose: false, cause: err });
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`, { kind: 'not_found' }));
};

/** The one error handler: logs with the request id, never sends a stack trace. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appErr = toAppError(err);
  const status = STATUS[appErr.kind];
  const log = req.log ?? console;
  if (status >= 500) log.error({ err: appErr.cause ?? err, code: appErr.code }, 'request failed');
  else log.warn({ code: appErr.code, reason: appErr.message }, 'request refused');
  if (res.headersSent) return;
  // A 503 says when to come back (RFC 9110 §10.2.3): a database or LMS outage is usually short.
  if (status === 503 && !res.getHeader('retry-after')) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  // A session or the demo names the language; without one (an unknown address, an ended session, a
  // refused launch) the browser's Accept-Language does, as on the admin console's sign-in page.
  const locale = (res.locals.locale as string | undefined) ?? browserLocale(req);
  res.locals.locale = locale;
  // A code has its text in the catalog (errors.<code>.message / .help): test/unit/web/error-catalog.test.ts.
  const { message, help } = localizeError(appErr, locale);
  if (wantsJson(req)) {
    res.status(status).json({
      error: {
        // Field-level problems of a 400 (e.g. problems: [{path, message}]) help an API client fix its request.
        ...(appErr.expose && appErr.kind === 'invalid' && isObject(appErr.details) ? appErr.details : {}),
        code: appErr.code,
        message,
        ...(help ? { help } : {}),
        requestId: req.id,
      },
    });
    return;
  }
  const titleKey = status === 404 ? 'error.notFound.title' : `error.${appErr.kind}.title`;
  res.status(status).render('pages/error', {
    title: translate(locale, titleKey) === titleKey ? translate(locale, 'error.title') : translate(locale, titleKey),
    code: appErr.code,
    message,
    help,
    requestId: req.id,
  });
};
