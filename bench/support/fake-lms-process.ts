/**
 * The fake LMS as a process of its own, for benchmarks: the load on it (RS256 signing, its HTTP
 * server) must not share an event loop with Pathwise or with the load generator.
 *
 * Run: node --import tsx bench/support/fake-lms-process.ts
 * Prints one JSON line on stdout with its registration values, then serves until stdin closes
 * or it gets SIGTERM/SIGINT. Its OIDC authorization endpoint (GET/POST /auth) answers like a
 * platform does: an auto-submitting form that posts id_token and state to the redirect_uri
 * (https://www.imsglobal.org/spec/security/v1p0/#step-3-authentication-response).
 */
import type { Request, Response } from 'express';
import { FakePlatform } from '../../test/support/fake-platform.js';
import { CLAIM, LTI_VERSION, MESSAGE_TYPE, ROLE } from '../../src/lti/claims.js';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

async function main(): Promise<void> {
  const fake = new FakePlatform({ clientId: `bench-${process.pid}`, deploymentId: 'bench-deployment' });
  let issued = 0;

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
    res.json({ issued, jwksRequests: fake.jwksRequests, rssBytes: process.memoryUsage().rss });
  });

  await fake.start();
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
