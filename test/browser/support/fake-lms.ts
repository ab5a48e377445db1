import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { Pathwise } from '../../../src/main.js';
import { CLAIM, CONTENT_ITEM_TYPE, MESSAGE_TYPE, SCOPE } from '../../../src/lti/claims.js';
import { addAgs, type FakeAgs } from '../../support/fake-ags.js';
import { FakePlatform } from '../../support/fake-platform.js';
import { addTokenEndpoint, type FakeTokenEndpoint } from '../../support/fake-services.js';
import { defaultClaims, registerFakePlatform, type LaunchOptions } from '../../support/lti-flow.js';
import { autoPostForm, coursePage, probePage, returnPage } from './lms-html.js';

/** A resource link the LMS created from a deep linking response. */
export interface LmsLink {
  id: string;
  title: string;
  custom: Record<string, string>;
  lineItemId?: string;
}

/** One platform-storage exchange the LMS page answered. */
export interface StorageExchange {
  subject: string;
  key: string;
  value: string | null;
  origin: string;
}

const DL_DATA = 'lms-deep-linking-data';

/**
 * A fake LMS for the browser journey. It listens on 127.0.0.1 like every test server, but the
 * browser reaches its pages as http://localhost:<port> — another site than Pathwise on
 * 127.0.0.1 — so Pathwise runs as a third party inside the LMS frame. Server-to-server calls
 * (JWKS, token, AGS) keep the 127.0.0.1 URLs of FakePlatform.
 */
export class FakeLms {
  readonly platform = new FakePlatform();
  ags!: FakeAgs;
  /** The LMS's OAuth token endpoint, for services a test adds (e.g. NRPS with `addNrps`). */
  tokens!: FakeTokenEndpoint;
  readonly links: LmsLink[] = [];
  readonly storageLog: StorageExchange[] = [];
  /** Verified deep linking response payloads (or why one was refused), oldest first. */
  readonly deepLinkingResponses: Array<{ payload?: JWTPayload; error?: string }> = [];
  private readonly hints = new Map<string, LaunchOptions>();
  private counter = 0;

  /**
   * `toolBase` is Pathwise as the browser reaches it. Options: `browserOrigin`, where the browser
   * reaches this LMS (default: its 127.0.0.1 address as localhost, another site than a tool on
   * 127.0.0.1); `toolServerBase`, where this LMS's server fetches the tool's key set (default
   * `toolBase`; a test serving the tool over https with a self-signed certificate gives a plain
   * http address here).
   */
  constructor(
    private readonly toolBase: string,
    private readonly options: { browserOrigin?: string; toolServerBase?: string } = {},
  ) {}

  /** The browser-facing origin (a different site from the tool's). */
  get origin(): string {
    return this.options.browserOrigin ?? this.platform.issuer.replace('127.0.0.1', 'localhost');
  }

  private get toolJwksUrl(): string {
    return `${this.options.toolServerBase ?? this.toolBase}/.well-known/jwks.json`;
  }

  /** Starts the LMS, adds its token and AGS endpoints, and registers it with Pathwise (login URL on `origin`). */
  async start(pw: Pathwise): Promise<this> {
    const app = this.platform.app;
    const toolJwks = async () => (await (await fetch(this.toolJwksUrl)).json()) as JSONWebKeySet;
    this.tokens = addTokenEndpoint(this.platform, { toolJwks });
    this.ags = addAgs(this.platform, { tokens: this.tokens });
    app.get('/course', (req, res) => {
      res.type('html').send(
        coursePage({
          title: String(req.query.title ?? 'Course'),
          loginUrl: String(req.query.login),
          toolOrigin: new URL(this.toolBase).origin,
          sandbox: req.query.sandbox === '1',
        }),
      );
    });
    app.post('/storage-log', (req, res) => {
      this.storageLog.push(req.body as StorageExchange);
      res.status(204).end();
    });
    app.get('/auth', async (req, res) => {
      const q = new URLSearchParams(req.url.split('?')[1] ?? '');
      const opts = this.hints.get(q.get('login_hint') ?? '');
      const ok =
        opts &&
        q.get('response_type') === 'id_token' &&
        q.get('response_mode') === 'form_post' &&
        q.get('client_id') === this.platform.clientId &&
        q.get('redirect_uri') === `${this.toolBase}/lti/launch` &&
        q.get('nonce') &&
        q.get('state');
      if (!ok) return void res.status(400).type('text').send('invalid authentication request');
      const idToken = await this.platform.sign(defaultClaims(this.platform, opts, q) as JWTPayload);
      res.type('html').send(autoPostForm(q.get('redirect_uri')!, { id_token: idToken, state: q.get('state')! }));
    });
    app.post('/deep-link-return', async (req, res) => {
      try {
        const titles = await this.acceptDeepLinkingResponse(String((req.body as Record<string, unknown>).JWT ?? ''));
        res.type('html').send(returnPage(`Added to the course: ${titles.join(', ')}`));
      } catch (err) {
        this.deepLinkingResponses.push({ error: (err as Error).message });
        res
          .status(400)
          .type('html')
          .send(returnPage(`Refused: ${(err as Error).message}`));
      }
    });
    // Third-party cookie probe: a cookie any browser would keep unless third-party cookies are blocked.
    app.get('/probe/set', (_req, res) => {
      res.setHeader('Set-Cookie', 'probe=1; Path=/probe; SameSite=None; Secure; Max-Age=600');
      res.type('text').send('set');
    });
    app.get('/probe/read', (req, res) => res.type('text').send(`cookie:${req.headers.cookie ?? ''}`));
    app.get('/probe-page', (req, res) => res.type('html').send(probePage(String(req.query.src))));
    await this.platform.start();
    await registerFakePlatform(pw, this.platform, { authLoginUrl: `${this.origin}/auth` });
    return this;
  }

  stop(): Promise<void> {
    return this.platform.stop();
  }

  /**
   * The LMS course page URL that launches Pathwise in its frame: a deep linking request, or a
   * launch of a resource link the LMS created. Login carries lti_storage_target=_parent: this page
   * answers the platform storage messages itself.
   */
  coursePageUrl(launch: {
    role: 'teacher' | 'student';
    deepLinking?: boolean;
    link?: LmsLink;
    /** false: no lti_storage_target at login, as Moodle and Schoology (default true, as Canvas). */
    platformStorage?: boolean;
    /** Frames the tool in a sandbox without allow-same-origin: it can keep no cookie and no web storage. */
    storageBlocked?: boolean;
    /** Claim overrides (e.g. another student's sub and name). */
    claims?: Record<string, unknown>;
  }): string {
    const hint = `hint-${++this.counter}`;
    const link = launch.link;
    const claims: Record<string, unknown> = launch.deepLinking
      ? {
          [CLAIM.deepLinkingSettings]: {
            deep_link_return_url: `${this.origin}/deep-link-return`,
            accept_types: [CONTENT_ITEM_TYPE.ltiResourceLink],
            accept_presentation_document_targets: ['iframe'],
            accept_multiple: false,
            accept_lineitem: true,
            data: DL_DATA,
          },
        }
      : {
          [CLAIM.resourceLink]: { id: link!.id, title: link!.title },
          [CLAIM.custom]: link!.custom,
          [CLAIM.agsEndpoint]: { scope: [SCOPE.agsScore, SCOPE.agsLineItem], lineitems: this.ags.lineitemsUrl, lineitem: link!.lineItemId },
        };
    Object.assign(claims, launch.claims);
    const targetLinkUri = `${this.toolBase}/lti/launch`;
    this.hints.set(hint, { role: launch.role, messageType: launch.deepLinking ? 'deep_linking' : 'resource', claims, loginTargetLinkUri: targetLinkUri });
    const login = new URL(`${this.toolBase}/lti/login`);
    const params: Record<string, string> = {
      iss: this.platform.issuer,
      login_hint: hint,
      target_link_uri: targetLinkUri,
      client_id: this.platform.clientId,
      lti_message_hint: hint,
      lti_deployment_id: this.platform.deploymentId,
    };
    if (launch.platformStorage !== false) params.lti_storage_target = '_parent';
    for (const [k, v] of Object.entries(params)) login.searchParams.set(k, v);
    const title = launch.deepLinking ? 'Add content' : link!.title;
    const query = new URLSearchParams({ title, login: login.toString() });
    if (launch.storageBlocked) query.set('sandbox', '1');
    return `${this.origin}/course?${query}`;
  }

  /**
   * What a platform does with an LtiDeepLinkingResponse (https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-response-message):
   * verify it with the tool's JWKS (iss = client_id, aud = issuer), check message type, deployment
   * and the echoed data, then create a resource link (and its gradebook column) per item.
   */
  private async acceptDeepLinkingResponse(jwt: string): Promise<string[]> {
    const jwks = (await (await fetch(this.toolJwksUrl)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      issuer: this.platform.clientId,
      audience: this.platform.issuer,
      algorithms: ['RS256'],
    });
    if (payload[CLAIM.messageType] !== MESSAGE_TYPE.deepLinkingResponse) throw new Error('not a deep linking response');
    if (payload[CLAIM.deploymentId] !== this.platform.deploymentId) throw new Error('wrong deployment');
    if (payload[CLAIM.dlData] !== DL_DATA) throw new Error('data not echoed');
    this.deepLinkingResponses.push({ payload });
    const items = (payload[CLAIM.contentItems] ?? []) as Array<{
      type: string;
      title: string;
      custom?: Record<string, string>;
      lineItem?: { label: string; scoreMaximum: number; resourceId?: string; tag?: string };
    }>;
    for (const item of items.filter((i) => i.type === CONTENT_ITEM_TYPE.ltiResourceLink)) {
      const id = `lms-link-${this.links.length + 1}`;
      const lineItem = item.lineItem ? this.ags.addLineItem({ ...item.lineItem, resourceLinkId: id }) : undefined;
      this.links.push({ id, title: item.title, custom: item.custom ?? {}, lineItemId: lineItem?.id });
    }
    return items.map((i) => i.title);
  }
}
