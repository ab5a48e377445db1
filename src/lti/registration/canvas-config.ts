import { MESSAGE_TYPE } from '../claims.js';
import { TOOL_DESCRIPTION, TOOL_NAME, TOOL_SCOPES, toolEndpoints } from './tool-configuration.js';

/**
 * A Canvas developer key "Enter URL" / "Paste JSON" configuration, so a Canvas admin can register
 * Pathwise without copying each URL by hand (Canvas LTI 1.3 developer key JSON format).
 */
export function canvasDeveloperKeyConfig(publicUrl: string): Record<string, unknown> {
  const urls = toolEndpoints(publicUrl);
  const placement = (name: string) => ({
    placement: name,
    message_type: MESSAGE_TYPE.deepLinkingRequest,
    target_link_uri: urls.deepLinkingUrl,
    text: TOOL_NAME,
  });
  return {
    title: TOOL_NAME,
    description: TOOL_DESCRIPTION,
    oidc_initiation_url: urls.loginUrl,
    target_link_uri: urls.targetLinkUri,
    public_jwk_url: urls.jwksUrl,
    scopes: [...TOOL_SCOPES],
    extensions: [
      {
        domain: urls.domain,
        tool_id: 'pathwise',
        platform: 'canvas.instructure.com',
        privacy_level: 'public',
        settings: {
          text: TOOL_NAME,
          placements: [placement('link_selection'), placement('assignment_selection')],
        },
      },
    ],
    custom_fields: {},
  };
}
