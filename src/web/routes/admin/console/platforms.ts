import { Router } from 'express';
import { notFound } from '../../../../shared/errors.js';
import { deploymentOverview } from '../../../../store/console-queries.js';
import type { AppContext } from '../../../context.js';
import { adminActor, canReachPlatform } from '../../../middleware/admin-session.js';
import { done, noticeOf, renderAdmin, uuidParam, when } from './page.js';

const missing = () => notFound('not_found', 'There is nothing at this address.', 'Go back to the list of platforms.', { variant: 'platform' });

/** Platforms and deployments: status and last launch, approve/block, turn a platform off or on. */
export function platformPages(ctx: AppContext): Router {
  const router = Router();

  router.get('/platforms', async (req, res) => {
    const scope = req.adminScope;
    const limit = scope?.kind === 'platform' ? scope.platformId : undefined;
    const [platforms, deployments] = await Promise.all([ctx.platforms.list(), deploymentOverview(ctx.db, limit)]);
    renderAdmin(res, 'platforms', 'pages/admin-platforms', {
      noticeKey: noticeOf(req),
      platforms: platforms
        .filter((p) => canReachPlatform(scope, p.id))
        .map((p) => {
          const ds = deployments.filter((d) => d.platformId === p.id);
          const last = ds
            .map((d) => d.lastLaunchAt)
            .filter((d): d is Date => Boolean(d))
            .sort((a, b) => b.getTime() - a.getTime())[0];
          return {
            id: p.id,
            name: p.name ?? p.issuer,
            issuer: p.issuer,
            clientId: p.clientId,
            productFamily: p.productFamily,
            off: Boolean(p.disabledAt),
            offSince: when(res, p.disabledAt),
            created: when(res, p.createdAt),
            lastLaunch: when(res, last),
            deployments: ds.map((d) => ({
              ...d,
              statusKey: `admin.status.${d.status}`,
              lastLaunch: when(res, d.lastLaunchAt),
              canApprove: d.status !== 'active',
              canBlock: d.status !== 'blocked',
            })),
          };
        }),
    });
  });

  for (const action of ['approve', 'block'] as const) {
    router.post(`/deployments/:id/${action}`, async (req, res) => {
      const found = await ctx.platforms.findDeploymentById(uuidParam(req));
      if (!found || !canReachPlatform(req.adminScope, found.platformId)) throw missing();
      const d = action === 'approve' ? await ctx.platforms.approveDeployment(found.id) : await ctx.platforms.blockDeployment(found.id);
      await ctx.privacy.audit.record({
        actor: adminActor(req),
        action: action === 'approve' ? 'deployment.approved' : 'deployment.blocked',
        platformId: found.platformId,
        target: d!.deploymentId,
      });
      req.log.info({ deploymentId: found.id }, `deployment ${action === 'approve' ? 'approved' : 'blocked'} in the console`);
      done(res, '/admin/platforms', action === 'approve' ? 'approved' : 'blocked');
    });
  }

  for (const [verb, off] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    router.post(`/platforms/:id/${verb}`, async (req, res) => {
      const id = uuidParam(req);
      if (!canReachPlatform(req.adminScope, id)) throw missing();
      const p = await ctx.platforms.setDisabled(id, off);
      if (!p) throw missing();
      await ctx.privacy.audit.record({ actor: adminActor(req), action: off ? 'platform.disabled' : 'platform.enabled', platformId: id });
      req.log.info({ platformId: id }, off ? 'platform turned off in the console' : 'platform turned on in the console');
      done(res, '/admin/platforms', off ? 'platform_off' : 'platform_on');
    });
  }

  return router;
}
