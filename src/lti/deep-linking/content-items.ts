import { CONTENT_ITEM_TYPE } from '../claims.js';

/** The custom parameter that names the placed unit in every resource link Pathwise creates. */
export const UNIT_CUSTOM_PARAM = 'pathwise_unit_id';

/** A unit as a content item needs it. */
export interface PlaceableUnit {
  id: string;
  title: string;
  description?: string;
  scoreMaximum: number;
}

/** https://www.imsglobal.org/spec/lti-dl/v2p0/#lti-resource-link */
export interface LtiResourceLinkItem {
  type: typeof CONTENT_ITEM_TYPE.ltiResourceLink;
  title: string;
  text?: string;
  url: string;
  /** Values are strings: the platform sends them back in the custom claim of each launch. */
  custom: Record<string, string>;
  lineItem?: { scoreMaximum: number; label: string; resourceId: string; tag: string };
}

export interface ResourceLinkOptions {
  /** The tool's launch URL (PUBLIC_URL/lti/launch). */
  launchUrl: string;
  /** Include a line item so the platform creates the gradebook column with the link. */
  lineItem: boolean;
  /** The AGS resourceId and tag, the same ones the grade sync looks up, so no second column appears. */
  resourceId: string;
  tag: string;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * An `ltiResourceLink` content item placing one unit. The custom parameter identifies the unit on
 * every later launch; the `lineItem` asks the platform to create the gradebook column
 * (https://www.imsglobal.org/spec/lti-dl/v2p0/#line-item).
 */
export function unitResourceLink(unit: PlaceableUnit, options: ResourceLinkOptions): LtiResourceLinkItem {
  const title = clip(unit.title, 255);
  const item: LtiResourceLinkItem = {
    type: CONTENT_ITEM_TYPE.ltiResourceLink,
    title,
    url: options.launchUrl,
    custom: { [UNIT_CUSTOM_PARAM]: unit.id },
  };
  if (unit.description) item.text = clip(unit.description, 1000);
  if (options.lineItem) {
    item.lineItem = { scoreMaximum: unit.scoreMaximum, label: title, resourceId: options.resourceId, tag: options.tag };
  }
  return item;
}

/** The unit id named by a launch's custom claim, when it looks like one of ours (a UUID). */
export function unitIdFromCustom(custom: unknown): string | undefined {
  if (typeof custom !== 'object' || custom === null) return undefined;
  const v = (custom as Record<string, unknown>)[UNIT_CUSTOM_PARAM];
  return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v.trim()) ? v.trim().toLowerCase() : undefined;
}
