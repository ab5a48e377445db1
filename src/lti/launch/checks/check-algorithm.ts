import { launchError } from '../errors.js';
import type { LaunchCheck } from '../pipeline.js';

/** Asymmetric algorithms only; never `none`, never HMAC. https://www.imsglobal.org/spec/security/v1p0/#h_id-token-validation (RS256 required; others the platform declares). */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

export const checkAlgorithm: LaunchCheck = (launch) => {
  const alg = launch.header.alg;
  if (typeof alg !== 'string' || !ASYMMETRIC_ALGORITHMS.includes(alg)) {
    throw launchError('invalid_algorithm', 'The launch was signed with an algorithm Pathwise does not accept.', {
      help: 'Ask your administrator to configure the LMS to sign LTI launches with RS256.',
    });
  }
};
