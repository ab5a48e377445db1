import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { CLAIM, LTI_VERSION, MESSAGE_TYPE, SCOPE } from '../lti/claims.js';
import { DEMO_CLIENT_ID, DEMO_COURSE, DEMO_DEPLOYMENT_ID, fullName, type DemoUrls, type DemoUser } from './demo-course.js';
import type { DemoSigningKey } from './demo-keys.js';
import type { DemoLink } from './demo-store.js';

/** How long an id_token is valid: the browser posts it at once (Moodle uses 60 s). */
const ID_TOKEN_TTL_SECONDS = 120;

/** The scopes the demo LMS grants Pathwise (AGS line items + scores, NRPS). */
export const DEMO_AGS_SCOPES = [SCOPE.agsLineItem, SCOPE.agsLineItemReadOnly, SCOPE.agsScore];
export const DEMO_SCOPES: readonly string[] = [...DEMO_AGS_SCOPES, SCOPE.nrpsContextMembershipReadOnly];

export type DemoMessage = { kind: 'resource'; link: DemoLink } | { kind: 'deep_linking'; data: string };

export interface DemoLaunchInput {
  user: DemoUser;
  message: DemoMessage;
  nonce: string;
  locale: 'en' | 'es';
  urls: DemoUrls;
  /** Where "return to course" goes (launch_presentation.return_url). */
  returnUrl: string;
}

/**
 * The claims of a launch from the demo course, as a real LMS sends them:
 * https://www.imsglobal.org/spec/lti/v1p3/#required-message-claims (+ optional context, names,
 * launch_presentation, custom), AGS https://www.imsglobal.org/spec/lti-ags/v2p0/#assignment-and-grade-service-claim ,
 * NRPS https://www.imsglobal.org/spec/lti-nrps/v2p0/#lti-1-3-integration , and for placing units
 * the deep linking settings https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-settings .
 */
export function demoLaunchClaims(input: DemoLaunchInput): Record<string, unknown> {
  const { user, message, urls } = input;
  const claims: Record<string, unknown> = {
    nonce: input.nonce,
    name: fullName(user),
    given_name: user.givenName,
    family_name: user.familyName,
    email: user.email,
    locale: input.locale,
    [CLAIM.version]: LTI_VERSION,
    [CLAIM.deploymentId]: DEMO_DEPLOYMENT_ID,
    [CLAIM.roles]: user.roles,
    [CLAIM.context]: { ...DEMO_COURSE, type: [...DEMO_COURSE.type] },
    [CLAIM.toolPlatform]: { guid: urls.issuer, name: 'Pathwise demo LMS', product_family_code: 'pathwise-demo' },
    [CLAIM.launchPresentation]: { locale: input.locale, document_target: 'iframe', return_url: input.returnUrl },
    [CLAIM.nrpsService]: { context_memberships_url: urls.memberships, service_versions: ['2.0'] },
  };
  if (message.kind === 'resource') {
    const { link } = message;
    claims[CLAIM.messageType] = MESSAGE_TYPE.resourceLink;
    claims[CLAIM.targetLinkUri] = urls.toolLaunch;
    claims[CLAIM.resourceLink] = { id: link.id, title: link.title };
    claims[CLAIM.custom] = link.custom;
    claims[CLAIM.agsEndpoint] = {
      scope: DEMO_AGS_SCOPES,
      lineitems: urls.lineItems,
      ...(link.lineItemId ? { lineitem: urls.lineItem(link.lineItemId) } : {}),
    };
  } else {
    claims[CLAIM.messageType] = MESSAGE_TYPE.deepLinkingRequest;
    claims[CLAIM.targetLinkUri] = urls.toolLaunch;
    claims[CLAIM.agsEndpoint] = { scope: DEMO_AGS_SCOPES, lineitems: urls.lineItems };
    claims[CLAIM.deepLinkingSettings] = {
      deep_link_return_url: `${urls.deepLinkReturn}?lang=${input.locale}`,
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true,
      accept_lineitem: true,
      auto_create: true,
      data: message.data,
    };
  }
  return claims;
}

/** Signs the id_token with the demo LMS key: iss = the demo issuer, aud = Pathwise's client id. */
export async function signDemoIdToken(claims: Record<string, unknown>, user: DemoUser, urls: DemoUrls, key: DemoSigningKey): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(urls.issuer)
    .setAudience(DEMO_CLIENT_ID)
    .setSubject(user.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ID_TOKEN_TTL_SECONDS)
    .setJti(randomBytes(16).toString('base64url'))
    .sign(key.key);
}
