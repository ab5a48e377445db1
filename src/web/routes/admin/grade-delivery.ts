import { Router } from 'express';
import { deliveryByPlatform } from '../../../grades/grade-status.js';
import type { AppContext } from '../../context.js';
import { canReachPlatform } from '../../middleware/admin-session.js';

/**
 * GET /admin/api/grade-delivery: per platform, scores waiting for over an hour (its LMS is probably
 * refusing them), since when the oldest has waited, and failed scores. An LMS administrator sees
 * only their own platform.
 */
export function gradeDeliveryAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/grade-delivery', async (req, res) => {
    const figures = await deliveryByPlatform(ctx.db);
    res.json({ platforms: figures.filter((f) => canReachPlatform(req.adminScope, f.platformId)) });
  });
  return router;
}
