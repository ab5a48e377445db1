import { CLAIM, MESSAGE_TYPE } from '../../claims.js';
import { invalidClaim, launchError, missingClaim as missing } from '../errors.js';
import type { Claims, LaunchCheck } from '../pipeline.js';

/** `sub`, resource_link.id and deployment_id: "MUST NOT exceed 255 ASCII characters", https://www.imsglobal.org/spec/lti/v1p3/#user-identity-claims */
export const MAX_ID_LENGTH = 255;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * A known message type with its required claims: `sub` (Pathwise needs to know the learner; an
 * absent or empty `sub` is an anonymous launch, one that is not a string or is over 255
 * characters a broken claim), `deployment_id` (https://www.imsglobal.org/spec/lti/v1p3/#lti-deployment-id-claim),
 * `roles` as an array, possibly empty (https://www.imsglobal.org/spec/lti/v1p3/#roles-claim), `resource_link.id`
 * (https://www.imsglobal.org/spec/lti/v1p3/#resource-link-claim) and, for deep linking,
 * `deep_linking_settings` with deep_link_return_url and accept_types
 * (https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-settings).
 */
export const checkMessageType: LaunchCheck = (launch) => {
  const c: Claims = launch.claims;
  const type = c[CLAIM.messageType];
  if (type !== MESSAGE_TYPE.resourceLink && type !== MESSAGE_TYPE.deepLinkingRequest) {
    throw launchError('invalid_message_type', 'Pathwise does not handle this kind of LTI message.', { kind: 'invalid' });
  }
  if (c.sub !== undefined && (typeof c.sub !== 'string' || c.sub.length > MAX_ID_LENGTH)) {
    throw invalidClaim('sub', `a string of at most ${MAX_ID_LENGTH} characters`);
  }
  if (!nonEmpty(c.sub)) {
    throw launchError('anonymous_launch', 'The LMS did not say who you are, and Pathwise needs that to keep your progress.', {
      kind: 'forbidden',
      help: 'Ask your administrator to set the Pathwise tool in the LMS to share the user identity (at least the user id) on launch.',
    });
  }
  // Its shape here, before the state and nonce are used; whether it is registered: checkDeployment.
  const deploymentId = c[CLAIM.deploymentId];
  if (deploymentId === undefined || deploymentId === '') throw missing(CLAIM.deploymentId);
  if (typeof deploymentId !== 'string' || deploymentId.length > MAX_ID_LENGTH) {
    throw invalidClaim(CLAIM.deploymentId, `a string of at most ${MAX_ID_LENGTH} characters`);
  }
  const roles = c[CLAIM.roles];
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw missing(CLAIM.roles);
  if (type === MESSAGE_TYPE.resourceLink) {
    const link = c[CLAIM.resourceLink];
    if (!isObject(link) || !nonEmpty(link.id)) throw missing(`${CLAIM.resourceLink} (id)`);
    if (link.id.length > MAX_ID_LENGTH) throw invalidClaim(`${CLAIM.resourceLink} (id)`, `at most ${MAX_ID_LENGTH} characters`);
  } else {
    const settings = c[CLAIM.deepLinkingSettings];
    if (!isObject(settings)) throw missing(CLAIM.deepLinkingSettings);
    if (!nonEmpty(settings.deep_link_return_url)) throw missing(`${CLAIM.deepLinkingSettings} (deep_link_return_url)`);
    if (!Array.isArray(settings.accept_types)) throw missing(`${CLAIM.deepLinkingSettings} (accept_types)`);
  }
};
