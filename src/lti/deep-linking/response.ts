import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from '../keys/tool-keys.js';
import { CLAIM, LTI_VERSION, MESSAGE_TYPE } from '../claims.js';
import type { LtiResourceLinkItem } from './content-items.js';

/** How long the platform may take to read the response: the browser posts it at once. */
export const RESPONSE_TTL_SECONDS = 300;

export interface DeepLinkingResponseInput {
  /** The tool's client_id at the platform: the response's `iss`. */
  clientId: string;
  /** The platform's issuer: the response's `aud`. */
  platformIssuer: string;
  /** The platform's deployment_id string from the request (not our row id). */
  deploymentId: string;
  contentItems: LtiResourceLinkItem[];
  /** The request's `data`, when it had one: echoed exactly. */
  data?: { value: unknown };
  msg?: string;
  log?: string;
  errorMsg?: string;
  errorLog?: string;
  now?: Date;
}

/**
 * Signs an LtiDeepLinkingResponse with the tool's current key,
 * https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-response-message : iss = client_id,
 * aud = the platform issuer, a fresh nonce, deployment_id, message type, version, content items
 * (empty on cancel), data echoed, optional msg/log/errormsg/errorlog. The header names the key (kid)
 * so the platform can pick it from the tool's JWKS.
 */
export async function signDeepLinkingResponse(input: DeepLinkingResponseInput, key: SigningKey): Promise<string> {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const payload: Record<string, unknown> = {
    nonce: randomBytes(24).toString('base64url'),
    [CLAIM.deploymentId]: input.deploymentId,
    [CLAIM.messageType]: MESSAGE_TYPE.deepLinkingResponse,
    [CLAIM.version]: LTI_VERSION,
    [CLAIM.contentItems]: input.contentItems,
  };
  // "If present in the request, the data claim MUST be returned unmodified" (ibid., #data).
  if (input.data) payload[CLAIM.dlData] = input.data.value;
  if (input.msg) payload[CLAIM.dlMsg] = input.msg;
  if (input.log) payload[CLAIM.dlLog] = input.log;
  if (input.errorMsg) payload[CLAIM.dlErrorMsg] = input.errorMsg;
  if (input.errorLog) payload[CLAIM.dlErrorLog] = input.errorLog;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(input.clientId)
    .setAudience(input.platformIssuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + RESPONSE_TTL_SECONDS)
    .sign(key.key);
}
