import { AppError } from '../../shared/errors.js';
import { MEDIA_TYPE, SCOPE } from '../claims.js';
import type { DeliveryTarget } from '../../store/ags-endpoints.js';
import { serviceError, type ServiceFetch } from './retry-policy.js';

/** The tag Pathwise puts on line items it creates, https://www.imsglobal.org/spec/lti-ags/v2p0/#tag */
export const LINE_ITEM_TAG = 'pathwise';
/** Bound on `Link: rel="next"` pages read while looking for a line item. */
const MAX_PAGES = 20;

/** A line item as the platform returns it, https://www.imsglobal.org/spec/lti-ags/v2p0/#line-item-service-media-types-and-schemas */
export interface LineItem {
  id: string;
  label?: string;
  scoreMaximum?: number;
  resourceId?: string;
  resourceLinkId?: string;
  tag?: string;
}

/** The `resourceId` Pathwise gives a placement's line item: the unit when placed, else the placement. */
export function placementResourceId(target: Pick<DeliveryTarget, 'unitId' | 'placementId'>): string {
  return target.unitId ? `unit:${target.unitId}` : `placement:${target.placementId}`;
}

/** The AGS scopes to ask a token for: those the launch offered, else just `score`. One set per course keeps one token. */
export function agsScopes(offered: readonly string[]): string[] {
  const known: string[] = [SCOPE.agsLineItem, SCOPE.agsLineItemReadOnly, SCOPE.agsScore, SCOPE.agsResultReadOnly];
  const scopes = offered.filter((s) => known.includes(s));
  return scopes.length > 0 ? [...new Set(scopes)].sort() : [SCOPE.agsScore];
}

function nextLink(header: string | null): string | undefined {
  return header
    ?.split(',')
    .map((part) => /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part)?.[1])
    .find(Boolean);
}

function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/**
 * Finds the line item a placement's scores go to. The launch's `lineitem` wins; else one
 * Pathwise found before; else it is looked up in `lineitems` — by resource link, then by
 * resourceId — BEFORE one is created, so a gradebook never gets duplicate columns
 * (https://www.imsglobal.org/spec/lti-ags/v2p0/#container-request-filters). Concurrent
 * deliveries for one placement share one lookup.
 */
export class LineItems {
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly http: ServiceFetch,
    private readonly save: (placementId: string, url: string) => Promise<void>,
  ) {}

  async resolve(target: DeliveryTarget, scoreMaximum: number): Promise<string> {
    const known = target.lineitemUrl ?? target.resolvedLineitemUrl;
    if (known) return known;
    let pending = this.inflight.get(target.placementId);
    if (!pending) {
      pending = this.findOrCreate(target, scoreMaximum).finally(() => this.inflight.delete(target.placementId));
      this.inflight.set(target.placementId, pending);
    }
    return pending;
  }

  private async findOrCreate(target: DeliveryTarget, scoreMaximum: number): Promise<string> {
    if (!target.lineitemsUrl) {
      throw new AppError('ags_not_offered', 'The LMS did not offer grade passback for this activity (no line item in the launch).', {
        kind: 'invalid',
        help: 'Enable the grades service (AGS) for Pathwise in the LMS, then open the activity once as a teacher.',
      });
    }
    const resourceId = placementResourceId(target);
    const byLink = await this.find(target, { resource_link_id: target.resourceLinkId }, (i) => i.resourceLinkId === target.resourceLinkId);
    const found =
      byLink ??
      (await this.find(
        target,
        { resource_id: resourceId },
        (i) => i.resourceId === resourceId && (!i.resourceLinkId || i.resourceLinkId === target.resourceLinkId),
      ));
    const url = found?.id ?? (await this.create(target, resourceId, scoreMaximum));
    await this.save(target.placementId, url);
    return url;
  }

  /** Reads the container with a filter; platforms may ignore filters, so matches are checked here too. */
  private async find(target: DeliveryTarget, filter: Record<string, string>, match: (i: LineItem) => boolean): Promise<LineItem | undefined> {
    let url: string | undefined = withQuery(target.lineitemsUrl!, filter);
    for (let page = 0; url && page < MAX_PAGES; page += 1) {
      const res = await this.http.fetch(target.platform, agsScopes(target.scopes), url, {
        headers: { Accept: MEDIA_TYPE.lineItemContainer },
      });
      if (!res.ok) throw await serviceError(res, 'Reading the gradebook columns failed');
      const items = (await res.json()) as unknown;
      const hit = (Array.isArray(items) ? (items as LineItem[]) : []).find((i) => typeof i?.id === 'string' && match(i));
      if (hit) return hit;
      url = nextLink(res.headers.get('link'));
    }
    return undefined;
  }

  /** POST a new line item, https://www.imsglobal.org/spec/lti-ags/v2p0/#creating-a-new-line-item */
  private async create(target: DeliveryTarget, resourceId: string, scoreMaximum: number): Promise<string> {
    if (!target.scopes.includes(SCOPE.agsLineItem)) {
      throw new AppError('ags_cannot_create_lineitem', 'The LMS lets Pathwise send grades only to a gradebook column it names, and named none.', {
        kind: 'invalid',
        help: 'Add the activity to the gradebook in the LMS (or place it again with Deep Linking), then retry.',
      });
    }
    const body = {
      label: target.title ?? 'Pathwise',
      scoreMaximum,
      resourceId,
      resourceLinkId: target.resourceLinkId,
      tag: LINE_ITEM_TAG,
    };
    const res = await this.http.fetch(target.platform, agsScopes(target.scopes), target.lineitemsUrl!, {
      method: 'POST',
      headers: { 'Content-Type': MEDIA_TYPE.lineItem, Accept: MEDIA_TYPE.lineItem },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw await serviceError(res, 'Creating the gradebook column failed');
    const created = (await res.json()) as Partial<LineItem>;
    if (typeof created.id !== 'string') {
      throw new AppError('ags_bad_lineitem', 'The LMS created a gradebook column but did not say where it is.', { kind: 'unavailable' });
    }
    return created.id;
  }
}
