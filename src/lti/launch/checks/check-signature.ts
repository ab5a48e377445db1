import { compactVerify, importJWK } from 'jose';
import { launchError } from '../errors.js';
import type { LaunchCheck } from '../pipeline.js';

/**
 * Verifies the signature with the platform's published key matched by `kid`.
 * https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation (item 1)
 */
export const checkSignature: LaunchCheck = async (launch, deps) => {
  const alg = launch.header.alg!;
  const jwk = await deps.jwks.findKey(launch.platform!.jwksUrl, launch.header.kid);
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw launchError('invalid_signature', 'The launch signature does not match the LMS key.');
  }
  try {
    const key = await importJWK(jwk, alg);
    await compactVerify(launch.input.idToken, key, { algorithms: [alg] });
  } catch (cause) {
    throw launchError('invalid_signature', 'The launch signature could not be verified with the LMS key.', { cause });
  }
};
