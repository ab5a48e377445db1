import { compactVerify, importJWK, type JWK } from 'jose';
import { launchError } from '../errors.js';
import type { LaunchCheck } from '../pipeline.js';

type VerifyKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * Imported keys per JWK object of the key-set cache and algorithm: importing a JWK (parsing the
 * RSA modulus into a CryptoKey) cost about as much CPU as the verification itself on every
 * launch. A refetched key set brings new JWK objects, so a rotated key is imported afresh and the
 * old ones are collected with their set.
 */
const imported = new WeakMap<JWK, Map<string, Promise<VerifyKey>>>();

function importOnce(jwk: JWK, alg: string): Promise<VerifyKey> {
  let byAlg = imported.get(jwk);
  if (!byAlg) imported.set(jwk, (byAlg = new Map()));
  let key = byAlg.get(alg);
  if (!key) {
    key = importJWK(jwk, alg);
    byAlg.set(alg, key);
    // A key that cannot be imported is not remembered: the error is reported each time.
    key.catch(() => byAlg.delete(alg));
  }
  return key;
}

/**
 * Verifies the signature with the platform's published key matched by `kid`.
 * https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation (item 1)
 */
export const checkSignature: LaunchCheck = async (launch, deps) => {
  const alg = launch.header.alg!;
  // The platform MUST name its signing key: "the Platform MUST include the kid in the JWT header",
  // https://www.imsglobal.org/spec/security/v1p0/#h_key-set-url . The 1EdTech certification suite
  // checks this refusal ("No KID Sent in JWT header"): guessing the only key would accept it.
  const kid = launch.header.kid;
  if (typeof kid !== 'string' || kid === '') {
    throw launchError('missing_kid', 'The launch does not say which LMS key signed it (no kid in the token header).', {
      help: 'Open Pathwise again from the LMS. If it keeps failing, the LMS is not following LTI 1.3: ask your administrator.',
    });
  }
  const jwk = await deps.jwks.findKey(launch.platform!.jwksUrl, kid);
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw launchError('invalid_signature', 'The launch signature does not match the LMS key.');
  }
  try {
    const key = await importOnce(jwk, alg);
    await compactVerify(launch.input.idToken, key, { algorithms: [alg] });
  } catch (cause) {
    throw launchError('invalid_signature', 'The launch signature could not be verified with the LMS key.', { cause });
  }
};
