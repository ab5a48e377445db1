import { CLAIM, MESSAGE_TYPE } from '../../claims.js';
import { launchError } from '../errors.js';
import type { Claims, LaunchCheck } from '../pipeline.js';

function missing(claim: string) {
  return launchError('missing_claim', `The launch is missing the claim ${claim}.`, {
    kind: 'invalid',
    help: 'Ask your administrator to check the LTI tool settings in the LMS.',
    params: { claim },
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * A known message type with its required claims: `sub` (Pathwise needs to know the learner),
 * `roles` as an array (https://www.imsglobal.org/spec/lti/v1p3/#roles-claim), `resource_link.id`
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
  if (!nonEmpty(c.sub)) {
    throw launchError('anonymous_launch', 'The LMS did not say who you are, and Pathwise needs that to keep your progress.', {
      kind: 'forbidden',
      help: 'Ask your administrator to set the Pathwise tool in the LMS to share the user identity (at least the user id) on launch.',
    });
  }
  const roles = c[CLAIM.roles];
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw missing(CLAIM.roles);
  if (type === MESSAGE_TYPE.resourceLink) {
    const link = c[CLAIM.resourceLink];
    if (!isObject(link) || !nonEmpty(link.id)) throw missing(`${CLAIM.resourceLink} (id)`);
  } else {
    const settings = c[CLAIM.deepLinkingSettings];
    if (!isObject(settings)) throw missing(CLAIM.deepLinkingSettings);
    if (!nonEmpty(settings.deep_link_return_url)) throw missing(`${CLAIM.deepLinkingSettings} (deep_link_return_url)`);
    if (!Array.isArray(settings.accept_types)) throw missing(`${CLAIM.deepLinkingSettings} (accept_types)`);
  }
};
