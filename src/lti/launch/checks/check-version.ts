import { CLAIM, LTI_VERSION } from '../../claims.js';
import { launchError } from '../errors.js';
import type { LaunchCheck } from '../pipeline.js';

/** Only LTI 1.3.0, https://www.imsglobal.org/spec/lti/v1p3/#lti-version-claim */
export const checkVersion: LaunchCheck = (launch) => {
  if (launch.claims[CLAIM.version] !== LTI_VERSION) {
    throw launchError('invalid_version', `Pathwise needs an LTI ${LTI_VERSION} launch.`, {
      kind: 'invalid',
      help: 'Ask your administrator to add Pathwise as an LTI 1.3 tool.',
    });
  }
};
