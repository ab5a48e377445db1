import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { CLAIM, MESSAGE_TYPE, POST_MESSAGE } from '../../../lti/claims.js';
import { hashProof } from '../../../lti/launch/browser-binding.js';
import { BrowserProofRequired, BrowserStorageUnavailable, launchError } from '../../../lti/launch/errors.js';
import type { AppContext } from '../../context.js';
import { clearCookie, readCookie } from '../../middleware/cookies.js';
import { SESSION_PARAM, setSessionCookie } from '../../middleware/session.js';
import { resolveLocale } from '../../i18n/index.js';
import { seeOther } from '../../see-other.js';
import { rosterAfterLaunch } from '../../../lti/nrps/roster-sync.js';
import { BINDING_ATTEMPT_FIELD, LEGACY_NONCE_FIELD, OWN_PROOF_FIELD, PLATFORM_PROOF_FIELD, proofKey, stateCookieName } from './binding.js';
import { RESTART_PATH, RESTART_TTL_SECONDS } from './relaunch.js';

const field = z
  .string()
  .max(256 * 1024)
  .optional();
const proof = z.string().max(512).optional();
const launchSchema = z.object({
  id_token: field,
  state: z.string().max(512).optional(),
  [OWN_PROOF_FIELD]: proof,
  [PLATFORM_PROOF_FIELD]: proof,
  [LEGACY_NONCE_FIELD]: proof,
  [BINDING_ATTEMPT_FIELD]: z.string().max(8).optional(),
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
        ownStorageProof: body[OWN_PROOF_FIELD] || undefined,
        // A legacy nonce "proof" is checked like any platform proof, and so refused.
        platformStorageProof: body[PLATFORM_PROOF_FIELD] || body[LEGACY_NONCE_FIELD] || undefined,
        bindingAttempted: body[BINDING_ATTEMPT_FIELD] === '1',
      });
    } catch (err) {
      if (err instanceof BrowserProofRequired) {
        // No cookie came back: read the proofs from this frame's storage (and the LMS's), then post again.
        res.setHeader('Cache-Control', 'no-store');
        const platform = err.storageTarget
          ? { subject: POST_MESSAGE.getData, target: err.storageTarget, origin: err.platformOrigin, key: proofKey(state) }
          : null;
        res.render('pages/lti-storage', {
          storage: { mode: 'get', own: { key: proofKey(state) }, platform },
          repost: { id_token: body.id_token, state, ownField: OWN_PROOF_FIELD, platformField: PLATFORM_PROOF_FIELD, attemptField: BINDING_ATTEMPT_FIELD },
        });
        return;
      }
      if (!(err instanceof BrowserStorageUnavailable)) throw err;
      // This frame keeps nothing for Pathwise: offer the same launch in a new tab (single use, minutes).
      const token = randomBytes(32).toString('base64url');
      const offered = await ctx.launch.loginStates.offerRestart(err.state, hashProof(token), RESTART_TTL_SECONDS);
      if (!offered) throw launchError('invalid_state', 'This launch was not started in this browser, or its login has been lost.');
      res.setHeader('Cache-Control', 'no-store');
      res.render('pages/lti-new-tab', { restartUrl: `${RESTART_PATH}?token=${encodeURIComponent(token)}` });
      return;
    }
    const target = launch.claims[CLAIM.targetLinkUri];
    if (typeof target === 'string' && launch.loginTargetLinkUri !== undefined && target !== launch.loginTargetLinkUri) {
      // LTI Core 1.3 says they MUST be equal; both are Pathwise URLs (checked), the signed claim is kept.
      req.log.info({ platformId: launch.platform.id, claim: target, login: launch.loginTargetLinkUri }, 'target_link_uri differs from the login');
    }
    const presentation = launch.claims[CLAIM.launchPresentation] as { locale?: unknown } | undefined;
    const locale = resolveLocale(typeof presentation?.locale === 'string' ? presentation.locale : undefined);
    const { token, session, course } = await ctx.launch.complete(launch, locale);
    // Remember the course's NRPS URL and, on a teacher launch, refresh a stale roster in the
    // background: the page must not wait on the LMS. Never throws.
    void rosterAfterLaunch(ctx, session, course);
    setSessionCookie(res, ctx, token);
    clearCookie(res, ctx.config.publicUrl, stateCookieName(state), '/lti');
    const page = launch.claims[CLAIM.messageType] === MESSAGE_TYPE.deepLinkingRequest ? '/lti/deep-linking' : '/lti/home';
    seeOther(res, `${page}?${SESSION_PARAM}=${encodeURIComponent(token)}`);
  });
  return router;
}
