import { Router } from 'express';
import { z } from 'zod';
import { toolEndpoints } from '../../../../lti/registration/tool-configuration.js';
import { registrationInvites, toolKeyDates } from '../../../../store/console-queries.js';
import type { AppContext } from '../../../context.js';
import { adminActor, operatorOnly } from '../../../middleware/admin-session.js';
import { done, noticeOf, renderAdmin, when } from './page.js';

const LMS = ['canvas', 'moodle', 'schoology'] as const;
const lmsQuery = z.object({ lms: z.enum(LMS).catch('canvas') });

/** Registration links, the manual-registration values per LMS (one tab each), and the tool keys. */
export function registrationPages(ctx: AppContext): Router {
  const router = Router();

  const page = async (
    req: Parameters<Parameters<typeof router.get>[1]>[0],
    res: Parameters<Parameters<typeof router.get>[1]>[1],
    newLink?: { url: string; expiresAt: Date },
  ) => {
    const lms = lmsQuery.parse(req.query).lms;
    const t = toolEndpoints(ctx.config.publicUrl);
    const now = Date.now();
    const invites = req.adminScope?.kind === 'operator' ? await registrationInvites(ctx.db) : [];
    renderAdmin(res, 'registration', 'pages/admin-registration', {
      noticeKey: noticeOf(req),
      newLink: newLink ? { url: newLink.url, expires: when(res, newLink.expiresAt) } : undefined,
      invites: invites.map((i) => ({
        created: when(res, i.createdAt),
        expires: when(res, i.expiresAt),
        stateKey: i.usedAt ? 'admin.invite.used' : i.expiresAt.getTime() <= now ? 'admin.invite.expired' : 'admin.invite.open',
        used: when(res, i.usedAt),
        platformName: i.platformName,
      })),
      tabs: LMS.map((l) => ({ id: l, labelKey: `admin.lms.${l}`, current: l === lms })),
      lms,
      canvas: lms === 'canvas',
      moodle: lms === 'moodle',
      schoology: lms === 'schoology',
      tool: { ...t, redirectUrl: t.redirectUrls[0] },
    });
  };

  router.get('/registration', (req, res) => page(req, res));

  router.post('/registration/invites', operatorOnly, async (req, res) => {
    const invite = await ctx.dynamicRegistration.createInvite();
    await ctx.privacy.audit.record({ actor: adminActor(req), action: 'registration.invite_created', details: { expiresAt: invite.expiresAt } });
    req.log.info({ expiresAt: invite.expiresAt }, 'registration invite created in the console');
    // Shown once, on this page only (never in a URL): only the link's hash is kept.
    await page(req, res, invite);
  });

  router.get('/keys', operatorOnly, async (req, res) => {
    const now = Date.now();
    const keys = await toolKeyDates(ctx.db);
    renderAdmin(res, 'keys', 'pages/admin-keys', {
      noticeKey: noticeOf(req),
      graceHours: ctx.config.keys.rotationGraceHours,
      keys: keys.map((k) => ({
        kid: k.kid,
        created: when(res, k.createdAt),
        activates: when(res, k.activatesAt),
        retires: when(res, k.retiresAt),
        stateKey:
          k.retiresAt && k.retiresAt.getTime() <= now
            ? 'admin.key.retired'
            : k.retiresAt
              ? 'admin.key.previous'
              : k.activatesAt.getTime() > now
                ? 'admin.key.next'
                : 'admin.key.current',
      })),
    });
  });

  router.post('/keys/rotate', operatorOnly, async (req, res) => {
    const rotated = await ctx.keys.rotate();
    await ctx.privacy.audit.record({ actor: adminActor(req), action: 'keys.rotated', target: rotated.kid });
    req.log.info({ kid: rotated.kid }, 'tool key rotated in the console');
    done(res, '/admin/keys', 'rotated');
  });

  return router;
}
