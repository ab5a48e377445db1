/**
 * One browser doing one full LTI 1.3 launch against Pathwise and the fake LMS, the way a browser
 * in an LMS iframe does it, with its own cookie jar:
 *   GET /lti/login (third-party initiated login) → the page going on to the platform's auth endpoint
 *   → the platform's auto-submitting form → POST /lti/launch (id_token + state, state cookie)
 *   → 303 to the landing page → GET it (200 HTML).
 * https://www.imsglobal.org/spec/security/v1p0/#openid_connect_launch_flow
 */
export interface LaunchTarget {
  /** Pathwise's base URL. */
  url: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  /**
   * Where each of Pathwise's requests goes (a load balancer's choice): given the step and the URL
   * Pathwise named, the URL to send it to. By default, the URL itself.
   */
  route?: (step: 'login' | 'launch' | 'page', url: URL) => URL;
}

export interface RoundTrip {
  totalMs: number;
  steps: { login: number; auth: number; launch: number; page: number };
  /** The landing page's URL (with the launch's session token). */
  landing?: string;
}

/** A failed step, with what the server answered (status and a short excerpt). */
export class RoundTripError extends Error {
  override name = 'RoundTripError';
}

class CookieJar {
  private cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function expectStatus(step: string, res: Response, allowed: number[]): Promise<void> {
  if (allowed.includes(res.status)) return;
  const body = (await res.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
  throw new RoundTripError(`${step}: HTTP ${res.status} (expected ${allowed.join('/')}): ${body}`);
}

function formField(html: string, name: string): string | undefined {
  const m = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return m?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** The authorization URL a login page goes on to (its JSON data's `next`). */
function loginPageNext(html: string): string | null {
  const m = /<script type="application\/json" id="lti-storage-data">([\s\S]*?)<\/script>/.exec(html);
  try {
    const next = m ? (JSON.parse(m[1]!) as { next?: unknown }).next : undefined;
    return typeof next === 'string' ? next : null;
  } catch {
    return null;
  }
}

/** Runs one launch as `loginHint`; throws RoundTripError on any unexpected answer. */
export async function launchOnce(target: LaunchTarget, loginHint: string): Promise<RoundTrip> {
  const jar = new CookieJar();
  const t0 = performance.now();

  const login = new URL('/lti/login', target.url);
  login.search = new URLSearchParams({
    iss: target.issuer,
    login_hint: loginHint,
    target_link_uri: `${target.url}/lti/launch`,
    client_id: target.clientId,
    lti_deployment_id: target.deploymentId,
  }).toString();
  const route = target.route ?? ((_step, url: URL) => url);
  const r1 = await fetch(route('login', login), { redirect: 'manual' });
  await expectStatus('login', r1, [200, 302, 303]);
  jar.take(r1);
  // The login answers with a page that keeps its storage proof and then goes on to `next`.
  const authUrl = r1.status === 200 ? loginPageNext(await r1.text()) : (await r1.arrayBuffer(), r1.headers.get('location'));
  if (!authUrl) throw new RoundTripError('login: no authorization URL to go on to');
  const t1 = performance.now();

  const r2 = await fetch(authUrl, { redirect: 'manual' });
  await expectStatus('platform auth', r2, [200]);
  const form = await r2.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(form)?.[1]?.replace(/&amp;/g, '&');
  const idToken = formField(form, 'id_token');
  const state = formField(form, 'state');
  if (!action || !idToken || state === undefined) throw new RoundTripError('platform auth: no form_post with id_token and state');
  const t2 = performance.now();

  const r3 = await fetch(route('launch', new URL(action)), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(), origin: new URL(authUrl).origin },
    body: new URLSearchParams({ id_token: idToken, state }).toString(),
  });
  await expectStatus('launch', r3, [302, 303]);
  jar.take(r3);
  await r3.arrayBuffer();
  const landing = r3.headers.get('location');
  if (!landing) throw new RoundTripError('launch: redirect without Location');
  const t3 = performance.now();

  // A placed link's landing page sends a learner on to the unit (a redirect or two, followed here).
  let landingUrl = route('page', new URL(landing, target.url));
  let r4 = await fetch(landingUrl, { redirect: 'manual', headers: { cookie: jar.header(), accept: 'text/html' } });
  for (let hops = 0; hops < 3 && (r4.status === 302 || r4.status === 303) && r4.headers.get('location'); hops++) {
    await r4.arrayBuffer();
    landingUrl = route('page', new URL(r4.headers.get('location')!, target.url));
    r4 = await fetch(landingUrl, { redirect: 'manual', headers: { cookie: jar.header(), accept: 'text/html' } });
  }
  await expectStatus('landing page', r4, [200]);
  const page = await r4.text();
  if (!page.includes('<html')) throw new RoundTripError('landing page: not an HTML page');
  const t4 = performance.now();

  return { totalMs: t4 - t0, steps: { login: t1 - t0, auth: t2 - t1, launch: t3 - t2, page: t4 - t3 }, landing: landingUrl.toString() };
}
