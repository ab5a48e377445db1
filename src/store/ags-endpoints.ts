import type { Queryable } from './database.js';
import type { PlatformRecord } from './platform-repository.js';

/** The AGS endpoint claim, https://www.imsglobal.org/spec/lti-ags/v2p0/#assignment-and-grade-service-claim */
export interface AgsEndpointClaim {
  scope: string[];
  lineitems?: string;
  lineitem?: string;
}

/** Reads the claim's value leniently: anything malformed is ignored rather than failing the launch. */
export function parseAgsEndpointClaim(value: unknown): AgsEndpointClaim | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const url = (u: unknown) => (typeof u === 'string' && /^https?:\/\//.test(u) ? u : undefined);
  const scope = Array.isArray(v.scope) ? v.scope.filter((s): s is string => typeof s === 'string') : [];
  const claim: AgsEndpointClaim = { scope, lineitems: url(v.lineitems), lineitem: url(v.lineitem) };
  return claim.lineitems || claim.lineitem || scope.length > 0 ? claim : null;
}

/**
 * Remembers the AGS endpoint claim of a launch for its placement, so grades can be sent later
 * without a launch. Call it from the launch (same transaction as the placement upsert is fine)
 * with the raw claim value; a missing or malformed claim is ignored. A claim without `lineitem`
 * keeps the line item found or created earlier.
 */
export async function rememberAgsEndpoint(db: Queryable, placementId: string, claimValue: unknown): Promise<void> {
  const claim = parseAgsEndpointClaim(claimValue);
  if (!claim) return;
  await db.query(
    `insert into ags_endpoints (placement_id, lineitems_url, lineitem_url, scopes) values ($1, $2, $3, $4)
     on conflict (placement_id) do update set lineitems_url = coalesce(excluded.lineitems_url, ags_endpoints.lineitems_url),
       lineitem_url = coalesce(excluded.lineitem_url, ags_endpoints.lineitem_url), scopes = excluded.scopes, updated_at = now()`,
    [placementId, claim.lineitems ?? null, claim.lineitem ?? null, claim.scope],
  );
}

/** Everything needed to send one student's score for one placement. */
export interface DeliveryTarget {
  platform: PlatformRecord;
  placementId: string;
  resourceLinkId: string;
  title: string | null;
  unitId: string | null;
  /** The `lineitem` from the launch (AGS claim, else the placement). */
  lineitemUrl: string | null;
  lineitemsUrl: string | null;
  resolvedLineitemUrl: string | null;
  scopes: string[];
  /** The student's `sub` at the platform: the AGS `userId`. */
  userSub: string;
}

/** Key of a target in the map loadDeliveryTargets returns. */
export const targetKey = (placementId: string, userId: string) => `${placementId} ${userId}`;

/** Loads the delivery targets of outbox rows in one query; rows whose placement or user is gone are missing. */
export async function loadDeliveryTargets(db: Queryable, rows: ReadonlyArray<{ placementId: string; userId: string }>): Promise<Map<string, DeliveryTarget>> {
  const { rows: found } = await db.query<Omit<DeliveryTarget, 'platform'> & { userId: string; platform: Record<string, unknown> }>(
    `select p.id as "placementId", p.resource_link_id as "resourceLinkId", p.title, p.unit_id as "unitId",
       coalesce(e.lineitem_url, p.lineitem_url) as "lineitemUrl", e.lineitems_url as "lineitemsUrl",
       e.resolved_lineitem_url as "resolvedLineitemUrl", coalesce(e.scopes, '{}') as scopes, u.id as "userId", u.sub as "userSub",
       json_build_object('id', pl.id, 'issuer', pl.issuer, 'clientId', pl.client_id, 'name', pl.name,
         'productFamily', pl.product_family, 'authLoginUrl', pl.auth_login_url, 'authTokenUrl', pl.auth_token_url,
         'authTokenAudience', pl.auth_token_audience, 'jwksUrl', pl.jwks_url, 'createdAt', pl.created_at) as platform
     from (select distinct * from unnest($1::uuid[], $2::uuid[]) as w(placement_id, user_id)) w
     join placements p on p.id = w.placement_id
     join courses c on c.id = p.course_id
     join deployments d on d.id = c.deployment_id
     join platforms pl on pl.id = d.platform_id
     join users u on u.id = w.user_id and u.platform_id = pl.id
     left join ags_endpoints e on e.placement_id = p.id`,
    [rows.map((r) => r.placementId), rows.map((r) => r.userId)],
  );
  const out = new Map<string, DeliveryTarget>();
  for (const { userId, ...row } of found) {
    const platform = { ...row.platform, createdAt: new Date(String(row.platform.createdAt)) } as unknown as PlatformRecord;
    out.set(targetKey(row.placementId, userId), { ...row, platform });
  }
  return out;
}

/** Stores the line item Pathwise found or created for a placement. */
export async function saveResolvedLineItem(db: Queryable, placementId: string, url: string): Promise<void> {
  await db.query(
    `insert into ags_endpoints (placement_id, resolved_lineitem_url) values ($1, $2)
     on conflict (placement_id) do update set resolved_lineitem_url = excluded.resolved_lineitem_url, updated_at = now()`,
    [placementId, url],
  );
}
