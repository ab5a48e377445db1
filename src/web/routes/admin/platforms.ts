import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../../shared/errors.js';
import { manualPlatformSchema, registerPlatformManually } from '../../../lti/registration/manual-registration.js';
import type { AppContext } from '../../context.js';
import { parseOrThrow } from './validate.js';

const deploymentParams = z.object({ id: z.uuid() });

/** Manual registration, the platform list, and one-click approval of pending deployments. */
export function platformAdminRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/platforms', async (req, res) => {
    const input = parseOrThrow(manualPlatformSchema, req.body);
    const platform = await registerPlatformManually(ctx.platforms, input);
    const listed = (await ctx.platforms.list()).find((p) => p.id === platform.id);
    req.log.info({ platformId: platform.id, issuer: platform.issuer }, 'platform registered manually');
    res.status(201).json({ platform: listed ?? platform });
  });

  router.get('/platforms', async (_req, res) => {
    res.json({ platforms: await ctx.platforms.list() });
  });

  router.post('/deployments/:id/approve', async (req, res) => {
    const parsed = deploymentParams.safeParse(req.params);
    const deployment = parsed.success ? await ctx.platforms.approveDeployment(parsed.data.id) : null;
    if (!deployment) {
      throw notFound('deployment_not_found', 'There is no deployment with this id.', 'List platforms with GET /admin/api/platforms to see deployment ids.');
    }
    req.log.info({ deploymentId: deployment.id }, 'deployment approved');
    res.json({ deployment });
  });

  return router;
}
