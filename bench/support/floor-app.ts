/**
 * The floor under a launch round trip: an app that answers the three requests a browser sends
 * Pathwise in one launch (GET login page with a cookie, POST a 1.5 KB form → 303 with a cookie,
 * GET a page) with fixed bodies of Pathwise's sizes and no work at all. FLOOR_APP=express runs
 * it on Express 5 with the urlencoded body parser (as Pathwise does), FLOOR_APP=http on bare
 * node:http. Prints its port on stdout.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';

const loginPage = `<!doctype html><html lang="en"><head><title>Login</title></head><body>${'<p>login page text</p>'.repeat(120)}</body></html>`;
const landingPage = `<!doctype html><html lang="en"><head><title>Landing</title></head><body>${'<p>landing page text</p>'.repeat(300)}</body></html>`;
const cookie = 'pw_state=' + 'x'.repeat(43) + '; Path=/; HttpOnly; SameSite=Lax; Max-Age=600';

function bare(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'POST') {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      res.writeHead(303, { location: `/page?x=${form.get('state') ?? ''}`, 'set-cookie': cookie, 'content-length': '0' });
      res.end();
    });
    return;
  }
  const html = req.url?.startsWith('/login') ? loginPage : landingPage;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), 'set-cookie': cookie });
  res.end(html);
}

function expressApp() {
  const app = express();
  app.disable('x-powered-by');
  if (process.env.FLOOR_ETAG === 'off') app.set('etag', false);
  app.use(express.urlencoded({ extended: false, limit: '256kb' }));
  app.get('/login', (_req, res) => {
    res.cookie('pw_state', 'x'.repeat(43), { httpOnly: true, sameSite: 'lax', maxAge: 600_000 });
    res.type('html').send(loginPage);
  });
  app.post('/launch', (req, res) => {
    res.cookie('pw_session', 'x'.repeat(43), { httpOnly: true, sameSite: 'lax', maxAge: 600_000 });
    res.redirect(303, `/page?x=${String((req.body as Record<string, unknown>).state)}`);
  });
  app.get('/page', (_req, res) => {
    res.type('html').send(landingPage);
  });
  return app;
}

const server = process.env.FLOOR_APP === 'http' ? createServer(bare) : createServer(expressApp());
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  console.log(String((server.address() as { port: number }).port));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
