import { MESSAGE_TYPE, SCOPE } from '../claims.js';

/** Dynamic Registration claim names, https://www.imsglobal.org/spec/lti-dr/v1p0/#lti-configuration-0 */
export const TOOL_CONFIGURATION_CLAIM = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
/** https://www.imsglobal.org/spec/lti-dr/v1p0/#platform-configuration */
export const PLATFORM_CONFIGURATION_CLAIM = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

export const TOOL_NAME = 'Pathwise';
export const TOOL_DESCRIPTION =
  'Competency-based, personalized learning: students choose a pathway for each competency, prove mastery, and grades reach the gradebook.';

/** Everything Pathwise asks for: AGS line items, results and scores, and NRPS membership. */
export const TOOL_SCOPES: readonly string[] = [
  SCOPE.agsLineItem,
  SCOPE.agsLineItemReadOnly,
  SCOPE.agsResultReadOnly,
  SCOPE.agsScore,
  SCOPE.nrpsContextMembershipReadOnly,
];

/** The identity claims Pathwise needs: a learner must be known (`sub`) to keep their progress. */
export const TOOL_CLAIMS: readonly string[] = ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'];

/** The values an admin pastes into an LMS's manual registration form. */
export interface ToolEndpoints {
  loginUrl: string;
  redirectUrls: string[];
  jwksUrl: string;
  domain: string;
  targetLinkUri: string;
  deepLinkingUrl: string;
  canvasConfigUrl: string;
}

/** Derives the tool's endpoints from PUBLIC_URL (without trailing slash). */
export function toolEndpoints(publicUrl: string): ToolEndpoints {
  const base = publicUrl.replace(/\/+$/, '');
  const launch = `${base}/lti/launch`;
  return {
    loginUrl: `${base}/lti/login`,
    redirectUrls: [launch],
    jwksUrl: `${base}/.well-known/jwks.json`,
    domain: new URL(base).host,
    targetLinkUri: launch,
    deepLinkingUrl: launch,
    canvasConfigUrl: `${base}/lti/config.json`,
  };
}

/** What the platform told us it supports, to trim our request to it (all optional in the spec). */
export interface PlatformSupport {
  productFamilyCode?: string | undefined;
  messagesSupported?: Array<{ type: string }> | undefined;
  scopesSupported?: string[] | undefined;
}

/** Where deep linking shows up: Canvas names its placements; the spec leaves the values to the platform. */
function deepLinkingPlacements(productFamilyCode: string | undefined): string[] {
  return productFamilyCode === 'canvas' ? ['link_selection', 'assignment_selection'] : ['ContentArea'];
}

/**
 * The client registration request, https://www.imsglobal.org/spec/lti-dr/v1p0/#tool-client-registration-request
 * (OpenID Connect Dynamic Client Registration metadata plus the LTI tool configuration claim).
 */
export function clientRegistrationRequest(publicUrl: string, platform: PlatformSupport = {}): Record<string, unknown> {
  const urls = toolEndpoints(publicUrl);
  // Ask only for scopes the platform says it has, when it says; otherwise ask for all (it may grant fewer).
  const scopes = platform.scopesSupported ? TOOL_SCOPES.filter((s) => platform.scopesSupported!.includes(s)) : TOOL_SCOPES;
  const supportsDeepLinking = !platform.messagesSupported || platform.messagesSupported.some((m) => m.type === MESSAGE_TYPE.deepLinkingRequest);
  const messages: Array<Record<string, unknown>> = [{ type: MESSAGE_TYPE.resourceLink, target_link_uri: urls.targetLinkUri }];
  if (supportsDeepLinking) {
    messages.push({
      type: MESSAGE_TYPE.deepLinkingRequest,
      target_link_uri: urls.deepLinkingUrl,
      label: TOOL_NAME,
      placements: deepLinkingPlacements(platform.productFamilyCode),
    });
  }
  const toolConfiguration: Record<string, unknown> = {
    domain: urls.domain,
    target_link_uri: urls.targetLinkUri,
    description: TOOL_DESCRIPTION,
    claims: [...TOOL_CLAIMS],
    messages,
  };
  if (platform.productFamilyCode === 'canvas') {
    // Canvas sends names and email only at the "public" privacy level.
    toolConfiguration['https://canvas.instructure.com/lti/privacy_level'] = 'public';
  }
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.loginUrl,
    redirect_uris: urls.redirectUrls,
    client_name: TOOL_NAME,
    jwks_uri: urls.jwksUrl,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: scopes.join(' '),
    [TOOL_CONFIGURATION_CLAIM]: toolConfiguration,
  };
}
