/**
 * The fake LMS as a process of its own, for benchmarks: the load on it (RS256 signing, its HTTP
 * server) must not share an event loop with Pathwise or with the load generator.
 *
 * Run: node --import tsx bench/support/fake-lms-process.ts
 * Prints one JSON line on stdout with its registration values, then serves until stdin closes
 * or it gets SIGTERM/SIGINT. Its OIDC authorization endpoint (GET/POST /auth) answers like a
 * platform does: an auto-submitting form that posts id_token and state to the redirect_uri
 * (https://www.imsglobal.org/spec/security/v1p0/#step-3-authentication-response).
 *
 * With BENCH_LMS_AGS=1 it also has a token endpoint and AGS (one line item for the bench's
 * resource link), puts the AGS claim in every launch, and counts the scores it receives per
 * learner in GET /stats. The tool's public key set is read from the URL posted to
 * POST /bench/tool?jwks=<url> (the tool starts after the fake LMS).
 */
import type { Request, Response } from 'express';
import { FakePlatform } from '../../test/support/fake-platform.js';
import { CLAIM, LTI_VERSION, MESSAGE_TYPE, ROLE } from '../../src/lti/claims.js';
import type { JSONWebKeySet } from 'jose';
import { addTokenEndpoint } from '../../test/support/fake-services.js';
import { addAgs } from '../../test/support/fake-ags.js';
import { ALL_AGS_SCOPES } from '../../test/support/ags-scenario.js';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

async function main(): Promise<void> {
  const fake = new FakePlatform({ clientId: `bench-${process.pid}`, deploymentId: 'bench-deployment' });
  let issued = 0;
  // The request log is for tests; a benchmark's thousands of entries only cost memory.
  fake.received.push = () => 0;
  let toolJwksUrl: string | undefined;
  const withAgs = process.env.BENCH_LMS_AGS === '1';
  const tokens = withAgs
    ? addTokenEndpoint(fake, {
        toolJwks: async () => {
          if (!toolJwksUrl) throw new Error('no tool key set URL posted to /bench/tool');
          return (await (await fetch(toolJwksUrl)).json()) as JSONWebKeySet;
        },
      })
    : undefined;
  const ags = withAgs ? addAgs(fake, { tokens, contextId: 'bench-course-1' }) : undefined;

  const authorize = async (req: Request, res: Response) => {
    const q = (req.method === 'POST' ? req.body : req.query) as Record<string, unknown>;
    const redirectUri = one(q.redirect_uri);
    const loginHint = one(q.login_hint);
    const nonce = one(q.nonce);
    if (!redirectUri || !loginHint || !nonce || one(q.client_id) !== fake.clientId || one(q.response_mode) !== 'form_post') {
      res.status(400).type('text').send('invalid_request');
      return;
    }
    // login_hint "teacher-N" launches as an instructor, anything else as a learner.
    const teacher = loginHint.startsWith('teacher-');
    const now = Math.floor(Date.now() / 1000);
    const idToken = await fake.sign({
      iss: fake.issuer,
      aud: fake.clientId,
      sub: loginHint,
      nonce,
      iat: now,
      exp: now + 300,
      name: teacher ? `Teacher ${loginHint.slice(8)}` : `Student ${loginHint}`,
      [CLAIM.messageType]: MESSAGE_TYPE.resourceLink,
      [CLAIM.version]: LTI_VERSION,
      [CLAIM.deploymentId]: fake.deploymentId,
      [CLAIM.targetLinkUri]: one(q.target_link_uri) ?? redirectUri,
      [CLAIM.roles]: [teacher ? ROLE.instructor : ROLE.learner],
      [CLAIM.resourceLink]: { id: 'bench-link-1', title: 'Fractions unit' },
      [CLAIM.context]: { id: 'bench-course-1', label: 'MATH-5', title: 'Grade 5 Mathematics' },
      [CLAIM.launchPresentation]: { document_target: 'iframe', locale: 'en' },
      ...(ags && lineItemId ? { [CLAIM.agsEndpoint]: { scope: ALL_AGS_SCOPES, lineitems: ags.lineitemsUrl, lineitem: lineItemId } } : {}),
    });
    issued += 1;
    const state = one(q.state) ?? '';
    res
      .type('html')
      .send(
        `<!doctype html><html><body onload="document.forms[0].submit()">` +
          `<form method="post" action="${escapeHtml(redirectUri)}">` +
          `<input type="hidden" name="id_token" value="${escapeHtml(idToken)}">` +
          `<input type="hidden" name="state" value="${escapeHtml(state)}">` +
          `</form></body></html>`,
      );
  };
  fake.app.get('/auth', (req, res, next) => void authorize(req, res).catch(next));
  fake.app.post('/auth', (req, res, next) => void authorize(req, res).catch(next));
  fake.app.get('/stats', (_req, res) => {
    const scoresPerUser: Record<string, number> = {};
    for (const s of ags?.scores ?? []) scoresPerUser[s.score.userId] = (scoresPerUser[s.score.userId] ?? 0) + 1;
    res.json({
      issued,
      jwksRequests: fake.jwksRequests,
      rssBytes: process.memoryUsage().rss,
      ...(ags && tokens ? { ags: { tokensIssued: tokens.issued, scorePosts: ags.scorePosts, outOfOrder: ags.outOfOrder, scoresPerUser } } : {}),
    });
  });
  fake.app.post('/bench/tool', (req, res) => {
    toolJwksUrl = one(req.query.jwks);
    res.status(toolJwksUrl ? 204 : 400).end();
  });

  await fake.start();
  const lineItemId = ags?.addLineItem({ label: 'Bench unit', scoreMaximum: 100, resourceLinkId: 'bench-link-1' }).id;
  process.stdout.write(`${JSON.stringify({ ...fake.registration(), name: 'Bench LMS' })}\n`);

  const stop = () => {
    void fake.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent holds our stdin open; when it goes away (even by a crash), so do we.
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`fake LMS could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
