import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { setCookie } from '../../middleware/cookies.js';
import { POST_MESSAGE } from '../../../lti/claims.js';
import { storageKey, stateCookieName } from './binding.js';

const param = z.string().max(2048).optional();
/** https://www.imsglobal.org/spec/security/v1p0/#step-1-third-party-initiated-login */
const loginSchema = z.object({
  iss: param,
  login_hint: param,
  target_link_uri: param,
  client_id: param,
  lti_message_hint: param,
  lti_deployment_id: param,
  lti_storage_target: param,
});

/** OIDC login initiation by GET or POST: state + nonce, cookie binding, optional platform storage. */
export function loginRoutes(ctx: AppContext): Router {
  const router = Router();
  const handle = async (req: Request, res: Response) => {
    const source = req.method === 'POST' ? req.body : req.query;
    // Repeated parameters arrive as arrays; they are refused the same way as missing ones.
    const parsed = loginSchema.safeParse(source ?? {});
    const params = parsed.success ? parsed.data : {};
    const started = await ctx.launch.login(params);
    const ttl = ctx.config.launch.loginStateTtlSeconds;
    setCookie(res, ctx.config.publicUrl, stateCookieName(started.state), started.state, ttl, '/lti');
    if (!started.storageTarget) {
      res.redirect(302, started.authUrl);
      return;
    }
    // https://www.imsglobal.org/spec/lti-cs-oidc/v0p1 : store state/nonce in the platform, then go on.
    res.render('pages/lti-storage', {
      title: 'Pathwise',
      storage: {
        mode: 'put',
        subject: POST_MESSAGE.putData,
        target: started.storageTarget,
        origin: new URL(started.platform.authLoginUrl).origin,
        key: storageKey(started.state),
        value: started.nonce,
        next: started.authUrl,
      },
    });
  };
  router.get('/lti/login', handle);
  router.post('/lti/login', handle);
  return router;
}
