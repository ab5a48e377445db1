import { CLAIM, MESSAGE_TYPE } from '../../claims.js';
import { launchError, missingClaim } from '../errors.js';
import { isOwnUrl } from '../own-url.js';
import type { LaunchCheck } from '../pipeline.js';

/**
 * The `target_link_uri` claim is REQUIRED in a resource link launch and names where the platform
 * sends the user (https://www.imsglobal.org/spec/lti/v1p3/#target-link-uri). A deep linking
 * request need not carry it (https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-request-message);
 * when it does, the same rule applies.
 *
 * The claim must be one of Pathwise's own URLs, the rule the login applies to its
 * target_link_uri (./own-url.ts), and the signed claim wins over the login's unsigned parameter
 * when they differ: the spec says they MUST be equal, but nonce and state already bind this token
 * to its login, and tool libraries that refuse a difference have had it reported from Canvas. The
 * session keeps the claim (sessionLaunchData); the web layer logs a difference (routes/lti/launch.ts).
 */
export const checkTargetLinkUri: LaunchCheck = (launch, deps) => {
  const target = launch.claims[CLAIM.targetLinkUri];
  if (target === undefined) {
    if (launch.claims[CLAIM.messageType] === MESSAGE_TYPE.resourceLink) throw missingClaim(CLAIM.targetLinkUri);
    return;
  }
  if (typeof target !== 'string' || target.length === 0) throw missingClaim(CLAIM.targetLinkUri);
  if (target.length > 2048 || !isOwnUrl(target, deps.publicUrl)) {
    throw launchError('invalid_target_link_uri', 'The launch points at a target outside Pathwise.', {
      kind: 'invalid',
      help: 'Ask your administrator to check the Pathwise tool’s target link URI in the LMS: it must be a Pathwise address.',
      params: { variant: 'claim' },
      details: { claim: CLAIM.targetLinkUri },
    });
  }
};
