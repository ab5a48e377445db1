import { Router } from 'express';
import { deliveryByPlatform } from '../../../grades/grade-status.js';
import type { AppContext } from '../../context.js';
import { canReachPlatform } from '../../middleware/admin-session.js';

/**
 * GET /admin/api/grade-delivery: per platform, scores sent, waiting, waiting for over an hour (its
 * LMS is probably refusing them), since when the oldest has waited, and failed — the figures the
 * console's usage page shows. An LMS administrator sees only their own platform.
 */
export function gradeDeliveryAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/grade-delivery', async (req, res) => {
    const scope = req.adminScope;
    const figures = await deliveryByPlatform(ctx.db, scope?.kind === 'platform' ? scope.platformId : undefined);
    res.json({ platforms: figures.filter((f) => canReachPlatform(scope, f.platformId)) });
  });
  return router;
}
