import request from 'supertest';
import { expect } from 'vitest';
import type { Response } from 'supertest';
import type { JWTPayload } from 'jose';
import type { Pathwise } from '../../src/main.js';
import { CLAIM, LTI_VERSION, MESSAGE_TYPE, ROLE } from '../../src/lti/claims.js';
import { PlatformRepository, type PlatformRecord } from '../../src/store/platform-repository.js';
import type { FakePlatform } from './fake-platform.js';

/** Registers the fake platform with Pathwise directly (no admin API). */
export function registerFakePlatform(
  pw: Pathwise,
  fake: FakePlatform,
  overrides: Partial<ReturnType<FakePlatform['registration']>> = {},
): Promise<PlatformRecord> {
  return new PlatformRepository(pw.ctx.db).create({ ...fake.registration(), name: null, productFamily: null, authTokenAudience: null, ...overrides });
}

export const ROLES = {
  teacher: [ROLE.instructor],
  student: [ROLE.learner],
  ta: [ROLE.teachingAssistant],
  admin: [ROLE.institutionAdministrator],
} as const;

export interface LaunchOptions {
  role?: keyof typeof ROLES;
  messageType?: 'resource' | 'deep_linking';
  /** Claim overrides, merged over the defaults; `undefined` removes a claim. May be a function of the defaults. */
  claims?: Record<string, unknown> | ((defaults: Record<string, unknown>) => Record<string, unknown>);
  /** How the fake signs the id_token (kid, a key it does not publish, alg). */
  sign?: { kid?: string | null; key?: 'current' | 'other'; alg?: string };
  /** Replaces the signed id_token before it is posted (garbage, truncation, another token). */
  tamper?: (idToken: string) => string;
  loginMethod?: 'GET' | 'POST';
  /** Login parameter overrides (undefined removes one), e.g. { login_hint: undefined }. */
  loginParams?: Record<string, string | undefined>;
  /** Sends lti_storage_target at login (platform storage flow). */
  storageTarget?: string;
  /** false: the launch POST carries no cookies (third-party cookies blocked). Default true. */
  cookies?: boolean;
  /** Extra form fields for the launch POST (e.g. a storage proof), or a state override. */
  launchFields?: Record<string, string>;
  /** Follow the 303 to the landing page with the URL token only (no cookie). Default true. */
  follow?: boolean;
  /** false: stop before POST /lti/launch (use `repost()` yourself, e.g. for concurrent submits). Default true. */
  submit?: boolean;
  /**
   * The target_link_uri the platform put in the login (set by launch()): like Canvas and Moodle,
   * the fake signs the same value into the target_link_uri claim.
   */
  loginTargetLinkUri?: string;
}

export interface LaunchResult {
  login: Response;
  /** The auth URL Pathwise redirected (or scripted) the browser to. */
  authUrl?: URL;
  idToken?: string;
  state?: string;
  nonce?: string;
  /** The proofs the login page keeps in the tool's own web storage and in platform storage. */
  ownProof?: string;
  platformProof?: string;
  /** The response to POST /lti/launch. */
  response?: Response;
  sessionToken?: string;
  landing?: Response;
  /** Posts the same id_token + state again (replays / double submits), with this browser's cookies (and extra headers, e.g. Accept). */
  repost(fields?: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
}

/** The claims a real platform would send for this authentication request. */
export function defaultClaims(fake: FakePlatform, opts: LaunchOptions, auth: URLSearchParams): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const role = opts.role ?? 'student';
  const deepLinking = opts.messageType === 'deep_linking';
  const claims: Record<string, unknown> = {
    iss: fake.issuer,
    aud: fake.clientId,
    sub: `user-${role}`,
    iat: now,
    exp: now + 300,
    nonce: auth.get('nonce'),
    name: role === 'teacher' ? 'Ada Teacher' : 'Sam Student',
    given_name: role === 'teacher' ? 'Ada' : 'Sam',
    family_name: role === 'teacher' ? 'Teacher' : 'Student',
    email: `${role}@school.example`,
    [CLAIM.version]: LTI_VERSION,
    [CLAIM.deploymentId]: fake.deploymentId,
    [CLAIM.messageType]: deepLinking ? MESSAGE_TYPE.deepLinkingRequest : MESSAGE_TYPE.resourceLink,
    [CLAIM.roles]: [...ROLES[role]],
    [CLAIM.targetLinkUri]: opts.loginTargetLinkUri ?? auth.get('redirect_uri'),
    [CLAIM.context]: { id: 'course-1', title: 'Algebra I', label: 'ALG1', type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] },
    [CLAIM.launchPresentation]: { locale: 'en-US', document_target: 'iframe' },
    [CLAIM.toolPlatform]: { guid: 'fake-lms', product_family_code: 'fake' },
  };
  if (deepLinking) {
    claims[CLAIM.deepLinkingSettings] = {
      deep_link_return_url: fake.url('/deep-link-return'),
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true,
      data: 'opaque-platform-data',
    };
  } else {
    claims[CLAIM.resourceLink] = { id: 'link-1', title: 'Unit 1: Linear equations' };
    claims[CLAIM.agsEndpoint] = {
      scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
      lineitems: fake.url('/ags/course-1/lineitems'),
      lineitem: fake.url('/ags/course-1/lineitems/1'),
    };
  }
  const over = typeof opts.claims === 'function' ? opts.claims(claims) : (opts.claims ?? {});
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  return claims;
}

const pending = new WeakMap<FakePlatform, Map<string, LaunchOptions>>();

/**
 * Adds the platform's OIDC authorization endpoint (GET /auth) to the fake: it checks the
 * authentication request and answers like an LMS, with an auto-posting form carrying id_token and state.
 */
export function installAuthEndpoint(fake: FakePlatform): Map<string, LaunchOptions> {
  let byHint = pending.get(fake);
  if (byHint) return byHint;
  const hints = new Map<string, LaunchOptions>();
  byHint = hints;
  pending.set(fake, hints);
  fake.app.get('/auth', async (req, res) => {
    const q = new URLSearchParams(req.url.split('?')[1] ?? '');
    const problems = [
      q.get('response_type') !== 'id_token' && 'response_type',
      q.get('response_mode') !== 'form_post' && 'response_mode',
      q.get('scope') !== 'openid' && 'scope',
      q.get('prompt') !== 'none' && 'prompt',
      q.get('client_id') !== fake.clientId && 'client_id',
      !q.get('nonce') && 'nonce',
      !q.get('state') && 'state',
      !q.get('redirect_uri') && 'redirect_uri',
    ].filter(Boolean);
    if (problems.length) {
      res.status(400).json({ error: 'invalid_request', problems });
      return;
    }
    const opts = hints.get(q.get('login_hint') ?? '') ?? {};
    let idToken = await fake.sign(defaultClaims(fake, opts, q) as JWTPayload, opts.sign);
    if (opts.tamper) idToken = opts.tamper(idToken);
    res
      .type('html')
      .send(
        `<form method="post" action="${q.get('redirect_uri')}"><input type="hidden" name="id_token" value="${idToken}">` +
          `<input type="hidden" name="state" value="${q.get('state')}"></form>`,
      );
  });
  return hints;
}

const formValue = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

/** The JSON a page embeds in <script type="application/json" id="...">. */
export function pageData(html: string, id: string): Record<string, unknown> {
  const m = new RegExp(`<script type="application/json" id="${id}">([\\s\\S]*?)</script>`).exec(html);
  return m ? (JSON.parse(m[1]!) as Record<string, unknown>) : {};
}

let counter = 0;

/**
 * Runs a whole launch through HTTP: login (GET or POST) → the fake's auth endpoint → POST /lti/launch
 * → (optionally) the landing page, fetched with the URL token only. Stops early where Pathwise refuses.
 */
export async function launch(pw: Pathwise, fake: FakePlatform, opts: LaunchOptions = {}): Promise<LaunchResult> {
  const hints = installAuthEndpoint(fake);
  const loginHint = `hint-${++counter}-${Date.now()}`;
  const agent = request.agent(pw.app);
  const params: Record<string, string | undefined> = {
    iss: fake.issuer,
    login_hint: loginHint,
    target_link_uri: `${pw.ctx.config.publicUrl}/lti/launch`,
    client_id: fake.clientId,
    lti_message_hint: 'message-hint',
    lti_deployment_id: fake.deploymentId,
    lti_storage_target: opts.storageTarget,
    ...opts.loginParams,
  };
  const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
  hints.set(loginHint, { ...opts, loginTargetLinkUri: clean.target_link_uri });
  const login = opts.loginMethod === 'POST' ? await agent.post('/lti/login').type('form').send(clean) : await agent.get('/lti/login').query(clean);
  const result: LaunchResult = {
    login,
    repost: async () => {
      throw new Error('no launch was posted');
    },
  };
  let authLocation: string | undefined;
  if (login.status === 302) authLocation = login.headers.location;
  else if (login.status === 200) {
    const data = pageData(login.text, 'lti-storage-data') as { next?: string; own?: { value: string }; platform?: { value: string } | null };
    authLocation = data.next;
    result.ownProof = data.own?.value;
    result.platformProof = data.platform?.value;
  }
  if (!authLocation) return result;
  result.authUrl = new URL(authLocation);
  result.state = result.authUrl.searchParams.get('state') ?? undefined;
  result.nonce = result.authUrl.searchParams.get('nonce') ?? undefined;
  const auth = await fetch(authLocation);
  const html = await auth.text();
  result.idToken = formValue(html, 'id_token');
  if (!result.idToken) return result;
  const fields = { id_token: result.idToken, state: result.state ?? '', ...opts.launchFields };
  const poster = opts.cookies === false ? request(pw.app) : agent;
  result.repost = (extra = {}, headers = {}) =>
    poster
      .post('/lti/launch')
      .set(headers)
      .type('form')
      .send({ ...fields, ...extra });
  if (opts.submit === false) return result;
  result.response = await result.repost();
  const location = result.response.status === 303 ? result.response.headers.location : undefined;
  if (location) {
    result.sessionToken = new URL(location, 'http://x').searchParams.get('session') ?? undefined;
    if (opts.follow !== false) result.landing = await request(pw.app).get(location);
  }
  return result;
}

/** The error code of a refusal page or JSON body. */
export function errorCode(res: Response): string | undefined {
  if (res.body?.error?.code) return res.body.error.code as string;
  return /<code>([a-z_]+)<\/code>/.exec(res.text ?? '')?.[1];
}

/**
 * Plays a launch whose id_token Pathwise must refuse, stopping before the POST so the refusal can
 * be read three ways: JSON (its stable code, `status` and a request id), an English page and a
 * Spanish one, none with a stack trace. Refused before the state check: no session is opened and
 * the login is still unused. Returns the JSON error and both pages.
 */
export async function expectLaunchRefused(pw: Pathwise, fake: FakePlatform, opts: LaunchOptions, code: string, status = 400) {
  const before = await pw.ctx.launch.sessions.count();
  const r = await launch(pw, fake, { ...opts, submit: false });
  const json = await r.repost({}, { Accept: 'application/json' });
  expect(json.body.error?.code, json.text).toBe(code);
  expect(json.status).toBe(status);
  expect(json.body.error.requestId).toBeTruthy();
  const en = await r.repost();
  const es = await r.repost({}, { 'Accept-Language': 'es' });
  expect(errorCode(en)).toBe(code);
  expect(errorCode(es)).toBe(code);
  expect(es.text).toContain('<html lang="es">');
  for (const res of [json, en, es]) expect(res.text).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  expect(await pw.ctx.launch.sessions.count()).toBe(before);
  expect((await pw.ctx.launch.loginStates.find(r.state!))?.usedAt ?? null).toBeNull();
  return { error: json.body.error as Record<string, unknown>, en, es };
}
