import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { csrfProtection } from '../../middleware/csrf.js';
import { requireSession } from '../../middleware/session.js';
import { checkRoutes } from './check.js';
import { competencyRoutes } from './competency.js';
import { studentDeps } from './deps.js';
import { mapRoutes } from './map.js';
import { profileRoutes } from './profile.js';
import { learnerScope } from './scope.js';

/**
 * The student's pages under /student: every one needs the launch session, checks CSRF on every
 * POST, and reads only the session's own user, course and placed unit.
 */
export function studentRoutes(ctx: AppContext): Router {
  const deps = studentDeps(ctx);
  const router = Router();
  router.use('/student', requireSession(ctx), csrfProtection(), learnerScope(ctx));
  router.use(mapRoutes(deps));
  router.use(competencyRoutes(deps));
  router.use(checkRoutes(deps));
  router.use(profileRoutes(deps));
  return router;
}
