import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { invalid } from '../../../shared/errors.js';
import { canvasDeveloperKeyConfig } from '../../../lti/registration/canvas-config.js';
import type { AppContext } from '../../context.js';
import { translate } from '../../i18n/index.js';

const registerQuery = z.object({
  invite: z.string().max(200).optional(),
  openid_configuration: z.string().max(2000).optional(),
  registration_token: z.string().max(8000).optional(),
});

/**
 * The LMS opens the registration link in an iframe or a new window of its own admin pages, on a
 * host that is not registered yet (Canvas's UI host even differs from its issuer). The page does
 * nothing on a click, so letting any https page frame it costs no clickjacking protection.
 */
const frameableByAnyLms: RequestHandler = (_req, res, next) => {
  const csp = res.getHeader('Content-Security-Policy');
  if (typeof csp === 'string') {
    res.setHeader('Content-Security-Policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors https: http://localhost:* http://127.0.0.1:*'));
  }
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** LTI Dynamic Registration (GET /lti/register) and the Canvas JSON configuration (GET /lti/config.json). */
export function registrationRoutes(ctx: AppContext): Router {
  const router = Router();

  // https://www.imsglobal.org/spec/lti-dr/v1p0/#step-1-registration-initiation-request
  router.get('/lti/register', frameableByAnyLms, async (req, res) => {
    const query = registerQuery.safeParse(req.query);
    const q = query.success ? query.data : {};
    // Check the invite before anything else, so a bad link never makes Pathwise call out.
    await ctx.dynamicRegistration.usableInvite(q.invite);
    if (!q.openid_configuration) {
      throw invalid(
        'missing_openid_configuration',
        'This registration link must be opened by the LMS, which adds its configuration address.',
        'Paste the link into the LMS (Canvas: Developer Keys → LTI Registration; Moodle: Manage tools → Tool URL), not into the browser.',
      );
    }
    const result = await ctx.dynamicRegistration.register({
      inviteToken: q.invite,
      openidConfiguration: q.openid_configuration,
      registrationToken: q.registration_token,
    });
    req.log.info({ platformId: result.platform.id, issuer: result.platform.issuer }, 'platform registered dynamically');
    // The LMS administrator who pasted the operator's one-time link is not known to Pathwise: the address only.
    await ctx.privacy.audit.record({
      actor: { kind: 'lms_admin', ip: req.ip ?? null },
      action: 'registration.dynamic',
      platformId: result.platform.id,
      target: result.platform.issuer,
      details: { deploymentId: result.deploymentId, productFamily: result.productFamily ?? null },
    });
    res.render('pages/registration-complete', {
      title: translate((res.locals.locale as string | undefined) ?? 'en', 'registration.complete.title'),
      issuer: result.platform.issuer,
      deploymentId: result.deploymentId,
      pendingActivation: result.productFamily === 'moodle',
    });
  });

  router.get('/lti/config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(canvasDeveloperKeyConfig(ctx.config.publicUrl));
  });

  return router;
}
