import { hash, timingSafeEqual } from 'node:crypto';
import type { LoginState } from '../../store/login-state-repository.js';

/** What the launch request brought to show that this browser started the login. */
export interface BindingEvidence {
  /** Value of this state's cookie, when the browser sent it. */
  stateCookie?: string;
  /** The proof the tool's page read back from its own (partitioned) web storage. */
  ownStorageProof?: string;
  /** The proof the tool's page read back from LTI platform storage. */
  platformStorageProof?: string;
}

/** How the browser proved it: one of the three ways, none at all, or a wrong value (refused). */
export type BindingResult = 'cookie' | 'own_storage' | 'platform_storage' | 'none' | 'mismatch';

/** SHA-256, base64url: only hashes of the proofs are stored. */
export const hashProof = (proof: string): string => hash('sha256', proof, 'base64url');

const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The one check binding a launch to the browser that started its login
 * (https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation: the state must
 * be bound to the user agent). Any one of: the state cookie, the own-storage proof, the platform
 * storage proof (https://www.imsglobal.org/spec/lti-cs-oidc/v0p1). A value that is present but
 * wrong refuses the launch even if another one is right: someone is guessing. The nonce never
 * counts as a proof, since it is inside the id_token that an attacker would be replaying.
 */
export function checkBrowserBinding(row: Pick<LoginState, 'state' | 'ownProofHash' | 'platformProofHash'>, evidence: BindingEvidence): BindingResult {
  const { stateCookie, ownStorageProof, platformStorageProof } = evidence;
  const passed: BindingResult[] = [];
  if (stateCookie !== undefined) {
    if (!same(stateCookie, row.state)) return 'mismatch';
    passed.push('cookie');
  }
  if (ownStorageProof) {
    if (!row.ownProofHash || !same(hashProof(ownStorageProof), row.ownProofHash)) return 'mismatch';
    passed.push('own_storage');
  }
  if (platformStorageProof) {
    if (!row.platformProofHash || !same(hashProof(platformStorageProof), row.platformProofHash)) return 'mismatch';
    passed.push('platform_storage');
  }
  return passed[0] ?? 'none';
}
