import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { compose, type Pathwise } from '../../src/main.js';
import { createTestPathwise, TEST_ADMIN_TOKEN, testConfig } from '../support/app.js';

describe('GET /health', () => {
  let pw: Pathwise;
  beforeAll(async () => {
    pw = await createTestPathwise();
  });
  afterAll(async () => {
    await pw?.close();
  });

  it('answers 200 when the database is reachable', async () => {
    const res = await request(pw.app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('sends security headers fit for an LMS iframe', async () => {
    const res = await request(pw.app).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain('frame-ancestors');
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('the home page outside the demo is titled "Pathwise" once, in the browser’s language', async () => {
    const en = await request(pw.app).get('/');
    expect(en.text).toContain('<title>Pathwise</title>');
    const es = await request(pw.app).get('/').set('Accept-Language', 'es');
    expect(es.text).toContain('<html lang="es">');
    expect(es.text).toContain('Pathwise es una herramienta LTI 1.3.');
  });

  it('names an icon that is served, so a browser logs no 404 for /favicon.ico on the first page', async () => {
    const page = await request(pw.app).get('/');
    const href = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml">/.exec(page.text)?.[1];
    expect(href).toBe('/assets/favicon.svg');
    const icon = await request(pw.app).get(href!);
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
  });

  it('sends Strict-Transport-Security only when the public URL is https (RFC 6797)', async () => {
    const plain = await request(pw.app).get('/health');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    // A second app on the same database, published at an https address (TLS ends at a proxy).
    const secure = await compose(testConfig({ publicUrl: 'https://pathwise.example', grades: { worker: false } }), { db: pw.ctx.db });
    for (const path of ['/health', '/', '/no-such-page']) {
      const res = await request(secure.app).get(path);
      expect([path, res.headers['strict-transport-security']]).toEqual([path, 'max-age=31536000']);
    }
  });

  it('answers unknown paths with a 404 page, and API paths with JSON', async () => {
    const page = await request(pw.app).get('/nope').set('Accept', 'text/html');
    expect(page.status).toBe(404);
    expect(page.text).toContain('<h1');
    // The admin API checks the token before routing, so an unknown path is a 404 only for an admin.
    const api = await request(pw.app).get('/admin/api/nope').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('not_found');
  });

  it('says in words a person reads, and in their browser’s language, that nothing is at an unknown address', async () => {
    const page = await request(pw.app).get('/nope');
    expect(page.text).toContain('There is nothing at this address.');
    expect(page.text).not.toContain('No route for');
    const es = await request(pw.app).get('/nope').set('Accept-Language', 'es-MX,es;q=0.9,en;q=0.5');
    expect(es.status).toBe(404);
    expect(es.text).toContain('<html lang="es">');
    expect(es.text).toContain('<title>Página no encontrada · Pathwise</title>');
    expect(es.text).toContain('No hay nada en esta dirección.');
    // An ended session, with no session to name the language, is explained in the browser's too.
    const ended = await request(pw.app).get('/teacher?session=ended').set('Accept-Language', 'es');
    expect(ended.status).toBe(401);
    expect(ended.text).toContain('Tu sesión de Pathwise ha terminado.');
    const json = await request(pw.app).get('/teacher?session=ended').set('Accept', 'application/json').set('Accept-Language', 'es');
    expect(json.body.error.code).toBe('session_expired');
  });

  it('answers 503 when the database is gone', async () => {
    const db = pw.ctx.db as { query: typeof pw.ctx.db.query };
    const query = db.query;
    db.query = () => Promise.reject(new Error('connection refused'));
    try {
      const res = await request(pw.app).get('/health');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('database_unavailable');
      expect(JSON.stringify(res.body)).not.toContain('connection refused');
    } finally {
      db.query = query;
    }
  });
});
