import { checkAlgorithm } from './checks/check-algorithm.js';
import { checkDeployment } from './checks/check-deployment.js';
import { checkIssuerAndAudience } from './checks/check-issuer-audience.js';
import { checkMessageType } from './checks/check-message-type.js';
import { checkNonce } from './checks/check-nonce.js';
import { checkSignature } from './checks/check-signature.js';
import { checkState } from './checks/check-state.js';
import { checkTargetLinkUri } from './checks/check-target-link-uri.js';
import { checkTimestamps } from './checks/check-timestamps.js';
import { checkTokenFormat } from './checks/check-token-format.js';
import { checkVersion } from './checks/check-version.js';
import { runChecks, type LaunchCheck, type LaunchDeps, type LaunchInput, type ValidatedLaunch } from './pipeline.js';

/**
 * The order matters: nothing is trusted before the signature, pure claim checks come before
 * anything with a side effect (consuming the nonce, recording a pending deployment).
 */
export const LAUNCH_CHECKS: Array<[string, LaunchCheck]> = [
  ['token_format', checkTokenFormat],
  ['algorithm', checkAlgorithm],
  ['issuer_audience', checkIssuerAndAudience],
  ['signature', checkSignature],
  ['timestamps', checkTimestamps],
  ['version', checkVersion],
  ['message_type', checkMessageType],
  ['target_link_uri', checkTargetLinkUri],
  ['state', checkState],
  ['nonce', checkNonce],
  ['deployment', checkDeployment],
];

/** Validates an id_token launch; throws the first check's AppError (or BrowserProofRequired / BrowserStorageUnavailable). */
export function validateLaunch(input: LaunchInput, deps: LaunchDeps): Promise<ValidatedLaunch> {
  return runChecks({ input, header: {}, claims: {}, passed: [] }, deps, LAUNCH_CHECKS);
}
