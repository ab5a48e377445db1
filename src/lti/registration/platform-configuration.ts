import { z } from 'zod';
import { AppError, invalid } from '../../shared/errors.js';
import type { LmsHttp } from '../http/lms-http.js';
import { PLATFORM_CONFIGURATION_CLAIM } from './tool-configuration.js';

/**
 * The platform's OpenID configuration, https://www.imsglobal.org/spec/lti-dr/v1p0/#platform-configuration .
 * Only the fields Pathwise uses are checked; anything else passes through.
 */
export const platformConfigurationSchema = z.looseObject({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  registration_endpoint: z.url(),
  authorization_server: z.string().optional(),
  scopes_supported: z.array(z.string()).optional(),
  [PLATFORM_CONFIGURATION_CLAIM]: z
    .looseObject({
      product_family_code: z.string().optional(),
      version: z.string().optional(),
      messages_supported: z.array(z.looseObject({ type: z.string() })).optional(),
    })
    .optional(),
});
export type PlatformConfiguration = z.infer<typeof platformConfigurationSchema>;

export interface FetchOptions {
  timeoutMs: number;
  /** Allows http:// for localhost and 127.0.0.1 (development and tests). Production requires https. */
  allowLoopbackHttp: boolean;
  http: LmsHttp;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether Pathwise may call `raw`: https always; http only on loopback outside production. */
export function isAllowedPlatformUrl(raw: string, allowLoopbackHttp: boolean): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && allowLoopbackHttp && LOOPBACK.has(url.hostname);
}

/** Fetches JSON from a platform through the outbound client (timeout, no redirects, size cap). Throws platform_unreachable. */
export async function fetchPlatformJson(http: LmsHttp, url: string, init: RequestInit, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  const res = await http.fetch(url, { ...init, timeoutMs });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

/**
 * Reads and checks the platform's OpenID configuration. Its `issuer` MUST match the origin of the
 * configuration URL, https://www.imsglobal.org/spec/lti-dr/v1p0/#issuer-and-openid-configuration-url-match ,
 * so that a link cannot make Pathwise trust another issuer's name.
 */
export async function fetchPlatformConfiguration(configurationUrl: string, options: FetchOptions): Promise<PlatformConfiguration> {
  if (!isAllowedPlatformUrl(configurationUrl, options.allowLoopbackHttp)) {
    throw invalid('insecure_platform_url', 'The LMS configuration address must use https.', 'Start the registration from the LMS over https.');
  }
  const { status, body } = await fetchPlatformJson(options.http, configurationUrl, { headers: { accept: 'application/json' } }, options.timeoutMs);
  if (status < 200 || status >= 300 || body === undefined) {
    throw new AppError('platform_unreachable', `The LMS configuration could not be read (HTTP ${status}).`, {
      kind: 'unavailable',
      help: 'Start the registration again from the LMS; if it keeps failing, check the LMS logs.',
      params: { variant: 'configuration', status },
    });
  }
  const parsed = platformConfigurationSchema.safeParse(body);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ');
    throw invalid(
      'invalid_platform_configuration',
      `The LMS configuration is missing or has bad values for: ${fields}.`,
      'This LMS may not support LTI Dynamic Registration 1.0; register Pathwise manually instead.',
      undefined,
      { fields },
    );
  }
  const config = parsed.data;
  let issuerOrigin: string;
  try {
    issuerOrigin = new URL(config.issuer).origin;
  } catch {
    issuerOrigin = '';
  }
  if (issuerOrigin !== new URL(configurationUrl).origin) {
    throw invalid(
      'issuer_mismatch',
      'The LMS configuration names an issuer that does not match the address it was read from.',
      'Start the registration from the LMS itself; a link from anywhere else cannot be used.',
    );
  }
  for (const url of [config.registration_endpoint, config.authorization_endpoint, config.token_endpoint, config.jwks_uri]) {
    if (!isAllowedPlatformUrl(url, options.allowLoopbackHttp)) {
      throw invalid('insecure_platform_url', 'An LMS endpoint does not use https.', 'Configure the LMS to use https.', undefined, { variant: 'endpoint' });
    }
  }
  return config;
}
