import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../shared/errors.js';
import { personRef, type Actor } from '../../store/audit-log.js';
import type { AppContext } from '../context.js';
import { resolveLocale } from '../i18n/index.js';
import { adminAuth } from './admin-auth.js';
import { readCookieValues } from './cookies.js';
import { csrfTokenFor } from './csrf.js';

/** The admin console cookie: only ever sent to /admin, never cross-site (SameSite=Strict). */
export const ADMIN_COOKIE = 'pw_admin';

/** What an admin may reach: everything (the operator) or one platform (an LMS administrator). */
export type AdminScope = { kind: 'operator' } | { kind: 'platform'; platformId: string; userId: string | null };

declare module 'express-serve-static-core' {
  interface Request {
    adminScope?: AdminScope;
  }
}

/**
 * Sets (or, with no token, clears) the admin session cookie through Express: HttpOnly,
 * SameSite=Strict, Secure on https, path /admin; a session cookie (no Max-Age) while set.
 */
export function setAdminCookie(res: Response, publicUrl: string, token: string | null): void {
  const options = { path: '/admin', httpOnly: true, sameSite: 'strict' as const, secure: publicUrl.startsWith('https:') };
  if (token) res.cookie(ADMIN_COOKIE, token, options);
  else res.clearCookie(ADMIN_COOKIE, options);
}

/** The audit actor of an admin request. */
export function adminActor(req: Request): Actor {
  const scope = req.adminScope;
  if (scope?.kind === 'platform') return { kind: 'lms_admin', ref: scope.userId ? personRef(scope.userId) : null, ip: req.ip ?? null };
  return { kind: 'operator', ip: req.ip ?? null };
}

/** True when the scope may see or change `platformId`. */
export function canReachPlatform(scope: AdminScope | undefined, platformId: string): boolean {
  return scope?.kind === 'operator' || (scope?.kind === 'platform' && scope.platformId === platformId);
}

/** Refuses anything but the operator (key rotation, registration, retention are the operator's). */
export const operatorOnly: RequestHandler = (req, _res, next) => {
  next(
    req.adminScope?.kind === 'operator'
      ? undefined
      : new AppError('operator_only', 'Only the Pathwise operator can do this.', {
          kind: 'forbidden',
          help: 'Ask whoever runs Pathwise for your district to do it, or sign in with the admin token.',
        }),
  );
};

async function loadSession(ctx: AppContext, req: Request, res: Response): Promise<boolean> {
  // Same-name cookies: the first naming a live session wins (see readCookie in cookies.ts).
  let token = '';
  let session = null;
  for (const candidate of readCookieValues(req, ADMIN_COOKIE)
    .filter((v) => /^[\w-]{43}$/.test(v))
    .slice(0, 3)) {
    token = candidate;
    session = await ctx.adminSessions.touch(candidate);
    if (session) break;
  }
  if (!session) return false;
  req.adminScope = session.platformId ? { kind: 'platform', platformId: session.platformId, userId: session.userId } : { kind: 'operator' };
  res.locals.adminToken = token;
  res.locals.csrfToken = csrfTokenFor(token);
  res.locals.locale = resolveLocale(session.locale ?? (req.acceptsLanguages('en', 'es') || undefined));
  res.locals.adminScope = req.adminScope;
  res.setHeader('Cache-Control', 'no-store');
  return true;
}

/**
 * /admin/api: the bearer ADMIN_TOKEN (scripts, the CLI) makes the operator; without an
 * Authorization header, a console session cookie works too, limited to its scope, and an unsafe
 * method then needs the session's CSRF token in `X-CSRF-Token`.
 */
export function adminApiAuth(ctx: AppContext): RequestHandler {
  const bearer = adminAuth(ctx.config.adminToken);
  return async (req, res, next) => {
    try {
      if (!req.headers.authorization && (await loadSession(ctx, req, res))) {
        const safe = ['GET', 'HEAD', 'OPTIONS'].includes(req.method);
        if (!safe && req.headers['x-csrf-token'] !== res.locals.csrfToken) {
          next(
            new AppError('csrf_failed', 'This request has no valid CSRF token.', {
              kind: 'forbidden',
              help: 'Send the console page’s CSRF token in X-CSRF-Token.',
            }),
          );
          return;
        }
        next();
        return;
      }
      bearer(req, res, (err?: unknown) => {
        if (!err) req.adminScope = { kind: 'operator' };
        next(err);
      });
    } catch (err) {
      next(err);
    }
  };
}

/** Console pages: a live admin session, or a redirect to the sign-in form (POSTs get 401). */
export function requireAdminSession(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    try {
      if (await loadSession(ctx, req, res)) {
        next();
        return;
      }
      if (req.method === 'GET') {
        res.redirect(303, '/admin/sign-in');
        return;
      }
      next(new AppError('admin_session_expired', 'Your admin session has ended.', { kind: 'unauthenticated', help: 'Sign in again.' }));
    } catch (err) {
      next(err);
    }
  };
}
