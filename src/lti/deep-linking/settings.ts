import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { CONTENT_ITEM_TYPE } from '../claims.js';

/**
 * The deep linking settings claim, https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-settings .
 * Only `deep_link_return_url` and `accept_types` are required; the rest is read leniently.
 */
const settingsSchema = z.object({
  // The response is form-posted here; anything but http(s) (javascript:, data:) is refused.
  deep_link_return_url: z.url({ protocol: /^https?$/ }),
  accept_types: z.array(z.string()).default([]),
  accept_presentation_document_targets: z.array(z.string()).optional(),
  accept_multiple: z.boolean().optional(),
  accept_lineitem: z.boolean().optional(),
  auto_create: z.boolean().optional(),
  title: z.string().max(1000).optional(),
  text: z.string().max(4000).optional(),
  // Opaque to the tool: echoed back unchanged (any JSON value, most often a string).
  data: z.unknown().optional(),
});

export interface DeepLinkingSettings {
  returnUrl: string;
  acceptTypes: string[];
  /** Absent means false: a single item is the one answer every platform accepts. */
  acceptMultiple: boolean;
  /**
   * false: the platform ignores line items. Absent: "no assumption can be made", so Pathwise
   * still sends one (https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-settings).
   */
  acceptLineItem: boolean;
  title?: string;
  text?: string;
  /** Present only when the platform sent `data`; it MUST then be echoed in the response. */
  data?: { value: unknown };
}

/** Reads the settings stored with a deep linking launch, or fails with `invalid_deep_linking_settings`. */
export function readDeepLinkingSettings(raw: unknown): DeepLinkingSettings {
  const parsed = settingsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new AppError('invalid_deep_linking_settings', 'The LMS did not say where to send the chosen content back.', {
      kind: 'invalid',
      help: 'Open "add content" again from the LMS. If it keeps happening, ask the LMS administrator to check the Pathwise tool settings.',
    });
  }
  const s = parsed.data;
  const hasData = typeof raw === 'object' && raw !== null && 'data' in raw && s.data !== undefined;
  return {
    returnUrl: s.deep_link_return_url,
    acceptTypes: s.accept_types,
    acceptMultiple: s.accept_multiple === true,
    acceptLineItem: s.accept_lineitem !== false,
    title: s.title,
    text: s.text,
    ...(hasData ? { data: { value: s.data } } : {}),
  };
}

/** Pathwise places LTI resource links only; a platform that does not accept them cannot take a unit. */
export function acceptsResourceLinks(settings: DeepLinkingSettings): boolean {
  return settings.acceptTypes.includes(CONTENT_ITEM_TYPE.ltiResourceLink);
}
