import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';

/** The demo opened at another name of this machine than PUBLIC_URL's is sent once to PUBLIC_URL. */
describe('the demo LMS opened at another host name', () => {
  let pw: Pathwise;

  beforeAll(async () => {
    pw = await createTestPathwise({ publicUrl: 'http://localhost:3999', demo: { enabled: true }, grades: { worker: false } });
  }, 120_000);
  afterAll(async () => {
    await pw?.close();
  });

  it('moves the home page and the course page to PUBLIC_URL, keeping the query, and says why', async () => {
    const home = await request(pw.app).get('/?lang=es').set('Host', '127.0.0.1:3999');
    expect([home.status, home.headers.location]).toEqual([302, 'http://localhost:3999/?lang=es&opened_at=127.0.0.1%3A3999']);
    const course = await request(pw.app).get('/demo-lms/course?user=ben&lang=en').set('Host', '192.168.1.20:3999');
    expect(course.headers.location).toBe('http://localhost:3999/demo-lms/course?user=ben&lang=en&opened_at=192.168.1.20%3A3999');
    const moved = await request(pw.app).get('/?lang=es&opened_at=127.0.0.1%3A3999').set('Host', 'localhost:3999');
    expect(moved.status).toBe(200);
    expect(moved.text).toContain('Abriste la demo en 127.0.0.1:3999; funciona en http://localhost:3999 (PUBLIC_URL)');
  });

  it('leaves pages at PUBLIC_URL and every LTI endpoint alone', async () => {
    expect((await request(pw.app).get('/').set('Host', 'localhost:3999')).status).toBe(200);
    const login = await request(pw.app).get('/lti/login').set('Host', '127.0.0.1:3999');
    expect(login.headers.location ?? '').not.toContain('opened_at');
    expect((await request(pw.app).get('/health').set('Host', '127.0.0.1:3999')).status).toBe(200);
  });

  it('shows no note for a made-up opened_at value', async () => {
    const page = await request(pw.app).get('/?opened_at=%3Cscript%3E').set('Host', 'localhost:3999');
    expect(page.text).not.toContain('You opened the demo at');
  });
});
