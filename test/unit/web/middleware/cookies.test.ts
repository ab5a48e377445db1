import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { setAdminCookie } from '../../../../src/web/middleware/admin-session.js';
import { clearCookie, readCookie, readCookieValues, setCookie } from '../../../../src/web/middleware/cookies.js';

function appWith(publicUrl: string) {
  const app = express();
  app.get('/set', (_req, res) => {
    setCookie(res, publicUrl, 'pw_state_x', 'v1', 600, '/lti');
    res.end();
  });
  app.get('/clear', (_req, res) => {
    clearCookie(res, publicUrl, 'pw_state_x', '/lti');
    res.end();
  });
  app.get('/admin-cookie', (req, res) => {
    setAdminCookie(res, publicUrl, typeof req.query.token === 'string' ? req.query.token : null);
    res.end();
  });
  app.get('/read', (req, res) => {
    res.json({ all: readCookieValues(req, 'pw'), first: readCookie(req, 'pw'), live: readCookie(req, 'pw', (v) => v === 'live') });
  });
  return app;
}

const setCookieOf = (res: request.Response) => String(res.headers['set-cookie']);

describe('cookies through res.cookie / res.clearCookie', () => {
  it('on https: HttpOnly, Secure, SameSite=None, Partitioned, Max-Age in seconds, the given path', async () => {
    const set = setCookieOf(await request(appWith('https://pathwise.example')).get('/set'));
    expect(set).toMatch(/^pw_state_x=v1; /);
    for (const attr of ['Max-Age=600', 'Path=/lti', 'HttpOnly', 'Secure', 'SameSite=None', 'Partitioned']) expect(set).toContain(attr);
  });

  it('on plain http (development): SameSite=Lax, neither Secure nor Partitioned', async () => {
    const set = setCookieOf(await request(appWith('http://localhost:3000')).get('/set'));
    expect(set).toContain('SameSite=Lax');
    expect(set).toContain('HttpOnly');
    expect(set).not.toMatch(/Secure|Partitioned/);
  });

  it('clearing sends the same attributes (a partitioned cookie is only removed by a partitioned Set-Cookie), expired', async () => {
    const cleared = setCookieOf(await request(appWith('https://pathwise.example')).get('/clear'));
    expect(cleared).toMatch(/^pw_state_x=; /);
    for (const attr of ['Path=/lti', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'Secure', 'SameSite=None', 'Partitioned']) expect(cleared).toContain(attr);
  });
});

describe('the admin console cookie', () => {
  it('is HttpOnly, SameSite=Strict, path /admin, Secure on https; clearing expires it with the same attributes', async () => {
    const app = appWith('https://pathwise.example');
    const set = setCookieOf(await request(app).get('/admin-cookie?token=abc'));
    expect(set).toMatch(/^pw_admin=abc; /);
    for (const attr of ['Path=/admin', 'HttpOnly', 'SameSite=Strict', 'Secure']) expect(set).toContain(attr);
    expect(set).not.toMatch(/Max-Age|Partitioned/);
    const cleared = setCookieOf(await request(app).get('/admin-cookie'));
    for (const attr of ['pw_admin=;', 'Path=/admin', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'SameSite=Strict']) expect(cleared).toContain(attr);
    expect(setCookieOf(await request(appWith('http://localhost:3000')).get('/admin-cookie?token=abc'))).not.toContain('Secure');
  });
});

describe('reading cookies: one parser, and a rule for two of the same name', () => {
  const read = async (header: string) =>
    (await request(appWith('https://pathwise.example')).get('/read').set('Cookie', header)).body as { all: string[]; first?: string; live?: string };

  it('keeps every same-name value in the order sent; the first the caller accepts wins, else the first sent', async () => {
    const both = await read('pw=stale; other=1; pw=live');
    expect(both).toEqual({ all: ['stale', 'live'], first: 'stale', live: 'live' });
    expect((await read('pw=stale; pw=older')).live).toBe('stale');
  });

  it('decodes percent-escapes; a malformed escape is kept as sent (the caller’s own check refuses it); no value, no cookie', async () => {
    expect((await read('pw=a%20b; pw=%E0%A4%A; pw')).all).toEqual(['a b', '%E0%A4%A']);
    expect((await read('')).all).toEqual([]);
  });
});
