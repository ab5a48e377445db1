import request from 'supertest';
import type { Response } from 'supertest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { PlacementRepository } from '../../src/store/placement-repository.js';
import { starterUnit } from '../../src/store/starter-unit.js';
import type { FakePlatform } from './fake-platform.js';
import { launch, type LaunchOptions, type LaunchResult } from './lti-flow.js';

/** A hidden field's value in a page (Handlebars escapes attribute values; tokens are base64url). */
export function fieldValue(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

/** The option values of the picker, in page order, with whether each is preselected. */
export function pickerChoices(html: string): Array<{ value: string; type: string; checked: boolean }> {
  return [...html.matchAll(/<input type="(radio|checkbox)" name="choice" id="[^"]*" value="([^"]*)"[^>]*?( checked)?>/g)].map((m) => ({
    type: m[1]!,
    value: m[2]!,
    checked: Boolean(m[3]),
  }));
}

/** Launches a teacher's deep linking request (settings overridable) and returns the picker page. */
export async function deepLinkingLaunch(
  pw: Pathwise,
  fake: FakePlatform,
  settings: Record<string, unknown> = {},
  extra: LaunchOptions = {},
): Promise<LaunchResult & { picker: Response; session: string; csrf: string }> {
  const r = await launch(pw, fake, {
    role: 'teacher',
    messageType: 'deep_linking',
    ...extra,
    claims: (d) => ({
      [CLAIM.deepLinkingSettings]: { ...(d[CLAIM.deepLinkingSettings] as object), ...settings },
      ...(typeof extra.claims === 'function' ? extra.claims(d) : (extra.claims ?? {})),
    }),
  });
  const picker = r.landing!;
  return { ...r, picker, session: r.sessionToken!, csrf: fieldValue(picker.text, '_csrf') ?? '' };
}

/** Posts a urlencoded form with repeated keys (`choice` may appear several times). */
export function postForm(pw: Pathwise, path: string, fields: Array<[string, string]>): Promise<Response> {
  return request(pw.app).post(path).type('form').send(new URLSearchParams(fields).toString());
}

/** Verifies a deep linking response JWT with the tool's published JWKS, as a platform would. */
export async function verifyWithToolJwks(pw: Pathwise, fake: FakePlatform, jwt: string): Promise<{ payload: JWTPayload; kid?: string }> {
  const jwks = await request(pw.app).get('/.well-known/jwks.json');
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks.body), { issuer: fake.clientId, audience: fake.issuer, algorithms: ['RS256'] });
  return { payload, kid: decodeProtectedHeader(jwt).kid };
}

/** The id of a course by its LTI context id. */
export async function courseId(pw: Pathwise, contextId: string): Promise<string> {
  const { rows } = await pw.ctx.db.query<{ id: string }>(`select id from courses where context_id = $1`, [contextId]);
  return rows[0]!.id;
}

/** The id of a user by their LTI subject. */
export async function userId(pw: Pathwise, sub: string): Promise<string> {
  const { rows } = await pw.ctx.db.query<{ id: string }>(`select id from users where sub = $1`, [sub]);
  return rows[0]!.id;
}

/** Creates a (starter) unit in a course, owned by a user. */
export function createUnit(pw: Pathwise, title: string, course: string, owner: string): Promise<string> {
  return new PlacementRepository(pw.ctx.db).createUnit(starterUnit(title), course, owner);
}

/** The unit a placement points at. */
export async function placementUnit(pw: Pathwise, resourceLinkId: string, contextId = 'course-1'): Promise<string | null> {
  const { rows } = await pw.ctx.db.query<{ unitId: string | null }>(
    `select p.unit_id as "unitId" from placements p join courses c on c.id = p.course_id where p.resource_link_id = $1 and c.context_id = $2`,
    [resourceLinkId, contextId],
  );
  return rows[0]?.unitId ?? null;
}
