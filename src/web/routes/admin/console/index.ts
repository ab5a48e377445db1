import { Router, type RequestHandler } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../../shared/errors.js';
import type { AppContext } from '../../../context.js';
import { requireAdminSession, setAdminCookie } from '../../../middleware/admin-session.js';
import { signInRoutes } from './sign-in.js';
import { platformPages } from './platforms.js';
import { registrationPages } from './registration.js';
import { privacyPages } from './privacy.js';
import { usagePages } from './usage.js';

/** Every console form carries the session's CSRF token in `_csrf`. */
const consoleCsrf: RequestHandler = (req, res, next) => {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
    next();
    return;
  }
  const given = (req.body as Record<string, unknown> | undefined)?._csrf;
  const a = Buffer.from(typeof given === 'string' ? given : '');
  const b = Buffer.from(String(res.locals.csrfToken ?? ''));
  next(
    a.length === b.length && b.length > 0 && timingSafeEqual(a, b)
      ? undefined
      : new AppError('csrf_failed', 'This form has expired.', { kind: 'forbidden', help: 'Reload the page and try again.' }),
  );
};

/** The admin console: server-rendered pages under /admin (the API stays under /admin/api). */
export function adminConsoleRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(signInRoutes(ctx));
  const guard = [requireAdminSession(ctx), consoleCsrf];
  router.get('/admin', ...guard, (_req, res) => res.redirect(303, '/admin/platforms'));
  router.post('/admin/sign-out', ...guard, async (req, res) => {
    await ctx.adminSessions.destroy(String(res.locals.adminToken));
    await ctx.privacy.audit.record({
      actor: { kind: req.adminScope?.kind === 'platform' ? 'lms_admin' : 'operator', ip: req.ip ?? null },
      action: 'admin.sign_out',
    });
    setAdminCookie(res, ctx.config.publicUrl, null);
    res.redirect(303, '/admin/sign-in');
  });
  router.use('/admin', ...guard, platformPages(ctx), registrationPages(ctx), usagePages(ctx), privacyPages(ctx));
  return router;
}
