import { launchError } from '../errors.js';
import type { LaunchCheck } from '../pipeline.js';

/**
 * `exp` must be in the future and `iat` not in the future, each within a small clock skew.
 * https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation (items 7–8)
 */
export const checkTimestamps: LaunchCheck = (launch, deps) => {
  const now = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  const skew = deps.clockSkewSeconds;
  const { exp, iat } = launch.claims;
  if (typeof exp !== 'number' || exp + skew <= now) {
    throw launchError('token_expired', 'The launch took too long and has expired.');
  }
  if (typeof iat !== 'number' || iat - skew > now) {
    throw launchError('invalid_iat', 'The launch claims to be issued in the future; a clock may be wrong.');
  }
};
