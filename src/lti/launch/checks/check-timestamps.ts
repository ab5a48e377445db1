import { launchError } from '../errors.js';
import type { LaunchCheck } from '../pipeline.js';

/**
 * `exp` must be in the future and `iat` not in the future, each within a small clock skew.
 * https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation (items 7–8)
 * An `nbf` (optional, RFC 7519 §4.1.5: the token "MUST NOT be accepted for processing" before it)
 * must not be in the future either; jose's compactVerify checks the signature only.
 */
export const checkTimestamps: LaunchCheck = (launch, deps) => {
  const now = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  const skew = deps.clockSkewSeconds;
  const { exp, iat, nbf } = launch.claims;
  if (typeof exp !== 'number' || exp + skew <= now) {
    throw launchError('token_expired', 'The launch took too long and has expired.');
  }
  if (typeof iat !== 'number' || iat - skew > now) {
    throw launchError('invalid_iat', 'The launch claims to be issued in the future; a clock may be wrong.');
  }
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf - skew > now)) {
    throw launchError('token_not_yet_valid', 'The launch is not valid yet (its nbf is in the future); a clock may be wrong.');
  }
};
