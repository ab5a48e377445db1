import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { adminAuth } from '../../middleware/admin-auth.js';
import { keyAdminRoutes } from './keys.js';
import { platformAdminRoutes } from './platforms.js';
import { registrationInviteAdminRoutes } from './registration-invites.js';
import { toolAdminRoutes } from './tool.js';

/**
 * The admin API under /admin/api. Every path there, unknown ones included, goes through the
 * bearer-token check first, so an unauthenticated caller learns nothing about what exists.
 */
export function adminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/admin/api', adminAuth(ctx.config.adminToken));
  router.use(
    '/admin/api',
    platformAdminRoutes(ctx),
    keyAdminRoutes(ctx),
    toolAdminRoutes(ctx),
    registrationInviteAdminRoutes(ctx),
  );
  return router;
}
