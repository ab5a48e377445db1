import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { adminActor, operatorOnly } from '../../middleware/admin-session.js';

/** Key rotation: the new key is published at once and signs from activatesAt; old keys stay published until previousRetiresAt. */
export function keyAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/keys/rotate', operatorOnly, async (req, res) => {
    const rotated = await ctx.keys.rotate();
    await ctx.privacy.audit.record({ actor: adminActor(req), action: 'keys.rotated', target: rotated.kid });
    req.log.info({ kid: rotated.kid }, 'tool key rotated');
    res.status(201).json({ kid: rotated.kid, activatesAt: rotated.activatesAt, previousRetiresAt: rotated.previousRetireAt });
  });
  return router;
}
