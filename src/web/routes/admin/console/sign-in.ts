import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { AppContext } from '../../../context.js';
import { readCookie } from '../../../middleware/cookies.js';
import { setAdminCookie } from '../../../middleware/admin-session.js';
import { personRef } from '../../../../store/audit-log.js';
import { browserLocale, resolveLocale, translate } from '../../../i18n/index.js';

/** The sign-in form's CSRF cookie (no session exists yet): double submit, SameSite=Strict. */
const FORM_COOKIE = 'pw_admin_form';
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Operator sign-in: the ADMIN_TOKEN typed into a form (never in a URL), compared as digests; a
 * good token opens an admin session cookie (HttpOnly, SameSite=Strict, Secure on https). Wrong
 * tokens are counted per address: the 5th locks the address out for 15 minutes. Every outcome is
 * logged (never the token) and audited.
 */
export function signInRoutes(ctx: AppContext): Router {
  const router = Router();
  const expected = ctx.config.adminToken ? digest(ctx.config.adminToken) : undefined;

  const form = (
    req: Parameters<Parameters<typeof router.get>[1]>[0],
    res: Parameters<Parameters<typeof router.get>[1]>[1],
    status: number,
    errorKey?: string,
    vars: Record<string, unknown> = {},
  ) => {
    const locale = browserLocale(req);
    const csrf = randomBytes(24).toString('base64url');
    res.cookie(FORM_COOKIE, csrf, { path: '/admin', httpOnly: true, sameSite: 'strict', secure: ctx.config.publicUrl.startsWith('https:'), maxAge: 3_600_000 });
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).render('pages/admin-sign-in', {
      locale,
      title: translate(locale, 'admin.signIn.title'),
      csrfToken: csrf,
      disabled: !expected,
      error: errorKey ? translate(locale, errorKey, vars) : undefined,
    });
  };

  router.get('/admin/sign-in', (req, res) => form(req, res, 200));

  router.post('/admin/sign-in', async (req, res) => {
    const ip = req.ip ?? 'unknown';
    const body = (req.body ?? {}) as Record<string, unknown>;
    const cookie = readCookie(req, FORM_COOKIE);
    const given = typeof body._csrf === 'string' ? body._csrf : '';
    if (!cookie || cookie.length !== given.length || !timingSafeEqual(Buffer.from(cookie), Buffer.from(given))) {
      form(req, res, 403, 'admin.signIn.expired');
      return;
    }
    if (!expected) {
      form(req, res, 404, 'admin.signIn.off');
      return;
    }
    const locked = await ctx.adminSessions.lockedUntil(ip);
    if (locked) {
      req.log.warn({ ip }, 'admin sign-in refused: address locked out');
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((locked.getTime() - Date.now()) / 1000))));
      form(req, res, 429, 'admin.signIn.locked', { minutes: Math.ceil((locked.getTime() - Date.now()) / 60_000) });
      return;
    }
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    if (!token || !timingSafeEqual(digest(token), expected)) {
      const r = await ctx.adminSessions.recordFailure(ip);
      await ctx.privacy.audit.record({
        actor: { kind: 'operator', ip },
        action: r.lockedUntil ? 'admin.locked_out' : 'admin.sign_in_failed',
        details: { failures: r.failures },
      });
      if (r.lockedUntil) {
        req.log.warn({ ip, failures: r.failures }, 'admin sign-in: address locked out after repeated wrong tokens');
        res.setHeader('Retry-After', String(ctx.config.admin.lockoutMinutes * 60));
        form(req, res, 429, 'admin.signIn.locked', { minutes: ctx.config.admin.lockoutMinutes });
        return;
      }
      req.log.warn({ ip, failures: r.failures }, 'admin sign-in: wrong token');
      form(req, res, 401, 'admin.signIn.wrong');
      return;
    }
    await ctx.adminSessions.clearFailures(ip);
    const session = await ctx.adminSessions.create({ locale: browserLocale(req) });
    await ctx.privacy.audit.record({ actor: { kind: 'operator', ip }, action: 'admin.sign_in' });
    req.log.info({ ip }, 'admin signed in');
    setAdminCookie(res, ctx.config.publicUrl, session);
    res.clearCookie(FORM_COOKIE, { path: '/admin', httpOnly: true, sameSite: 'strict', secure: ctx.config.publicUrl.startsWith('https:') });
    res.redirect(303, '/admin/platforms');
  });

  /** The LMS administrator's one-time ticket (from their launch) becomes a console session here. */
  router.get('/admin/enter', async (req, res) => {
    const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : '';
    const session = /^[\w-]{43}$/.test(ticket) ? await ctx.adminSessions.redeemTicket(ticket) : null;
    res.setHeader('Cache-Control', 'no-store');
    if (!session) {
      form(req, res, 401, 'admin.signIn.ticket');
      return;
    }
    setAdminCookie(res, ctx.config.publicUrl, session.token);
    await ctx.privacy.audit.record({
      actor: { kind: 'lms_admin', ref: session.userId ? personRef(session.userId) : null, ip: req.ip ?? null },
      action: 'admin.sign_in',
      platformId: session.platformId,
    });
    req.log.info({ platformId: session.platformId }, 'LMS administrator entered the console');
    const locale = resolveLocale(session.locale);
    // A page rather than a redirect: a SameSite=Strict cookie set in a navigation that began on the
    // LMS's site is sent only from the next same-site navigation on.
    res.render('pages/admin-enter', { locale, title: translate(locale, 'admin.enter.title') });
  });

  return router;
}
