import { createServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { decodeJwt } from 'jose';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { enqueueScore } from '../../src/store/grade-outbox.js';
import { rosterAfterLaunch } from '../../src/lti/nrps/roster-sync.js';
import { createTestPathwise } from '../support/app.js';
import { pageData } from '../support/lti-flow.js';

/** A free port on 127.0.0.1: publicUrl must be known before compose, the app listens after. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const pathOf = (url: string) => {
  const u = new URL(url, 'http://x');
  return `${u.pathname}${u.search}`;
};
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const errorCode = (html: string) => /<code>([a-z_]+)<\/code>/.exec(html)?.[1];

/**
 * Follows a demo launch the way a browser does: demo launch → /lti/login → /demo-lms/auth →
 * the auto-post form → POST /lti/launch → the landing page.
 */
async function demoLaunch(pw: Pathwise, query: string) {
  const agent = request.agent(pw.app);
  const start = await agent.get(`/demo-lms/launch?${query}`);
  expect(start.status).toBe(302);
  expect(start.headers.location).toContain('/lti/login?');
  const login = await agent.get(pathOf(start.headers.location!));
  // The login page keeps its storage proof, then goes on to the LMS's authorization URL.
  expect(login.status).toBe(200);
  const next = pageData(login.text, 'lti-storage-data').next as string;
  expect(next).toContain('/demo-lms/auth?');
  const auth = await agent.get(pathOf(next));
  expect(auth.status).toBe(200);
  expect(auth.text).toContain('/assets/demo-lms-post.js');
  const action = /<form id="demo-lms-launch" method="post" action="([^"]+)"/.exec(auth.text)?.[1];
  expect(action).toBe(`${pw.ctx.config.publicUrl}/lti/launch`);
  // Like Canvas and Moodle, the demo signs the login's target_link_uri into the claim (LTI Core 1.3 §5.3.4).
  const loginTarget = new URL(start.headers.location!, 'http://x').searchParams.get('target_link_uri');
  expect(decodeJwt(field(auth.text, 'id_token')!)[CLAIM.targetLinkUri]).toBe(loginTarget);
  const posted = await agent
    .post('/lti/launch')
    .type('form')
    .send({ id_token: field(auth.text, 'id_token'), state: field(auth.text, 'state') });
  expect(posted.status, errorCode(posted.text)).toBe(303);
  const location = posted.headers.location!;
  const token = new URL(location, 'http://x').searchParams.get('session')!;
  const landing = await agent.get(location);
  return { landing, token, location, auth };
}

describe('the demo LMS (demo.enabled)', () => {
  let pw: Pathwise;
  let server: Server;

  beforeAll(async () => {
    const port = await freePort();
    pw = await createTestPathwise({ publicUrl: `http://127.0.0.1:${port}`, demo: { enabled: true } });
    await new Promise<void>((resolve) => {
      server = pw.app.listen(port, '127.0.0.1', () => resolve());
    });
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await pw?.close();
  });

  it('registers itself with Pathwise and shows the demo course on the home page', async () => {
    const platform = await pw.ctx.platforms.findByIssuerAndClient(`${pw.ctx.config.publicUrl}/demo-lms`, 'pathwise-demo');
    expect(platform?.jwksUrl).toBe(`${pw.ctx.config.publicUrl}/demo-lms/jwks`);
    expect(await pw.ctx.platforms.findDeployment(platform!.id, 'demo-deployment')).toMatchObject({ status: 'active' });
    const home = await request(pw.app).get('/');
    expect(home.status).toBe(200);
    for (const text of ['Open as teacher (Dana)', 'Open as student Ana', 'Open as student Ben', 'Open as student Chloe', 'Place a unit (deep linking)']) {
      expect(home.text).toContain(text);
    }
    expect(home.text).toContain('id="demo-gradebook"');
    expect(home.text).toContain('Linear equations');
    const es = await request(pw.app).get('/?lang=es');
    expect(es.text).toContain('<html lang="es">');
    expect(es.text).toContain('Abrir como estudiante Ana');
  });

  it('sends /demo-lms, the name the README gives the demo, to its home page', async () => {
    for (const [path, target] of [
      ['/demo-lms', '/?lang=en'],
      ['/demo-lms/', '/?lang=en'],
      ['/demo-lms?lang=es', '/?lang=es'],
    ] as const) {
      const res = await request(pw.app).get(path);
      expect([path, res.status, res.headers.location]).toEqual([path, 302, target]);
    }
  });

  it('frames the launch in its course page', async () => {
    const page = await request(pw.app).get('/demo-lms/course?user=ben');
    expect(page.status).toBe(200);
    const src = /<iframe class="demo-frame" src="([^"]+)" title="[^"]+">/
      .exec(page.text)?.[1]
      ?.replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(src).toBe('/demo-lms/launch?user=ben&message=resource&lang=en&link=demo-link-1');
  });

  it('launches the teacher through the real LTI 1.3 flow onto the teacher page', async () => {
    const { landing, token } = await demoLaunch(pw, 'user=teacher');
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('Algebra 1 (demo)');
    const session = await pw.ctx.launch.sessions.findByToken(token);
    expect(session?.roles).toContain('http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor');
    // The launch's NRPS claim names the demo membership service; the roster is read from it over HTTP.
    await rosterAfterLaunch(pw.ctx, session!);
    const result = await pw.ctx.rosterSync.sync(session!.courseId!);
    expect(result).toMatchObject({ complete: true, members: 4 });
    const roster = await pw.ctx.roster.listRoster(session!.courseId!);
    expect(roster.map((m) => m.name).sort()).toEqual(['Ana García', 'Ben Okafor', 'Chloe Martin', 'Dana Rivera']);
  });

  it('launches a student straight onto the unit map of the placed sample unit', async () => {
    const { landing: home, token } = await demoLaunch(pw, 'user=ana&lang=es');
    expect([home.status, home.headers.location]).toEqual([303, `/student/map?session=${token}`]);
    const landing = await request(pw.app).get(home.headers.location!);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('<html lang="es">');
    expect(landing.text).toContain('Linear equations');
    const session = await pw.ctx.launch.sessions.findByToken(token);
    expect(session?.roles).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner']);
    const { rows } = await pw.ctx.db.query<{ key: string }>(`select u.key from placements p join units u on u.id = p.unit_id where p.id = $1`, [
      session!.placementId,
    ]);
    expect(rows[0]?.key).toBe('linear-equations');
  });

  it('receives a score from the outbox worker over HTTP and shows it in its gradebook', async () => {
    const { token } = await demoLaunch(pw, 'user=chloe');
    const session = (await pw.ctx.launch.sessions.findByToken(token))!;
    await enqueueScore(pw.ctx.db, {
      placementId: session.placementId!,
      userId: session.userId,
      scoreGiven: 87,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    pw.ctx.outbox.kick();
    let status = '';
    for (let i = 0; i < 100 && status !== 'sent'; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      const { rows } = await pw.ctx.db.query<{ status: string }>(`select status from grade_outbox where user_id = $1`, [session.userId]);
      status = rows[0]?.status ?? '';
    }
    expect(status).toBe('sent');
    const home = await request(pw.app).get('/');
    const row = /<th scope="row">Chloe Martin<\/th>([\s\S]*?)<\/tr>/.exec(home.text)?.[1] ?? '';
    expect(row).toContain('87 / 100');
    expect(row).toContain('Completed, FullyGraded');
    expect(/<th scope="row">Ben Okafor<\/th>([\s\S]*?)<\/tr>/.exec(home.text)?.[1]).toContain('No score yet');
  });

  it('places a unit by deep linking: the response comes back to the demo course as a new activity with its column', async () => {
    const { landing } = await demoLaunch(pw, 'user=teacher&message=deep_linking');
    expect(landing.status).toBe(200);
    const choice = [...landing.text.matchAll(/name="choice" id="[^"]*" value="([^"]+)"/g)].map((m) => m[1]!).find((v) => v !== 'new');
    expect(choice).toBeTruthy();
    const response = await request(pw.app)
      .post('/lti/deep-linking/response')
      .type('form')
      .send({ session: field(landing.text, 'session'), _csrf: field(landing.text, '_csrf'), choice, action: 'add' });
    expect(response.status, errorCode(response.text)).toBe(200);
    const returnUrl = /<form id="deep-linking-return" method="post" action="([^"]+)"/.exec(response.text)?.[1]?.replace(/&#x3D;/g, '=');
    expect(returnUrl).toBe(`${pw.ctx.config.publicUrl}/demo-lms/deep-link-return?lang=en`);
    const placed = await request(pw.app)
      .post(pathOf(returnUrl!))
      .type('form')
      .send({ JWT: field(response.text, 'JWT') });
    expect(placed.status).toBe(200);
    expect(placed.text).toContain('Added to the demo course');
    const links = await pw.ctx.demo!.store.links();
    expect(links).toHaveLength(2);
    expect(links[1]!.custom.pathwise_unit_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(links[1]!.lineItemId).toBeTruthy();
    const forged = await request(pw.app)
      .post('/demo-lms/deep-link-return')
      .type('form')
      .send({ JWT: field(landing.text, 'session') ?? 'x' });
    expect(forged.status).toBe(400);
    expect(errorCode(forged.text)).toBe('demo_invalid_deep_linking_response');
  });

  it('refuses what a real platform refuses', async () => {
    const student = await request(pw.app).get('/demo-lms/launch?user=ana&message=deep_linking');
    expect(student.status).toBe(400);
    expect(errorCode(student.text)).toBe('demo_teacher_only');
    const nobody = await request(pw.app).get('/demo-lms/launch?user=mallory');
    expect(nobody.status).toBe(404);
    const elsewhere = await request(pw.app).get('/demo-lms/auth').query({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: 'pathwise-demo',
      redirect_uri: 'https://evil.example/steal',
      login_hint: 'teacher',
      lti_message_hint: 'resource:demo-link-1:en',
      state: 's',
      nonce: 'n',
    });
    expect(elsewhere.status).toBe(400);
    expect(errorCode(elsewhere.text)).toBe('demo_invalid_redirect_uri');
    const token = await request(pw.app).post('/demo-lms/token').type('form').send({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'a.b.c',
      scope: 'x',
    });
    expect(token.status).toBe(401);
    expect(token.body.error).toBe('invalid_client');
    const ags = await request(pw.app).get('/demo-lms/ags/lineitems');
    expect(ags.status).toBe(401);
    expect(ags.body.error).toBe('invalid_token');
  });
});

describe('the demo LMS when demo.enabled is off', () => {
  let pw: Pathwise;
  beforeAll(async () => {
    pw = await createTestPathwise();
  });
  afterAll(async () => {
    await pw?.close();
  });

  it('serves nothing under /demo-lms and shows the plain home page', async () => {
    expect(pw.ctx.config.demo.enabled).toBe(false);
    for (const path of ['/demo-lms/jwks', '/demo-lms/launch?user=teacher', '/demo-lms/course?user=ana']) {
      expect((await request(pw.app).get(path)).status).toBe(404);
    }
    const home = await request(pw.app).get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Add it to your LMS as an external tool');
    expect(home.text).not.toContain('demo-gradebook');
    expect(await pw.ctx.platforms.findByIssuer(`${pw.ctx.config.publicUrl}/demo-lms`)).toEqual([]);
  });
});
