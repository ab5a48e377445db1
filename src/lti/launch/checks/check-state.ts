import { timingSafeEqual } from 'node:crypto';
import { launchError, PlatformStorageRequired } from '../errors.js';
import type { LaunchCheck } from '../pipeline.js';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function invalidState() {
  return launchError('invalid_state', 'This launch was not started in this browser, or its login has been lost.');
}

/**
 * `state` must be one we issued to this platform and be bound to this browser: either the state
 * cookie matches, or (cookies blocked) the re-post proves it read this state's nonce back from
 * platform storage. https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation ,
 * https://www.imsglobal.org/spec/lti-cs-oidc/v0p1
 */
export const checkState: LaunchCheck = async (launch, deps) => {
  const { state, stateCookie, storageNonce } = launch.input;
  const row = state ? await deps.loginStates.find(state) : null;
  if (!row || row.platformId !== launch.platform!.id) throw invalidState();
  launch.loginState = row;
  if (stateCookie !== undefined) {
    if (!same(stateCookie, state)) throw invalidState();
    return;
  }
  if (storageNonce !== undefined) {
    if (!same(storageNonce, row.nonce)) throw invalidState();
    return;
  }
  if (row.storageTarget && !row.usedAt) {
    throw new PlatformStorageRequired(row.storageTarget, new URL(launch.platform!.authLoginUrl).origin);
  }
  throw invalidState();
};
