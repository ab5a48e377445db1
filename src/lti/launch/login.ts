import { randomToken } from '../../shared/random.js';
import { hashProof } from './browser-binding.js';
import type { PlatformRecord, PlatformRepository } from '../../store/platform-repository.js';
import type { LoginStateRepository } from '../../store/login-state-repository.js';
import { launchError } from './errors.js';
import { isOwnUrl } from './own-url.js';

/** Parameters of a third-party initiated login, https://www.imsglobal.org/spec/security/v1p0/#step-1-third-party-initiated-login */
export interface LoginParams {
  iss?: string;
  login_hint?: string;
  target_link_uri?: string;
  client_id?: string;
  lti_message_hint?: string;
  lti_deployment_id?: string;
  lti_storage_target?: string;
}

export interface LoginDeps {
  platforms: PlatformRepository;
  loginStates: LoginStateRepository;
  publicUrl: string;
  loginStateTtlSeconds: number;
}

export interface LoginStarted {
  platform: PlatformRecord;
  state: string;
  nonce: string;
  /** The platform's OIDC authorization URL with the authentication request. */
  authUrl: string;
  storageTarget: string | null;
  /** The random proof the login page keeps in the tool's own web storage (never sent to the LMS). */
  ownProof: string;
  /** A separate random proof for LTI platform storage, when the LMS offers it. */
  platformProof: string | null;
}

const invalidLogin = (code: string, message: string) =>
  launchError(code, message, { kind: 'invalid', help: 'Open Pathwise from your course in the LMS. If this keeps happening, tell your administrator.' });

/**
 * Validates a login initiation, stores a fresh state and nonce, and builds the authentication request
 * (https://www.imsglobal.org/spec/security/v1p0/#step-2-authentication-request).
 */
export async function startLogin(params: LoginParams, deps: LoginDeps, options: { newTab?: boolean } = {}): Promise<LoginStarted> {
  if (!params.iss) throw invalidLogin('missing_issuer', 'The login request did not name the LMS (iss).');
  if (!params.login_hint) throw invalidLogin('missing_login_hint', 'The login request is missing login_hint.');
  if (!params.target_link_uri) throw invalidLogin('missing_target_link_uri', 'The login request is missing target_link_uri.');
  const platform = await findPlatform(params.iss, params.client_id, deps.platforms);
  // The target must be ours, so a login cannot be used to bounce the browser elsewhere.
  if (!isOwnUrl(params.target_link_uri, deps.publicUrl)) {
    throw invalidLogin('invalid_target_link_uri', 'The login request points at a target outside Pathwise.');
  }
  const state = randomToken(32);
  const nonce = randomToken(32);
  const storageTarget = params.lti_storage_target?.slice(0, 200) || null;
  // Neither proof is the nonce: the nonce travels to the LMS and back inside the id_token, so
  // whoever holds the token knows it; these stay in this browser (docs/sessions.md).
  const ownProof = randomToken(32);
  const platformProof = storageTarget ? randomToken(32) : null;
  await deps.loginStates.create({
    state,
    nonce,
    platformId: platform.id,
    targetLinkUri: params.target_link_uri,
    storageTarget,
    ownProofHash: hashProof(ownProof),
    platformProofHash: platformProof ? hashProof(platformProof) : null,
    loginParams: restartParams(params),
    newTab: options.newTab ?? false,
    ttlSeconds: deps.loginStateTtlSeconds,
  });
  const auth = new URL(platform.authLoginUrl);
  const query: Record<string, string | undefined> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: `${deps.publicUrl}/lti/launch`,
    login_hint: params.login_hint,
    lti_message_hint: params.lti_message_hint,
    state,
    nonce,
  };
  for (const [k, v] of Object.entries(query)) if (v !== undefined) auth.searchParams.set(k, v);
  return { platform, state, nonce, authUrl: auth.toString(), storageTarget, ownProof, platformProof };
}

/** What a restart in a new tab sends again: the login parameters, without the frame's storage target. */
function restartParams(params: LoginParams): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const key of ['iss', 'login_hint', 'target_link_uri', 'client_id', 'lti_message_hint', 'lti_deployment_id'] as const) {
    const value = params[key];
    if (value !== undefined) kept[key] = value;
  }
  return kept;
}

async function findPlatform(iss: string, clientId: string | undefined, platforms: PlatformRepository): Promise<PlatformRecord> {
  if (clientId) {
    const one = await platforms.findByIssuerAndClient(iss, clientId);
    if (!one) throw invalidLogin('unknown_platform', 'This LMS (or this client id) is not registered with Pathwise.');
    return one;
  }
  const all = await platforms.findByIssuer(iss);
  if (all.length === 0) throw invalidLogin('unknown_platform', 'This LMS is not registered with Pathwise.');
  if (all.length > 1) {
    throw invalidLogin('ambiguous_platform', 'Pathwise is registered several times in this LMS and the login did not say which (client_id).');
  }
  return all[0]!;
}
