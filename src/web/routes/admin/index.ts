import { Router } from 'express';
import { notFoundHandler } from '../../middleware/errors.js';
import type { AppContext } from '../../context.js';
import { adminApiAuth } from '../../middleware/admin-session.js';
import { keyAdminRoutes } from './keys.js';
import { platformAdminRoutes } from './platforms.js';
import { registrationInviteAdminRoutes } from './registration-invites.js';
import { statsAdminRoutes } from './stats.js';
import { toolAdminRoutes } from './tool.js';
import { privacyAdminRoutes } from './privacy.js';
import { gradeDeliveryAdminRoutes } from './grade-delivery.js';

/**
 * The admin API under /admin/api. Every path there, unknown ones included, goes through the
 * bearer-token check first, so an unauthenticated caller learns nothing about what exists.
 */
export function adminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/admin/api', adminApiAuth(ctx));
  router.use(
    '/admin/api',
    platformAdminRoutes(ctx),
    keyAdminRoutes(ctx),
    toolAdminRoutes(ctx),
    registrationInviteAdminRoutes(ctx),
    privacyAdminRoutes(ctx),
    statsAdminRoutes(ctx),
    gradeDeliveryAdminRoutes(ctx),
  );
  // An unknown API path ends here as JSON, not in the console's sign-in redirect mounted at /admin.
  router.use('/admin/api', notFoundHandler);
  return router;
}
