import { launchError } from '../errors.js';
import type { LaunchCheck } from '../pipeline.js';

/**
 * The `nonce` must be the one issued with this state, and is consumed once, atomically in the
 * database, so two concurrent submits of one id_token open one session.
 * https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation (item 9)
 */
export const checkNonce: LaunchCheck = async (launch, deps) => {
  const nonce = launch.claims.nonce;
  const row = launch.loginState!;
  if (typeof nonce !== 'string' || nonce !== row.nonce) {
    throw launchError('invalid_nonce', 'The launch does not belong to the login this browser started.');
  }
  if (launch.nonceConsumed) return;
  const consumed = await deps.loginStates.consume(row.state, nonce);
  if (consumed) return;
  const now = await deps.loginStates.find(row.state);
  if (now?.usedAt) throw launchError('nonce_reused', 'This launch has already been used.');
  throw launchError('login_expired', 'The login took too long and has expired.');
};
