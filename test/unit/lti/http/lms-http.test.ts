import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNonPublicAddress, LmsHttp, lmsFailureOf } from '../../../../src/lti/http/lms-http.js';
import { PlatformJwksCache } from '../../../../src/lti/launch/jwks-cache.js';

/** A small LMS on 127.0.0.1 that misbehaves on purpose. */
describe('LmsHttp, the one client for calls to an LMS', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' }); // no content-length: streamed
        const chunk = 'x'.repeat(64 * 1024);
        for (let i = 0; i < 10; i++) res.write(chunk);
        res.end();
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      } else if (req.url === '/hang') {
        // never answers
      } else if (req.url === '/many-keys') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: Array.from({ length: 500 }, (_, i) => ({ kty: 'RSA', kid: `k${i}` })) }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const http = (over: Partial<ConstructorParameters<typeof LmsHttp>[0]> = {}) =>
    new LmsHttp({ timeoutMs: 5000, maxBytes: 256 * 1024, allowPrivateAddresses: true, ...over });
  const failure = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'platform_unreachable' });
    return lmsFailureOf(err);
  };

  it('reads a normal answer', async () => {
    expect(await (await http().fetch(`${base}/ok`)).json()).toEqual({ ok: true });
  });
  it('refuses an answer over the byte cap, even without a content-length', async () => {
    expect(await failure(http().fetch(`${base}/big`))).toBe('too_large');
  });
  it('does not follow redirects', async () => {
    expect(await failure(http().fetch(`${base}/redirect`))).toBe('redirect');
  });
  it('gives up after the time limit', async () => {
    const t = Date.now();
    expect(await failure(http({ timeoutMs: 500 }).fetch(`${base}/hang`))).toBe('timeout');
    expect(Date.now() - t).toBeLessThan(4000);
  });
  it('refuses loopback, private and link-local addresses unless allowed or trusted', async () => {
    expect(await failure(http({ allowPrivateAddresses: false }).fetch(`${base}/ok`))).toBe('address_refused');
    const resolvesPrivate = http({ allowPrivateAddresses: false, resolve: async () => ['10.1.2.3'] });
    expect(await failure(resolvesPrivate.fetch('https://lms.example.org/jwks'))).toBe('address_refused');
    expect(await failure(http({ allowPrivateAddresses: false }).fetch('http://[::1]:9/x'))).toBe('address_refused');
    expect(await failure(http().fetch('file:///etc/passwd'))).toBe('bad_url');
    const trusted = http({ allowPrivateAddresses: false, trustedOrigins: [base] });
    expect((await trusted.fetch(`${base}/ok`)).status).toBe(200);
  });
  it('classifies addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isNonPublicAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '151.101.1.69', '2606:4700::1111']) expect(isNonPublicAddress(a), a).toBe(false);
  });
  it('key sets: too large or too many keys is jwks_unavailable', async () => {
    const cache = (maxBytes: number) =>
      new PlatformJwksCache({ timeoutMs: 500, defaultMaxAgeSeconds: 60, maxKeys: 50, fetch: (url, init) => http({ maxBytes }).fetch(url, init) });
    await expect(cache(256 * 1024).findKey(`${base}/big`, 'a')).rejects.toMatchObject({ code: 'jwks_unavailable' });
    await expect(cache(256 * 1024).findKey(`${base}/many-keys`, 'k1')).rejects.toMatchObject({ code: 'jwks_unavailable' });
    await expect(cache(256 * 1024).findKey(`${base}/redirect`, 'a')).rejects.toMatchObject({ code: 'jwks_unavailable' });
  });
});
