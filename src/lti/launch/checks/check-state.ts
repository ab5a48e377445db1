import { checkBrowserBinding, hashProof, type BindingResult } from '../browser-binding.js';
import { BrowserProofRequired, BrowserStorageUnavailable, launchError } from '../errors.js';
import type { LaunchCheck } from '../pipeline.js';

function invalidState() {
  return launchError('invalid_state', 'This launch was not started in this browser, or its login has been lost.');
}

/**
 * `state` must be one we issued to this platform and be bound to this browser by the state cookie,
 * the own-storage proof or the platform-storage proof (one check, browser-binding.ts).
 * https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation ,
 * https://www.imsglobal.org/spec/lti-cs-oidc/v0p1
 * With none of them on the first post (cookies blocked), the web layer answers with a page that
 * reads the storage proofs back and posts again; when that page found nothing either, it offers
 * the new-tab restart.
 */
export const checkState: LaunchCheck = async (launch, deps) => {
  const { state, bindingAttempted } = launch.input;
  if (await consumeInOneStep(launch, deps)) return;
  const row = state ? await deps.loginStates.find(state) : null;
  if (!row || row.platformId !== launch.platform!.id) throw invalidState();
  launch.loginState = row;
  const result = checkBrowserBinding(row, launch.input);
  if (result === 'mismatch') throw invalidState();
  if (result !== 'none') {
    launch.binding = result;
    return;
  }
  if (row.usedAt || row.expiresAt.getTime() <= Date.now()) throw invalidState();
  if (!bindingAttempted) {
    throw new BrowserProofRequired(row.storageTarget, new URL(launch.platform!.authLoginUrl).origin);
  }
  throw new BrowserStorageUnavailable(row.state);
};

/**
 * The usual launch in one statement: when the browser brought a proof and the id_token a nonce,
 * the state is checked (platform, proofs) and consumed with the nonce (checkNonce) together. Any
 * refusal falls through to the step-by-step checks, which name the reason.
 */
const consumeInOneStep: LaunchCheck<boolean> = async (launch, deps) => {
  const { state, stateCookie, ownStorageProof, platformStorageProof } = launch.input;
  const nonce = launch.claims.nonce;
  const cookieOk = stateCookie !== undefined && stateCookie === state;
  if (!state || typeof nonce !== 'string' || (stateCookie !== undefined && !cookieOk)) return false;
  if (!cookieOk && !ownStorageProof && !platformStorageProof) return false;
  const row = await deps.loginStates.consumeBound({
    state,
    nonce,
    platformId: launch.platform!.id,
    ownProofHash: ownStorageProof ? hashProof(ownStorageProof) : null,
    platformProofHash: platformStorageProof ? hashProof(platformStorageProof) : null,
  });
  if (!row) return false;
  const binding: BindingResult = cookieOk ? 'cookie' : ownStorageProof ? 'own_storage' : 'platform_storage';
  launch.loginState = row;
  launch.binding = binding;
  launch.nonceConsumed = true;
  return true;
};
