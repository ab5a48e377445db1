import { Router } from 'express';
import { z } from 'zod';
import { hashProof } from '../../../lti/launch/browser-binding.js';
import { launchError } from '../../../lti/launch/errors.js';
import type { AppContext } from '../../context.js';
import { renderLoginBinding } from './binding.js';

export const RESTART_PATH = '/lti/relaunch';
/** How long the "Open Pathwise in a new tab" link works. */
export const RESTART_TTL_SECONDS = 300;

const query = z.object({ token: z.string().regex(/^[\w-]{43}$/) });

/**
 * The new-tab fallback: where a frame keeps neither cookies nor web storage for Pathwise, the launch
 * page links here (target=_blank). This restarts the OIDC login top-level, from the login
 * parameters kept with the login the frame started, so the LMS launches the same link again.
 * Single use: the token is taken atomically.
 */
export function relaunchRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get(RESTART_PATH, async (req, res) => {
    const parsed = query.safeParse(req.query);
    const params = parsed.success ? await ctx.launch.loginStates.takeRestart(hashProof(parsed.data.token)) : null;
    if (!params) {
      throw launchError('restart_expired', 'This “open in a new tab” link has been used or has expired.', {
        help: 'Go back to your course in the LMS and open Pathwise again.',
      });
    }
    renderLoginBinding(res, ctx, await ctx.launch.login(params, { newTab: true }));
  });
  return router;
}
