import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { adminActor, operatorOnly } from '../../middleware/admin-session.js';

/** POST /admin/api/registration-invites: a one-time Dynamic Registration link to paste into the LMS. */
export function registrationInviteAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/registration-invites', operatorOnly, async (req, res) => {
    const invite = await ctx.dynamicRegistration.createInvite();
    await ctx.privacy.audit.record({ actor: adminActor(req), action: 'registration.invite_created', details: { expiresAt: invite.expiresAt } });
    req.log.info({ expiresAt: invite.expiresAt }, 'registration invite created');
    res.status(201).json(invite);
  });
  return router;
}
