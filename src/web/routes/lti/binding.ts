import type { Response } from 'express';
import type { LoginStarted } from '../../../lti/launch/login.js';
import { POST_MESSAGE } from '../../../lti/claims.js';
import type { AppContext } from '../../context.js';
import { setCookie } from '../../middleware/cookies.js';

/** The cookie binding a state to this browser: one per state, so parallel launches in several tabs do not clash. */
export const stateCookieName = (state: string): string => `pw_state_${state.slice(0, 16)}`;

/** The key under which the login page keeps this state's proof, in its own web storage and in platform storage. */
export const proofKey = (state: string): string => `pathwise_proof_${state}`;

/** Form fields of the launch re-post: the proofs read back, and the marker that the page has looked. */
export const OWN_PROOF_FIELD = 'pw_own_proof';
export const PLATFORM_PROOF_FIELD = 'lti_storage_proof';
export const BINDING_ATTEMPT_FIELD = 'pw_bind';
/**
 * The field older Pathwise pages posted the nonce in. The nonce is inside the id_token, so it proves
 * nothing about the browser: a launch that offers it is treated as a wrong platform-storage proof.
 */
export const LEGACY_NONCE_FIELD = 'lti_storage_nonce';

/**
 * Answers a login initiation: sets the state cookie, then a page that keeps the own-storage proof
 * in the tool's (partitioned) web storage and, where the LMS offers it, the platform-storage proof
 * (https://www.imsglobal.org/spec/lti-cs-oidc/v0p1), before it goes on to the LMS. Always a page,
 * not a redirect: whether this browser will send the cookie back is only known at launch.
 */
export function renderLoginBinding(res: Response, ctx: AppContext, started: LoginStarted): void {
  const ttl = ctx.config.launch.loginStateTtlSeconds;
  setCookie(res, ctx.config.publicUrl, stateCookieName(started.state), started.state, ttl, '/lti');
  res.setHeader('Cache-Control', 'no-store');
  const key = proofKey(started.state);
  res.render('pages/lti-storage', {
    storage: {
      mode: 'put',
      own: { key, value: started.ownProof, expiresAt: Date.now() + ttl * 1000 },
      platform:
        started.storageTarget && started.platformProof
          ? {
              subject: POST_MESSAGE.putData,
              target: started.storageTarget,
              origin: new URL(started.platform.authLoginUrl).origin,
              key,
              value: started.platformProof,
            }
          : null,
      next: started.authUrl,
    },
  });
}
