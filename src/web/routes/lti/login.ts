import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { renderLoginBinding } from './binding.js';

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

/** OIDC login initiation by GET or POST: state + nonce, bound to the browser by cookie and storage proofs. */
export function loginRoutes(ctx: AppContext): Router {
  const router = Router();
  const handle = async (req: Request, res: Response) => {
    const source = req.method === 'POST' ? req.body : req.query;
    // Repeated parameters arrive as arrays; they are refused the same way as missing ones.
    const parsed = loginSchema.safeParse(source ?? {});
    const params = parsed.success ? parsed.data : {};
    renderLoginBinding(res, ctx, await ctx.launch.login(params));
  };
  router.get('/lti/login', handle);
  router.post('/lti/login', handle);
  return router;
}
