import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { answerClientErrors } from '../../src/web/client-error.js';
import { createTestPathwise } from '../support/app.js';

/** Requests Node's parser refuses before Express, sent to Pathwise listening as `npm start` does. */
describe("requests Node's HTTP parser refuses get a readable page", () => {
  let pw: Pathwise;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    pw = await createTestPathwise();
    server = await new Promise<Server>((resolve) => {
      const s = pw.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    answerClientErrors(server);
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await pw?.close();
  });

  it('a GET login with a 100 KB login_hint: 431 with a page that says what happened', async () => {
    const res = await fetch(`${base}/lti/login?iss=https%3A%2F%2Flms.example&login_hint=${'x'.repeat(100_000)}`);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
    const text = await res.text();
    expect(text).toContain('<h1>Request Header Fields Too Large</h1>');
    expect(text).toContain('This address is too long for Pathwise to read.');
  });

  it('a request line that does not parse: 400 with a page, and the server goes on answering', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      let got = '';
      const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('data', (d) => (got += d.toString()));
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw).toContain('Pathwise could not read this request.');
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
