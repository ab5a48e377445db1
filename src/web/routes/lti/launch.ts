import { Router } from 'express';
import { z } from 'zod';
import { CLAIM, MESSAGE_TYPE } from '../../../lti/claims.js';
import { launchError, PlatformStorageRequired } from '../../../lti/launch/errors.js';
import type { AppContext } from '../../context.js';
import { clearCookie, readCookie } from '../../middleware/cookies.js';
import { SESSION_PARAM, setSessionCookie } from '../../middleware/session.js';
import { resolveLocale } from '../../i18n/index.js';
import { POST_MESSAGE } from '../../../lti/claims.js';
import { rosterAfterLaunch } from '../../../lti/nrps/roster-sync.js';
import { STORAGE_PROOF_FIELD, stateCookieName, storageKey } from './binding.js';

const field = z.string().max(256 * 1024).optional();
const launchSchema = z.object({
  id_token: field,
  state: z.string().max(512).optional(),
  [STORAGE_PROOF_FIELD]: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
});

/** The redirect URI: the platform form-posts the id_token here (response_mode=form_post). */
export function launchRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/lti/launch', async (req, res) => {
    const parsed = launchSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw launchError('invalid_token', 'The launch did not carry a readable id_token.', { kind: 'invalid' });
    const body = parsed.data;
    if (body.error) {
      // An OIDC error response (e.g. login_required) instead of an id_token.
      throw launchError('platform_refused_login', 'The LMS did not let you sign in to Pathwise.');
    }
    const state = body.state ?? '';
    // Of two same-name state cookies (partitioned and not), the one equal to the posted state counts.
    const stateCookie = state ? readCookie(req, stateCookieName(state), (v) => v === state) : undefined;
    let launch;
    try {
      launch = await ctx.launch.validate({
        idToken: body.id_token ?? '',
        state,
        stateCookie,
        storageNonce: body[STORAGE_PROOF_FIELD],
      });
    } catch (err) {
      if (!(err instanceof PlatformStorageRequired)) throw err;
      // Cookies were blocked: read the nonce back from platform storage, then post again with it.
      res.render('pages/lti-storage', {
        title: 'Pathwise',
        storage: { mode: 'get', subject: POST_MESSAGE.getData, target: err.storageTarget, origin: err.platformOrigin, key: storageKey(state) },
        repost: { id_token: body.id_token, state, proofField: STORAGE_PROOF_FIELD },
      });
      return;
    }
    const presentation = launch.claims[CLAIM.launchPresentation] as { locale?: unknown } | undefined;
    const locale = resolveLocale(typeof presentation?.locale === 'string' ? presentation.locale : undefined);
    const { token, session } = await ctx.launch.complete(launch, locale);
    // Remember the course's NRPS URL and, on a teacher launch, refresh a stale roster in the
    // background: the page must not wait on the LMS. Never throws.
    void rosterAfterLaunch(ctx, session);
    setSessionCookie(res, ctx, token);
    clearCookie(res, ctx.config.publicUrl, stateCookieName(state), '/lti');
    const page = launch.claims[CLAIM.messageType] === MESSAGE_TYPE.deepLinkingRequest ? '/lti/deep-linking' : '/lti/home';
    res.redirect(303, `${page}?${SESSION_PARAM}=${encodeURIComponent(token)}`);
  });
  return router;
}
