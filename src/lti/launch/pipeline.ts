import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import type { DeploymentRecord, PlatformRecord, PlatformRepository } from '../../store/platform-repository.js';
import type { LoginState, LoginStateRepository } from '../../store/login-state-repository.js';
import type { PlatformJwksCache } from './jwks-cache.js';

/** What the browser posted to the redirect URI. */
export interface LaunchInput {
  idToken: string;
  state: string;
  /** Value of this state's cookie, when the browser sent it. */
  stateCookie?: string;
  /** The proof read back from the tool's own web storage by the re-post page. */
  ownStorageProof?: string;
  /** The proof read back from LTI platform storage by the re-post page. */
  platformStorageProof?: string;
  /** True on the re-post: the page has already looked for the proofs. */
  bindingAttempted?: boolean;
}

export interface LaunchDeps {
  platforms: PlatformRepository;
  loginStates: LoginStateRepository;
  jwks: PlatformJwksCache;
  clockSkewSeconds: number;
  /** PUBLIC_URL: a target_link_uri must be on its origin. */
  publicUrl: string;
  now?: () => number;
}

export type Claims = JWTPayload & Record<string, unknown>;

/** The launch as the checks fill it in; `passed` records each check that succeeded, in order. */
export interface LaunchInProgress {
  input: LaunchInput;
  header: ProtectedHeaderParameters;
  claims: Claims;
  platform?: PlatformRecord;
  loginState?: LoginState;
  /** The state check already consumed the nonce with the state (one statement). */
  nonceConsumed?: boolean;
  /** How the browser proved it started the login. */
  binding?: 'cookie' | 'own_storage' | 'platform_storage';
  deployment?: DeploymentRecord;
  passed: string[];
}

export type LaunchCheck<T = void> = (launch: LaunchInProgress, deps: LaunchDeps) => Promise<T> | T;

/** A launch every check accepted. */
export interface ValidatedLaunch {
  platform: PlatformRecord;
  deployment: DeploymentRecord;
  claims: Claims;
  passed: string[];
  /** How the browser proved it started the login, and whether that login was restarted in a new tab. */
  binding?: LaunchInProgress['binding'];
  openedInNewTab?: boolean;
  /** The target_link_uri the login carried (unsigned); the signed claim is in `claims`. */
  loginTargetLinkUri?: string;
}

/** Runs the checks in order; the first failure throws its AppError and nothing after it runs. */
export async function runChecks(launch: LaunchInProgress, deps: LaunchDeps, checks: Array<[string, LaunchCheck]>): Promise<ValidatedLaunch> {
  for (const [name, check] of checks) {
    await check(launch, deps);
    launch.passed.push(name);
  }
  if (!launch.platform || !launch.deployment) throw new Error('launch pipeline is missing the platform or deployment check');
  return {
    platform: launch.platform,
    deployment: launch.deployment,
    claims: launch.claims,
    passed: launch.passed,
    binding: launch.binding,
    openedInNewTab: launch.loginState?.newTab ?? false,
    loginTargetLinkUri: launch.loginState?.targetLinkUri,
  };
}
