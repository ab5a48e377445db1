import { CLAIM } from '../../claims.js';
import { invalidClaim, launchError, missingClaim } from '../errors.js';
import { MAX_ID_LENGTH } from './check-message-type.js';
import type { LaunchCheck } from '../pipeline.js';

const ASK_ADMIN = 'Ask your LMS or Pathwise administrator to approve this deployment of Pathwise. Once it is approved, open Pathwise again.';

/**
 * `deployment_id` must be known and active for this platform
 * (https://www.imsglobal.org/spec/lti/v1p3/#lti-deployment-id-claim). An unknown one is recorded
 * as pending so the admin sees it and can approve it with one click.
 */
export const checkDeployment: LaunchCheck = async (launch, deps) => {
  const id = launch.claims[CLAIM.deploymentId];
  if (id === undefined || id === '') throw missingClaim(CLAIM.deploymentId);
  if (typeof id !== 'string' || id.length > MAX_ID_LENGTH) throw invalidClaim(CLAIM.deploymentId, `a string of at most ${MAX_ID_LENGTH} characters`);
  const platform = launch.platform!;
  if (platform.disabledAt) {
    throw launchError('platform_disabled', 'Pathwise is turned off for this LMS.', {
      kind: 'forbidden',
      help: 'Your district’s Pathwise administrator has turned Pathwise off for this LMS. Ask them if it should be on.',
    });
  }
  const found = await deps.platforms.findDeployment(platform.id, id);
  if (!found) {
    await deps.platforms.addPendingDeployment(platform.id, id);
    throw launchError('unknown_deployment', 'Pathwise has not been approved for this part of your LMS yet.', { kind: 'forbidden', help: ASK_ADMIN });
  }
  if (found.status === 'blocked') {
    throw launchError('deployment_blocked', 'Pathwise is blocked for this part of your LMS.', {
      kind: 'forbidden',
      help: 'Your district’s Pathwise administrator has blocked this deployment. Ask them if it should be approved.',
    });
  }
  if (found.status !== 'active') {
    throw launchError('deployment_pending', 'Pathwise is waiting for an administrator to approve this part of your LMS.', {
      kind: 'forbidden',
      help: ASK_ADMIN,
    });
  }
  launch.deployment = found;
};
