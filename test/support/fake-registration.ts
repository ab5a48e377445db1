import { randomUUID } from 'node:crypto';
import { MESSAGE_TYPE, SCOPE } from '../../src/lti/claims.js';
import type { FakePlatform } from './fake-platform.js';

const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

export interface DynamicRegistrationOptions {
  productFamily?: 'moodle' | 'canvas';
  /** The registration token the fake hands out and expects as a bearer token. */
  registrationToken?: string;
  /** deployment_id returned in the tool configuration; null returns none. */
  deploymentId?: string | null;
  clientId?: string;
  /** authorization_server in the openid configuration (Canvas uses a different token audience). */
  authorizationServer?: string;
}

/** Knobs and what the fake saw; change the knobs between requests. */
export interface FakeDynamicRegistration {
  /** The URL an LMS would pass as `openid_configuration`. */
  readonly openidConfigurationUrl: string;
  readonly registrationToken: string;
  readonly clientId: string;
  /** The deployment_id the fake returns (null: none). */
  readonly deploymentId: string | null;
  /** Client registration bodies received (authorized ones only), oldest first. */
  readonly registrations: Array<Record<string, unknown>>;
  /** Authorization headers seen at /register, oldest first. */
  readonly authorizations: Array<string | undefined>;
  /** Serve an issuer that does not match the configuration URL's origin. */
  wrongIssuer: boolean;
  /** Answer the registration with 400 invalid_client_metadata. */
  rejectRegistration: boolean;
  /** Answer the openid configuration with 500. */
  configurationDown: boolean;
  /** Leave these fields out of the openid configuration. */
  omitFields: string[];
}

/**
 * Adds the platform side of LTI Dynamic Registration 1.0 to a fake LMS:
 * GET /.well-known/openid-configuration and POST /register (checks the bearer registration token,
 * records the body, answers with client_id and the tool configuration's deployment_id).
 * https://www.imsglobal.org/spec/lti-dr/v1p0/
 */
export function addDynamicRegistration(fake: FakePlatform, options: DynamicRegistrationOptions = {}): FakeDynamicRegistration {
  const productFamily = options.productFamily ?? 'moodle';
  const deploymentId = options.deploymentId === undefined ? `dep-${randomUUID().slice(0, 6)}` : options.deploymentId;
  const state: FakeDynamicRegistration = {
    get openidConfigurationUrl() {
      return fake.url('/.well-known/openid-configuration');
    },
    registrationToken: options.registrationToken ?? `reg-${randomUUID()}`,
    clientId: options.clientId ?? `dyn-${randomUUID().slice(0, 8)}`,
    deploymentId,
    registrations: [],
    authorizations: [],
    wrongIssuer: false,
    rejectRegistration: false,
    configurationDown: false,
    omitFields: [],
  };

  fake.app.get('/.well-known/openid-configuration', (_req, res) => {
    if (state.configurationDown) {
      res.status(500).json({ error: 'server_error' });
      return;
    }
    const config: Record<string, unknown> = {
      issuer: state.wrongIssuer ? 'https://evil.example.org' : fake.issuer,
      authorization_endpoint: fake.authLoginUrl,
      token_endpoint: fake.authTokenUrl,
      jwks_uri: fake.jwksUrl,
      registration_endpoint: fake.url('/register'),
      ...(options.authorizationServer ? { authorization_server: options.authorizationServer } : {}),
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', ...Object.values(SCOPE)],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['iss', 'sub', 'aud', 'name', 'given_name', 'family_name', 'email', 'locale'],
      [PLATFORM_CONFIGURATION]: {
        product_family_code: productFamily,
        version: productFamily === 'moodle' ? '4.3' : 'cloud',
        messages_supported: [{ type: MESSAGE_TYPE.resourceLink }, { type: MESSAGE_TYPE.deepLinkingRequest, placements: ['ContentArea'] }],
        variables: [],
      },
    };
    for (const field of state.omitFields) delete config[field];
    res.json(config);
  });

  fake.app.post('/register', (req, res) => {
    state.authorizations.push(req.headers.authorization);
    if (req.headers.authorization !== `Bearer ${state.registrationToken}`) {
      res.status(401).json({ error: 'invalid_token', error_description: 'registration token missing or wrong' });
      return;
    }
    if (state.rejectRegistration) {
      res.status(400).json({ error: 'invalid_client_metadata', error_description: 'the fake refuses this registration' });
      return;
    }
    const body = req.body as Record<string, unknown>;
    state.registrations.push(body);
    const toolConfig = (body[TOOL_CONFIGURATION] ?? {}) as Record<string, unknown>;
    res.status(200).json({
      ...body,
      client_id: state.clientId,
      registration_client_uri: fake.url(`/register/${state.clientId}`),
      [TOOL_CONFIGURATION]: { ...toolConfig, ...(deploymentId ? { deployment_id: deploymentId } : {}) },
    });
  });

  return state;
}
