import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../../shared/errors.js';
import { manualPlatformSchema, registerPlatformManually } from '../../../lti/registration/manual-registration.js';
import type { AppContext } from '../../context.js';
import { adminActor, canReachPlatform, operatorOnly } from '../../middleware/admin-session.js';
import { parseOrThrow } from './validate.js';

const idParams = z.object({ id: z.uuid() });

const noDeployment = () =>
  notFound('deployment_not_found', 'There is no deployment with this id.', 'List platforms with GET /admin/api/platforms to see deployment ids.');
const noPlatform = () => notFound('platform_not_found', 'There is no platform with this id.', 'List platforms with GET /admin/api/platforms to see their ids.');

/**
 * Manual registration, the platform list, approving or blocking deployments, turning a platform
 * off or on. An LMS administrator sees and changes only their own platform; anything else is 404.
 */
export function platformAdminRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/platforms', operatorOnly, async (req, res) => {
    const input = parseOrThrow(manualPlatformSchema, req.body);
    const platform = await registerPlatformManually(ctx.platforms, input);
    const listed = (await ctx.platforms.list()).find((p) => p.id === platform.id);
    await ctx.privacy.audit.record({ actor: adminActor(req), action: 'registration.manual', platformId: platform.id, target: platform.issuer });
    req.log.info({ platformId: platform.id, issuer: platform.issuer }, 'platform registered manually');
    res.status(201).json({ platform: listed ?? platform });
  });

  router.get('/platforms', async (req, res) => {
    const all = await ctx.platforms.list();
    res.json({ platforms: all.filter((p) => canReachPlatform(req.adminScope, p.id)) });
  });

  /** A deployment the caller may reach, or 404 (another platform's deployment does not exist for them). */
  const reachableDeployment = async (req: Parameters<Parameters<typeof router.post>[1]>[0]) => {
    const parsed = idParams.safeParse(req.params);
    const deployment = parsed.success ? await ctx.platforms.findDeploymentById(parsed.data.id) : null;
    if (!deployment || !canReachPlatform(req.adminScope, deployment.platformId)) throw noDeployment();
    return deployment;
  };

  router.post('/deployments/:id/approve', async (req, res) => {
    const found = await reachableDeployment(req);
    const deployment = (await ctx.platforms.approveDeployment(found.id))!;
    await ctx.privacy.audit.record({
      actor: adminActor(req),
      action: 'deployment.approved',
      platformId: deployment.platformId,
      target: deployment.deploymentId,
    });
    req.log.info({ deploymentId: deployment.id }, 'deployment approved');
    res.json({ deployment });
  });

  router.post('/deployments/:id/block', async (req, res) => {
    const found = await reachableDeployment(req);
    const deployment = (await ctx.platforms.blockDeployment(found.id))!;
    await ctx.privacy.audit.record({
      actor: adminActor(req),
      action: 'deployment.blocked',
      platformId: deployment.platformId,
      target: deployment.deploymentId,
    });
    req.log.info({ deploymentId: deployment.id }, 'deployment blocked');
    res.json({ deployment });
  });

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    router.post(`/platforms/:id/${verb}`, async (req, res) => {
      const parsed = idParams.safeParse(req.params);
      if (!parsed.success || !canReachPlatform(req.adminScope, parsed.data.id)) throw noPlatform();
      const platform = await ctx.platforms.setDisabled(parsed.data.id, disabled);
      if (!platform) throw noPlatform();
      await ctx.privacy.audit.record({ actor: adminActor(req), action: disabled ? 'platform.disabled' : 'platform.enabled', platformId: platform.id });
      req.log.info({ platformId: platform.id }, disabled ? 'platform turned off' : 'platform turned on');
      res.json({ platform });
    });
  }

  return router;
}
